// Package youtube finds brand mentions on YouTube: videos through search.list
// (newest first, publishedAfter, pageToken) and the comments under the videos
// it found through commentThreads.list by videoId. Every call is counted
// against the project's daily quota (the inbox connector's youtube.Quota,
// shared per Google Cloud project); search.list costs 100 units a page, so
// when the budget is spent the Page says when it resets and no call is made.
package youtube

import (
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	yt "github.com/stormdesk/stormdesk/backend/channels/youtube"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
)

// Config configures a Source.
type Config struct {
	APIKey     string       // search and public comments need only a key
	Token      yt.TokenFunc // optional OAuth instead of the key
	HTTPClient *http.Client
	BaseURL    string
	// Quota is the project's counter, shared with the inbox's YouTube
	// connectors on the same key; nil = a private default one.
	Quota *yt.Quota
	// Reserve is how many units listening leaves for the inbox (its sync,
	// replies and moderation); 0 = 2000 of the default 10,000.
	Reserve int
	// MaxPages bounds one pass of search pages (50 videos each); 0 = 3.
	MaxPages int
	// WatchVideos is how many recently found videos have their new comments
	// read on every pass (1 unit each); 0 = 20.
	WatchVideos int
	Retry       channels.Retry
	Logger      *slog.Logger
	// Now is the clock that fixes a pass's publishedBefore; nil = time.Now.
	Now func() time.Time
}

// Source searches YouTube. It implements listening.Source.
type Source struct {
	cfg Config
	api *yt.Client
	log *slog.Logger
}

var _ listening.Source = (*Source)(nil)

// New returns a source; it does no I/O.
func New(cfg Config) (*Source, error) {
	if cfg.APIKey == "" && cfg.Token == nil {
		return nil, errors.New("youtube listening: an API key is needed")
	}
	if cfg.Reserve == 0 {
		cfg.Reserve = 2000
	}
	if cfg.MaxPages <= 0 {
		cfg.MaxPages = 3
	}
	if cfg.WatchVideos <= 0 {
		cfg.WatchVideos = 20
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	api := yt.NewClient(yt.ClientOptions{HTTPClient: cfg.HTTPClient, BaseURL: cfg.BaseURL, APIKey: cfg.APIKey, Token: cfg.Token, Quota: cfg.Quota, Retry: cfg.Retry})
	return &Source{cfg: cfg, api: api, log: cfg.Logger}, nil
}

// Name is listening.SourceYouTube.
func (s *Source) Name() string { return listening.SourceYouTube }

// Quota is the counter the source spends from.
func (s *Source) Quota() *yt.Quota { return s.api.Quota() }

// cursor is the position of a topic's search: the newest video seen (with the
// ids at exactly that second, since publishedAfter is inclusive), the pass in
// progress, and the videos whose comments are followed.
type cursor struct {
	Mark  listening.Watermark `json:"mark"`
	Query string              `json:"q,omitempty"`
	Page  string              `json:"page,omitempty"`
	Pages int                 `json:"pages,omitempty"`
	Pass  listening.Watermark `json:"pass"`
	// Before is the pass's fixed publishedBefore: videos published while
	// it pages would shift the page tokens, so they wait for the next pass.
	Before time.Time `json:"before,omitzero"`
	Videos []watched `json:"videos,omitempty"`
}

// watched is a found video whose comments are read on each pass, with the
// newest comment time seen and the comment ids at that time.
type watched struct {
	ID    string              `json:"id"`
	Title string              `json:"title,omitempty"`
	Mark  listening.Watermark `json:"mark"`
}

// SearchQuery is the q of search.list for a topic's terms: YouTube ORs
// alternatives separated by "|" and keeps quoted phrases together.
func SearchQuery(terms []string) string {
	var alts []string
	for _, t := range terms {
		t = strings.Join(strings.Fields(strings.NewReplacer(`"`, " ", "|", " ").Replace(t)), " ")
		switch {
		case t == "":
		case strings.Contains(t, " "):
			alts = append(alts, `"`+t+`"`)
		default:
			alts = append(alts, t)
		}
	}
	return strings.Join(alts, "|")
}

// Search reads one page of new videos and, when that page ends a pass, the
// new comments of the followed videos.
func (s *Source) Search(ctx context.Context, r listening.Request) (listening.Page, error) {
	var cur cursor
	if err := channels.DecodeCursor("youtube", r.Cursor, &cur); err != nil {
		return listening.Page{}, err
	}
	q := SearchQuery(r.Terms)
	if q == "" {
		return listening.Page{}, errors.New("youtube search: the topic has no words to search for")
	}
	if cur.Query != q {
		// Another query: a pass in progress pages through other results.
		cur.Query, cur.Page = q, ""
	}
	if cur.Page == "" {
		cur.Pass, cur.Pages, cur.Before = cur.Mark.Clone(), 0, s.cfg.Now().UTC().Truncate(time.Second)
	}
	after := cur.Mark.At
	if after.IsZero() {
		after = r.Since
	}
	p := yt.SearchParams{Q: q, PublishedAfter: after, PublishedBefore: cur.Before, PageToken: cur.Page, MaxResults: 50}
	if len(r.Langs) == 1 {
		p.RelevanceLanguage = r.Langs[0]
	}
	res, err := s.api.Search(ctx, p, s.cfg.Reserve)
	if err != nil {
		if page, ok := s.spent(err, r.Cursor); ok {
			return page, nil
		}
		return listening.Page{}, err
	}
	var page listening.Page
	for _, it := range res.Items {
		v := it.Snippet
		id := it.ID.VideoID
		if it.ID.Kind != "youtube#video" || id == "" || v.PublishedAt.IsZero() {
			continue
		}
		if cur.Mark.Covers(v.PublishedAt, id) {
			continue
		}
		title := html.UnescapeString(v.Title)
		page.Mentions = append(page.Mentions, listening.Mention{
			Source: listening.SourceYouTube, ExternalID: id,
			URL:    "https://www.youtube.com/watch?v=" + id,
			Author: v.ChannelTitle, AuthorID: v.ChannelID, AuthorURL: channelURL(v.ChannelID),
			Title: title, Text: html.UnescapeString(v.Description), Published: v.PublishedAt.UTC(),
			Replies: -1, Reactions: -1,
		})
		cur.follow(id, title, s.cfg.WatchVideos)
		cur.Pass.Add(v.PublishedAt, id)
	}
	s.reach(ctx, page.Mentions)
	cur.Pages++
	if res.NextPageToken != "" && cur.Pages < s.cfg.MaxPages {
		cur.Page, page.More = res.NextPageToken, true
	} else {
		if res.NextPageToken != "" {
			s.log.Info("youtube listening: pass bounded; older matching videos are not fetched", "pages", cur.Pages)
		}
		cur.Mark, cur.Pass, cur.Page, cur.Pages, cur.Before = cur.Pass, listening.Watermark{}, "", 0, time.Time{}
		if err := s.comments(ctx, &cur, &page); err != nil {
			return listening.Page{}, err
		}
	}
	page.Cursor = channels.EncodeCursor(cur)
	if page.Limits.NextPoll.IsZero() {
		page.Limits = s.limits(time.Time{})
	}
	return page, nil
}

// spent turns an exhausted budget (ours, or Google's quotaExceeded) into a
// page that changes nothing and asks to wait for the reset.
func (s *Source) spent(err error, rawCursor string) (listening.Page, bool) {
	var rl *channels.RateLimitError
	if !errors.Is(err, yt.ErrQuotaBudget) && !(errors.As(err, &rl) && s.Quota().Remaining() == 0) {
		return listening.Page{}, false
	}
	s.log.Info("youtube listening: daily quota spent, waiting for the reset", "err", err)
	return listening.Page{Cursor: rawCursor, Limits: s.limits(s.Quota().ResetAt())}, true
}

func (s *Source) limits(next time.Time) listening.Limits {
	return listening.Limits{Remaining: s.Quota().Remaining(), Reset: s.Quota().ResetAt(), NextPoll: next}
}

// reach fills the subscriber counts of the videos' channels with one
// channels.list call (1 unit, up to 50 channels: one search page). A failure
// costs only the counts, so it is logged, not returned.
func (s *Source) reach(ctx context.Context, ms []listening.Mention) {
	var ids []string
	for _, m := range ms {
		if m.AuthorID != "" && !slices.Contains(ids, m.AuthorID) {
			ids = append(ids, m.AuthorID)
		}
	}
	if len(ids) == 0 {
		return
	}
	res, err := s.api.ListChannels(ctx, strings.Join(ids[:min(len(ids), 50)], ","), "statistics")
	if err != nil {
		s.log.Warn("youtube listening: channel subscriber counts not read", "err", err)
		return
	}
	subs := map[string]int64{}
	for _, c := range res.Items {
		if c.Statistics != nil {
			subs[c.ID], _ = strconv.ParseInt(c.Statistics.SubscriberCount, 10, 64)
		}
	}
	for i := range ms {
		ms[i].Reach = subs[ms[i].AuthorID]
	}
}

// follow puts a found video first in the list of videos whose comments are read.
func (c *cursor) follow(id, title string, limit int) {
	if slices.ContainsFunc(c.Videos, func(w watched) bool { return w.ID == id }) {
		return
	}
	c.Videos = slices.Insert(c.Videos, 0, watched{ID: id, Title: title})
	if len(c.Videos) > limit {
		c.Videos = c.Videos[:limit]
	}
}

// comments reads the newest comment threads of each followed video (1 unit
// each) and adds the comments not seen before. A video that is gone is
// reported deleted and dropped, as is one whose comments are off or closed to
// the key; an exhausted budget stops the round, and the videos not read keep
// their position for the next pass.
func (s *Source) comments(ctx context.Context, cur *cursor, page *listening.Page) error {
	keep := cur.Videos[:0:0]
	for i := 0; i < len(cur.Videos); i++ {
		w := cur.Videos[i]
		res, err := s.api.ListCommentThreads(ctx, yt.ListThreadsParams{VideoID: w.ID, MaxResults: 100}, s.cfg.Reserve)
		var api *channels.APIError
		switch {
		case err == nil:
		case errors.As(err, &api) && api.Code == http.StatusNotFound:
			page.Deleted = append(page.Deleted, w.ID)
			continue
		case errors.As(err, &api) && api.Kind == channels.Forbidden:
			s.log.Info("youtube listening: no comments to read on a video", "video", w.ID, "err", err)
			continue
		default:
			var rl *channels.RateLimitError
			sp, spent := s.spent(err, "")
			switch {
			case spent:
				page.Limits = sp.Limits
			case errors.As(err, &rl):
				// Keep the videos found (a search costs 100 units); the
				// comments not read wait for the next pass.
				page.Limits = s.limits(time.Now().Add(rl.RetryAfter))
			default:
				return fmt.Errorf("youtube comments of video %s: %w", w.ID, err)
			}
			cur.Videos = append(keep, cur.Videos[i:]...)
			return nil
		}
		mark := w.Mark.Clone()
		for _, th := range res.Items {
			if th.Snippet.TopLevelComment == nil {
				continue
			}
			cs := []yt.Comment{*th.Snippet.TopLevelComment}
			if th.Replies != nil {
				cs = append(cs, th.Replies.Comments...)
			}
			for j, c := range cs {
				at := c.Snippet.PublishedAt
				if c.ID == "" || at.IsZero() || w.Mark.Covers(at, c.ID) {
					continue
				}
				page.Mentions = append(page.Mentions, commentMention(w, th, c, j == 0))
				mark.Add(at, c.ID)
			}
		}
		w.Mark = mark
		keep = append(keep, w)
	}
	cur.Videos = keep
	return nil
}

func commentMention(w watched, th yt.CommentThread, c yt.Comment, top bool) listening.Mention {
	sn := c.Snippet
	text := sn.TextOriginal
	if text == "" {
		text = sn.TextDisplay
	}
	m := listening.Mention{
		Source: listening.SourceYouTube, ExternalID: c.ID,
		URL:    "https://www.youtube.com/watch?v=" + w.ID + "&lc=" + c.ID,
		Author: strings.TrimPrefix(sn.AuthorDisplayName, "@"), AuthorURL: sn.AuthorChannelURL,
		Title: w.Title, Text: text, Published: sn.PublishedAt.UTC(),
		Replies: -1, Reactions: sn.LikeCount,
		// Replies go under the top-level comment, as the inbox connector posts them.
		ReplyTo: &listening.ReplyRef{Channel: inbox.ChannelYouTube, ThreadKey: yt.ThreadKey(w.ID, th.ID), InReplyTo: c.ID},
	}
	if top {
		m.Replies = th.Snippet.TotalReplyCount
	}
	if sn.AuthorChannelID != nil {
		m.AuthorID = sn.AuthorChannelID.Value
	}
	return m
}

func channelURL(id string) string {
	if id == "" {
		return ""
	}
	return "https://www.youtube.com/channel/" + id
}
