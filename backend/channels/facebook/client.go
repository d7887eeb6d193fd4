package facebook

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels/graph"
)

// Permissions the connector needs, and for what.
const (
	PermShowList        = "pages_show_list"         // /me/accounts: the Page token
	PermReadEngagement  = "pages_read_engagement"   // feed and comments
	PermReadUserContent = "pages_read_user_content" // comments' authors
	PermManageEngage    = "pages_manage_engagement" // reply, hide, delete comments
	PermMessaging       = "pages_messaging"         // conversations and the Send API
)

// Needed lists every permission the connector uses.
var Needed = []string{PermShowList, PermReadEngagement, PermReadUserContent, PermManageEngage, PermMessaging}

// commentFields are the fields read of a comment.
const commentFields = "id,message,from,created_time,parent{id},is_hidden"

// feed lists the Page's newest posts.
func (c *Connector) feed(ctx context.Context, token string, n int) ([]Post, error) {
	var p graph.Page[Post]
	q := url.Values{"fields": {"id,message,created_time,updated_time"}, "limit": {itoa(n)}}
	err := c.api.Get(ctx, token, c.cfg.PageID+"/feed", q, PermReadEngagement, &p)
	return p.Data, err
}

// comments lists a post's comments and replies created after since, newest
// first (order=reverse_chronological, filter=stream), at most maxPages of 50.
func (c *Connector) comments(ctx context.Context, token, postID string, since time.Time, maxPages int) ([]Comment, error) {
	var out []Comment
	q := url.Values{"fields": {commentFields}, "order": {"reverse_chronological"}, "filter": {"stream"}}
	err := graph.List(ctx, c.api, token, postID+"/comments", q, 50, maxPages, PermReadEngagement, func(cs []Comment) bool {
		for _, cm := range cs {
			if !cm.CreatedTime.After(since) {
				return false
			}
			out = append(out, cm)
		}
		return true
	})
	return out, err
}

// comment posts message under an object (a post, or a top-level comment).
// Meta has no idempotency key for comments, so it is repeated only on refusals.
func (c *Connector) comment(ctx context.Context, token, objectID, message string) (string, error) {
	var res graph.Created
	err := c.api.Do(ctx, graph.Call{Method: http.MethodPost, Path: objectID + "/comments", Query: url.Values{"message": {message}},
		Token: token, Permission: PermManageEngage}, &res)
	return res.ID, err
}

// setHidden hides or shows a comment (is_hidden): only its author and their
// friends still see a hidden comment, and the author is not told.
func (c *Connector) setHidden(ctx context.Context, token, commentID string, hidden bool) error {
	v := "false"
	if hidden {
		v = "true"
	}
	return c.api.Change(ctx, token, commentID, url.Values{"is_hidden": {v}}, PermManageEngage)
}
