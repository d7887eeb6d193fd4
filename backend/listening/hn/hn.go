// Package hn is the Hacker News listening source, through the Algolia
// search API's search_by_date (stories and comments, newest first). Algolia
// pages through the first 1000 hits only, so a sweep moves an upper bound
// on created_at_i instead of the page number. Hacker News cannot be
// answered from the inbox (Mention.ReplyTo is nil).
package hn

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/listening/webapi"
)

// pageSize is the hits asked per call; Algolia allows up to 1000.
const pageSize = 100

// Config configures a Source.
type Config struct {
	BaseURL    string // "" = https://hn.algolia.com
	HTTPClient *http.Client
	Retry      channels.Retry
	Now        func() time.Time
}

// Source searches Hacker News.
type Source struct {
	base string
	call webapi.Caller
}

// New returns a source.
func New(cfg Config) *Source {
	if cfg.BaseURL == "" {
		cfg.BaseURL = "https://hn.algolia.com"
	}
	return &Source{base: cfg.BaseURL, call: webapi.Caller{
		Platform: listening.SourceHN, HTTP: cfg.HTTPClient, Retry: cfg.Retry, Now: cfg.Now, Message: webapi.JSONMessage,
	}}
}

// Name is listening.SourceHN.
func (s *Source) Name() string { return listening.SourceHN }

// Search lists the next page of every term (Algolia wants every word of a
// query, so terms cannot be OR-ed in one).
func (s *Source) Search(ctx context.Context, r listening.Request) (listening.Page, error) {
	return s.call.Run(ctx, r, webapi.Terms(r.Terms, false), s.list)
}

type hit struct {
	ObjectID    string  `json:"objectID"`
	Author      string  `json:"author"`
	CreatedAtI  int64   `json:"created_at_i"`
	Title       *string `json:"title"`
	URL         *string `json:"url"`
	StoryText   *string `json:"story_text"`
	CommentText *string `json:"comment_text"`
	StoryTitle  *string `json:"story_title"`
	Points      *int    `json:"points"`
	NumComments *int    `json:"num_comments"`
}

type answer struct {
	Hits *[]hit `json:"hits"`
}

// list pages below an upper bound: next is "<created_at_i>" (everything at
// or before that second; the sweep skips what it already has) or
// "<created_at_i>/<page>" when a whole page shared one second.
func (s *Source) list(ctx context.Context, term, next string, since time.Time) (webapi.Listing, error) {
	filters := []string{}
	if !since.IsZero() {
		filters = append(filters, "created_at_i>="+strconv.FormatInt(since.Unix(), 10))
	}
	upper, page := int64(0), 0
	if next != "" {
		u, p, _ := strings.Cut(next, "/")
		var err error
		if upper, err = strconv.ParseInt(u, 10, 64); err != nil {
			return webapi.Listing{}, fmt.Errorf("hn: stored cursor position %q is damaged", next)
		}
		page, _ = strconv.Atoi(p)
		filters = append(filters, "created_at_i<="+u)
	}
	q := url.Values{"query": {term}, "tags": {"(story,comment)"}, "hitsPerPage": {strconv.Itoa(pageSize)}, "page": {strconv.Itoa(page)}}
	if len(filters) > 0 {
		q.Set("numericFilters", strings.Join(filters, ","))
	}
	var a answer
	if _, err := s.call.Do(ctx, true, func(ctx context.Context) (*http.Request, error) {
		return webapi.Get(ctx, s.base, "/api/v1/search_by_date", q, nil)
	}, &a); err != nil {
		return webapi.Listing{}, err
	}
	if a.Hits == nil {
		return webapi.Listing{}, fmt.Errorf("%w: search answer without hits", webapi.ErrMalformed)
	}
	hits := *a.Hits
	out := webapi.Listing{Full: len(hits) >= pageSize, Limits: listening.Limits{Remaining: -1}}
	for _, h := range hits {
		if h.ObjectID == "" || h.CreatedAtI <= 0 {
			return webapi.Listing{}, fmt.Errorf("%w: hit without objectID or created_at_i", webapi.ErrMalformed)
		}
		out.Mentions = append(out.Mentions, mention(h))
	}
	if out.Full {
		oldest := hits[len(hits)-1].CreatedAtI
		if next != "" && oldest == upper {
			out.Next = fmt.Sprintf("%d/%d", upper, page+1) // a full page in one second: page on within it
		} else {
			out.Next = strconv.FormatInt(oldest, 10)
		}
	}
	return out, nil
}

func mention(h hit) listening.Mention {
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	num := func(p *int) int {
		if p == nil {
			return -1
		}
		return *p
	}
	title := str(h.Title)
	if title == "" {
		title = str(h.StoryTitle)
	}
	text := plain(str(h.CommentText))
	if text == "" {
		text = plain(str(h.StoryText))
	}
	if text == "" {
		text = str(h.URL) // a link story says no more than its title and link
	}
	return listening.Mention{
		Source: listening.SourceHN, ExternalID: h.ObjectID, URL: "https://news.ycombinator.com/item?id=" + h.ObjectID,
		Author: h.Author, AuthorID: h.Author, AuthorURL: "https://news.ycombinator.com/user?id=" + url.QueryEscape(h.Author),
		Title: title, Text: text, Published: time.Unix(h.CreatedAtI, 0).UTC(),
		Replies: num(h.NumComments), Reactions: num(h.Points),
	}
}

var (
	hnParagraph = strings.NewReplacer("<p>", "\n\n", "</p>", "")
	hnTag       = regexp.MustCompile(`<[^>]*>`)
)

// plain reduces HN's comment HTML (<p> between paragraphs, <i>, <a>, <pre>
// <code>, escaped entities) to text.
func plain(s string) string {
	return strings.TrimSpace(html.UnescapeString(hnTag.ReplaceAllString(hnParagraph.Replace(s), "")))
}
