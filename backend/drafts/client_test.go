package drafts_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/drafts/openaifake"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

type sleepRecorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleepRecorder) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func newClient(t *testing.T, fake *openaifake.Server, mod func(*drafts.Settings)) (*drafts.Client, *sleepRecorder) {
	t.Helper()
	s := drafts.Settings{BaseURL: fake.BaseURL(), Model: "gpt-4o-mini", APIKey: "sk-test",
		Retry: drafts.RetryPolicy{MaxAttempts: 3, BaseDelay: 100 * time.Millisecond, Jitter: -1}}
	if mod != nil {
		mod(&s)
	}
	rec := &sleepRecorder{}
	c, err := drafts.NewClient(s, drafts.WithSleep(rec.sleep), drafts.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	return c, rec
}

func enRequest(text string) drafts.Request {
	return drafts.Request{
		Brand:  drafts.Brand{Name: "Acme", Tone: "warm and plain", DefaultLang: "en"},
		Thread: []inbox.Message{{Direction: inbox.DirectionIn, Text: text, Author: inbox.Author{DisplayName: "Jo"}}},
		KB:     []drafts.KBEntry{{ID: "kb-delay", Title: "Shipping delays", Text: "Orders placed this week ship within 5 working days.", Lang: "en"}},
	}
}

func TestStreamAssemblesDeltasAndUsage(t *testing.T) {
	fake := openaifake.New(t)
	fake.Enqueue(openaifake.Reply{Content: "Hi Jo, we are sorry your order is late. It will ship within 5 working days.\nSOURCES: kb-delay"})
	c, _ := newClient(t, fake, nil)
	var deltas []string
	d, err := c.Stream(context.Background(), enRequest("Where is my order? It is late."), func(s string) { deltas = append(deltas, s) })
	if err != nil {
		t.Fatal(err)
	}
	if len(deltas) < 5 {
		t.Fatalf("got %d deltas, want one per word", len(deltas))
	}
	want := "Hi Jo, we are sorry your order is late. It will ship within 5 working days."
	if d.Text != want {
		t.Fatalf("text = %q, want %q", d.Text, want)
	}
	if got := strings.Join(deltas, ""); !strings.HasPrefix(got, want) {
		t.Fatalf("deltas assemble to %q", got)
	}
	if d.FinishReason != "stop" || d.Usage.TotalTokens == 0 || d.Usage.CompletionTokens == 0 {
		t.Fatalf("finish %q usage %+v", d.FinishReason, d.Usage)
	}
	if len(d.Citations) != 1 || d.Citations[0] != "kb-delay" || len(d.Problems) != 0 {
		t.Fatalf("citations %v problems %v", d.Citations, d.Problems)
	}
	req := fake.Requests()[0]
	if req.Chat == nil || !req.Chat.Stream || req.Chat.StreamOptions == nil || !req.Chat.StreamOptions.IncludeUsage {
		t.Fatalf("stream request not sent with include_usage: %s", req.Body)
	}
	if req.Authorization != "Bearer sk-test" {
		t.Fatalf("authorization = %q", req.Authorization)
	}
}

func TestCompleteNonStreaming(t *testing.T) {
	fake := openaifake.New(t)
	fake.Enqueue(openaifake.Reply{Content: "Thanks for telling us, we are on it.\nSOURCES: none", Model: "gpt-4o-mini-2024"})
	c, _ := newClient(t, fake, nil)
	d, err := c.Complete(context.Background(), enRequest("The app crashes when I open it."))
	if err != nil {
		t.Fatal(err)
	}
	if d.Text != "Thanks for telling us, we are on it." || d.Model != "gpt-4o-mini-2024" || d.Usage.PromptTokens == 0 || len(d.Citations) != 0 {
		t.Fatalf("draft = %+v", d)
	}
}

func TestRetryHonoursRetryAfterThenSucceeds(t *testing.T) {
	fake := openaifake.New(t)
	fake.Enqueue(
		openaifake.Reply{Status: 429, RetryAfter: "7"},
		openaifake.Reply{Status: 503},
		openaifake.Reply{Content: "We are looking into it."},
	)
	c, rec := newClient(t, fake, nil)
	d, err := c.Stream(context.Background(), enRequest("My order did not arrive"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if d.Text != "We are looking into it." {
		t.Fatalf("text %q", d.Text)
	}
	if len(rec.waits) != 2 || rec.waits[0] != 7*time.Second || rec.waits[1] != 200*time.Millisecond {
		t.Fatalf("waits = %v, want [7s 200ms] (Retry-After, then 2x base backoff)", rec.waits)
	}
	if n := len(fake.Requests()); n != 3 {
		t.Fatalf("requests = %d", n)
	}
	// Each retry resends the same body.
	reqs := fake.Requests()
	if string(reqs[0].Body) != string(reqs[2].Body) {
		t.Fatal("retried body differs")
	}
}

func TestRetryAfterTooLongStopsWithError(t *testing.T) {
	fake := openaifake.New(t)
	fake.Enqueue(openaifake.Reply{Status: 429, RetryAfter: "3600"})
	c, rec := newClient(t, fake, nil)
	_, err := c.Complete(context.Background(), enRequest("hello there, my order"))
	var apiErr *drafts.APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, drafts.ErrRateLimited) || apiErr.RetryAfter != time.Hour {
		t.Fatalf("err = %v (%#v)", err, apiErr)
	}
	if len(rec.waits) != 0 || len(fake.Requests()) != 1 {
		t.Fatalf("waited %v over %d requests", rec.waits, len(fake.Requests()))
	}
}

func TestUnauthorizedIsNotRetried(t *testing.T) {
	fake := openaifake.New(t)
	fake.APIKey = "sk-right"
	c, rec := newClient(t, fake, nil)
	for _, stream := range []bool{true, false} {
		var err error
		if stream {
			_, err = c.Stream(context.Background(), enRequest("hello, my order"), nil)
		} else {
			_, err = c.Complete(context.Background(), enRequest("hello, my order"))
		}
		if !errors.Is(err, drafts.ErrAuth) {
			t.Fatalf("stream=%v err = %v, want ErrAuth", stream, err)
		}
		if !strings.Contains(err.Error(), "API key") || !strings.Contains(err.Error(), "401") || strings.Contains(err.Error(), "sk-test") {
			t.Fatalf("unclear or leaking message: %v", err)
		}
	}
	if len(rec.waits) != 0 || len(fake.Requests()) != 2 {
		t.Fatalf("401 retried: waits %v, requests %d", rec.waits, len(fake.Requests()))
	}
	if _, err := c.Models(context.Background()); !errors.Is(err, drafts.ErrAuth) {
		t.Fatalf("models err = %v", err)
	}
}

func TestServerErrorsRetriedThenFail(t *testing.T) {
	for _, status := range []int{500, 503} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			fake := openaifake.New(t)
			fake.SetDefault(openaifake.Reply{Status: status})
			c, rec := newClient(t, fake, nil)
			_, err := c.Stream(context.Background(), enRequest("hello, my order"), nil)
			var apiErr *drafts.APIError
			if !errors.As(err, &apiErr) || !errors.Is(err, drafts.ErrUnavailable) {
				t.Fatalf("err = %v", err)
			}
			if apiErr.Status != status || apiErr.Attempts != 3 || apiErr.Type != "server_error" {
				t.Fatalf("api error = %+v", apiErr)
			}
			if len(fake.Requests()) != 3 || len(rec.waits) != 2 || rec.waits[0] != 100*time.Millisecond || rec.waits[1] != 200*time.Millisecond {
				t.Fatalf("requests %d waits %v", len(fake.Requests()), rec.waits)
			}
		})
	}
}

func TestConnectionErrorRetried(t *testing.T) {
	fake := openaifake.New(t)
	url := fake.BaseURL()
	fake.Close() // nothing listens any more
	rec := &sleepRecorder{}
	c, err := drafts.NewClient(drafts.Settings{BaseURL: url, Model: "m", Retry: drafts.RetryPolicy{MaxAttempts: 2, Jitter: -1}}, drafts.WithSleep(rec.sleep))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Complete(context.Background(), enRequest("hello, my order"))
	if err == nil || !strings.Contains(err.Error(), "2 attempt") || len(rec.waits) != 1 {
		t.Fatalf("err = %v, waits %v", err, rec.waits)
	}
}

func TestAttemptTimeout(t *testing.T) {
	fake := openaifake.New(t)
	fake.SetDefault(openaifake.Reply{Delay: time.Minute})
	c, rec := newClient(t, fake, func(s *drafts.Settings) { s.Timeout = 50 * time.Millisecond; s.Retry.MaxAttempts = 2 })
	_, err := c.Complete(context.Background(), enRequest("hello, my order"))
	if !errors.Is(err, context.DeadlineExceeded) || len(rec.waits) != 1 {
		t.Fatalf("err = %v waits %v", err, rec.waits)
	}
}

func TestMidStreamErrorKeepsPartialText(t *testing.T) {
	fake := openaifake.New(t)
	fake.Enqueue(openaifake.Reply{
		Chunks:      []string{"We are ", "sorry about ", "the delay"},
		StreamError: &openaifake.Error{Message: "The model crashed", Type: "server_error"}, StreamErrorAfter: 2,
	})
	c, _ := newClient(t, fake, nil)
	var got strings.Builder
	d, err := c.Stream(context.Background(), enRequest("My order is late"), func(s string) { got.WriteString(s) })
	if err == nil || !strings.Contains(err.Error(), "The model crashed") || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("err = %v", err)
	}
	if d.Text != "We are sorry about" || got.String() != "We are sorry about " {
		t.Fatalf("partial = %q / %q", d.Text, got.String())
	}
	if !hasProblem(d, drafts.ProblemStreamError) {
		t.Fatalf("problems = %v", d.Problems)
	}
}

func TestCancelStopsSlowStream(t *testing.T) {
	fake := openaifake.New(t)
	fake.Enqueue(openaifake.Reply{Chunks: []string{"We ", "are ", "on ", "it."}, ChunkDelay: time.Minute})
	c, _ := newClient(t, fake, nil)
	ctx, cancel := context.WithCancel(context.Background())
	d, err := c.Stream(ctx, enRequest("My order is late"), func(string) { cancel() })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if d.Text != "We" {
		t.Fatalf("partial = %q", d.Text)
	}
	// The fake saw the client go away instead of finishing its minute.
	deadline := time.Now().Add(5 * time.Second)
	for fake.Cancelled() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if fake.Cancelled() != 1 {
		t.Fatal("server did not observe the cancellation")
	}
}

func TestCancelBeforeAnswer(t *testing.T) {
	fake := openaifake.New(t)
	fake.Enqueue(openaifake.Reply{Delay: time.Minute, Content: "late"})
	c, rec := newClient(t, fake, nil)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for len(fake.Requests()) == 0 {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	_, err := c.Stream(ctx, enRequest("My order is late"), nil)
	if !errors.Is(err, context.Canceled) || len(rec.waits) != 0 {
		t.Fatalf("err = %v waits %v", err, rec.waits)
	}
}

func TestAnswerProblemMarkers(t *testing.T) {
	tests := []struct {
		name  string
		reply openaifake.Reply
		want  string
	}{
		{"empty", openaifake.Reply{Content: ""}, drafts.ProblemEmpty},
		{"only sources", openaifake.Reply{Content: "SOURCES: none"}, drafts.ProblemEmpty},
		{"cut off", openaifake.Reply{Content: "We are sorry that your", FinishReason: "length"}, drafts.ProblemTruncated},
		{"wrong language", openaifake.Reply{Content: "Es tut uns leid, wir kümmern uns darum und melden uns bei Ihnen."}, drafts.ProblemWrongLanguage + ":de"},
		{"no finish", openaifake.Reply{Content: "We are sorry", NoFinish: true, NoDone: true}, drafts.ProblemIncomplete},
		{"content filter", openaifake.Reply{Content: "We", FinishReason: "content_filter"}, drafts.ProblemContentFilter},
		{"unknown source", openaifake.Reply{Content: "It ships soon.\nSOURCES: kb-made-up"}, drafts.ProblemUnknownSource + ":kb-made-up"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := openaifake.New(t)
			fake.Enqueue(tt.reply)
			c, _ := newClient(t, fake, nil)
			d, err := c.Stream(context.Background(), enRequest("Where is my order? It is late and nobody answers."), nil)
			if err != nil {
				t.Fatal(err)
			}
			if !hasProblem(d, tt.want) {
				t.Fatalf("problems = %v, want %s", d.Problems, tt.want)
			}
		})
	}
}

func TestModelsList(t *testing.T) {
	fake := openaifake.New(t)
	fake.Models = []string{"llama3.1:8b", "qwen2.5"}
	c, _ := newClient(t, fake, nil)
	ids, err := c.Models(context.Background())
	if err != nil || strings.Join(ids, ",") != "llama3.1:8b,qwen2.5" {
		t.Fatalf("ids %v err %v", ids, err)
	}
}

func TestNewClientNeedsSettings(t *testing.T) {
	if _, err := drafts.NewClient(drafts.Settings{Model: "m"}); !errors.Is(err, drafts.ErrNotConfigured) {
		t.Fatalf("err = %v", err)
	}
	if _, err := drafts.NewClient(drafts.Settings{BaseURL: "http://x/v1", Model: "m", Provider: "bard"}); err == nil {
		t.Fatal("unknown provider accepted")
	}
}

func hasProblem(d drafts.Draft, p string) bool {
	for _, q := range d.Problems {
		if q == p {
			return true
		}
	}
	return false
}
