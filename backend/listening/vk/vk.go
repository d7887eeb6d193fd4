// Package vk finds brand mentions on VK through newsfeed.search: public posts,
// newest first, bounded by start_time, paged with next_from. VK's search has
// no OR, so each of a topic's terms is its own search with its own position;
// one Search call reads one page of one term, and More is set until every
// term has caught up.
package vk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	vkapi "github.com/stormdesk/stormdesk/backend/channels/vk"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
)

// Config configures a Source.
type Config struct {
	// Token is a user or service access token; newsfeed.search does not
	// answer community tokens.
	Token      string
	HTTPClient *http.Client
	BaseURL    string
	// RequestsPerSecond paces calls; VK allows 3 a second for a user token.
	// 0 = 3.
	RequestsPerSecond float64
	// PageSize is newsfeed.search's count, 1..200; 0 = 200.
	PageSize int
	// MaxPages bounds one pass of a term; VK gives at most 1000 results a
	// query, so 0 = 5 pages of 200.
	MaxPages int
	Retry    channels.Retry
	Logger   *slog.Logger
	// Now is the clock that fixes a pass's end_time; nil = time.Now.
	Now func() time.Time
}

// Source searches VK. It implements listening.Source.
type Source struct {
	cfg Config
	api *vkapi.Client
	log *slog.Logger
}

var _ listening.Source = (*Source)(nil)

// New returns a source; it does no I/O.
func New(cfg Config) (*Source, error) {
	if cfg.Token == "" {
		return nil, errors.New("vk listening: an access token is needed")
	}
	if cfg.RequestsPerSecond <= 0 {
		cfg.RequestsPerSecond = 3
	}
	if cfg.PageSize <= 0 || cfg.PageSize > 200 {
		cfg.PageSize = 200
	}
	if cfg.MaxPages <= 0 {
		cfg.MaxPages = 5
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	api := vkapi.NewClient(vkapi.ClientOptions{HTTPClient: cfg.HTTPClient, BaseURL: cfg.BaseURL, Token: cfg.Token, RequestsPerSecond: cfg.RequestsPerSecond, Retry: cfg.Retry})
	return &Source{cfg: cfg, api: api, log: cfg.Logger}, nil
}

// Name is listening.SourceVK.
func (s *Source) Name() string { return listening.SourceVK }

// cursor holds each term's position and which term is read next. Recent are
// the posts given lately, so a post found by two terms is given once.
type cursor struct {
	Next   int                  `json:"next,omitempty"`
	Terms  map[string]*termPass `json:"terms,omitempty"`
	Recent []string             `json:"recent,omitempty"`
}

// termPass is one term's position: how far its posts are read (start_time is
// inclusive, so the mark keeps the ids of its second) and, during a pass, the
// page to continue with under the pass's fixed end_time.
type termPass struct {
	Mark  listening.Watermark `json:"mark"`
	From  string              `json:"from,omitempty"`
	End   int64               `json:"end,omitempty"`
	Pages int                 `json:"pages,omitempty"`
	Pass  listening.Watermark `json:"pass"`
}

const recentKept = 2000

// SearchTerms are the q values searched for a topic's terms: quotes and
// spacing normalised, a phrase quoted, duplicates dropped.
func SearchTerms(terms []string) []string {
	var out []string
	for _, t := range terms {
		t = strings.Join(strings.Fields(strings.ReplaceAll(t, `"`, " ")), " ")
		if strings.Contains(t, " ") {
			t = `"` + t + `"`
		}
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// Search reads one page of one term.
func (s *Source) Search(ctx context.Context, r listening.Request) (listening.Page, error) {
	cur := cursor{}
	if err := channels.DecodeCursor("vk", r.Cursor, &cur); err != nil {
		return listening.Page{}, err
	}
	terms := SearchTerms(r.Terms)
	if len(terms) == 0 {
		return listening.Page{}, errors.New("vk search: the topic has no words to search for")
	}
	if cur.Terms == nil {
		cur.Terms = map[string]*termPass{}
	}
	for t := range cur.Terms {
		if !slices.Contains(terms, t) {
			delete(cur.Terms, t)
		}
	}
	if cur.Next >= len(terms) {
		cur.Next = 0
	}
	term := terms[cur.Next]
	tp := cur.Terms[term]
	if tp == nil {
		tp = &termPass{}
		if !r.Since.IsZero() {
			tp.Mark.At = r.Since.Truncate(time.Second)
		}
		cur.Terms[term] = tp
	}
	if tp.From == "" {
		tp.End, tp.Pages, tp.Pass = s.cfg.Now().Unix(), 0, tp.Mark.Clone()
	}
	var start int64
	if !tp.Mark.At.IsZero() {
		start = tp.Mark.At.Unix()
	}
	res, err := s.api.NewsfeedSearch(ctx, vkapi.NewsfeedSearchParams{Q: term, StartTime: start, EndTime: tp.End, StartFrom: tp.From, Count: s.cfg.PageSize})
	if err != nil {
		return listening.Page{}, err
	}
	names := authors(res)
	var page listening.Page
	for _, p := range res.Items {
		if p.ID == 0 || p.OwnerID == 0 || p.Date == 0 {
			continue
		}
		id := fmt.Sprintf("wall%d_%d", p.OwnerID, p.ID)
		at := time.Unix(p.Date, 0).UTC()
		if tp.Mark.Covers(at, id) {
			continue
		}
		tp.Pass.Add(at, id)
		if slices.Contains(cur.Recent, id) {
			continue // found by another term
		}
		cur.Recent = append(cur.Recent, id)
		page.Mentions = append(page.Mentions, mention(p, id, names))
	}
	if n := len(cur.Recent); n > recentKept {
		cur.Recent = cur.Recent[n-recentKept:]
	}
	tp.Pages++
	if res.NextFrom != "" && tp.Pages < s.cfg.MaxPages {
		tp.From, page.More = res.NextFrom, true
	} else {
		if res.NextFrom != "" {
			s.log.Info("vk listening: pass bounded; older matching posts are not fetched", "term", term, "pages", tp.Pages)
		}
		*tp = termPass{Mark: tp.Pass}
		cur.Next++
		if cur.Next < len(terms) {
			page.More = true
		} else {
			cur.Next = 0
		}
	}
	page.Cursor = channels.EncodeCursor(cur)
	page.Limits = listening.Limits{Remaining: -1}
	return page, nil
}

// author is what extended=1 says about a post's author.
type author struct {
	name, url string
	reach     int64
}

func authors(res vkapi.NewsfeedSearchResponse) map[int64]author {
	m := map[int64]author{}
	for _, p := range res.Profiles {
		a := author{name: strings.TrimSpace(p.FirstName + " " + p.LastName), url: fmt.Sprintf("https://vk.com/id%d", p.ID), reach: p.FollowersCount}
		if p.ScreenName != "" {
			a.url = "https://vk.com/" + p.ScreenName
		}
		m[p.ID] = a
	}
	for _, g := range res.Groups {
		a := author{name: g.Name, url: fmt.Sprintf("https://vk.com/club%d", g.ID), reach: g.MembersCount}
		if g.ScreenName != "" {
			a.url = "https://vk.com/" + g.ScreenName
		}
		m[-g.ID] = a
	}
	return m
}

func mention(p vkapi.WallPost, id string, names map[int64]author) listening.Mention {
	from := p.FromID
	if from == 0 {
		from = p.OwnerID
	}
	a, ok := names[from]
	if !ok {
		a.name = fmt.Sprintf("id%d", from)
		if from < 0 {
			a.name = fmt.Sprintf("club%d", -from)
		}
		a.url = "https://vk.com/" + a.name
	}
	count := func(c *vkapi.Count) int {
		if c == nil {
			return -1
		}
		return c.Count
	}
	return listening.Mention{
		Source: listening.SourceVK, ExternalID: id, URL: "https://vk.com/" + id,
		Author: a.name, AuthorID: fmt.Sprint(from), AuthorURL: a.url, Reach: a.reach,
		Text: p.Text, Published: time.Unix(p.Date, 0).UTC(),
		Replies: count(p.Comments), Reactions: count(p.Likes),
		// An answer is a comment under the post, the thread the VK connector
		// keys wall comments by.
		ReplyTo: &listening.ReplyRef{Channel: inbox.ChannelVK, ThreadKey: fmt.Sprintf("wall%d_%d", p.OwnerID, p.ID)},
	}
}
