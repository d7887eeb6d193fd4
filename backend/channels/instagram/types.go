package instagram

import (
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/graph"
)

// Field names below are the Instagram Graph API's own
// (developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference).

// Media is a post of the professional account.
type Media struct {
	ID            string     `json:"id"`
	Caption       string     `json:"caption"`
	Timestamp     graph.Time `json:"timestamp"`
	CommentsCount int        `json:"comments_count"`
}

// User is the author of a comment.
type User struct {
	ID       string `json:"id"`
	Username string `json:"username"`
}

// Comment is a comment on media. The comments edge lists top-level comments
// only, each with its replies (one level: Instagram does not nest deeper).
type Comment struct {
	ID        string     `json:"id"`
	Text      string     `json:"text"`
	Timestamp graph.Time `json:"timestamp"`
	Username  string     `json:"username"`
	From      *User      `json:"from"`
	Hidden    bool       `json:"hidden"`
	Replies   *struct {
		Data []Comment `json:"data"`
	} `json:"replies"`
}

// Profile is what the User Profile API says of a person who wrote a DM.
type Profile struct {
	ID                    string `json:"id"`
	Name                  string `json:"name"`
	Username              string `json:"username"`
	IsUserFollowBusiness  bool   `json:"is_user_follow_business"`
	IsBusinessFollowsUser bool   `json:"is_business_follow_user"`
}

// cursor is what Fetch persists: per media of the newest, the comment count
// and the newest comment time seen; and the newest conversation time seen.
type cursor struct {
	Media map[string]seenMedia `json:"media"`
	DMs   graph.Time           `json:"dms"`
}

type seenMedia struct {
	Count  int        `json:"count"`
	Newest graph.Time `json:"newest"`
}

func parseCursor(s string) (cursor, error) {
	var c cursor
	err := channels.DecodeCursor("instagram", s, &c)
	return c, err
}

func (c cursor) String() string { return channels.EncodeCursor(c) }
