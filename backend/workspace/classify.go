package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
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
	beat time.Duration // how often a running run says so (classifyBeat; tests shorten it)
	mu   sync.Mutex    // the running run's progress, shared with its heartbeat
}

// classifyProgress is the classification pass's live state in the live_state
// table: whichever instance runs the pass writes it (at the start, after each
// batch, every beat, at the end), and every instance's Status reads it.
type classifyProgress struct {
	Running   bool           `json:"running"`
	Current   ClassifyResult `json:"current"` // the running run's counts so far
	LastRun   *time.Time     `json:"lastRun"`
	Last      ClassifyResult `json:"last"`
	LastError string         `json:"lastError"`
}

const liveClassify = "classify"

// classifyBeat is how often a run refreshes its live state. A "running"
// state that has not been refreshed for classifyStale is taken as the run of
// an instance that died: Status says it is not running.
const (
	classifyBeat  = 30 * time.Second
	classifyStale = 4 * classifyBeat
)

// NewClassifyWorker returns a worker using the LLM settings and keyring key
// of the drafting model; onChange (may be nil) hears of runs that changed labels.
func (w *Workspace) NewClassifyWorker(sec SecretStore, onChange func(ClassifyResult)) *ClassifyWorker {
	if onChange == nil {
		onChange = func(ClassifyResult) {}
	}
	return &ClassifyWorker{ws: w, sec: sec, onChange: onChange, Interval: time.Minute, MaxBatches: 10, wake: make(chan struct{}, 1), beat: classifyBeat}
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
		_, err := c.RunOnce(ctx, false)
		if err != nil && ctx.Err() == nil && !errors.Is(err, errClassifyOff) && !errors.Is(err, ErrClassifyRunning) {
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
	p, err := c.claim(ctx)
	if err != nil {
		return res, err
	}
	beatCtx, stopBeat := context.WithCancel(ctx)
	beaten := make(chan struct{})
	go func() {
		defer close(beaten)
		c.heartbeat(beatCtx, &p)
	}()
	res, err = c.classify(ctx, s, cs, func(r ClassifyResult) {
		c.mu.Lock()
		p.Current = r
		c.mu.Unlock()
		c.publish(ctx, p)
	})
	stopBeat()
	<-beaten
	now := time.Now()
	p = classifyProgress{LastRun: &now, Last: res}
	if err != nil {
		p.LastError = err.Error()
	}
	// Written even when ctx ended: a run cut short must not stay "running".
	c.publish(context.WithoutCancel(ctx), p)
	if res.Relabelled > 0 {
		c.onChange(res)
	}
	return res, err
}

func (c *ClassifyWorker) classify(ctx context.Context, s drafts.Settings, cs drafts.ClassifySettings, batchDone func(ClassifyResult)) (ClassifyResult, error) {
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
		batchDone(res)
		if len(msgs) < cs.Batch {
			return res, nil
		}
	}
	return res, nil
}

// ErrClassifyRunning: another instance of the team server is running the
// pass (its "running" state is fresh), so this one does not start a second.
// Coded conflict: the page reloads the status and shows the run going.
var ErrClassifyRunning = apperr.Conflict(errors.New("a classification is already running on the team server"))

// claim marks the pass running in the live state, in one compare-and-swap
// against the state just read, so two instances (two "Classify now" clicks,
// or a click and the leader's background pass) cannot both start: the loser
// gets ErrClassifyRunning. A stale "running" state (its instance died) may
// be claimed over. The answer is the claimed state.
func (c *ClassifyWorker) claim(ctx context.Context) (classifyProgress, error) {
	p, was, err := c.progress(ctx)
	if err != nil {
		return p, fmt.Errorf("LLM classification: %w", err)
	}
	if p.Running {
		return p, ErrClassifyRunning
	}
	p.Running, p.Current = true, ClassifyResult{}
	b, err := json.Marshal(p)
	if err != nil {
		return p, fmt.Errorf("LLM classification: %w", err)
	}
	ok, err := c.ws.Store.SwapLiveState(ctx, liveClassify, was, string(b))
	if err != nil {
		return p, fmt.Errorf("LLM classification: claim the run: %w", err)
	}
	if !ok {
		return p, ErrClassifyRunning // another instance claimed it between our read and swap
	}
	return p, nil
}

// heartbeat republishes p every beat until ctx ends, so other instances
// can tell a long run from the run of an instance that died.
func (c *ClassifyWorker) heartbeat(ctx context.Context, p *classifyProgress) {
	t := time.NewTicker(c.beat)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.mu.Lock()
			cur := *p
			c.mu.Unlock()
			c.publish(ctx, cur)
		}
	}
}

// publish writes the pass's live state; a failure is logged (the run goes
// on, and Status shows the state written before).
func (c *ClassifyWorker) publish(ctx context.Context, p classifyProgress) {
	b, err := json.Marshal(p)
	if err == nil {
		err = c.ws.Store.PutLiveState(ctx, map[string]string{liveClassify: string(b)}, nil)
	}
	if err != nil && ctx.Err() == nil {
		c.ws.Log.Warn("LLM classification: publish live state", "err", err)
	}
}

// progress reads the pass's live state; zero before any run. A running
// state not refreshed for classifyStale belongs to an instance that died.
// stored is the state as read (nil: none yet), for a claim to swap.
func (c *ClassifyWorker) progress(ctx context.Context) (p classifyProgress, stored *store.LiveState, err error) {
	st, err := c.ws.Store.LiveState(ctx, liveClassify)
	if errors.Is(err, store.ErrNotFound) {
		return p, nil, nil
	}
	if err != nil {
		return p, nil, fmt.Errorf("classification status: %w", err)
	}
	if err := json.Unmarshal([]byte(st.Value), &p); err != nil {
		return classifyProgress{}, nil, fmt.Errorf("classification status: %w", err)
	}
	if p.Running && time.Since(st.UpdatedAt) > classifyStale {
		p.Running = false
	}
	return p, &st, nil
}

// Status reports the settings, whether an LLM is configured, and the last
// run, as stored: the same on every instance, whichever one ran it.
func (c *ClassifyWorker) Status(ctx context.Context) (ClassifyStatus, error) {
	s, _, err := c.ws.readLLMSettings(ctx)
	if err != nil {
		return ClassifyStatus{}, err
	}
	p, _, err := c.progress(ctx)
	if err != nil {
		return ClassifyStatus{}, err
	}
	st := ClassifyStatus{Settings: s.Classify.WithDefaults(), Available: s.Configured(), Running: p.Running,
		LastRun: p.LastRun, Last: p.Last, LastError: p.LastError}
	st.Settings.Enabled = s.Classify.Enabled
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
