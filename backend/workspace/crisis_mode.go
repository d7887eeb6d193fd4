package workspace

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/crisis"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
)

// SetCrisisMode opens (on) or ends crisis mode for a brand account and
// records who did it on the crisis timeline. Switching to the state the
// account is already in records nothing.
func (w *Workspace) SetCrisisMode(ctx context.Context, accountName string, on bool, who string) error {
	acc, err := w.Store.AccountByName(ctx, accountName)
	if errors.Is(err, store.ErrNotFound) {
		// A listening topic's stream has no account of its own: its crisis
		// mode is that of its brand's accounts (crisis_topics.go).
		accs, ok, terr := w.TopicAccounts(ctx, accountName)
		if terr != nil {
			return fmt.Errorf("crisis mode for %q: %w", accountName, terr)
		}
		if ok {
			for _, a := range accs {
				if err := w.SetCrisisMode(ctx, a.Name, on, who); err != nil {
					return err
				}
			}
			return nil
		}
	}
	if err != nil {
		return fmt.Errorf("crisis mode for %q: %w", accountName, err)
	}
	was, err := w.Store.InCrisis(ctx, acc.ID)
	if err != nil {
		return err
	}
	if was == on {
		return nil
	}
	if err := w.Store.SetCrisis(ctx, acc.ID, on); err != nil {
		return err
	}
	kind := store.CrisisClosed
	if on {
		kind = store.CrisisOpened
	}
	return w.addCrisisEvent(ctx, store.CrisisEvent{AccountID: acc.ID, Kind: kind, Text: who})
}

// OnCrisisEvent sets fn to hear of every timeline entry recorded from now on
// (the window reloads the timeline it shows); nil stops it.
func (w *Workspace) OnCrisisEvent(fn func(store.CrisisEvent)) {
	w.crisisMu.Lock()
	defer w.crisisMu.Unlock()
	w.onCrisisEvent = fn
}

// addCrisisEvent stores a timeline entry and tells the OnCrisisEvent listener.
func (w *Workspace) addCrisisEvent(ctx context.Context, e store.CrisisEvent) error {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	id, err := w.Store.AddCrisisEvent(ctx, e)
	if err != nil {
		return err
	}
	e.ID = id
	w.crisisMu.Lock()
	fn := w.onCrisisEvent
	w.crisisMu.Unlock()
	if fn != nil {
		fn(e)
	}
	return nil
}

// TimelineEntry is one line of a crisis timeline: a recorded event, or (Kind
// "volume") an hour's inbound and negative counts.
type TimelineEntry struct {
	At       time.Time             `json:"at" ts_type:"string"`
	Kind     store.CrisisEventKind `json:"kind"`
	Text     string                `json:"text"`
	Ref      string                `json:"ref"`
	Inbound  int                   `json:"inbound"`
	Negative int                   `json:"negative"`
}

// Timeline returns the current crisis of an account, oldest first: the events
// recorded since crisis mode was opened and the hourly volume since then. An
// account not in crisis has an empty timeline.
func (w *Workspace) Timeline(ctx context.Context, accountName string, now time.Time) ([]TimelineEntry, error) {
	acc, err := w.Store.AccountByName(ctx, accountName)
	if err != nil {
		return nil, fmt.Errorf("crisis timeline of %q: %w", accountName, err)
	}
	since, on, err := w.Store.CrisisSince(ctx, acc.ID)
	if err != nil || !on {
		return []TimelineEntry{}, err
	}
	events, err := w.Store.CrisisTimeline(ctx, acc.ID, since)
	if err != nil {
		return nil, err
	}
	bins, err := w.Store.HourlyVolume(ctx, acc.ID, since, now)
	if err != nil {
		return nil, err
	}
	out := make([]TimelineEntry, 0, len(events)+len(bins))
	bi := 0
	for _, e := range events {
		// An hour's volume sorts by the hour's start, before the events inside it.
		for bi < len(bins) && bins[bi].Hour.Before(e.At) {
			out = append(out, volumeEntry(bins[bi]))
			bi++
		}
		out = append(out, TimelineEntry{At: e.At, Kind: e.Kind, Text: e.Text, Ref: e.Ref})
	}
	for ; bi < len(bins); bi++ {
		out = append(out, volumeEntry(bins[bi]))
	}
	return out, nil
}

func volumeEntry(b store.VolumeBin) TimelineEntry {
	return TimelineEntry{At: b.Hour, Kind: store.CrisisVolume, Inbound: b.Inbound, Negative: b.Negative}
}

// recordIfInCrisis adds an event to the account's timeline when it is in crisis.
func (w *Workspace) recordIfInCrisis(ctx context.Context, accountID int64, e store.CrisisEvent) error {
	on, err := w.Store.InCrisis(ctx, accountID)
	if err != nil || !on {
		return err
	}
	e.AccountID = accountID
	return w.addCrisisEvent(ctx, e)
}

// recordAlert puts a new alert on the timeline of its account when that
// account is in crisis, at the time it was found (at): the message that
// crossed the threshold may predate the opening of crisis mode.
func (w *Workspace) recordAlert(ctx context.Context, a crisis.Alert, at time.Time) error {
	acc, err := w.Store.AccountByName(ctx, a.Key.Account)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	text := fmt.Sprintf("%s: %.0f negatives (baseline %.1f) since %s", a.Key.Channel, a.Observed, a.Baseline, a.DetectedAt.UTC().Format(time.RFC3339))
	return w.recordIfInCrisis(ctx, acc.ID, store.CrisisEvent{At: at, Kind: store.CrisisAlert, Text: text})
}

// SaveKBEntry stores a knowledge-base entry; an entry for a brand with an
// account in crisis is an approved statement and goes on that account's timeline.
func (w *Workspace) SaveKBEntry(ctx context.Context, e drafts.KBEntry, now time.Time) error {
	if err := w.Store.PutKBEntry(ctx, e, now); err != nil {
		return err
	}
	accs, err := w.Store.Accounts(ctx)
	if err != nil {
		return err
	}
	for _, acc := range accs {
		if e.Brand != "" && acc.Brand != e.Brand {
			continue
		}
		if err := w.recordIfInCrisis(ctx, acc.ID, store.CrisisEvent{At: now, Kind: store.CrisisStatement, Text: e.Title, Ref: e.ID}); err != nil {
			return err
		}
	}
	return nil
}

// DraftForGroup creates one draft with the same text in each conversation of
// a group of near-duplicate complaints, so one statement answers them all.
// Each draft still goes through approval (PR-lead approval in crisis mode);
// nothing is sent here. Conversations listed twice get one draft.
func (c *Composer) DraftForGroup(ctx context.Context, conversationIDs []int64, text string, actor drafts.Actor) ([]drafts.Reply, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, errors.New("draft for group: the statement is empty")
	}
	if len(conversationIDs) == 0 {
		return nil, errors.New("draft for group: no conversations")
	}
	seen := map[int64]bool{}
	out := make([]drafts.Reply, 0, len(conversationIDs))
	now := time.Now()
	for _, id := range conversationIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		conv, err := c.ws.Store.ConversationByID(ctx, id)
		if err != nil {
			return out, fmt.Errorf("draft for group, conversation %d: %w", id, err)
		}
		inCrisis, err := c.ws.Store.InCrisis(ctx, conv.AccountID)
		if err != nil {
			return out, err
		}
		r, entry, err := drafts.NewReply(newReplyID(), id, drafts.Draft{Text: text, Source: drafts.SourceCanned}, actor, inCrisis, now)
		if err != nil {
			return out, err
		}
		// One statement for many: its links, phones, deadlines and amounts are
		// checked against each brand's KB like any other draft, before approval.
		kb, brand, err := c.conversationBacking(ctx, id)
		if err != nil {
			return out, fmt.Errorf("draft for group, conversation %d: %w", id, err)
		}
		r = drafts.RecheckReply(r, kb, brand)
		if err := c.ws.Store.CreateReply(ctx, r, entry); err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

// ModerationWarning explains why hiding or deleting a message needs a second
// thought; Critical means it must be confirmed explicitly.
type ModerationWarning struct {
	Critical bool     `json:"critical"`
	Reasons  []string `json:"reasons"`
}

// InfluencerReach is the reach from which an author's message counts as critical to moderate.
const InfluencerReach = 10_000

// Moderation reasons, stable codes the UI translates.
const (
	ReasonNegative   = "negative"
	ReasonInfluencer = "influencer"
	ReasonCrisis     = "crisis"
)

// Moderate hides or deletes a stored inbound message through its account's
// connector. A negative message, one from an author with reach >= 10k, or one
// in an account in crisis mode is critical: without confirm it is left alone
// and the warning says why (transparency: critics are never silenced by
// accident). Moderation during a crisis is noted on the timeline.
func (w *Workspace) Moderate(ctx context.Context, sec SecretStore, messageID int64, action channels.ModerationAction, confirm bool, who string) (ModerationWarning, error) {
	if action != channels.ActionHide && action != channels.ActionDelete && action != channels.ActionUnhide {
		return ModerationWarning{}, fmt.Errorf("moderate message %d: unknown action %q (hide, unhide or delete)", messageID, action)
	}
	t, err := w.Store.ModerationTarget(ctx, messageID)
	if err != nil {
		return ModerationWarning{}, err
	}
	if t.Direction != inbox.DirectionIn {
		return ModerationWarning{}, fmt.Errorf("moderate message %d: only customers' messages can be hidden or deleted", messageID)
	}
	inCrisis, err := w.Store.InCrisis(ctx, t.AccountID)
	if err != nil {
		return ModerationWarning{}, err
	}
	warn := ModerationWarning{Reasons: []string{}}
	if t.Sentiment == inbox.SentimentNegative {
		warn.Reasons = append(warn.Reasons, ReasonNegative)
	}
	if t.Reach >= InfluencerReach {
		warn.Reasons = append(warn.Reasons, ReasonInfluencer)
	}
	if inCrisis {
		warn.Reasons = append(warn.Reasons, ReasonCrisis)
	}
	// Showing a hidden message again silences no one, so it needs no confirmation.
	warn.Critical = len(warn.Reasons) > 0 && action != channels.ActionUnhide
	if warn.Critical && !confirm {
		return warn, nil
	}
	acc, err := w.Store.AccountByID(ctx, t.AccountID)
	if err != nil {
		return warn, err
	}
	_, conn, err := w.Connector(ctx, sec, acc.Name)
	if err != nil {
		return warn, fmt.Errorf("account %s cannot moderate: %w", acc.Name, err)
	}
	mod, ok := conn.(channels.Moderator)
	if !ok {
		return warn, fmt.Errorf("account %s (%s) cannot hide or delete messages", acc.Name, acc.Channel)
	}
	if err := mod.Moderate(ctx, channels.Moderation{ExternalID: t.ExternalID, ThreadKey: t.ThreadKey, Action: action}); err != nil {
		return warn, err
	}
	w.Log.Info("message moderated", "message", messageID, "action", action, "by", who, "critical", warn.Critical)
	if inCrisis {
		note := fmt.Sprintf("%s %sd a message by %s", who, action, t.Author)
		if err := w.recordIfInCrisis(ctx, t.AccountID, store.CrisisEvent{Kind: store.CrisisNote, Text: note, Ref: fmt.Sprint(messageID)}); err != nil {
			return warn, err
		}
	}
	return warn, nil
}

// GroupConversations maps an alert's samples (text and time) to the
// conversations they belong to; index i of the result is sample i's
// conversation, 0 when it is not stored.
func (w *Workspace) GroupConversations(ctx context.Context, account string, samples []crisis.Sample) ([]int64, error) {
	out := make([]int64, len(samples))
	for i, s := range samples {
		id, _, err := w.Store.ConversationOfMessage(ctx, account, s.At, s.Text)
		if err != nil {
			return nil, err
		}
		out[i] = id
	}
	return out, nil
}

// BurstGroup is a group of near-duplicate complaints of one burst: the
// conversations they came from (each once) and a few of the texts.
type BurstGroup struct {
	Messages        int      `json:"messages"`
	ConversationIDs []int64  `json:"conversationIds"`
	Examples        []string `json:"examples"`
}

// maxBurstMessages bounds the messages grouped per alert; a burst larger than
// that is grouped on its first messages.
const maxBurstMessages = 2000

// burstGroupSpan is the least span after an alert's start whose complaints
// are grouped (the detector's one-hour window).
const burstGroupSpan = time.Hour

// BurstGroups groups the negative messages of an alert's burst (from the
// window's start to the latest of detection, the window's end and an hour
// after the start) by near-duplicate text, largest first; only groups of two
// or more messages. The alert's five samples skip near-copies by design, so
// groups come from the stored messages instead. The hour matters for the
// sequential test, whose window ends at detection: a statement answers the
// burst as it goes on, not only the complaints that tipped the alert.
func (w *Workspace) BurstGroups(ctx context.Context, account string, start, detectedAt time.Time, window time.Duration) ([]BurstGroup, error) {
	end := detectedAt
	for _, e := range []time.Time{start.Add(window), start.Add(burstGroupSpan)} {
		if end.Before(e) {
			end = e
		}
	}
	msgs, err := w.Store.NegativeInbound(ctx, account, start, end, maxBurstMessages)
	if err != nil {
		return nil, err
	}
	texts := make([]string, len(msgs))
	for i, m := range msgs {
		texts[i] = m.Text
	}
	out := []BurstGroup{}
	for _, g := range crisis.GroupNearDuplicates(texts) {
		if len(g) < 2 {
			continue
		}
		bg := BurstGroup{Messages: len(g)}
		seen := map[int64]bool{}
		for _, i := range g {
			if c := msgs[i].ConversationID; !seen[c] {
				seen[c] = true
				bg.ConversationIDs = append(bg.ConversationIDs, c)
			}
			if len(bg.Examples) < 3 {
				bg.Examples = append(bg.Examples, msgs[i].Text)
			}
		}
		out = append(out, bg)
	}
	return out, nil
}
