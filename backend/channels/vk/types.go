package vk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Field names below are VK's own (dev.vk.com, API version 5.199).

// LongPollServer is the answer of groups.getLongPollServer.
type LongPollServer struct {
	Key    string `json:"key"`
	Server string `json:"server"`
	TS     Num    `json:"ts"`
}

// LongPollResponse is the answer of a Bots Long Poll a_check request: either
// updates and the next ts, or a failed code (1: history lost, use the new ts;
// 2: key expired; 3: key and ts lost).
type LongPollResponse struct {
	TS      Num      `json:"ts"`
	Updates []Update `json:"updates"`
	Failed  int      `json:"failed"`
}

// Update is one Bots Long Poll event.
type Update struct {
	Type    string          `json:"type"`
	Object  json.RawMessage `json:"object"`
	GroupID int64           `json:"group_id"`
	EventID string          `json:"event_id"`
}

// MessageNew is the object of message_new (API >= 5.103).
type MessageNew struct {
	Message Message `json:"message"`
}

// Message is a community message.
type Message struct {
	ID                    int64  `json:"id"`
	Date                  int64  `json:"date"`
	PeerID                int64  `json:"peer_id"`
	FromID                int64  `json:"from_id"`
	Text                  string `json:"text"`
	Out                   int    `json:"out"`
	ConversationMessageID int64  `json:"conversation_message_id"`
	RandomID              int64  `json:"random_id"`
}

// Comment is a wall comment, as in wall.getComments and wall_reply_new
// (the event adds post_id and post_owner_id).
type Comment struct {
	ID             int64   `json:"id"`
	FromID         int64   `json:"from_id"`
	Date           int64   `json:"date"`
	Text           string  `json:"text"`
	PostID         int64   `json:"post_id"`
	OwnerID        int64   `json:"owner_id"`
	PostOwnerID    int64   `json:"post_owner_id"`
	ReplyToUser    int64   `json:"reply_to_user,omitempty"`
	ReplyToComment int64   `json:"reply_to_comment,omitempty"`
	ParentsStack   []int64 `json:"parents_stack,omitempty"`
	Thread         *struct {
		Count int       `json:"count"`
		Items []Comment `json:"items"`
	} `json:"thread,omitempty"`
}

// Profile is a user in extended answers.
type Profile struct {
	ID         int64  `json:"id"`
	FirstName  string `json:"first_name"`
	LastName   string `json:"last_name"`
	ScreenName string `json:"screen_name"`
	// FollowersCount comes with fields=followers_count.
	FollowersCount int64 `json:"followers_count,omitempty"`
}

// Group is a community.
type Group struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	ScreenName   string `json:"screen_name"`
	MembersCount int64  `json:"members_count,omitempty"` // with fields=members_count
}

// WallComments is the answer of wall.getComments with extended=1.
type WallComments struct {
	Count    int       `json:"count"`
	Items    []Comment `json:"items"`
	Profiles []Profile `json:"profiles"`
	Groups   []Group   `json:"groups"`
}

// Post is the part of a wall post Stormdesk needs.
type Post struct {
	ID      int64 `json:"id"`
	OwnerID int64 `json:"owner_id"`
	Date    int64 `json:"date"`
}

// WallPosts is the answer of wall.get.
type WallPosts struct {
	Count int    `json:"count"`
	Items []Post `json:"items"`
}

// CreatedComment is the answer of wall.createComment.
type CreatedComment struct {
	CommentID    int64   `json:"comment_id"`
	ParentsStack []int64 `json:"parents_stack"`
}

// GetCommentsParams are wall.getComments parameters.
type GetCommentsParams struct {
	OwnerID          int64
	PostID           int64
	Count            int    // up to 100
	Offset           int    //
	StartCommentID   int64  // 0 = not set
	Sort             string // "asc" or "desc"
	ThreadItemsCount int    // up to 10
}

// SendParams are messages.send parameters.
type SendParams struct {
	PeerID   int64
	Message  string
	RandomID int32 // VK drops a second send with the same random_id
}

// CreateCommentParams are wall.createComment parameters.
type CreateCommentParams struct {
	OwnerID        int64
	PostID         int64
	Message        string
	FromGroup      int64 // the community id, to post as the community
	ReplyToComment int64
	GUID           string // VK drops a second comment with the same guid
}

// Num is a VK number that arrives as a JSON number or string (long-poll ts
// is a string in Bots Long Poll and a number in failed:1 answers).
type Num string

// UnmarshalJSON accepts 12, "12" and null.
func (n *Num) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*n = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*n = Num(s)
		return nil
	}
	if _, err := strconv.ParseFloat(string(b), 64); err != nil {
		return fmt.Errorf("vk: %q is not a number", b)
	}
	*n = Num(b)
	return nil
}

// Count is a VK counter object ({"count": n}).
type Count struct {
	Count int `json:"count"`
}

// WallPost is a wall post as newsfeed.search returns it.
type WallPost struct {
	ID       int64  `json:"id"`
	OwnerID  int64  `json:"owner_id"`
	FromID   int64  `json:"from_id"`
	Date     int64  `json:"date"`
	PostType string `json:"post_type"`
	Text     string `json:"text"`
	Comments *Count `json:"comments,omitempty"`
	Likes    *Count `json:"likes,omitempty"`
	Reposts  *Count `json:"reposts,omitempty"`
}

// NewsfeedSearchResponse is the answer of newsfeed.search with extended=1.
type NewsfeedSearchResponse struct {
	Items      []WallPost `json:"items"`
	Count      int        `json:"count"`
	TotalCount int        `json:"total_count"`
	NextFrom   string     `json:"next_from"`
	Profiles   []Profile  `json:"profiles"`
	Groups     []Group    `json:"groups"`
}

// NewsfeedSearchParams are newsfeed.search parameters; extended=1 and the
// authors' audience fields are always asked for.
type NewsfeedSearchParams struct {
	Q         string
	StartTime int64  // inclusive, Unix seconds; 0 = not sent
	EndTime   int64  // 0 = not sent (now)
	StartFrom string // next_from of the previous page
	Count     int    // up to 200
}
