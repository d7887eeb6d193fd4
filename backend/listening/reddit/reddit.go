// Package reddit is the Reddit listening source: an app-only OAuth token
// (client credentials), then search of all of Reddit or of chosen
// subreddits, newest first, paged with "after" fullnames. Reddit refuses
// generic User-Agents, so one naming the app and its owner is required.
package reddit

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	rd "github.com/stormdesk/stormdesk/backend/channels/reddit"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/listening/webapi"
)

// pageSize is the most posts Reddit lists per page.
const pageSize = 100

// Config configures a Source.
type Config struct {
	ClientID, Secret string // a "script" or "web" app's credentials
	// UserAgent must be unique and descriptive, e.g.
	// "desktop:com.example.stormdesk:1.0 (by /u/acme)".
	UserAgent string
	// Subreddits, when set, restrict the search to them (without "r/").
	Subreddits []string
	AuthURL    string // "" = https://www.reddit.com
	APIURL     string // "" = https://oauth.reddit.com
	HTTPClient *http.Client
	Retry      channels.Retry
	Now        func() time.Time
}

// Source searches Reddit.
type Source struct {
	cfg    Config
	client *rd.Client
	call   webapi.Caller // sweeps only; the client sends the requests
}

// New returns a source; the credentials and User-Agent are required.
func New(cfg Config) (*Source, error) {
	client, err := rd.NewClient(rd.ClientOptions{ClientID: cfg.ClientID, Secret: cfg.Secret, UserAgent: cfg.UserAgent,
		AuthURL: cfg.AuthURL, APIURL: cfg.APIURL, HTTPClient: cfg.HTTPClient, Retry: cfg.Retry, Now: cfg.Now})
	if err != nil {
		return nil, fmt.Errorf("reddit source: %w", err)
	}
	return &Source{cfg: cfg, client: client, call: webapi.Caller{Platform: listening.SourceReddit, Now: client.Now}}, nil
}

// Name is listening.SourceReddit.
func (s *Source) Name() string { return listening.SourceReddit }

// Search ORs the terms into one Reddit query (phrases quoted) and lists
// its next page; the query text is the cursor's key, so a changed topic
// starts a new sweep from the request's Since.
func (s *Source) Search(ctx context.Context, r listening.Request) (listening.Page, error) {
	parts := webapi.Terms(r.Terms, true)
	if len(parts) == 0 {
		return listening.Page{Cursor: r.Cursor, Limits: listening.Limits{Remaining: -1}}, nil
	}
	return s.call.Run(ctx, r, []string{strings.Join(parts, " OR ")}, s.list)
}

type listing struct {
	Kind string `json:"kind"`
	Data *struct {
		After    *string `json:"after"`
		Children []struct {
			Kind string `json:"kind"`
			Data post   `json:"data"`
		} `json:"children"`
	} `json:"data"`
}

type post struct {
	ID             string  `json:"id"`
	Name           string  `json:"name"`
	Title          string  `json:"title"`
	Selftext       string  `json:"selftext"`
	Author         string  `json:"author"`
	AuthorFullname string  `json:"author_fullname"`
	Subreddit      string  `json:"subreddit"`
	Permalink      string  `json:"permalink"`
	CreatedUTC     float64 `json:"created_utc"`
	NumComments    int     `json:"num_comments"`
	Score          int     `json:"score"`
	RemovedBy      *string `json:"removed_by_category"`
}

func (s *Source) list(ctx context.Context, query, next string, _ time.Time) (webapi.Listing, error) {
	path := "/search"
	q := url.Values{"q": {query}, "sort": {"new"}, "limit": {strconv.Itoa(pageSize)}, "type": {"link"}, "raw_json": {"1"}}
	if len(s.cfg.Subreddits) > 0 {
		path = "/r/" + url.PathEscape(strings.Join(s.cfg.Subreddits, "+")) + "/search"
		q.Set("restrict_sr", "1")
	}
	if next != "" {
		q.Set("after", next)
	}
	var l listing
	hdr, err := s.client.Get(ctx, path, q, &l)
	if err != nil {
		return webapi.Listing{}, err
	}
	if l.Kind != "Listing" || l.Data == nil {
		return webapi.Listing{}, fmt.Errorf("%w: not a Listing", webapi.ErrMalformed)
	}
	out := webapi.Listing{Full: len(l.Data.Children) >= pageSize, Limits: s.limits(hdr)}
	if l.Data.After != nil {
		out.Next = *l.Data.After
	}
	for _, c := range l.Data.Children {
		p := c.Data
		if c.Kind != "t3" || p.Name == "" || p.CreatedUTC <= 0 {
			return webapi.Listing{}, fmt.Errorf("%w: search result %q of kind %q without name or created_utc", webapi.ErrMalformed, p.Name, c.Kind)
		}
		m := mention(p)
		if p.RemovedBy != nil || p.Selftext == "[removed]" || p.Selftext == "[deleted]" && p.Author == "[deleted]" {
			out.Deleted = append(out.Deleted, m)
			continue
		}
		out.Mentions = append(out.Mentions, m)
	}
	return out, nil
}

func mention(p post) listening.Mention {
	return listening.Mention{
		Source: listening.SourceReddit, ExternalID: p.Name, URL: "https://www.reddit.com" + p.Permalink,
		Author: "u/" + p.Author, AuthorID: p.AuthorFullname, AuthorURL: "https://www.reddit.com/user/" + url.PathEscape(p.Author),
		Title: p.Title, Text: p.Selftext, Published: time.Unix(int64(p.CreatedUTC), 0).UTC(),
		Replies: p.NumComments, Reactions: p.Score,
		// The inbox's Reddit channel (logged in as the brand's account;
		// this source's app-only token cannot post) answers with a comment
		// on the post, in the thread its Fetch keys by the post.
		ReplyTo: &listening.ReplyRef{Channel: inbox.ChannelReddit, ThreadKey: rd.LinkThreadKey(p.Name), InReplyTo: p.Name},
	}
}

func (s *Source) limits(h http.Header) listening.Limits {
	var reset time.Time
	if n, err := strconv.ParseFloat(h.Get("X-Ratelimit-Reset"), 64); err == nil {
		reset = s.client.Now().Add(time.Duration(n) * time.Second).Truncate(time.Second)
	}
	return webapi.Limits(h.Get("X-Ratelimit-Remaining"), reset)
}
