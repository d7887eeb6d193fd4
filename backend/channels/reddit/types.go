package reddit

import "encoding/json"

// Thing is one entry of a Listing: kind t1 (comment), t3 (post) or t4
// (private message) with its data.
type Thing struct {
	Kind string `json:"kind"`
	Data Data   `json:"data"`
}

// Data is what the inbox reads of a comment or message.
type Data struct {
	ID               string  `json:"id"`
	Name             string  `json:"name"` // the fullname, t1_…, t4_…
	Author           string  `json:"author"`
	AuthorFullname   string  `json:"author_fullname"`
	Body             string  `json:"body"`
	Subject          string  `json:"subject"`
	ParentID         string  `json:"parent_id"`
	LinkID           string  `json:"link_id"` // not in inbox items; see Context
	Context          string  `json:"context"` // /r/sub/comments/<link id>/<slug>/<comment id>/?context=3
	FirstMessageName *string `json:"first_message_name"`
	WasComment       bool    `json:"was_comment"`
	Type             string  `json:"type"` // comment_reply, post_reply, username_mention, …
	Subreddit        string  `json:"subreddit"`
	CreatedUTC       float64 `json:"created_utc"`
}

// Listing is Reddit's page of things.
type Listing struct {
	Kind string `json:"kind"`
	Data *struct {
		After    *string `json:"after"`
		Before   *string `json:"before"`
		Children []Thing `json:"children"`
	} `json:"data"`
}

// commentAnswer is POST /api/comment's answer with api_type=json: errors
// come with HTTP 200 as [code, message, field] triples.
type commentAnswer struct {
	JSON struct {
		Errors []json.RawMessage `json:"errors"`
		Data   struct {
			Things []Thing `json:"things"`
		} `json:"data"`
	} `json:"json"`
}

// cursor is the newest inbox fullname delivered, which /message/inbox?before=
// lists what came after, and its created_utc, which bounds the newest page
// read instead when that item has left the inbox.
type cursor struct {
	Before string  `json:"b,omitempty"`
	At     float64 `json:"t,omitempty"`
}
