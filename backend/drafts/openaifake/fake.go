// Package openaifake is an in-process OpenAI API server for tests. It follows
// the documented shapes of POST /v1/chat/completions (JSON and SSE streaming
// with a final "data: [DONE]", usage incl. stream_options.include_usage, tool
// calls), GET /v1/models and the error body {"error":{"message","type",
// "param","code"}} for 401/429 (with Retry-After)/500/503. Tests script one
// Reply per request and inspect the recorded requests.
//
// Unscripted sentiment-classification requests (system prompt naming the task
// "stormdesk-classify-sentiment-v1") are answered like a small model would:
// deterministic labels from keywords (see ClassifyText); script a Reply to
// make the answer malformed, rate-limited or failing instead.
package openaifake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Error is an OpenAI error object.
type Error struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    any     `json:"code"`
}

// ToolCall is a function call the assistant asks for.
type ToolCall struct {
	ID        string
	Name      string
	Arguments string // JSON text
}

// Reply scripts the answer to one chat-completion request.
type Reply struct {
	Status     int    // HTTP status; 0 = 200
	Error      *Error // error body for Status >= 400; a default per status when nil
	RetryAfter string // Retry-After header value, e.g. "2"

	Content      string
	Chunks       []string // streaming deltas; default: Content split after spaces
	FinishReason string   // default "stop" ("tool_calls" when ToolCalls are set)
	NoFinish     bool     // stream: never send a finish_reason
	NoDone       bool     // stream: close without "data: [DONE]"
	ToolCalls    []ToolCall
	Model        string // default: the requested model

	// StreamError is sent as a `data: {"error":...}` event after
	// StreamErrorAfter content chunks, then the connection is closed.
	StreamError      *Error
	StreamErrorAfter int

	Delay      time.Duration // before the status line; honours client cancellation
	ChunkDelay time.Duration // between stream chunks; honours client cancellation
}

// Message is a chat message as received.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// ChatRequest is the part of a chat-completion request the fake reads.
type ChatRequest struct {
	Model         string    `json:"model"`
	Messages      []Message `json:"messages"`
	Stream        bool      `json:"stream"`
	StreamOptions *struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
	MaxTokens   int     `json:"max_tokens"`
	Temperature float64 `json:"temperature"`
}

// Request is one recorded request.
type Request struct {
	Method, Path  string
	Authorization string
	Body          []byte
	Chat          *ChatRequest // parsed body of chat-completion requests
}

// Server is the fake. Create it with New.
type Server struct {
	*httptest.Server
	// APIKey, when set, must be sent as "Authorization: Bearer <key>".
	APIKey string
	// Models is the GET /v1/models answer.
	Models []string

	mu        sync.Mutex
	queue     []Reply
	def       Reply
	requests  []Request
	cancelled int
}

// New starts a fake that answers "Hello." when nothing is scripted and
// closes it when the test ends.
func New(t testing.TB) *Server {
	s := &Server{Models: []string{"gpt-4o-mini"}, def: Reply{Content: "Hello."}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", s.chat)
	mux.HandleFunc("GET /v1/models", s.models)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, &Error{Message: "Invalid URL (" + r.Method + " " + r.URL.Path + ")", Type: "invalid_request_error"})
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// BaseURL is the URL to configure clients with (ends in /v1).
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// Enqueue scripts the answers to the next requests, in order.
func (s *Server) Enqueue(r ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, r...)
}

// SetDefault sets the answer used when the queue is empty.
func (s *Server) SetDefault(r Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.def = r
}

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Cancelled counts requests the client abandoned while the fake was waiting.
func (s *Server) Cancelled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cancelled
}

func (s *Server) record(r *http.Request, body []byte, chat *ChatRequest) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Authorization: r.Header.Get("Authorization"), Body: body, Chat: chat})
}

// nextScripted returns the next queued reply, or the default and false.
func (s *Server) nextScripted() (Reply, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.queue) == 0 {
		return s.def, false
	}
	r := s.queue[0]
	s.queue = s.queue[1:]
	return r, true
}

func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	if s.APIKey == "" || r.Header.Get("Authorization") == "Bearer "+s.APIKey {
		return true
	}
	writeError(w, http.StatusUnauthorized, nil)
	return false
}

func (s *Server) models(w http.ResponseWriter, r *http.Request) {
	s.record(r, nil, nil)
	if !s.authorized(w, r) {
		return
	}
	type model struct {
		ID      string `json:"id"`
		Object  string `json:"object"`
		Created int64  `json:"created"`
		OwnedBy string `json:"owned_by"`
	}
	list := struct {
		Object string  `json:"object"`
		Data   []model `json:"data"`
	}{Object: "list", Data: []model{}}
	for _, id := range s.Models {
		list.Data = append(list.Data, model{ID: id, Object: "model", Created: 1700000000, OwnedBy: "system"})
	}
	writeJSON(w, http.StatusOK, list)
}

func (s *Server) wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		s.mu.Lock()
		s.cancelled++
		s.mu.Unlock()
		return false
	}
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, http.StatusBadRequest, &Error{Message: "could not read body", Type: "invalid_request_error"})
		return
	}
	var req ChatRequest
	if err := json.Unmarshal(body, &req); err != nil {
		s.record(r, body, nil)
		writeError(w, http.StatusBadRequest, &Error{Message: "We could not parse the JSON body of your request.", Type: "invalid_request_error"})
		return
	}
	s.record(r, body, &req)
	if !s.authorized(w, r) {
		return
	}
	if req.Model == "" || len(req.Messages) == 0 {
		p := "model"
		if req.Model != "" {
			p = "messages"
		}
		writeError(w, http.StatusBadRequest, &Error{Message: "you must provide a " + p + " parameter", Type: "invalid_request_error", Param: &p})
		return
	}
	rep, scripted := s.nextScripted()
	if !scripted {
		if content, ok := classifyAnswer(req.Messages); ok {
			rep = Reply{Content: content}
		}
	}
	if !s.wait(r, rep.Delay) {
		return
	}
	if rep.Status >= 400 {
		if rep.RetryAfter != "" {
			w.Header().Set("Retry-After", rep.RetryAfter)
		}
		writeError(w, rep.Status, rep.Error)
		return
	}
	model := rep.Model
	if model == "" {
		model = req.Model
	}
	finish := rep.FinishReason
	if finish == "" {
		finish = "stop"
		if len(rep.ToolCalls) > 0 {
			finish = "tool_calls"
		}
	}
	usage := map[string]int{"prompt_tokens": countTokens(req.Messages), "completion_tokens": len(strings.Fields(rep.Content))}
	usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
	if !req.Stream {
		msg := map[string]any{"role": "assistant", "content": rep.Content, "refusal": nil}
		if len(rep.ToolCalls) > 0 {
			msg["tool_calls"] = toolCalls(rep.ToolCalls, false)
			if rep.Content == "" {
				msg["content"] = nil
			}
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"id": "chatcmpl-fake", "object": "chat.completion", "created": time.Now().Unix(), "model": model,
			"system_fingerprint": "fp_fake",
			"choices":            []any{map[string]any{"index": 0, "message": msg, "logprobs": nil, "finish_reason": finish}},
			"usage":              usage,
		})
		return
	}
	s.stream(w, r, req, rep, model, finish, usage)
}

func (s *Server) stream(w http.ResponseWriter, r *http.Request, req ChatRequest, rep Reply, model, finish string, usage map[string]int) {
	flusher, _ := w.(http.Flusher)
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	includeUsage := req.StreamOptions != nil && req.StreamOptions.IncludeUsage
	created := time.Now().Unix()
	send := func(v any) {
		b, _ := json.Marshal(v)
		fmt.Fprintf(w, "data: %s\n\n", b)
		if flusher != nil {
			flusher.Flush()
		}
	}
	chunk := func(delta map[string]any, finish any) map[string]any {
		c := map[string]any{
			"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": created, "model": model,
			"system_fingerprint": "fp_fake",
			"choices":            []any{map[string]any{"index": 0, "delta": delta, "logprobs": nil, "finish_reason": finish}},
		}
		if includeUsage {
			c["usage"] = nil
		}
		return c
	}
	send(chunk(map[string]any{"role": "assistant", "content": ""}, nil))
	parts := rep.Chunks
	if parts == nil {
		parts = splitKeep(rep.Content)
	}
	for i, p := range parts {
		if rep.StreamError != nil && i == rep.StreamErrorAfter {
			send(map[string]any{"error": rep.StreamError})
			return
		}
		if i > 0 && !s.wait(r, rep.ChunkDelay) {
			return
		}
		send(chunk(map[string]any{"content": p}, nil))
	}
	if rep.StreamError != nil {
		send(map[string]any{"error": rep.StreamError})
		return
	}
	if len(rep.ToolCalls) > 0 {
		send(chunk(map[string]any{"tool_calls": toolCalls(rep.ToolCalls, true)}, nil))
	}
	if !rep.NoFinish {
		send(chunk(map[string]any{}, finish))
	}
	if includeUsage {
		send(map[string]any{
			"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": created, "model": model,
			"system_fingerprint": "fp_fake", "choices": []any{}, "usage": usage,
		})
	}
	if !rep.NoDone {
		fmt.Fprint(w, "data: [DONE]\n\n")
	}
}

func toolCalls(calls []ToolCall, stream bool) []any {
	var out []any
	for i, c := range calls {
		tc := map[string]any{"id": c.ID, "type": "function", "function": map[string]any{"name": c.Name, "arguments": c.Arguments}}
		if stream {
			tc["index"] = i
		}
		out = append(out, tc)
	}
	return out
}

// splitKeep splits s into word-sized deltas that concatenate back to s.
func splitKeep(s string) []string {
	var out []string
	for s != "" {
		i := strings.IndexByte(s, ' ')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

func countTokens(msgs []Message) int {
	n := 0
	for _, m := range msgs {
		n += len(strings.Fields(m.Content)) + 4
	}
	return n
}

// defaultErrors are the bodies OpenAI documents for common statuses.
var defaultErrors = map[int]Error{
	http.StatusUnauthorized:        {Message: "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.", Type: "invalid_request_error", Code: "invalid_api_key"},
	http.StatusTooManyRequests:     {Message: "Rate limit reached for requests. Please try again later.", Type: "requests", Code: "rate_limit_exceeded"},
	http.StatusInternalServerError: {Message: "The server had an error while processing your request. Sorry about that!", Type: "server_error"},
	http.StatusServiceUnavailable:  {Message: "The engine is currently overloaded, please try again later.", Type: "server_error"},
}

func writeError(w http.ResponseWriter, status int, e *Error) {
	if e == nil {
		d, ok := defaultErrors[status]
		if !ok {
			d = Error{Message: http.StatusText(status), Type: "server_error"}
		}
		e = &d
	}
	writeJSON(w, status, map[string]any{"error": e})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
