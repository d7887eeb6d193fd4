package workspace

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/store"
)

// ErrClassifyOffline: without an LLM server (drafting in offline mode)
// there is nothing to classify with.
var ErrClassifyOffline = errors.New("LLM classification is unavailable in offline mode: set a base URL and model under AI drafting first")

// ClassifyResult counts what one classification run did.
type ClassifyResult struct {
	Classified int `json:"classified"` // messages the LLM labelled
	Relabelled int `json:"relabelled"` // of those, how many changed label
	Skipped    int `json:"skipped"`    // corrected by a manager meanwhile: left alone
	Batches    int `json:"batches"`
}

// ClassifyStatus is what the settings screen shows about the LLM pass.
type ClassifyStatus struct {
	Settings drafts.ClassifySettings `json:"settings"` // with defaults filled in
	// Available is false in offline mode (no LLM server configured).
	Available bool           `json:"available"`
	Running   bool           `json:"running"`
	LastRun   *time.Time     `json:"lastRun" ts_type:"string | null"`
	Last      ClassifyResult `json:"last"`
	LastError string         `json:"lastError"`
}

// ClassifyWorker sends the inbound messages the offline model was unsure
// about to the configured LLM in batches and stores its labels. It is off
// until switched on in llm.json (classify.enabled); it runs beside ingest,
// never inside it, so a slow or failing LLM cannot hold up an import.
type ClassifyWorker struct {
	ws       *Workspace
	sec      SecretStore
	onChange func(ClassifyResult)
	opts     []drafts.Option // client options (tests: recorded sleeps)

	// Interval between background runs. Default one minute.
	Interval time.Duration
	// MaxBatches bounds the requests of one run, and so its cost. Default 10.
	MaxBatches int

	run  sync.Mutex // one run at a time
	wake chan struct{}

	mu      sync.Mutex
	running bool
	lastRun *time.Time
	last    ClassifyResult
	lastErr string
}

// NewClassifyWorker returns a worker using the LLM settings and keyring key
// of the drafting model; onChange (may be nil) hears of runs that changed labels.
func (w *Workspace) NewClassifyWorker(sec SecretStore, onChange func(ClassifyResult)) *ClassifyWorker {
	if onChange == nil {
		onChange = func(ClassifyResult) {}
	}
	return &ClassifyWorker{ws: w, sec: sec, onChange: onChange, Interval: time.Minute, MaxBatches: 10, wake: make(chan struct{}, 1)}
}

// Wake asks for a run now (after an import or sync); it never blocks.
func (c *ClassifyWorker) Wake() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// Run classifies every Interval and on Wake until ctx ends. A switched-off
// worker does nothing but look at the settings.
func (c *ClassifyWorker) Run(ctx context.Context) {
	t := time.NewTicker(c.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-c.wake:
		}
		if _, err := c.RunOnce(ctx, false); err != nil && ctx.Err() == nil && !errors.Is(err, errClassifyOff) {
			c.ws.Log.Warn("LLM classification", "err", err)
		}
	}
}

// errClassifyOff: a background run with classification switched off.
var errClassifyOff = errors.New("LLM classification is switched off")

// RunOnce labels uncertain messages batch by batch until none are left or
// MaxBatches requests were made. manual runs (the "classify now" button) go
// ahead even when the background pass is switched off. A batch the LLM
// answers badly stops the run with an error and stores nothing of it.
func (c *ClassifyWorker) RunOnce(ctx context.Context, manual bool) (ClassifyResult, error) {
	c.run.Lock()
	defer c.run.Unlock()
	var res ClassifyResult
	s, _, err := c.ws.readLLMSettings(ctx)
	if err != nil {
		return res, err
	}
	cs := s.Classify.WithDefaults()
	if !manual && !s.Classify.Enabled {
		return res, errClassifyOff
	}
	c.setRunning(true)
	defer c.setRunning(false)
	res, err = c.classify(ctx, s, cs)
	c.finish(res, err)
	if res.Relabelled > 0 {
		c.onChange(res)
	}
	return res, err
}

func (c *ClassifyWorker) classify(ctx context.Context, s drafts.Settings, cs drafts.ClassifySettings) (ClassifyResult, error) {
	var res ClassifyResult
	if !s.Configured() {
		return res, ErrClassifyOffline
	}
	key, err := c.sec.Get(ctx, llmKeySecret)
	switch {
	case err == nil:
		s.APIKey = key
	case !errors.Is(err, secrets.ErrNotFound):
		return res, fmt.Errorf("LLM classification: read the API key: %w", err)
	}
	cl, err := drafts.NewClassifier(s, append([]drafts.Option{drafts.WithLogger(c.ws.Log)}, c.opts...)...)
	if err != nil {
		return res, fmt.Errorf("LLM classification: %w", err)
	}
	for res.Batches < c.MaxBatches {
		msgs, err := c.ws.Store.UncertainMessages(ctx, cs.Threshold, cs.Batch)
		if err != nil || len(msgs) == 0 {
			return res, err
		}
		batch := make([]drafts.ClassifyMessage, len(msgs))
		for i, m := range msgs {
			batch[i] = drafts.ClassifyMessage{ID: m.ID, Text: m.Text}
		}
		res.Batches++
		labels, err := cl.Classify(ctx, batch)
		if err != nil {
			return res, fmt.Errorf("LLM classification of %d messages: %w", len(batch), err)
		}
		ll := make([]store.LLMLabel, len(labels))
		for i, l := range labels {
			ll[i] = store.LLMLabel{MessageID: l.ID, Label: l.Label, Confidence: l.Confidence}
		}
		r, err := c.ws.Store.SetLLMSentiments(ctx, ll)
		if err != nil {
			return res, err
		}
		res.Classified += r.Updated
		res.Relabelled += r.Relabelled
		res.Skipped += r.Skipped
		c.ws.Log.Info("LLM classification batch", "messages", len(batch), "relabelled", r.Relabelled)
		if len(msgs) < cs.Batch {
			return res, nil
		}
	}
	return res, nil
}

func (c *ClassifyWorker) setRunning(on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.running = on
}

func (c *ClassifyWorker) finish(res ClassifyResult, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	c.lastRun, c.last, c.lastErr = &now, res, ""
	if err != nil {
		c.lastErr = err.Error()
	}
}

// Status reports the settings, whether an LLM is configured, and the last run.
func (c *ClassifyWorker) Status(ctx context.Context) (ClassifyStatus, error) {
	s, _, err := c.ws.readLLMSettings(ctx)
	if err != nil {
		return ClassifyStatus{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	st := ClassifyStatus{Settings: s.Classify.WithDefaults(), Available: s.Configured(), Running: c.running, Last: c.last, LastError: c.lastErr}
	st.Settings.Enabled = s.Classify.Enabled
	if c.lastRun != nil {
		t := *c.lastRun
		st.LastRun = &t
	}
	return st, nil
}

// SaveSettings changes only the classify part of the LLM settings (the drafting
// settings and the key stay as they are) and, when switched on, runs soon.
func (c *ClassifyWorker) SaveSettings(ctx context.Context, cs drafts.ClassifySettings) error {
	if cs.Threshold < 0 || cs.Threshold > 1 {
		return fmt.Errorf("classification threshold %v: must be between 0 and 1", cs.Threshold)
	}
	if cs.Batch < 0 || cs.Batch > 100 {
		return fmt.Errorf("classification batch size %d: must be between 1 and 100", cs.Batch)
	}
	c.run.Lock()
	defer c.run.Unlock()
	s, _, err := c.ws.readLLMSettings(ctx)
	if err != nil {
		return err
	}
	s.Classify = cs
	if err := c.ws.writeLLMSettings(ctx, s); err != nil {
		return fmt.Errorf("save classification settings: %w", err)
	}
	if cs.Enabled {
		c.Wake()
	}
	return nil
}
