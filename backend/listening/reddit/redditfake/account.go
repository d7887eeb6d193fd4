package redditfake

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stormdesk/stormdesk/backend/listening/webapi/apifake"
)

// Message is one inbox entry or one of the account's own comments and
// messages: a t1 comment (a reply to the account, or a mention of it) or a
// t4 private message.
type Message struct {
	Kind    string // "t1" or "t4"
	ID      string // base36, without the prefix
	Author  string
	Body    string
	Created time.Time
	// Type is the inbox type of a t1: "comment_reply", "post_reply" or
	// "username_mention".
	Type     string
	LinkID   string // t1: the post, t3_…
	ParentID string // t1: t1_… or t3_…; t4: the message answered, "" for a first one
	// FirstMessage is a t4 reply's thread start, t4_…; "" for a first one.
	FirstMessage string
	Subject      string
	Subreddit    string
}

// Name is the message's fullname.
func (m Message) Name() string { return m.Kind + "_" + m.ID }

// SetAccount makes the password grant accept user and password.
func (s *Server) SetAccount(user, password string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.user, s.pass = user, password
}

// Deliver puts messages into the account's inbox.
func (s *Server) Deliver(ms ...Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inbox = append(s.inbox, ms...)
	slices.SortStableFunc(s.inbox, func(a, b Message) int { return a.Created.Compare(b.Created) })
}

// DeleteMessage removes the inbox entry with fullname name, as the account
// deleting a message does.
func (s *Server) DeleteMessage(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inbox = slices.DeleteFunc(s.inbox, func(m Message) bool { return m.Name() == name })
}

// Own returns the account's comments and sent messages, oldest first.
func (s *Server) Own() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.own)
}

// LoseAnswers makes the next n comments be made and then answered 502.
func (s *Server) LoseAnswers(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lose += n
}

// RateLimitComment makes the next comment be refused with Reddit's
// RATELIMIT error and msg ("you are doing that too much. try again in 5 minutes.").
func (s *Server) RateLimitComment(msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limited = append(s.limited, msg)
}

func (s *Server) account(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	user, ok := s.authorize(w, r)
	if !ok {
		return
	}
	if user == "" {
		apifake.WriteJSON(w, 403, map[string]any{"message": "Forbidden", "error": 403})
		return
	}
	q := r.URL.Query()
	switch p := r.URL.Path; {
	case p == "/api/v1/me":
		apifake.WriteJSON(w, 200, map[string]any{"name": user, "id": strings.ToLower(user)})
	case p == "/message/inbox":
		s.listing(w, q, s.inbox)
	case p == "/message/sent":
		s.listing(w, q, slices.DeleteFunc(slices.Clone(s.own), func(m Message) bool { return m.Kind != "t4" }))
	case p == "/user/"+user+"/comments":
		s.listing(w, q, slices.DeleteFunc(slices.Clone(s.own), func(m Message) bool { return m.Kind != "t1" }))
	case p == "/api/comment" && r.Method == http.MethodPost:
		_ = r.ParseForm()
		s.comment(w, r.PostForm, user)
	default:
		apifake.WriteJSON(w, 404, map[string]any{"message": "Not Found", "error": 404})
	}
}

// listing answers ms (ascending) as a Listing newest first: before= lists
// the limit entries just newer than that fullname, after= those just older.
func (s *Server) listing(w http.ResponseWriter, q url.Values, ms []Message) {
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 {
		limit = 25
	}
	limit = min(limit, 100)
	at := func(name string) int { return slices.IndexFunc(ms, func(m Message) bool { return m.Name() == name }) }
	lo, hi := max(0, len(ms)-limit), len(ms) // ascending index range [lo, hi)
	switch {
	case q.Get("before") != "":
		i := at(q.Get("before"))
		if i < 0 { // Reddit lists nothing before a fullname it does not find
			lo, hi = 0, 0
		} else {
			lo, hi = i+1, min(len(ms), i+1+limit)
		}
	case q.Get("after") != "":
		i := at(q.Get("after"))
		if i < 0 {
			i = 0
		}
		lo, hi = max(0, i-limit), i
	}
	children := []thing{}
	for i := hi - 1; i >= lo; i-- {
		children = append(children, thing{Kind: ms[i].Kind, Data: s.messageData(ms[i])})
	}
	var before, after any
	if hi < len(ms) && hi > lo {
		before = ms[hi-1].Name()
	}
	if lo > 0 && hi > lo {
		after = ms[lo].Name()
	}
	apifake.WriteJSON(w, 200, thing{Kind: "Listing", Data: map[string]any{"after": after, "before": before, "dist": len(children), "modhash": "", "children": children}})
}

func (s *Server) messageData(m Message) map[string]any {
	d := map[string]any{
		"id": m.ID, "name": m.Name(), "author": m.Author, "author_fullname": "t2_" + strings.ToLower(m.Author), "body": m.Body,
		"created_utc": float64(m.Created.Unix()), "subject": m.Subject, "new": true, "dest": s.user,
		"was_comment": m.Kind == "t1", "first_message_name": nil, "parent_id": nil, "subreddit": nil,
	}
	if m.ParentID != "" {
		d["parent_id"] = m.ParentID
	}
	if m.Kind == "t1" {
		// Inbox comments name their post only in context, not as link_id.
		d["context"] = fmt.Sprintf("/r/%s/comments/%s/slug/%s/?context=3", m.Subreddit, strings.TrimPrefix(m.LinkID, "t3_"), m.ID)
		d["subreddit"], d["type"], d["link_title"] = m.Subreddit, m.Type, "A post"
		if m.Subject == "" {
			d["subject"] = strings.ReplaceAll(m.Type, "_", " ")
		}
	} else if m.FirstMessage != "" {
		d["first_message_name"] = m.FirstMessage
	}
	return d
}

func (s *Server) comment(w http.ResponseWriter, f url.Values, user string) {
	fail := func(code, msg, field string) {
		apifake.WriteJSON(w, 200, map[string]any{"json": map[string]any{"errors": [][]string{{code, msg, field}}}})
	}
	if len(s.limited) > 0 {
		msg := s.limited[0]
		s.limited = s.limited[1:]
		fail("RATELIMIT", msg, "ratelimit")
		return
	}
	parent, text := f.Get("thing_id"), f.Get("text")
	switch {
	case f.Get("api_type") != "json":
		apifake.WriteJSON(w, 200, map[string]any{"jquery": []any{}, "success": false})
		return
	case strings.TrimSpace(text) == "":
		fail("NO_TEXT", "we need something here", "text")
		return
	case utf8.RuneCountInString(text) > 10000:
		fail("TOO_LONG", "this is too long (max: 10000)", "text")
		return
	}
	m := Message{ID: strconv.FormatInt(int64(9_000_000+len(s.own)), 36), Author: user, Body: text, Created: s.Now(), ParentID: parent}
	found := false
	for _, x := range slices.Concat(s.inbox, s.own) {
		if x.Name() == parent {
			found = true
			m.Kind, m.LinkID, m.Subreddit, m.FirstMessage, m.Subject = x.Kind, x.LinkID, x.Subreddit, x.FirstMessage, "re: "+x.Subject
			if x.Kind == "t4" && x.FirstMessage == "" {
				m.FirstMessage = x.Name()
			}
		}
	}
	for _, p := range s.posts {
		if "t3_"+p.ID == parent && p.RemovedBy == "" {
			found = true
			m.Kind, m.LinkID, m.Subreddit = "t1", parent, p.Subreddit
		}
	}
	if !found {
		fail("DELETED_COMMENT", "that comment is deleted", "parent")
		return
	}
	s.own = append(s.own, m)
	if s.lose > 0 {
		s.lose--
		apifake.WriteJSON(w, 502, map[string]any{"message": "Bad Gateway", "error": 502})
		return
	}
	apifake.WriteJSON(w, 200, map[string]any{"json": map[string]any{"errors": []any{}, "data": map[string]any{
		"things": []thing{{Kind: m.Kind, Data: s.messageData(m)}}}}})
}
