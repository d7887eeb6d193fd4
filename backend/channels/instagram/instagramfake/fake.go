// Package instagramfake is a local stand-in for the Instagram Graph API (with
// Facebook Login) of one professional account linked to a Page, for tests of
// the real client: the Page's instagram_business_account, /{ig-user}/media
// with comments_count, /{media}/comments listing top-level comments with
// their replies and cursor paging, /{comment}/replies (one level: a reply to
// a reply joins its top-level comment), hide and DELETE on comments, the
// User Profile API (is_user_follow_business) and direct messages through
// graphfake's Conversations and Send APIs (platform=instagram) with their
// windows. Token expiry and revocation, permissions, throttling and usage
// headers come from graphfake.Base.
package instagramfake

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels/graph/graphfake"
)

// Server is the fake.
type Server struct {
	*graphfake.Base
	PageID   string
	IGID     string
	Username string
	DMs      *graphfake.Inbox
	media    *graphfake.Objects
}

// Comment is a comment the fake holds; ObjectID is its media, From the username.
type Comment = graphfake.Comment

const timeLayout = "2006-01-02T15:04:05-0700"

// New starts a fake account igID (@username) linked to pageID, whose Page
// token pageToken comes from userToken, which has every permission needed.
func New(pageID, igID, username, userToken, pageToken string) *Server {
	s := &Server{Base: graphfake.New(), PageID: pageID, IGID: igID, Username: username}
	s.media = s.NewObjects(func(n int) string { return fmt.Sprint(17900000 + n) },
		func(_ *graphfake.Object, n int) string { return fmt.Sprint(18000000 + n) })
	s.AddToken(userToken, graphfake.Token{User: "admin", Perms: []string{"instagram_basic", "instagram_manage_comments",
		"instagram_manage_messages", "pages_show_list", "pages_read_engagement"}})
	s.Base.PageToken(userToken, pageToken, pageID)
	s.Handle(s.ServeAccount(map[string][2]string{pageID: {username + " Page", pageToken}}))
	s.Handle(s.serve)
	s.DMs = s.NewInbox("instagram", pageID, graphfake.Person{ID: igID, Username: username}, "instagram_manage_messages")
	return s
}

// AddMedia adds a post and returns its id.
func (s *Server) AddMedia(caption string, at time.Time) string { return s.media.Add(caption, at) }

// AddComment adds a comment (parentID "" for a top-level one) and returns its id.
func (s *Server) AddComment(mediaID, parentID, fromID, username, text string, at time.Time) string {
	return s.media.AddComment(mediaID, parentID, fromID, username, text, at)
}

// Comment returns a comment by id.
func (s *Server) Comment(id string) (Comment, bool) { return s.media.Comment(id) }

func (s *Server) serve(q *graphfake.Request) bool {
	s.Lock()
	m, c := s.media.FindLocked(q.ID)
	s.Unlock()
	switch {
	case q.ID == s.PageID && q.Edge == "" && q.R.Method == http.MethodGet:
		if !q.Require("instagram_basic") {
			return true
		}
		q.Write(map[string]any{"id": s.PageID, "instagram_business_account": map[string]string{"id": s.IGID, "username": s.Username}})
	case q.ID == s.IGID && q.Edge == "media" && q.R.Method == http.MethodGet:
		if !q.RequirePage(s.PageID) || !q.Require("instagram_basic") {
			return true
		}
		s.listMedia(q)
	case m != nil && q.Edge == "comments" && q.R.Method == http.MethodGet:
		if !q.RequirePage(s.PageID) || !q.Require("instagram_manage_comments") {
			return true
		}
		s.comments(q, m)
	case c != nil && q.Edge == "replies" && q.R.Method == http.MethodPost:
		if !q.RequirePage(s.PageID) || !q.Require("instagram_manage_comments") {
			return true
		}
		if q.Param("message") == "" {
			q.Error(400, 100, 0, "(#100) The parameter message is required")
			return true
		}
		s.Lock()
		id := s.media.AddCommentLocked(c.ObjectID, c.ID, s.IGID, s.Username, q.Param("message"), s.Now())
		s.Unlock()
		q.Write(map[string]string{"id": id})
	case c != nil && q.ModerateComment(s.PageID, "instagram_manage_comments", "hide", c.FromID == s.IGID, &c.Hidden, &c.Deleted):
		// served
	default:
		return false
	}
	return true
}

func (s *Server) listMedia(q *graphfake.Request) {
	type row struct {
		ID            string `json:"id"`
		Caption       string `json:"caption"`
		Timestamp     string `json:"timestamp"`
		CommentsCount int    `json:"comments_count"`
	}
	s.Lock()
	var rows []row
	list := s.media.ListLocked()
	for i := len(list) - 1; i >= 0; i-- { // newest first
		m := list[i]
		n := 0
		for _, c := range m.Comments {
			if !c.Deleted {
				n++
			}
		}
		rows = append(rows, row{ID: m.ID, Caption: m.Text, Timestamp: m.At.Format(timeLayout), CommentsCount: n})
	}
	s.Unlock()
	graphfake.WritePage(q, rows)
}

type commentJSON struct {
	ID        string            `json:"id"`
	Text      string            `json:"text"`
	Timestamp string            `json:"timestamp"`
	Username  string            `json:"username"`
	From      map[string]string `json:"from"`
	Hidden    bool              `json:"hidden"`
	Replies   *struct {
		Data []commentJSON `json:"data"`
	} `json:"replies,omitempty"`
}

func (s *Server) comments(q *graphfake.Request, m *graphfake.Object) {
	s.Lock()
	conv := func(c *Comment) commentJSON {
		return commentJSON{ID: c.ID, Text: c.Text, Timestamp: c.At.Format(timeLayout), Username: c.From,
			From: map[string]string{"id": c.FromID, "username": c.From}, Hidden: c.Hidden}
	}
	var rows []commentJSON
	for _, c := range m.Comments {
		if c.Deleted || c.ParentID != "" {
			continue // the edge lists top-level comments only
		}
		r := conv(c)
		r.Replies = &struct {
			Data []commentJSON `json:"data"`
		}{Data: []commentJSON{}}
		for _, x := range m.Comments {
			if x.ParentID == c.ID && !x.Deleted {
				r.Replies.Data = append(r.Replies.Data, conv(x))
			}
		}
		rows = append(rows, r)
	}
	s.Unlock()
	slices.Reverse(rows) // newest first
	graphfake.WritePage(q, rows)
}
