package drafts

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/stormdesk/stormdesk/backend/channels"
)

// Providers. Every OpenAI-compatible server (Ollama, llama.cpp, vLLM,
// LM Studio) uses ProviderOpenAI with its own base URL.
const (
	ProviderOpenAI = "openai"
	ProviderAzure  = "azure"
)

// Settings configure the LLM client. APIKey comes from the OS keyring and is
// never stored with the other settings nor logged.
type Settings struct {
	Provider    string        `json:"provider"`   // ProviderOpenAI (default) or ProviderAzure
	BaseURL     string        `json:"baseUrl"`    // e.g. https://api.openai.com/v1, http://localhost:11434/v1
	Model       string        `json:"model"`      // model name; the deployment name on Azure
	APIKey      string        `json:"-"`          // empty for local servers that need none
	APIVersion  string        `json:"apiVersion"` // Azure only; default go-openai's
	Timeout     time.Duration `json:"timeout"`    // per attempt; default 120s (see docs/drafting.md)
	Temperature float32       `json:"temperature"`
	MaxTokens   int           `json:"maxTokens"` // 0 = server default
	// NoStreamUsage stops asking for stream_options.include_usage, for old
	// servers that reject the field.
	NoStreamUsage bool        `json:"noStreamUsage"`
	Retry         RetryPolicy `json:"retry"`
	// Classify switches the optional LLM sentiment pass (classify.go).
	Classify ClassifySettings `json:"classify"`
}

// Configured reports whether an LLM is set up; without one the app drafts
// with the offline templates.
func (s Settings) Configured() bool {
	return strings.TrimSpace(s.BaseURL) != "" && strings.TrimSpace(s.Model) != ""
}

// Errors callers can test with errors.Is.
var (
	ErrNotConfigured = errors.New("no LLM configured (base URL and model are required)")
	ErrAuth          = errors.New("LLM server rejected the credentials")
	ErrRateLimited   = errors.New("LLM server rate limit")
	ErrUnavailable   = errors.New("LLM server unavailable")
)

// APIError is an error answer of the LLM server after retries ran out.
type APIError struct {
	Status     int           // HTTP status; 0 for an error event inside a stream
	Type       string        // OpenAI error type, e.g. "invalid_request_error"
	Code       string        // OpenAI error code, e.g. "invalid_api_key"
	Message    string        // the server's text
	RetryAfter time.Duration // the server's last Retry-After, 0 if none
	Attempts   int
}

func (e *APIError) Error() string {
	var b strings.Builder
	switch {
	case e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden:
		fmt.Fprintf(&b, "LLM server rejected the API key (HTTP %d) - check the key and base URL in Settings", e.Status)
	case e.Status == http.StatusTooManyRequests:
		fmt.Fprintf(&b, "LLM server rate limit (HTTP 429) after %d attempt(s)", e.Attempts)
		if e.RetryAfter > 0 {
			fmt.Fprintf(&b, ", retry after %s", e.RetryAfter)
		}
	case e.Status >= 500:
		fmt.Fprintf(&b, "LLM server error (HTTP %d) after %d attempt(s)", e.Status, e.Attempts)
	case e.Status == 0:
		b.WriteString("LLM server reported an error mid-stream")
	default:
		fmt.Fprintf(&b, "LLM server error (HTTP %d)", e.Status)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, " [%s]", e.Code)
	}
	return b.String()
}

// Is maps statuses to the package's sentinel errors.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrAuth:
		return e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden
	case ErrRateLimited:
		return e.Status == http.StatusTooManyRequests
	case ErrUnavailable:
		return e.Status >= 500
	}
	return false
}

// Client drafts replies with an OpenAI-compatible chat-completions server.
// It implements Drafter.
type Client struct {
	api      *openai.Client
	settings Settings
	log      *slog.Logger
	now      func() time.Time
	checker  *Checker
}

// Option customises a Client.
type Option func(*clientOptions)

type clientOptions struct {
	base  http.RoundTripper
	sleep SleepFunc
	log   *slog.Logger
	now   func() time.Time
}

// WithTransport sets the HTTP transport under the retry layer.
func WithTransport(rt http.RoundTripper) Option { return func(o *clientOptions) { o.base = rt } }

// WithSleep replaces the wait between retries (tests record the waits).
func WithSleep(s SleepFunc) Option { return func(o *clientOptions) { o.sleep = s } }

// WithLogger sets the logger; request bodies and keys are never logged.
func WithLogger(l *slog.Logger) Option { return func(o *clientOptions) { o.log = l } }

// WithClock sets the time source for Draft.CreatedAt.
func WithClock(now func() time.Time) Option { return func(o *clientOptions) { o.now = now } }

// NewClient returns a client for s.
func NewClient(s Settings, opts ...Option) (*Client, error) {
	if !s.Configured() {
		return nil, ErrNotConfigured
	}
	o := clientOptions{base: http.DefaultTransport, sleep: channels.Sleep, log: slog.Default(), now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	if s.Timeout <= 0 {
		s.Timeout = 120 * time.Second
	}
	s.Retry = s.Retry.withDefaults()
	httpClient := &http.Client{Transport: &retryTransport{
		base: o.base, policy: s.Retry, timeout: s.Timeout, sleep: o.sleep, log: o.log,
	}}
	base := strings.TrimRight(strings.TrimSpace(s.BaseURL), "/")
	var cfg openai.ClientConfig
	switch s.Provider {
	case "", ProviderOpenAI:
		cfg = openai.DefaultConfig(s.APIKey)
		cfg.BaseURL = base
	case ProviderAzure:
		cfg = openai.DefaultAzureConfig(s.APIKey, base)
		if s.APIVersion != "" {
			cfg.APIVersion = s.APIVersion
		}
	default:
		return nil, fmt.Errorf("unknown LLM provider %q (want %s or %s)", s.Provider, ProviderOpenAI, ProviderAzure)
	}
	cfg.HTTPClient = httpClient
	return &Client{api: openai.NewClientWithConfig(cfg), settings: s, log: o.log, now: o.now, checker: NewChecker()}, nil
}

// Models lists the model ids the server offers (GET /models); it doubles as
// the "test connection" call.
func (c *Client) Models(ctx context.Context) ([]string, error) {
	ctx, tr := withTrace(ctx)
	list, err := c.api.ListModels(ctx)
	if err != nil {
		return nil, c.wrap(ctx, "list models", err, tr)
	}
	ids := make([]string, 0, len(list.Models))
	for _, m := range list.Models {
		ids = append(ids, m.ID)
	}
	return ids, nil
}

// Draft implements Drafter by streaming.
func (c *Client) Draft(ctx context.Context, req Request, onDelta func(string)) (Draft, error) {
	return c.Stream(ctx, req, onDelta)
}

// Stream drafts a reply to req, calling onDelta with each piece of text as
// it arrives (the raw model text, including the trailing SOURCES line, which
// the returned Draft has stripped). On a mid-stream error or cancellation the
// partial text is returned in the Draft together with the error.
func (c *Client) Stream(ctx context.Context, req Request, onDelta func(string)) (Draft, error) {
	p := BuildPrompt(req)
	d := c.newDraft(p)
	ctx, tr := withTrace(ctx)
	creq := c.chatRequest(p.Messages)
	if !c.settings.NoStreamUsage {
		creq.StreamOptions = &openai.StreamOptions{IncludeUsage: true}
	}
	stream, err := c.api.CreateChatCompletionStream(ctx, creq)
	if err != nil {
		return d, c.wrap(ctx, "start draft stream", err, tr)
	}
	defer stream.Close()
	var text strings.Builder
	finish := func() Draft {
		d.Text, d.Citations = splitSources(text.String())
		return c.checker.Check(d, p.KB, req.Brand)
	}
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if ctx.Err() != nil {
				return finish(), fmt.Errorf("draft stream cancelled after %d characters: %w", text.Len(), ctx.Err())
			}
			d.Problems = append(d.Problems, ProblemStreamError)
			return finish(), fmt.Errorf("draft stream interrupted after %d characters: %w", text.Len(), c.wrap(ctx, "stream", err, tr))
		}
		if chunk.Usage != nil {
			d.Usage = Usage{chunk.Usage.PromptTokens, chunk.Usage.CompletionTokens, chunk.Usage.TotalTokens}
		}
		if chunk.Model != "" {
			d.Model = chunk.Model
		}
		for _, ch := range chunk.Choices {
			if ch.Index != 0 {
				continue
			}
			if ch.Delta.Content != "" {
				text.WriteString(ch.Delta.Content)
				if onDelta != nil {
					onDelta(ch.Delta.Content)
				}
			}
			if ch.FinishReason != "" && ch.FinishReason != openai.FinishReasonNull {
				d.FinishReason = string(ch.FinishReason)
			}
		}
	}
	if d.FinishReason == "" {
		// The server closed the stream (or sent [DONE]) without saying why
		// it stopped: treat the text as possibly cut off.
		d.Problems = append(d.Problems, ProblemIncomplete)
	}
	return finish(), nil
}

// Complete drafts a reply without streaming.
func (c *Client) Complete(ctx context.Context, req Request) (Draft, error) {
	p := BuildPrompt(req)
	d := c.newDraft(p)
	ctx, tr := withTrace(ctx)
	resp, err := c.api.CreateChatCompletion(ctx, c.chatRequest(p.Messages))
	if err != nil {
		return d, c.wrap(ctx, "draft", err, tr)
	}
	d.Model = resp.Model
	d.Usage = Usage{resp.Usage.PromptTokens, resp.Usage.CompletionTokens, resp.Usage.TotalTokens}
	var raw string
	if len(resp.Choices) > 0 {
		raw = resp.Choices[0].Message.Content
		d.FinishReason = string(resp.Choices[0].FinishReason)
	}
	d.Text, d.Citations = splitSources(raw)
	return c.checker.Check(d, p.KB, req.Brand), nil
}

func (c *Client) newDraft(p Prompt) Draft {
	return Draft{
		Lang: p.Lang, Source: SourceLLM, Model: c.settings.Model, AIAssisted: true,
		Injection: p.Injection, Prompt: p.Messages, CreatedAt: c.now(),
	}
}

func (c *Client) chatRequest(msgs []ChatMessage) openai.ChatCompletionRequest {
	req := openai.ChatCompletionRequest{
		Model:       c.settings.Model,
		Temperature: c.settings.Temperature,
		MaxTokens:   c.settings.MaxTokens,
	}
	for _, m := range msgs {
		req.Messages = append(req.Messages, openai.ChatCompletionMessage{Role: m.Role, Content: m.Content})
	}
	return req
}

// wrap turns go-openai's errors into *APIError with the status, Retry-After
// and attempt count the transport saw.
func (c *Client) wrap(ctx context.Context, op string, err error, tr *callTrace) error {
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return fmt.Errorf("llm %s: %w", op, err)
	}
	attempts, status, ra := tr.snapshot()
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	switch {
	case errors.As(err, &apiErr):
		e := &APIError{Status: apiErr.HTTPStatusCode, Type: apiErr.Type, Message: apiErr.Message, Attempts: attempts}
		if apiErr.Code != nil {
			e.Code = fmt.Sprint(apiErr.Code)
		}
		if e.Status == http.StatusTooManyRequests || e.Status == 0 && status == http.StatusTooManyRequests {
			e.RetryAfter = ra
		}
		return fmt.Errorf("llm %s: %w", op, e)
	case errors.As(err, &reqErr):
		msg := strings.TrimSpace(string(reqErr.Body))
		if len(msg) > 300 {
			msg = msg[:300] + "…"
		}
		e := &APIError{Status: reqErr.HTTPStatusCode, Message: msg, Attempts: attempts}
		if e.Status == http.StatusTooManyRequests {
			e.RetryAfter = ra
		}
		return fmt.Errorf("llm %s: %w", op, e)
	}
	return fmt.Errorf("llm %s (%d attempt(s)): %w", op, attempts, err)
}
