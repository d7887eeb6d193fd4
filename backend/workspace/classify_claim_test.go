package workspace

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/drafts/openaifake"
)

// TestClassifyNowOncePerTeam: "Classify now" pressed on two instances at
// the same moment (two workspaces on one database) runs one classification:
// the other call is refused with a coded conflict before it asks the LLM,
// and so is the other instance's background pass while the run goes on.
// Afterwards a new run may start on either.
func TestClassifyNowOncePerTeam(t *testing.T) {
	ctx := context.Background()
	// The LLM holds its first answer until both clicks have been answered or refused.
	dsn, a, b, sec, llm := classifyingInstances(t)
	workers := []*ClassifyWorker{a.NewClassifyWorker(sec, nil), b.NewClassifyWorker(sec, nil)}

	type outcome struct {
		res ClassifyResult
		err error
	}
	start := make(chan struct{})
	results := make(chan outcome, len(workers))
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res, err := w.RunOnce(ctx, true)
			results <- outcome{res, err}
		}()
	}
	close(start)
	<-llm.entered
	// One run holds the LLM; the other click must already be refused.
	refused := <-results
	if !errors.Is(refused.err, ErrClassifyRunning) || apperr.Classify(refused.err).Code != apperr.CodeConflict {
		close(llm.release)
		t.Fatalf("the second click while a run holds the LLM = %+v, %v; want a coded conflict (already running)", refused.res, refused.err)
	}
	// A third instance's background pass (a worker of its own: the runner's
	// worker would wait for its own run).
	if _, err := openAtDSN(t, dsn).NewClassifyWorker(sec, nil).RunOnce(ctx, false); !errors.Is(err, ErrClassifyRunning) {
		close(llm.release)
		t.Fatalf("a background pass during the run = %v; want ErrClassifyRunning", err)
	}
	close(llm.release)
	wg.Wait()
	ran := <-results
	if ran.err != nil || ran.res.Classified != 2 || ran.res.Batches != 1 {
		t.Fatalf("the run = %+v, %v; want both messages in one batch", ran.res, ran.err)
	}
	if n := llm.requests.Load(); n != 1 {
		t.Fatalf("the LLM was asked %d times, want once", n)
	}

	// Finished: either instance may run again (nothing is left to classify).
	for i, w := range workers {
		if res, err := w.RunOnce(ctx, true); err != nil || res.Batches != 0 {
			t.Fatalf("a run on instance %d after the first finished = %+v, %v", i, res, err)
		}
	}
}

// llmGate is an OpenAI-compatible fake whose first request waits for release.
type llmGate struct {
	base             string // the LLM base URL to configure
	entered, release chan struct{}
	requests         atomic.Int32
}

// heldLLM starts an LLM fake behind a gate that holds the first request
// (closing entered) until the test closes release.
func heldLLM(t *testing.T) *llmGate {
	t.Helper()
	llm := openaifake.New(t)
	target, _ := url.Parse(llm.BaseURL())
	g := &llmGate{entered: make(chan struct{}), release: make(chan struct{})}
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.requests.Add(1) == 1 {
			close(g.entered)
			<-g.release
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	g.base = srv.URL + target.Path
	return g
}

// classifyingInstances opens two workspaces on one database (two server
// instances) with two uncertain messages and classification switched on,
// its LLM behind a gate that holds the first request.
func classifyingInstances(t *testing.T) (dsn string, a, b *Workspace, sec *memSecrets, llm *llmGate) {
	t.Helper()
	dsn = sharedDSN(t)
	a, b = openAtDSN(t, dsn), openAtDSN(t, dsn)
	sec = &memSecrets{m: map[string]string{}}
	classifyFixture(t, a, emojiOnly, mixedScript)
	llm = heldLLM(t)
	if err := a.NewComposer(sec).SaveLLMSettings(context.Background(), drafts.Settings{BaseURL: llm.base, Model: "m",
		Classify: drafts.ClassifySettings{Enabled: true}}, ""); err != nil {
		t.Fatal(err)
	}
	return dsn, a, b, sec, llm
}
