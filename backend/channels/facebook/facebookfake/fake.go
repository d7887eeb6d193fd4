// Package facebookfake is a local stand-in for the Graph API of one Facebook
// Page, for tests of the real client: /me/accounts and /me/permissions of a
// user token, the Page feed (updated_time moves with each comment),
// /{post}/comments with order=reverse_chronological, filter=stream and cursor
// paging, commenting on a post or a comment (one level of nesting, as Meta
// flattens deeper replies), is_hidden and DELETE on comments, and Messenger
// through graphfake's Conversations and Send APIs with their windows. Token
// expiry and revocation, permissions, throttling and usage headers come from
// graphfake.Base.
package facebookfake

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
	PageID    string
	PageName  string
	Messenger *graphfake.Inbox
	posts     *graphfake.Objects
}

// Comment is a comment the fake holds; ObjectID is its post.
type Comment = graphfake.Comment

// New starts a fake Page whose Page token pageToken is derived from userToken,
// which has every permission the connector needs.
func New(pageID, pageName, userToken, pageToken string) *Server {
	s := &Server{Base: graphfake.New(), PageID: pageID, PageName: pageName}
	s.posts = s.NewObjects(func(n int) string { return fmt.Sprintf("%s_%d", pageID, 5000+n) },
		func(p *graphfake.Object, n int) string { return fmt.Sprintf("%s_%d", p.ID[len(pageID)+1:], 9000+n) })
	s.AddToken(userToken, graphfake.Token{User: "admin", Perms: []string{"pages_show_list", "pages_read_engagement",
		"pages_read_user_content", "pages_manage_engagement", "pages_messaging"}})
	s.Base.PageToken(userToken, pageToken, pageID)
	s.Handle(s.ServeAccount(map[string][2]string{pageID: {pageName, pageToken}}))
	s.Handle(s.serve)
	s.Messenger = s.NewInbox("messenger", pageID, graphfake.Person{ID: pageID, Name: pageName}, "pages_messaging")
	return s
}

// AddPost adds a Page post and returns its id ("<page>_<n>").
func (s *Server) AddPost(message string, at time.Time) string { return s.posts.Add(message, at) }

// AddComment adds a comment by someone (parentID "" for a top-level
// comment) and returns its id.
func (s *Server) AddComment(postID, parentID, fromID, fromName, message string, at time.Time) string {
	return s.posts.AddComment(postID, parentID, fromID, fromName, message, at)
}

// Comment returns a comment by id.
func (s *Server) Comment(id string) (Comment, bool) { return s.posts.Comment(id) }

type from struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type commentJSON struct {
	ID          string            `json:"id"`
	Message     string            `json:"message"`
	CreatedTime string            `json:"created_time"`
	From        *from             `json:"from,omitempty"`
	Parent      map[string]string `json:"parent,omitempty"`
	IsHidden    bool              `json:"is_hidden"`
}

func (s *Server) serve(q *graphfake.Request) bool {
	s.Lock()
	p, c := s.posts.FindLocked(q.ID)
	s.Unlock()
	switch {
	case q.ID == s.PageID && q.Edge == "feed" && q.R.Method == http.MethodGet:
		if !q.RequirePage(s.PageID) || !q.Require("pages_read_engagement") {
			return true
		}
		s.feed(q)
	case p != nil && q.Edge == "comments" && q.R.Method == http.MethodGet:
		if !q.RequirePage(s.PageID) || !q.Require("pages_read_engagement") {
			return true
		}
		s.comments(q, p)
	case (p != nil || c != nil) && q.Edge == "comments" && q.R.Method == http.MethodPost:
		if !q.RequirePage(s.PageID) || !q.Require("pages_manage_engagement") {
			return true
		}
		msg := q.Param("message")
		if msg == "" {
			q.Error(400, 100, 0, "(#100) Missing message or attachment")
			return true
		}
		s.Lock()
		var id string
		if p != nil {
			id = s.posts.AddCommentLocked(p.ID, "", s.PageID, s.PageName, msg, s.Now())
		} else {
			id = s.posts.AddCommentLocked(c.ObjectID, c.ID, s.PageID, s.PageName, msg, s.Now())
		}
		s.Unlock()
		q.Write(map[string]string{"id": id})
	case c != nil && q.ModerateComment(s.PageID, "pages_manage_engagement", "is_hidden", c.FromID == s.PageID, &c.Hidden, &c.Deleted):
		// served
	default:
		return false
	}
	return true
}

func (s *Server) feed(q *graphfake.Request) {
	type postJSON struct {
		ID          string `json:"id"`
		Message     string `json:"message"`
		CreatedTime string `json:"created_time"`
		UpdatedTime string `json:"updated_time"`
	}
	s.Lock()
	var rows []postJSON
	for _, p := range s.posts.ListLocked() {
		up := p.At
		for _, c := range p.Comments {
			if !c.Deleted && c.At.After(up) {
				up = c.At
			}
		}
		rows = append(rows, postJSON{ID: p.ID, Message: p.Text, CreatedTime: p.At.Format(graphfakeTime), UpdatedTime: up.Format(graphfakeTime)})
	}
	s.Unlock()
	// The feed lists posts newest first by creation.
	slices.Reverse(rows)
	graphfake.WritePage(q, rows)
}

const graphfakeTime = "2006-01-02T15:04:05-0700"

func (s *Server) comments(q *graphfake.Request, p *graphfake.Object) {
	authors := q.Has("pages_read_user_content")
	s.Lock()
	var rows []commentJSON
	for _, c := range p.Comments {
		if c.Deleted || (c.ParentID != "" && q.Param("filter") != "stream") {
			continue // without filter=stream only top-level comments are listed
		}
		r := commentJSON{ID: c.ID, Message: c.Text, CreatedTime: c.At.Format(graphfakeTime), IsHidden: c.Hidden}
		if c.FromID != "" && (authors || c.FromID == s.PageID) {
			r.From = &from{c.FromID, c.From}
		}
		if c.ParentID != "" {
			r.Parent = map[string]string{"id": c.ParentID}
		}
		rows = append(rows, r)
	}
	s.Unlock()
	if q.Param("order") == "reverse_chronological" {
		slices.Reverse(rows)
	}
	graphfake.WritePage(q, rows)
}
