package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/team"
)

// Settings keys of round-robin assignment.
const (
	settingAssignment     = "assignment"      // AssignmentSettings (JSON)
	settingAssignmentTurn = "assignment-turn" // assignmentTurn (JSON): where the turns stand
)

// AssignmentSettings is how the team server hands out new conversations.
type AssignmentSettings struct {
	// RoundRobin gives each new unassigned conversation to the next online
	// member in turn (team.NextAssignee).
	RoundRobin bool `json:"roundRobin"`
	// Cap is how many conversations that are not closed a member may have
	// before round-robin passes them over; 0: no cap.
	Cap int `json:"cap"`
}

// maxAssignmentCap bounds the cap to what a person can hold.
const maxAssignmentCap = 10000

// assignmentTurn is where round-robin stands: the last conversation it
// handed out (or saw when it was switched on) and who got the last one.
type assignmentTurn struct {
	AfterID int64  `json:"afterId"`
	Last    string `json:"last"`
}

// Assignment answers the stored assignment settings (off when none are stored).
func (w *Workspace) Assignment(ctx context.Context) (AssignmentSettings, error) {
	var a AssignmentSettings
	v, found, err := w.setting(ctx, settingAssignment)
	if err != nil || !found {
		return a, err
	}
	if err := json.Unmarshal([]byte(v), &a); err != nil {
		return a, fmt.Errorf("read assignment settings: %w", err)
	}
	return a, nil
}

// SaveAssignment stores the assignment settings. Switching round-robin on
// starts its turns after the newest conversation, so a backlog that was
// there before is not handed out all at once.
func (w *Workspace) SaveAssignment(ctx context.Context, a AssignmentSettings) error {
	if a.Cap < 0 || a.Cap > maxAssignmentCap {
		return apperr.InvalidInput("cap", fmt.Errorf("assignment cap %d: want 0 (no cap) to %d", a.Cap, maxAssignmentCap))
	}
	before, err := w.Assignment(ctx)
	if err != nil {
		return err
	}
	if a.RoundRobin && !before.RoundRobin {
		last, err := w.Store.LastConversationID(ctx)
		if err != nil {
			return err
		}
		if err := w.putJSON(ctx, settingAssignmentTurn, assignmentTurn{AfterID: last}); err != nil {
			return err
		}
	}
	return w.putJSON(ctx, settingAssignment, a)
}

func (w *Workspace) putJSON(ctx context.Context, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store setting %s: %w", key, err)
	}
	return w.Store.PutSetting(ctx, key, string(b))
}

// roundRobinBatch bounds one pass: a burst is handed out over a few passes.
const roundRobinBatch = 200

// AssignRoundRobin hands the new open, unassigned conversations to the
// online members in turn (team.NextAssignee) when round-robin is on, and
// answers the conversations it assigned. A conversation nobody can take (all
// offline or at their cap) waits, with those after it, for the next pass.
// It must run on one instance at a time (the presence loop's lock): the
// turn is read and written without a lock of its own.
func (w *Workspace) AssignRoundRobin(ctx context.Context) ([]int64, error) {
	cfg, err := w.Assignment(ctx)
	if err != nil || !cfg.RoundRobin {
		return nil, err
	}
	var turn assignmentTurn
	v, found, err := w.setting(ctx, settingAssignmentTurn)
	if err != nil {
		return nil, err
	}
	if found {
		if err := json.Unmarshal([]byte(v), &turn); err != nil {
			return nil, fmt.Errorf("read round-robin turn: %w", err)
		}
	}
	ids, err := w.Store.UnassignedOpenAfter(ctx, turn.AfterID, roundRobinBatch)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	cands, err := w.assignmentCandidates(ctx)
	if err != nil {
		return nil, err
	}
	var assigned []int64
	start := turn
	for _, id := range ids {
		name, ok := team.NextAssignee(cands, turn.Last, cfg.Cap)
		if !ok {
			break
		}
		done, err := w.Store.AssignIfUnassigned(ctx, id, name)
		if err != nil {
			return assigned, err
		}
		turn.AfterID = id
		if !done {
			continue // assigned by hand meanwhile
		}
		assigned = append(assigned, id)
		turn.Last = name
		for i := range cands {
			if cands[i].Name == name {
				cands[i].Open++
			}
		}
	}
	if turn == start {
		return nil, nil
	}
	return assigned, w.putJSON(ctx, settingAssignmentTurn, turn)
}

// assignmentCandidates is every member with their presence and load.
func (w *Workspace) assignmentCandidates(ctx context.Context) ([]team.Candidate, error) {
	members, err := w.Store.Members(ctx)
	if err != nil {
		return nil, err
	}
	online, err := w.Store.OnlineMembers(ctx)
	if err != nil {
		return nil, err
	}
	load, err := w.Store.OpenAssignedCounts(ctx)
	if err != nil {
		return nil, err
	}
	isOnline := map[string]bool{}
	for _, n := range online {
		isOnline[n] = true
	}
	out := make([]team.Candidate, 0, len(members))
	for _, m := range members {
		out = append(out, team.Candidate{Name: m.Name, Role: team.Role(m.Role), Disabled: m.Disabled,
			Online: isOnline[m.Name], Open: load[m.Name]})
	}
	return out, nil
}

// PresenceSweep configures the loop that ends presence whose heartbeats
// stopped and, on the team server, hands out new conversations in turn.
type PresenceSweep struct {
	// Every is the pause between passes; default one second, so a page that
	// stopped typing is shown so within a second of its TypingTTL.
	Every time.Duration
	// OnChange, if set, hears of the conversations whose viewers changed (0:
	// the members online).
	OnChange func(ids []int64)
	// RoundRobin runs AssignRoundRobin on each pass (team server only: the
	// single-person app has nobody to share with); OnAssign hears of the
	// conversations it assigned.
	RoundRobin bool
	OnAssign   func(ids []int64)
}

func (w *Workspace) runPresenceSweep(ctx context.Context, sw *PresenceSweep) {
	every := sw.Every
	if every <= 0 {
		every = time.Second
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		changed, err := w.Store.ExpirePresence(ctx)
		switch {
		case err != nil && ctx.Err() != nil:
			return
		case err != nil:
			w.Log.Warn("expire presence", "err", err)
		case len(changed) > 0 && sw.OnChange != nil:
			sw.OnChange(changed)
		}
		if sw.RoundRobin {
			assigned, err := w.AssignRoundRobin(ctx)
			if err != nil && ctx.Err() == nil && !errors.Is(err, context.Canceled) {
				w.Log.Warn("round-robin assignment", "err", err)
			}
			if len(assigned) > 0 {
				w.Log.Info("round-robin assigned", "conversations", len(assigned))
				if sw.OnAssign != nil {
					sw.OnAssign(assigned)
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// Presence is the store's presence, for the bound service.
func (w *Workspace) Presence(ctx context.Context, ids ...int64) ([]store.ConversationViewers, error) {
	return w.Store.Presence(ctx, ids...)
}
