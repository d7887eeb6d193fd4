package facebook

import (
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/graph"
)

// Field names below are Graph API's own (developers.facebook.com/docs/graph-api/reference).

// Post is a Page post as /{page}/feed lists it. updated_time moves when the
// post gets a comment, which is what Fetch watches.
type Post struct {
	ID          string     `json:"id"`
	Message     string     `json:"message"`
	CreatedTime graph.Time `json:"created_time"`
	UpdatedTime graph.Time `json:"updated_time"`
}

// From is the author of a comment. Meta leaves it out when the app lacks
// pages_read_user_content or the person's privacy hides it.
type From struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Comment is a comment on a Page post. With filter=stream replies come in the
// same list, with their top-level comment as parent.
type Comment struct {
	ID          string     `json:"id"`
	Message     string     `json:"message"`
	CreatedTime graph.Time `json:"created_time"`
	From        *From      `json:"from"`
	Parent      *struct {
		ID string `json:"id"`
	} `json:"parent"`
	IsHidden bool `json:"is_hidden"`
}

// cursor is what Fetch persists: per post of the feed's newest, the newest
// comment time seen; and the newest conversation time seen.
type cursor struct {
	Posts map[string]graph.Time `json:"posts"`
	DMs   graph.Time            `json:"dms"`
}

func parseCursor(s string) (cursor, error) {
	var c cursor
	err := channels.DecodeCursor("facebook", s, &c)
	return c, err
}

func (c cursor) String() string { return channels.EncodeCursor(c) }
