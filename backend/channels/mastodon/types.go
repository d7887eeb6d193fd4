package mastodon

import (
	"net/url"
	"strconv"
	"time"
)

// These mirror the REST API field for field, so answers decode without a
// mapping layer; connector.go turns them into inbox items.

// Account is a Mastodon account (the fields Stormdesk uses).
type Account struct {
	ID             string `json:"id"`
	Username       string `json:"username"`
	Acct           string `json:"acct"` // user@domain for remote accounts, username for local ones
	DisplayName    string `json:"display_name"`
	FollowersCount int64  `json:"followers_count"`
	URL            string `json:"url"`
}

// MediaAttachment is a file attached to a status.
type MediaAttachment struct {
	ID          string `json:"id"`
	Type        string `json:"type"` // image, gifv, video, audio, unknown
	URL         string `json:"url"`
	Description string `json:"description"`
}

// Status is a post.
type Status struct {
	ID                 string            `json:"id"`
	CreatedAt          time.Time         `json:"created_at"`
	InReplyToID        *string           `json:"in_reply_to_id"`
	InReplyToAccountID *string           `json:"in_reply_to_account_id"`
	Visibility         string            `json:"visibility"` // public, unlisted, private, direct
	SpoilerText        string            `json:"spoiler_text"`
	Content            string            `json:"content"` // HTML
	URL                string            `json:"url"`
	Language           *string           `json:"language"`
	Account            Account           `json:"account"`
	MediaAttachments   []MediaAttachment `json:"media_attachments"`
}

// Notification is one entry of the notifications timeline.
type Notification struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"` // mention, status, reblog, follow, favourite, poll, update …
	CreatedAt time.Time `json:"created_at"`
	Account   Account   `json:"account"`
	Status    *Status   `json:"status"`
}

// Conversation is a direct-message conversation.
type Conversation struct {
	ID         string    `json:"id"`
	Unread     bool      `json:"unread"`
	Accounts   []Account `json:"accounts"`
	LastStatus *Status   `json:"last_status"`
}

// Context is the thread around a status.
type Context struct {
	Ancestors   []Status `json:"ancestors"`
	Descendants []Status `json:"descendants"`
}

// PageParams select a page of a timeline; ids are compared as numbers by the server.
type PageParams struct {
	MaxID   string // older than
	SinceID string // newer than, newest page first
	MinID   string // immediately newer than
	Limit   int
}

func (p PageParams) values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"max_id": p.MaxID, "since_id": p.SinceID, "min_id": p.MinID} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if p.Limit > 0 {
		v.Set("limit", strconv.Itoa(p.Limit))
	}
	return v
}

// Page holds the paging ids from a Link header.
type Page struct {
	NextMaxID string // rel="next": older results
	PrevMinID string // rel="prev": newer results
}

// PostStatusParams are the form fields of POST /api/v1/statuses.
type PostStatusParams struct {
	Status      string `json:"status"`
	InReplyToID string `json:"in_reply_to_id,omitempty"`
	Visibility  string `json:"visibility,omitempty"`
	SpoilerText string `json:"spoiler_text,omitempty"`
	Language    string `json:"language,omitempty"`
}

// errorBody is Mastodon's error entity.
type errorBody struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}
