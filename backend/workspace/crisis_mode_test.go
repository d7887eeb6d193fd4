package workspace

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/telegram/telegramfake"
	"github.com/stormdesk/stormdesk/backend/crisis"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
)

// TestCrisisTimelineRecordsOpeningAlertReplyAndStatement opens crisis mode on
// the demo's burst account, feeds a new burst, queues a reply and saves a
// statement, and expects them on the timeline in that order.
func TestCrisisTimelineRecordsOpeningAlertReplyAndStatement(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	ws := openWS(t)
	if _, err := ws.SeedDemoIfEmpty(ctx, now, "me"); err != nil {
		t.Fatal(err)
	}
	m := ws.NewCrisisMonitor(nil)
	if err := m.replay(ctx); err != nil {
		t.Fatal(err)
	}
	var key crisis.Key
	for _, a := range alertsOf(t, m) {
		if strings.HasPrefix(a.Key.Account, "sever-telecom") {
			key = a.Key
			break
		}
	}
	if key.Account == "" {
		t.Fatal("no demo burst alert")
	}
	if tl, err := ws.Timeline(ctx, key.Account, time.Now()); err != nil || len(tl) != 0 {
		t.Fatalf("timeline before crisis = %+v, %v", tl, err)
	}
	if err := ws.SetCrisisMode(ctx, key.Account, true, "pr-lead"); err != nil {
		t.Fatal(err)
	}
	if err := ws.SetCrisisMode(ctx, key.Account, true, "pr-lead"); err != nil { // already on: no second entry
		t.Fatal(err)
	}
	var items []inbox.Item
	for i := 0; i < 40; i++ {
		items = append(items, inbox.Item{ExternalID: fmt.Sprint("storm-", i), ThreadKey: fmt.Sprint("storm-", i), Direction: inbox.DirectionIn, Kind: inbox.KindComment,
			Text: "интернет опять не работает, авария", Sentiment: inbox.SentimentNegative,
			SentAt: now.Add(-20*time.Minute + time.Duration(i)*20*time.Second), Author: inbox.Author{Handle: fmt.Sprint("u", i)}})
	}
	acc := inbox.Account{Channel: key.Channel, Name: key.Account}
	if _, err := ws.Pipeline.Ingest(ctx, acc, items); err != nil {
		t.Fatal(err)
	}
	if err := m.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	// The 40 identical complaints form one group across their 40 conversations; the older demo burst is outside the window.
	// The alert they opened is the first detected after the first of them.
	var fresh crisis.Alert
	var seen []string
	for _, a := range alertsOf(t, m) {
		if a.Key != key {
			continue
		}
		seen = append(seen, fmt.Sprintf("%s..%s (observed %.0f, sequential %v, escalation %v)",
			a.Start.Sub(items[0].SentAt).Round(time.Second), a.DetectedAt.Sub(items[0].SentAt).Round(time.Second), a.Observed, a.Sequential, a.Escalation))
		if !a.DetectedAt.Before(items[0].SentAt) && (fresh.DetectedAt.IsZero() || a.DetectedAt.Before(fresh.DetectedAt)) {
			fresh = a
		}
	}
	if fresh.DetectedAt.IsZero() {
		t.Fatalf("the storm raised no alert; alerts of %s, from the storm's first message: %v", key, seen)
	}
	groups, err := ws.BurstGroups(ctx, key.Account, fresh.Start, fresh.DetectedAt, fresh.Window())
	if err != nil || len(groups) == 0 {
		t.Fatalf("burst groups = %+v, %v", groups, err)
	}
	if g := groups[0]; g.Messages < 8 || len(g.ConversationIDs) != g.Messages || len(g.Examples) != 3 || g.Examples[0] != items[0].Text {
		t.Errorf("largest group = %d messages, %d conversations, examples %q; alerts of %s, from the storm's first message: %v",
			g.Messages, len(g.ConversationIDs), g.Examples, key, seen)
	}
	stored, err := ws.Store.AccountByName(ctx, key.Account)
	if err != nil {
		t.Fatal(err)
	}
	conv, ok, err := ws.Store.ConversationOfMessage(ctx, key.Account, items[0].SentAt, items[0].Text)
	if err != nil || !ok {
		t.Fatalf("conversation of a storm message: %v %v", ok, err)
	}
	c := ws.NewComposer(&memSecrets{m: map[string]string{}})
	agent := drafts.Actor{Name: "anna", Role: drafts.RoleAgent}
	lead := drafts.Actor{Name: "lena", Role: drafts.RoleApprover}
	rs, err := c.DraftForGroup(ctx, []int64{conv}, "Мы знаем об аварии и чиним.", agent)
	if err != nil {
		t.Fatal(err)
	}
	r := rs[0]
	for _, st := range []struct {
		who drafts.Actor
		s   drafts.Step
	}{{agent, drafts.Step{Action: drafts.ActionSubmit}}, {lead, drafts.Step{Action: drafts.ActionApprove}}, {agent, drafts.Step{Action: drafts.ActionQueue}}} {
		if r, err = c.Step(ctx, r.ID, st.who, st.s); err != nil {
			t.Fatalf("%s: %v", st.s.Action, err)
		}
	}
	if err := ws.SaveKBEntry(ctx, drafts.KBEntry{ID: "outage-statement", Title: "Outage statement", Text: "We are fixing it.", Brand: stored.Brand}, time.Now()); err != nil {
		t.Fatal(err)
	}
	tl, err := ws.Timeline(ctx, key.Account, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var kinds []store.CrisisEventKind
	volume := 0
	for i, e := range tl {
		if i > 0 && e.At.Before(tl[i-1].At) {
			t.Errorf("timeline out of order at %d: %+v", i, tl)
		}
		if e.Kind == store.CrisisVolume {
			volume++
			continue
		}
		// The storm may also escalate an alert the demo's own traffic
		// raised minutes before it (which depends on the time of day the
		// demo is seeded at): alerts in a row count as one here.
		if e.Kind == store.CrisisAlert && len(kinds) > 0 && kinds[len(kinds)-1] == store.CrisisAlert {
			continue
		}
		kinds = append(kinds, e.Kind)
	}
	// The queued reply is not on it: replies enter the timeline when sent
	// (TestCrisisReplyEntersTimelineWhenSent); this demo account has no connector.
	want := []store.CrisisEventKind{store.CrisisOpened, store.CrisisAlert, store.CrisisStatement}
	if !slices.Equal(kinds, want) {
		t.Fatalf("timeline kinds = %v, want %v; %+v", kinds, want, tl)
	}
	if volume == 0 {
		t.Error("no hourly volume on the timeline")
	}
	if i := slices.IndexFunc(tl, func(e TimelineEntry) bool { return e.Kind == store.CrisisOpened }); tl[i].Text != "pr-lead" {
		t.Errorf("opening entry %+v does not say who", tl[i])
	}
	if err := ws.SetCrisisMode(ctx, key.Account, false, "pr-lead"); err != nil {
		t.Fatal(err)
	}
	events, _ := ws.Store.CrisisTimeline(ctx, stored.ID, time.Time{})
	if last := events[len(events)-1]; last.Kind != store.CrisisClosed {
		t.Errorf("closing not recorded: %+v", last)
	}
}

// queueDM queues a private message from chat to the fake, sent now.
func queueDM(t *testing.T, fake *telegramfake.Server, chat, msg int, text string) {
	t.Helper()
	u := fmt.Sprintf(`[{"message":{"message_id":%d,"chat":{"id":%d,"type":"private"},"from":{"id":%d,"is_bot":false,"first_name":"C%d"},"date":%d,"text":%q}}]`,
		msg, chat, chat, chat, time.Now().Add(-time.Minute).Unix(), text)
	if _, err := fake.Queue([]byte(u)); err != nil {
		t.Fatal(err)
	}
}

// telegramChats saves a bot account against the fake and syncs what is
// queued; it returns the account name and the conversation ids, oldest first.
func telegramChats(t *testing.T, ws *Workspace, sec *memSecrets, fake *telegramfake.Server, token string) (string, []int64) {
	t.Helper()
	ctx := context.Background()
	acc, err := ws.SaveAccount(ctx, sec, AccountInput{Name: "acme-bot", Channel: inbox.ChannelTelegram, Brand: "Acme",
		Settings: `{"baseUrl":"` + fake.URL + `"}`, Secrets: map[string]string{"token": token}})
	if err != nil {
		t.Fatal(err)
	}
	_, conn, err := ws.Connector(ctx, sec, acc.Name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Pipeline.Sync(ctx, ws.Store, acc, conn, nil); err != nil {
		t.Fatal(err)
	}
	page, err := ws.Store.Conversations(ctx, store.InboxQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, c := range page.Items {
		ids = append(ids, c.ID)
	}
	slices.Sort(ids)
	return acc.Name, ids
}

func TestDraftForGroupCreatesOneDraftPerConversationNoneSent(t *testing.T) {
	ctx := context.Background()
	const token = "123:tok"
	fake := telegramfake.New(token)
	defer fake.Close()
	ws := openWS(t)
	sec := &memSecrets{m: map[string]string{}}
	queueDM(t, fake, 42, 7, "Where is my parcel? It is two weeks late.")
	queueDM(t, fake, 43, 8, "Where is my parcel? Also two weeks late.")
	name, convs := telegramChats(t, ws, sec, fake, token)
	if len(convs) != 2 {
		t.Fatalf("%d conversations", len(convs))
	}
	c := ws.NewComposer(sec)
	agent := drafts.Actor{Name: "anna", Role: drafts.RoleAgent}
	const text = "We are sorry: parcels are delayed by a warehouse fire; all will ship this week."

	if _, err := c.DraftForGroup(ctx, convs, "   ", agent); err == nil {
		t.Error("empty statement accepted")
	}
	// Outside a crisis: drafts need only the author's approval.
	rs, err := c.DraftForGroup(ctx, []int64{convs[0]}, text, agent)
	if err != nil || len(rs) != 1 || rs[0].Approval.NeedsApprover {
		t.Fatalf("normal draft = %+v, %v", rs, err)
	}
	if err := ws.SetCrisisMode(ctx, name, true, "lena"); err != nil {
		t.Fatal(err)
	}
	rs, err = c.DraftForGroup(ctx, []int64{convs[0], convs[1], convs[0]}, text, agent)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].ConversationID != convs[0] || rs[1].ConversationID != convs[1] {
		t.Fatalf("drafts = %+v, want one per conversation", rs)
	}
	for _, r := range rs {
		if r.State != drafts.StateDraft || r.Text != text || r.Source != drafts.SourceCanned || !r.Approval.NeedsApprover || !r.Approval.TwoPerson {
			t.Errorf("draft %+v: want an unsent crisis draft needing a second approver", r)
		}
		stored, err := ws.Store.RepliesByConversation(ctx, r.ConversationID)
		if err != nil || len(stored) == 0 {
			t.Errorf("conversation %d has no stored reply: %v", r.ConversationID, err)
		}
	}
	if sent, _, err := c.outbox.RunOnce(ctx, time.Now().Add(time.Hour)); err != nil || sent != 0 || len(fake.Sent()) != 0 {
		t.Fatalf("outbox sent %d (%v); group drafts must wait for approval", sent, err)
	}
	if _, err := c.DraftForGroup(ctx, []int64{999999}, text, agent); err == nil {
		t.Error("unknown conversation accepted")
	}
}

func TestModerateWarnsBeforeSilencingCritics(t *testing.T) {
	ctx := context.Background()
	const token = "123:tok"
	fake := telegramfake.New(token)
	defer fake.Close()
	ws := openWS(t)
	sec := &memSecrets{m: map[string]string{}}
	queueDM(t, fake, 42, 7, "This is terrible, the worst service ever. I hate it, you are awful!")
	queueDM(t, fake, 43, 8, "Thank you so much, great help, I love it!")
	name, convs := telegramChats(t, ws, sec, fake, token)
	if len(convs) != 2 {
		t.Fatalf("%d conversations", len(convs))
	}
	msg := func(conv int64) inbox.Message {
		th, err := ws.Store.Thread(ctx, conv)
		if err != nil || len(th) == 0 {
			t.Fatalf("thread %d: %v", conv, err)
		}
		return th[0]
	}
	neg, pos := msg(convs[0]), msg(convs[1])
	if neg.Sentiment != inbox.SentimentNegative || pos.Sentiment == inbox.SentimentNegative {
		t.Fatalf("fixture labels: %q=%s %q=%s", neg.Text, neg.Sentiment, pos.Text, pos.Sentiment)
	}
	deletes := func() int { return len(fake.Calls("deleteMessage")) }

	w, err := ws.Moderate(ctx, sec, neg.ID, channels.ActionDelete, false, "anna")
	if err != nil || !w.Critical || !slices.Equal(w.Reasons, []string{ReasonNegative}) {
		t.Fatalf("unconfirmed delete of a negative message = %+v, %v", w, err)
	}
	if deletes() != 0 {
		t.Fatal("the connector was called without confirmation")
	}
	if _, err := ws.Moderate(ctx, sec, neg.ID, "mute", true, "anna"); err == nil {
		t.Error("unknown action accepted")
	}
	if _, err := ws.Moderate(ctx, sec, neg.ID, channels.ActionHide, true, "anna"); err == nil || !strings.Contains(err.Error(), "cannot hide") {
		t.Errorf("hide on Telegram = %v, want the connector's refusal", err)
	}
	if _, err := ws.Moderate(ctx, sec, neg.ID, channels.ActionDelete, true, "anna"); err != nil {
		t.Fatalf("confirmed delete: %v", err)
	}
	if got := fake.Deleted(); !slices.Equal(got, []string{"42:7"}) {
		t.Fatalf("deleted %v, want 42:7", got)
	}

	// In crisis mode even a friendly message is critical, and acting is noted on the timeline.
	if err := ws.SetCrisisMode(ctx, name, true, "lena"); err != nil {
		t.Fatal(err)
	}
	w, err = ws.Moderate(ctx, sec, pos.ID, channels.ActionDelete, false, "anna")
	if err != nil || !w.Critical || !slices.Equal(w.Reasons, []string{ReasonCrisis}) || deletes() != 1 {
		t.Fatalf("unconfirmed delete in crisis = %+v, %v (deleteMessage calls %d)", w, err, deletes())
	}
	if _, err := ws.Moderate(ctx, sec, pos.ID, channels.ActionDelete, true, "anna"); err != nil {
		t.Fatal(err)
	}
	tl, err := ws.Timeline(ctx, name, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if last := tl[len(tl)-1]; last.Kind != store.CrisisNote || !strings.Contains(last.Text, "anna") || last.Ref != fmt.Sprint(pos.ID) {
		t.Errorf("timeline ends with %+v, want the moderation note", last)
	}
}

func TestModerateNonCriticalActsAtOnce(t *testing.T) {
	ctx := context.Background()
	const token = "123:tok"
	fake := telegramfake.New(token)
	defer fake.Close()
	ws := openWS(t)
	sec := &memSecrets{m: map[string]string{}}
	queueDM(t, fake, 43, 8, "Thank you so much, great help, I love it!")
	_, convs := telegramChats(t, ws, sec, fake, token)
	th, _ := ws.Store.Thread(ctx, convs[0])
	w, err := ws.Moderate(ctx, sec, th[0].ID, channels.ActionDelete, false, "anna")
	if err != nil || w.Critical || len(fake.Deleted()) != 1 {
		t.Fatalf("non-critical delete = %+v, %v; deleted %v", w, err, fake.Deleted())
	}
}

// TestCrisisReplyEntersTimelineWhenSent: a reply queued during a crisis is on
// the timeline only once the outbox has sent it (through the real Telegram
// client), at the send time, and every entry is announced to the listener.
func TestCrisisReplyEntersTimelineWhenSent(t *testing.T) {
	ctx := context.Background()
	const token = "123:tok"
	fake := telegramfake.New(token)
	defer fake.Close()
	ws := openWS(t)
	sec := &memSecrets{m: map[string]string{}}
	queueDM(t, fake, 42, 7, "Your service is down again!")
	name, convs := telegramChats(t, ws, sec, fake, token)
	var heard []store.CrisisEventKind
	ws.OnCrisisEvent(func(e store.CrisisEvent) { heard = append(heard, e.Kind) })
	if err := ws.SetCrisisMode(ctx, name, true, "lena"); err != nil {
		t.Fatal(err)
	}
	c := ws.NewComposer(sec)
	agent := drafts.Actor{Name: "anna", Role: drafts.RoleAgent}
	lead := drafts.Actor{Name: "lena", Role: drafts.RoleApprover}
	rs, err := c.DraftForGroup(ctx, convs, "We know about the outage and are fixing it.", agent)
	if err != nil {
		t.Fatal(err)
	}
	r := rs[0]
	for _, st := range []struct {
		who drafts.Actor
		s   drafts.Step
	}{{agent, drafts.Step{Action: drafts.ActionSubmit}}, {lead, drafts.Step{Action: drafts.ActionApprove}}, {agent, drafts.Step{Action: drafts.ActionQueue}}} {
		if r, err = c.Step(ctx, r.ID, st.who, st.s); err != nil {
			t.Fatalf("%s: %v", st.s.Action, err)
		}
	}
	kinds := func() []store.CrisisEventKind {
		tl, err := ws.Timeline(ctx, name, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		var out []store.CrisisEventKind
		for _, e := range tl {
			if e.Kind != store.CrisisVolume {
				out = append(out, e.Kind)
			}
		}
		return out
	}
	if got := kinds(); !slices.Equal(got, []store.CrisisEventKind{store.CrisisOpened}) {
		t.Fatalf("timeline after queueing = %v, want only the opening", got)
	}
	sendAt := time.Now().Add(time.Minute).Truncate(time.Second) // Telegram dates have whole seconds
	fake.Now = func() time.Time { return sendAt }
	if sent, _, err := c.outbox.RunOnce(ctx, sendAt); err != nil || sent != 1 || len(fake.Sent()) != 1 {
		t.Fatalf("outbox sent %d, %v", sent, err)
	}
	if got := kinds(); !slices.Equal(got, []store.CrisisEventKind{store.CrisisOpened, store.CrisisReply}) {
		t.Fatalf("timeline after sending = %v", got)
	}
	events, _ := ws.Store.CrisisTimeline(ctx, mustAccountID(t, ws, name), time.Time{})
	if e := events[len(events)-1]; e.Ref != r.ID || e.Text != r.Text || !e.At.Equal(sendAt) {
		t.Errorf("reply entry = %+v, want reply %s at %v", e, r.ID, sendAt)
	}
	if !slices.Equal(heard, []store.CrisisEventKind{store.CrisisOpened, store.CrisisReply}) {
		t.Errorf("listener heard %v", heard)
	}
}

func mustAccountID(t *testing.T, ws *Workspace, name string) int64 {
	t.Helper()
	acc, err := ws.Store.AccountByName(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return acc.ID
}

// TestModerationWarningReasons covers the guard's reasons one by one,
// including the influencer threshold (reach >= 10,000) at its edge.
func TestModerationWarningReasons(t *testing.T) {
	ctx := context.Background()
	ws := openWS(t)
	sec := &memSecrets{m: map[string]string{}}
	tests := []struct {
		name      string
		sentiment inbox.Sentiment
		reach     int64
		crisis    bool
		want      []string
	}{
		{"plain", inbox.SentimentNeutral, 0, false, nil},
		{"just below influencer", inbox.SentimentPositive, InfluencerReach - 1, false, nil},
		{"influencer at the threshold", inbox.SentimentNeutral, InfluencerReach, false, []string{ReasonInfluencer}},
		{"negative influencer", inbox.SentimentNegative, 250_000, false, []string{ReasonNegative, ReasonInfluencer}},
		{"negative", inbox.SentimentNegative, 10, false, []string{ReasonNegative}},
		{"influencer in crisis", inbox.SentimentPositive, 50_000, true, []string{ReasonInfluencer, ReasonCrisis}},
		{"everything", inbox.SentimentNegative, 10_000, true, []string{ReasonNegative, ReasonInfluencer, ReasonCrisis}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			acc := inbox.Account{Name: fmt.Sprint("import-", i), Channel: inbox.ChannelImport}
			it := inbox.Item{ExternalID: "m", ThreadKey: "t", Kind: inbox.KindComment, Direction: inbox.DirectionIn, Text: "a comment",
				SentAt: time.Now().Add(-time.Hour), Sentiment: tt.sentiment,
				Author: inbox.Author{ExternalID: fmt.Sprint("author-", i), Handle: "@a", Reach: tt.reach}}
			if _, err := ws.Pipeline.Ingest(ctx, acc, []inbox.Item{it}); err != nil {
				t.Fatal(err)
			}
			if tt.crisis {
				if err := ws.SetCrisisMode(ctx, acc.Name, true, "lena"); err != nil {
					t.Fatal(err)
				}
			}
			stored, _ := ws.Store.AccountByName(ctx, acc.Name)
			conv, _ := ws.Store.ConversationIDByThreadKey(ctx, stored.ID, "t")
			th, _ := ws.Store.Thread(ctx, conv)
			w, err := ws.Moderate(ctx, sec, th[0].ID, channels.ActionHide, false, "anna")
			if len(tt.want) == 0 {
				// Not critical: it goes straight on to act, which an import account cannot.
				if w.Critical || len(w.Reasons) != 0 || err == nil {
					t.Fatalf("warning %+v, err %v; want no reasons and the connector's refusal", w, err)
				}
				return
			}
			if err != nil || !w.Critical || !slices.Equal(w.Reasons, tt.want) {
				t.Fatalf("warning %+v, %v; want critical %v", w, err, tt.want)
			}
		})
	}
}

// TestDraftForGroupChecksTheStatement: one statement drafted for many
// conversations is checked like any draft before it reaches approval.
func TestDraftForGroupChecksTheStatement(t *testing.T) {
	ctx := context.Background()
	const token = "123:tok"
	fake := telegramfake.New(token)
	defer fake.Close()
	ws := openWS(t)
	sec := &memSecrets{m: map[string]string{}}
	queueDM(t, fake, 42, 7, "Where is my parcel? It is two weeks late.")
	_, convs := telegramChats(t, ws, sec, fake, token)
	c := ws.NewComposer(sec)
	agent := drafts.Actor{Name: "anna", Role: drafts.RoleAgent}
	rs, err := c.DraftForGroup(ctx, convs, "Sorry for the delay. Call +1 800 555 0199 for a $50 credit.", agent)
	if err != nil || len(rs) != 1 {
		t.Fatalf("DraftForGroup = %+v, %v", rs, err)
	}
	stored, err := ws.Store.RepliesByConversation(ctx, convs[0])
	if err != nil || len(stored) != 1 {
		t.Fatalf("stored replies %+v, %v", stored, err)
	}
	for _, want := range []string{drafts.ProblemUnlistedPhone, drafts.ProblemUnbackedAmount} {
		found := false
		for _, p := range stored[0].Problems {
			found = found || strings.HasPrefix(p, want)
		}
		if !found {
			t.Errorf("problems %v lack %s", stored[0].Problems, want)
		}
	}
}

// TestDemoBurstHasNearDuplicatesAtAnyHour checks that the demo outage, which
// follows the clock, always gives an alert whose burst groups near-duplicate
// complaints from two or more conversations (crisis mode's group statement
// needs one), whatever the hour the demo is generated at.
func TestDemoBurstHasNearDuplicatesAtAnyHour(t *testing.T) {
	ctx := context.Background()
	base := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	for _, offset := range []time.Duration{0, 4*time.Hour + 30*time.Minute, 8*time.Hour + 30*time.Minute, 13 * time.Hour, 17*time.Hour + 30*time.Minute, 23 * time.Hour} {
		now := base.Add(offset)
		t.Run(now.Format("15:04"), func(t *testing.T) {
			ws := openWS(t)
			if _, err := ws.SeedDemoIfEmpty(ctx, now, "me"); err != nil {
				t.Fatal(err)
			}
			m := ws.NewCrisisMonitor(nil)
			m.now = func() time.Time { return now }
			if err := m.replay(ctx); err != nil {
				t.Fatal(err)
			}
			var seen []string
			for _, a := range alertsOf(t, m) {
				if !strings.HasPrefix(a.Key.Account, "sever-telecom") {
					continue
				}
				seen = append(seen, a.Key.Account)
				groups, err := ws.BurstGroups(ctx, a.Key.Account, a.Start, a.DetectedAt, a.Window())
				if err != nil {
					t.Fatal(err)
				}
				if len(groups) > 0 && len(groups[0].ConversationIDs) >= 2 {
					return
				}
			}
			t.Errorf("no alert on the demo outage groups near-duplicates from two conversations (alerts on %v)", seen)
		})
	}
}
