package graph

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/stormdesk/stormdesk/backend/channels"
)

// Permission is one entry of /me/permissions.
type Permission struct {
	Permission string `json:"permission"`
	Status     string `json:"status"` // granted, declined, expired
}

// Grants is what a token may do, against what a channel needs.
type Grants struct {
	Granted []string
	Missing []string // needed, and declined, expired or never asked for
}

// Permissions reads /me/permissions of a user token and compares it with need.
func (cl *Client) Permissions(ctx context.Context, userToken string, need []string) (Grants, error) {
	var got []Permission
	err := List(ctx, cl, userToken, "me/permissions", nil, 100, 10, "", func(p []Permission) bool {
		got = append(got, p...)
		return true
	})
	if err != nil {
		return Grants{}, err
	}
	var g Grants
	for _, p := range got {
		if p.Status == "granted" {
			g.Granted = append(g.Granted, p.Permission)
		}
	}
	for _, n := range need {
		if !slices.Contains(g.Granted, n) {
			g.Missing = append(g.Missing, n)
		}
	}
	slices.Sort(g.Granted)
	return g, nil
}

// Report is the grants as a passing test connection reports them: empty
// lists, never nil, so the UI reads them as they are.
func (g Grants) Report() channels.Permissions {
	return channels.Permissions{Granted: append([]string{}, g.Granted...), Missing: append([]string{}, g.Missing...)}
}

// MissingError is a test connection that found the token lacks permissions.
type MissingError struct {
	Platform string
	Grants   Grants
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("%s: the token lacks %s (it has %s); reconnect the account and grant them",
		e.Platform, strings.Join(e.Grants.Missing, ", "), strings.Join(e.Grants.Granted, ", "))
}

// Unwrap classifies a missing permission like Meta's own refusal, so the
// person is told the platform does not allow it.
func (e *MissingError) Unwrap() error {
	return &channels.APIError{Platform: e.Platform, Code: 200, Kind: channels.Forbidden, Message: e.Error()}
}

// PageAccount is a Page the user manages, as /me/accounts lists it.
type PageAccount struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	AccessToken string   `json:"access_token"`
	Tasks       []string `json:"tasks"`
}

// PageToken finds the Page access token of pageID among the Pages a long-lived
// user token manages. A Page token obtained from a long-lived user token does
// not expire while the user keeps the Page role and the app's grant, so the
// user token is all Stormdesk stores.
func (cl *Client) PageToken(ctx context.Context, userToken, pageID string) (PageAccount, error) {
	var found PageAccount
	var names []string
	err := List(ctx, cl, userToken, "me/accounts", url.Values{"fields": {"id,name,access_token,tasks"}}, 100, 20, "pages_show_list", func(ps []PageAccount) bool {
		for _, p := range ps {
			if p.ID == pageID {
				found = p
				return false
			}
			names = append(names, p.Name+" ("+p.ID+")")
		}
		return true
	})
	if err != nil {
		return PageAccount{}, err
	}
	if found.ID == "" {
		return PageAccount{}, fmt.Errorf("%s: Page %s is not among the Pages this user manages (%s)", cl.platform, pageID, strings.Join(names, ", "))
	}
	if found.AccessToken == "" {
		return PageAccount{}, fmt.Errorf("%s: Meta gave no access token for Page %s: the user needs a task on the Page that allows it", cl.platform, pageID)
	}
	return found, nil
}

// PageTokenCache holds the Page token derived from a user token, asked for
// once per process and kept in memory only (it is a credential).
type PageTokenCache struct {
	Client    *Client
	UserToken string
	PageID    string

	mu    sync.Mutex
	token string
}

// Get returns the Page token, asking Meta the first time.
func (p *PageTokenCache) Get(ctx context.Context) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.token != "" {
		return p.token, nil
	}
	acc, err := p.Client.PageToken(ctx, p.UserToken, p.PageID)
	if err != nil {
		return "", err
	}
	p.token = acc.AccessToken
	return p.token, nil
}

// Forget drops a token Meta refused (err is an auth error), so the next call
// asks for a new one: the person may have reconnected meanwhile. It returns err.
func (p *PageTokenCache) Forget(err error) error {
	if errors.Is(err, channels.ErrAuth) {
		p.mu.Lock()
		p.token = ""
		p.mu.Unlock()
	}
	return err
}
