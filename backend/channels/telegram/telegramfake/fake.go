// Package telegramfake is a local Bot API server for tests. It implements the
// documented shapes of getMe, getUpdates, sendMessage and deleteMessage (field
// names copied from https://core.telegram.org/bots/api), the update queue with
// offset confirmation, error bodies ({"ok":false,"error_code":…}), 429 with
// parameters.retry_after, 401 for a bad token, 409 while a webhook is set,
// and getUpdates long polling: a request with timeout is held until an update
// arrives or the timeout passes, and a getUpdates that arrives while another
// is held terminates the held one with 409 Conflict, as Telegram does (see
// Conflicts). sendMessage with parse_mode "HTML" is parsed as Telegram
// does: unknown or unclosed tags and a bare '<', '>' or '&' are refused
// ("can't parse entities"), and Chat shows what the chat would display.
// It declares its own types on purpose: a client that misnames a field fails
// against it instead of agreeing with itself.
package telegramfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Bot is the fake's getMe answer.
var Bot = map[string]any{"id": 7000001, "is_bot": true, "first_name": "Acme Support", "username": "acme_support_bot"}

// ReplyParameters as sent by a client.
type ReplyParameters struct {
	MessageID                int64 `json:"message_id"`
	ChatID                   int64 `json:"chat_id"`
	AllowSendingWithoutReply bool  `json:"allow_sending_without_reply"`
}

// SentMessage records one sendMessage call.
type SentMessage struct {
	ChatID          int64            `json:"chat_id"`
	MessageThreadID int64            `json:"message_thread_id"`
	Text            string           `json:"text"`
	ReplyParameters *ReplyParameters `json:"reply_parameters"`
	ReplyToID       int64            `json:"reply_to_message_id"` // the pre-7.0 field, recorded to catch its use
	MessageID       int64            `json:"-"`                   // id the fake assigned
	ParseMode       string           `json:"parse_mode"`
	// Shown is the text as the chat shows it: with ParseMode "HTML" the
	// tags removed and the entities decoded, else Text itself.
	Shown string `json:"-"`
}

// Call is one request the fake received.
type Call struct {
	Method string
	Params map[string]json.RawMessage
}

type failure struct {
	status int
	body   string
	header http.Header
	drop   bool // close the connection without answering
}

// ConflictDescription is Telegram's text for a getUpdates ended by another one.
const ConflictDescription = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"

// disconnectGrace is how long a new getUpdates waits for a held one whose
// client has gone: the server notices a closed connection asynchronously, and
// a client that cancelled its poll before sending the next one is not a
// second poller.
const disconnectGrace = 500 * time.Millisecond

// heldPoll is a getUpdates request waiting for updates.
type heldPoll struct {
	client <-chan struct{} // the request's context: done once the client is gone
	kick   chan struct{}   // closed by a newer getUpdates: answer 409
	// contested is set (under Server.mu) once a newer getUpdates arrived: the
	// held request then answers nothing but the 409, even if updates come.
	contested bool
}

type msgKey struct{ chat, msg int64 }

// Server is a fake Bot API.
type Server struct {
	*httptest.Server
	// Now is the fake's clock for message dates and the 48 h delete rule.
	Now func() time.Time

	mu        sync.Mutex
	token     string
	updates   []map[string]json.RawMessage // pending, ascending update_id
	nextID    int64
	nextMsg   int64
	messages  map[msgKey]int64 // known messages -> unix date
	sent      []SentMessage
	deleted   []msgKey
	calls     []Call
	failures  map[string][]failure
	webhook   string
	wake      chan struct{}
	allowedUp []string
	held      *heldPoll
	conflicts int
	closing   chan struct{}
	closeOnce sync.Once
}

// New starts a fake for token.
func New(token string) *Server {
	s := &Server{
		Now:      time.Now,
		token:    token,
		nextID:   100000,
		nextMsg:  5000,
		messages: map[msgKey]int64{},
		failures: map[string][]failure{},
		wake:     make(chan struct{}),
		closing:  make(chan struct{}),
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.handle))
	return s
}

// Close answers held long polls and shuts the server down.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closing) })
	s.Server.Close()
}

// Conflicts returns how many held getUpdates requests were terminated with
// 409 because another getUpdates arrived while their client still waited.
func (s *Server) Conflicts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conflicts
}

// Holding reports whether a getUpdates long poll is waiting right now.
func (s *Server) Holding() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.held != nil
}

// Queue adds updates (a JSON array of Update objects without update_id, as
// in the testdata fixtures); the fake numbers them like Telegram does and
// remembers their messages for replies and deletes. It returns the ids.
func (s *Server) Queue(updatesJSON []byte) ([]int64, error) {
	var list []map[string]json.RawMessage
	if err := json.Unmarshal(updatesJSON, &list); err != nil {
		return nil, fmt.Errorf("telegramfake: queue: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []int64
	for _, u := range list {
		s.nextID++
		u["update_id"] = json.RawMessage(strconv.FormatInt(s.nextID, 10))
		ids = append(ids, s.nextID)
		for _, k := range []string{"message", "edited_message", "channel_post", "edited_channel_post"} {
			var m struct {
				MessageID int64 `json:"message_id"`
				Date      int64 `json:"date"`
				Chat      struct {
					ID int64 `json:"id"`
				} `json:"chat"`
			}
			if raw, ok := u[k]; ok && json.Unmarshal(raw, &m) == nil {
				s.messages[msgKey{m.Chat.ID, m.MessageID}] = m.Date
			}
		}
		s.updates = append(s.updates, u)
	}
	close(s.wake)
	s.wake = make(chan struct{})
	return ids, nil
}

// QueueRaw adds one update body exactly as given (update_id included), for broken updates.
func (s *Server) QueueRaw(update string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.updates = append(s.updates, map[string]json.RawMessage{"": json.RawMessage(update)})
}

// Pending returns how many updates are not yet confirmed.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

// Sent returns the sendMessage calls that succeeded.
func (s *Server) Sent() []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SentMessage(nil), s.sent...)
}

// Chat returns what chat shows of the bot's messages, oldest first: the
// chat-side view of Sent (tags removed, entities decoded).
func (s *Server) Chat(chatID int64) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, m := range s.sent {
		if m.ChatID == chatID {
			out = append(out, m.Shown)
		}
	}
	return out
}

// Deleted returns "chat:message" of deleted messages.
func (s *Server) Deleted() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, k := range s.deleted {
		out = append(out, fmt.Sprintf("%d:%d", k.chat, k.msg))
	}
	return out
}

// Calls returns every request received, failed ones included.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// AddMessage makes a message known (for delete and reply tests) with its date.
func (s *Server) AddMessage(chatID, messageID int64, date time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages[msgKey{chatID, messageID}] = date.Unix()
}

// RevokeToken makes every later call answer 401, as after /revoke in @BotFather.
func (s *Server) RevokeToken() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token = "revoked:" + s.token
}

// SetWebhook makes getUpdates answer 409 Conflict until it is called with "".
func (s *Server) SetWebhook(url string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhook = url
}

// RateLimit makes the next n calls of method answer 429 with retry_after.
func (s *Server) RateLimit(method string, n, retryAfter int) {
	body := fmt.Sprintf(`{"ok":false,"error_code":429,"description":"Too Many Requests: retry after %d","parameters":{"retry_after":%d}}`, retryAfter, retryAfter)
	s.fail(method, n, failure{status: 429, body: body, header: http.Header{"Retry-After": {strconv.Itoa(retryAfter)}}})
}

// DropConnection makes the next n calls of method close the connection
// without an answer, as a network failure does.
func (s *Server) DropConnection(method string, n int) {
	s.fail(method, n, failure{drop: true})
}

// Malformed makes the next n calls of method answer 200 with a cut-off body.
func (s *Server) Malformed(method string, n int) {
	s.fail(method, n, failure{status: 200, body: `{"ok":true,"result":[{"update_id":1,"message":{"message_id":`})
}

// BadGateway makes the next n calls of method answer 502 with an HTML page, as a proxy does.
func (s *Server) BadGateway(method string, n int) {
	s.fail(method, n, failure{status: 502, body: "<html><body><h1>502 Bad Gateway</h1></body></html>", header: http.Header{"Content-Type": {"text/html"}}})
}

func (s *Server) fail(method string, n int, f failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failures[method] = append(s.failures[method], f)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func apiError(w http.ResponseWriter, code int, desc string) {
	writeJSON(w, code, map[string]any{"ok": false, "error_code": code, "description": desc})
}

func ok(w http.ResponseWriter, result any) {
	writeJSON(w, 200, map[string]any{"ok": true, "result": result})
}

// params reads a method's parameters the ways the Bot API accepts them:
// query string, form body or JSON body.
func params(r *http.Request) (map[string]json.RawMessage, error) {
	p := map[string]json.RawMessage{}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		if len(body) > 0 {
			if err := json.Unmarshal(body, &p); err != nil {
				return nil, err
			}
		}
		return p, nil
	}
	if err := r.ParseForm(); err != nil {
		return nil, err
	}
	for k, v := range r.Form {
		val := v[0]
		if json.Valid([]byte(val)) {
			p[k] = json.RawMessage(val)
		} else {
			b, _ := json.Marshal(val)
			p[k] = b
		}
	}
	return p, nil
}

func intParam(p map[string]json.RawMessage, name string) int64 {
	raw, ok := p[name]
	if !ok {
		return 0
	}
	var n int64
	if json.Unmarshal(raw, &n) == nil {
		return n
	}
	var str string
	if json.Unmarshal(raw, &str) == nil {
		n, _ = strconv.ParseInt(str, 10, 64)
	}
	return n
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	// Path: /bot<token>/<method>
	rest, found := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, found2 := strings.Cut(rest, "/")
	if !found || !found2 {
		apiError(w, 404, "Not Found")
		return
	}
	p, err := params(r)
	if err != nil {
		apiError(w, 400, "Bad Request: can't parse JSON object")
		return
	}
	s.mu.Lock()
	s.calls = append(s.calls, Call{Method: method, Params: p})
	if token != s.token {
		s.mu.Unlock()
		apiError(w, 401, "Unauthorized")
		return
	}
	if fs := s.failures[method]; len(fs) > 0 {
		f := fs[0]
		s.failures[method] = fs[1:]
		s.mu.Unlock()
		if f.drop {
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				_ = conn.Close()
			}
			return
		}
		for k, v := range f.header {
			w.Header()[k] = v
		}
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(f.status)
		_, _ = io.WriteString(w, f.body)
		return
	}
	s.mu.Unlock()

	switch method {
	case "getMe":
		ok(w, Bot)
	case "getUpdates":
		s.getUpdates(w, r, p)
	case "sendMessage":
		s.sendMessage(w, p)
	case "deleteMessage":
		s.deleteMessage(w, p)
	default:
		apiError(w, 404, "Not Found: method not found")
	}
}

func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request, p map[string]json.RawMessage) {
	offset, limit, timeout := intParam(p, "offset"), intParam(p, "limit"), intParam(p, "timeout")
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	s.terminateHeld()
	deadline := time.After(time.Duration(timeout) * time.Second)
	var me *heldPoll
	defer func() {
		if me == nil {
			return
		}
		s.mu.Lock()
		if s.held == me {
			s.held = nil
		}
		s.mu.Unlock()
	}()
	for {
		s.mu.Lock()
		if me != nil && me.contested {
			s.mu.Unlock()
			select {
			case <-me.kick:
				apiError(w, 409, ConflictDescription)
			case <-r.Context().Done():
			}
			return
		}
		if s.webhook != "" {
			s.mu.Unlock()
			apiError(w, 409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
			return
		}
		if raw, ok := p["allowed_updates"]; ok {
			s.allowedUp = nil
			_ = json.Unmarshal(raw, &s.allowedUp)
		}
		if offset > 0 {
			// Calling with an offset confirms every update below it: Telegram forgets them.
			kept := s.updates[:0]
			for _, u := range s.updates {
				if updateID(u) >= offset {
					kept = append(kept, u)
				}
			}
			s.updates = kept
		}
		var out []json.RawMessage
		for _, u := range s.updates {
			if int64(len(out)) == limit {
				break
			}
			if raw, isRaw := u[""]; isRaw {
				out = append(out, raw)
				continue
			}
			b, _ := json.Marshal(u)
			out = append(out, b)
		}
		wake := s.wake
		if len(out) > 0 || timeout <= 0 {
			if s.held == me {
				s.held = nil
			}
			s.mu.Unlock()
			if out == nil {
				out = []json.RawMessage{}
			}
			ok(w, out)
			return
		}
		if me == nil {
			me = &heldPoll{client: r.Context().Done(), kick: make(chan struct{})}
			s.held = me
		}
		s.mu.Unlock()
		select {
		case <-wake:
		case <-deadline:
			timeout = 0
		case <-me.kick:
			apiError(w, 409, ConflictDescription)
			return
		case <-s.closing:
			timeout = 0
		case <-r.Context().Done():
			return
		}
	}
}

// terminateHeld ends a held getUpdates before a new one is served: Telegram
// answers the older request 409 and serves the newer. A held request whose
// client is gone, or goes within disconnectGrace, is no conflict.
func (s *Server) terminateHeld() {
	s.mu.Lock()
	h := s.held
	if h != nil {
		h.contested = true
	}
	s.mu.Unlock()
	if h == nil {
		return
	}
	t := time.NewTimer(disconnectGrace)
	defer t.Stop()
	gone := false
	select {
	case <-h.client:
		gone = true
	case <-t.C:
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held == h {
		s.held = nil
	}
	if !gone {
		s.conflicts++
		close(h.kick)
	}
}

func updateID(u map[string]json.RawMessage) int64 {
	raw := u["update_id"]
	if r, isRaw := u[""]; isRaw {
		var v struct {
			UpdateID int64 `json:"update_id"`
		}
		_ = json.Unmarshal(r, &v)
		return v.UpdateID
	}
	n, _ := strconv.ParseInt(string(raw), 10, 64)
	return n
}

// AllowedUpdates returns the allowed_updates of the last getUpdates that sent it.
func (s *Server) AllowedUpdates() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.allowedUp...)
}

func (s *Server) sendMessage(w http.ResponseWriter, p map[string]json.RawMessage) {
	var m SentMessage
	b, _ := json.Marshal(p)
	if err := json.Unmarshal(b, &m); err != nil {
		apiError(w, 400, "Bad Request: can't parse parameters")
		return
	}
	if m.ChatID == 0 {
		apiError(w, 400, "Bad Request: chat not found")
		return
	}
	if strings.TrimSpace(m.Text) == "" {
		apiError(w, 400, "Bad Request: message text is empty")
		return
	}
	m.Shown = m.Text
	switch m.ParseMode {
	case "":
	case "HTML":
		shown, err := parseHTML(m.Text)
		if err != nil {
			apiError(w, 400, "Bad Request: can't parse entities: "+err.Error())
			return
		}
		m.Shown = shown
	default:
		apiError(w, 400, "Bad Request: unsupported parse_mode")
		return
	}
	// The limit counts the text after entities are parsed.
	if len([]rune(m.Shown)) > 4096 {
		apiError(w, 400, "Bad Request: message is too long")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if rp := m.ReplyParameters; rp != nil {
		chat := rp.ChatID
		if chat == 0 {
			chat = m.ChatID
		}
		if _, known := s.messages[msgKey{chat, rp.MessageID}]; !known && !rp.AllowSendingWithoutReply {
			writeJSON(w, 400, map[string]any{"ok": false, "error_code": 400, "description": "Bad Request: message to be replied not found"})
			return
		}
	}
	s.nextMsg++
	m.MessageID = s.nextMsg
	now := s.Now().Unix()
	s.messages[msgKey{m.ChatID, m.MessageID}] = now
	s.sent = append(s.sent, m)
	chatType := "private"
	if m.ChatID < 0 {
		chatType = "supergroup"
	}
	msg := map[string]any{
		"message_id": m.MessageID, "from": Bot, "date": now, "text": m.Text,
		"chat": map[string]any{"id": m.ChatID, "type": chatType},
	}
	if m.ReplyParameters != nil {
		msg["reply_to_message"] = map[string]any{"message_id": m.ReplyParameters.MessageID, "date": now, "chat": map[string]any{"id": m.ChatID, "type": chatType}}
	}
	ok(w, msg)
}

func (s *Server) deleteMessage(w http.ResponseWriter, p map[string]json.RawMessage) {
	k := msgKey{intParam(p, "chat_id"), intParam(p, "message_id")}
	s.mu.Lock()
	defer s.mu.Unlock()
	date, known := s.messages[k]
	if !known {
		apiError(w, 400, "Bad Request: message to delete not found")
		return
	}
	if s.Now().Sub(time.Unix(date, 0)) >= 48*time.Hour {
		apiError(w, 400, "Bad Request: message can't be deleted")
		return
	}
	delete(s.messages, k)
	s.deleted = append(s.deleted, k)
	ok(w, true)
}
