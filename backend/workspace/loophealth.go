package workspace

import (
	"slices"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
)

// LoopHealth is how one supervised background loop has fared since Run, as
// the UI reads it: only loops that failed at least once are listed, so an
// empty list means every loop is as it started.
type LoopHealth struct {
	// Loop is the loop's name as Run starts it: "crisis", "sla", "outbox",
	// "classify", "snooze", "presence", "listening", "forward", "sync", "seed".
	Loop string `json:"loop"`
	// State is one of the LoopRestarting, LoopRunning, LoopStopped and
	// LoopFinished values.
	State string `json:"state"`
	// LastError is the last failure, short: the error's text or
	// "panic: <value>", never a stack (that goes to the log), URL queries
	// removed, cut after maxLoopError bytes.
	LastError string    `json:"lastError"`
	FailedAt  time.Time `json:"failedAt" ts_type:"string"`
	// Restarts counts the times the loop was started again since Run.
	Restarts int `json:"restarts"`
	// RestartAt is when the next start is due; nil unless State is
	// LoopRestarting.
	RestartAt *time.Time `json:"restartAt" ts_type:"string | null"`
	// Recovered: the loop runs again and this run has outlasted
	// Timing.RestartMax, so its next failure starts the pauses from
	// RestartMin again. The last failure stays listed for the record.
	Recovered bool `json:"recovered"`
}

// The states of a loop in LoopHealth.
const (
	// LoopRestarting: it failed and waits out its pause until RestartAt.
	LoopRestarting = "restarting"
	// LoopRunning: it was started again after the failure and runs.
	LoopRunning = "running"
	// LoopStopped: it failed and does not run again until the app starts
	// again: a loop Go ran once (the sync start, the demo seed), or a
	// pause cut short as the workspace closed.
	LoopStopped = "stopped"
	// LoopFinished: started again after a failure, it then ended without
	// an error, as a loop that has nothing more to do.
	LoopFinished = "finished"
)

// maxLoopError bounds LoopHealth.LastError: a panic's value can be a whole
// struct, and the UI shows the text in a one-line notice's details.
const maxLoopError = 300

// loopRecord is a loop's LoopHealth with what LoopHealth works Recovered
// out from.
type loopRecord struct {
	LoopHealth
	since        time.Time     // when the current run began (LoopRunning)
	recoverAfter time.Duration // Timing.RestartMax when it began
}

// failed keeps err, at at, as name's last failure; restartAt nil means the
// loop will not run again.
func (s *supervisor) failed(name string, err error, at time.Time, restartAt *time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.record(name)
	r.LastError, r.FailedAt, r.RestartAt, r.Recovered = shortLoopError(err), at, restartAt, false
	r.State = LoopStopped
	if restartAt != nil {
		r.State = LoopRestarting
	}
}

// restarted notes that name runs again after its pause; a run outlasting
// recoverAfter counts as recovered.
func (s *supervisor) restarted(name string, recoverAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.record(name)
	r.Restarts++
	r.State, r.RestartAt, r.since, r.recoverAfter = LoopRunning, nil, time.Now(), recoverAfter
}

// ended notes that a restarted loop returned: LoopFinished if it ran,
// LoopStopped if the workspace closed during its pause. A loop that never
// failed has no record and gets none.
func (s *supervisor) ended(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.health[name]
	if !ok {
		return
	}
	switch r.State {
	case LoopRunning:
		r.State = LoopFinished
	case LoopRestarting:
		r.State, r.RestartAt = LoopStopped, nil
	}
}

// record returns name's record, made on its first failure; s.mu is held.
func (s *supervisor) record(name string) *loopRecord {
	if s.health == nil {
		s.health = map[string]*loopRecord{}
	}
	r, ok := s.health[name]
	if !ok {
		r = &loopRecord{LoopHealth: LoopHealth{Loop: name}}
		s.health[name] = r
	}
	return r
}

// LoopHealth lists the background loops that failed since Run, by name: the
// last failure, the restarts and when the next is due, for the window to
// say that, say, crisis detection is down and when it comes back.
func (w *Workspace) LoopHealth() []LoopHealth {
	s := &w.sup
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]LoopHealth, 0, len(s.health))
	now := time.Now()
	for _, r := range s.health {
		h := r.LoopHealth
		if h.RestartAt != nil {
			at := *h.RestartAt
			h.RestartAt = &at
		}
		h.Recovered = h.State == LoopRunning && now.Sub(r.since) > r.recoverAfter
		out = append(out, h)
	}
	slices.SortFunc(out, func(a, b LoopHealth) int { return strings.Compare(a.Loop, b.Loop) })
	return out
}

// shortLoopError is err as LoopHealth shows it. Loops' errors come from the
// store and the platforms' clients, which redact their secrets; URL queries
// (API keys travel there) are removed once more, since this text reaches
// the window and, on a team server, every member's page.
func shortLoopError(err error) string {
	msg := channels.Redact(err.Error())
	if len(msg) <= maxLoopError {
		return msg
	}
	return channels.TruncateUTF8(msg, maxLoopError) + "…"
}
