package instagram

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/stormdesk/stormdesk/backend/channels/graph"
)

// Permissions the connector needs (Instagram API with Facebook Login).
const (
	PermBasic          = "instagram_basic"
	PermManageComments = "instagram_manage_comments"
	PermManageMessages = "instagram_manage_messages"
	PermShowList       = "pages_show_list"
	PermReadEngagement = "pages_read_engagement"
)

// Needed lists every permission the connector uses.
var Needed = []string{PermBasic, PermManageComments, PermManageMessages, PermShowList, PermReadEngagement}

const commentFields = "id,text,timestamp,username,from{id,username},hidden"

// account finds the Instagram professional account linked to the Page.
func (c *Connector) account(ctx context.Context, token string) (User, error) {
	var p struct {
		Account *User `json:"instagram_business_account"`
	}
	q := url.Values{"fields": {"instagram_business_account{id,username}"}}
	if err := c.api.Get(ctx, token, c.cfg.PageID, q, PermBasic, &p); err != nil {
		return User{}, err
	}
	if p.Account == nil || p.Account.ID == "" {
		return User{}, fmt.Errorf("instagram: Page %s has no linked Instagram professional account", c.cfg.PageID)
	}
	return *p.Account, nil
}

// media lists the account's newest media.
func (c *Connector) media(ctx context.Context, token, igID string, n int) ([]Media, error) {
	var p graph.Page[Media]
	q := url.Values{"fields": {"id,caption,timestamp,comments_count"}, "limit": {strconv.Itoa(n)}}
	err := c.api.Get(ctx, token, igID+"/media", q, PermBasic, &p)
	return p.Data, err
}

// comments lists a media's top-level comments with their replies.
func (c *Connector) comments(ctx context.Context, token, mediaID string, maxPages int) ([]Comment, error) {
	var out []Comment
	q := url.Values{"fields": {commentFields + ",replies{" + commentFields + "}"}}
	err := graph.List(ctx, c.api, token, mediaID+"/comments", q, 50, maxPages, PermManageComments, func(cs []Comment) bool {
		out = append(out, cs...)
		return true
	})
	return out, err
}

// reply answers a top-level comment; Meta has no idempotency key for it.
func (c *Connector) reply(ctx context.Context, token, commentID, message string) (string, error) {
	var res graph.Created
	err := c.api.Do(ctx, graph.Call{Method: http.MethodPost, Path: commentID + "/replies", Query: url.Values{"message": {message}},
		Token: token, Permission: PermManageComments}, &res)
	return res.ID, err
}

// profile reads the User Profile API of a person who wrote a DM.
func (c *Connector) profile(ctx context.Context, token, igsid string) (Profile, error) {
	var p Profile
	q := url.Values{"fields": {"name,username,is_user_follow_business,is_business_follow_user"}}
	err := c.api.Get(ctx, token, igsid, q, PermManageMessages, &p)
	return p, err
}
