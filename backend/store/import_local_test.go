package store_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/demo"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/moderation"
	"github.com/stormdesk/stormdesk/backend/sla"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// The moving-in tests read a real SQLite store, filled as the window fills
// it, into a real PostgreSQL database, whichever engine the package run is
// for (the source is always a desktop's file).

var importNow = time.Now().UTC().Truncate(time.Millisecond)

// importSearches are words whose stemmed forms occur in the seeded messages:
// the search must find the same messages on both stores.
var importSearches = []string{"parcels", "delayed", "посылка", "задерживается", "Lieferung", "verspätet", `"seat layout"`, "refund*", "-refund OR посылки"}

// seedLocal builds a desktop's store: the demo data set, messages in three
// languages, replies in several states with their audit, notes, a snooze,
// tags, a correction, moderation, a crisis note, a saved view and settings.
func seedLocal(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "stormdesk.db")
	ws, err := workspace.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if seeded, err := ws.SeedDemoIfEmpty(ctx, importNow, "anna"); err != nil || !seeded {
		t.Fatalf("demo seed = %v, %v", seeded, err)
	}
	st := ws.Store
	acc := inbox.Account{Channel: inbox.ChannelImport, Name: "press-inbox", Brand: "Acme"}
	items := []inbox.Item{
		{ExternalID: "en-1", ThreadKey: "t-en", Kind: inbox.KindMail, Direction: inbox.DirectionIn, Subject: "Parcels delayed",
			Author: inbox.Author{ExternalID: "alice@example.com", DisplayName: "Alice"}, Text: "My parcels are delayed again and I want a refund.", SentAt: importNow.Add(-3 * time.Hour)},
		{ExternalID: "ru-1", ThreadKey: "t-ru", Kind: inbox.KindMail, Direction: inbox.DirectionIn, Subject: "Посылка",
			Author: inbox.Author{ExternalID: "ivan@example.ru", DisplayName: "Иван"}, Text: "Моя посылка опять задерживается, верните деньги.", SentAt: importNow.Add(-2 * time.Hour)},
		{ExternalID: "de-1", ThreadKey: "t-de", Kind: inbox.KindMail, Direction: inbox.DirectionIn, Subject: "Lieferung",
			Author: inbox.Author{ExternalID: "jörg@example.de", DisplayName: "Jörg"}, Text: "Meine Lieferungen sind schon wieder verspätet. Ich möchte eine Rückerstattung.", SentAt: importNow.Add(-time.Hour)},
		{ExternalID: "en-2", ThreadKey: "t-en", Kind: inbox.KindMail, Direction: inbox.DirectionIn,
			Author: inbox.Author{ExternalID: "alice@example.com"}, Text: "Also the new seat layout is something else.", SentAt: importNow.Add(-30 * time.Minute)},
	}
	if _, err := ws.Pipeline.Ingest(store.AsLive(ctx), acc, items); err != nil {
		t.Fatal(err)
	}
	page, err := st.Conversations(ctx, store.InboxQuery{Limit: 200})
	if err != nil || len(page.Items) < 6 {
		t.Fatalf("seeded inbox: %d conversations, %v", len(page.Items), err)
	}
	convs := page.Items

	agent := drafts.Actor{Name: "anna", Role: drafts.RoleAgent}
	approver := drafts.Actor{Name: "boris", Role: drafts.RoleApprover}
	flows := [][]drafts.Step{
		nil, // a draft
		{{Action: drafts.ActionEdit, Text: "Hello Jörg, we are on it."}, {Action: drafts.ActionSubmit}},
		{{Action: drafts.ActionSubmit}, {Action: drafts.ActionReject, Comment: "too curt"}},
		{{Action: drafts.ActionSubmit}, {Action: drafts.ActionApprove}, {Action: drafts.ActionQueue}},
		{{Action: drafts.ActionSubmit}, {Action: drafts.ActionApprove}, {Action: drafts.ActionQueue},
			{Action: drafts.ActionFail, Reason: "the platform refused it"}, {Action: drafts.ActionDiscard}},
	}
	for i, flow := range flows {
		conv := convs[i%3].ID
		id := fmt.Sprintf("reply-%d", i)
		r, e, err := drafts.NewReply(id, conv, drafts.Draft{Text: "We are checking.", Lang: "en", Source: drafts.SourceOffline, Citations: []string{}, Problems: []string{}}, agent, false, importNow.Add(time.Duration(i)*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if err := st.CreateReply(ctx, r, e); err != nil {
			t.Fatal(err)
		}
		for j, step := range flow {
			who := agent
			switch step.Action {
			case drafts.ActionApprove, drafts.ActionReject:
				who = approver
			case drafts.ActionFail:
				who = drafts.Actor{Name: "outbox", Role: drafts.RoleSystem}
			}
			at := importNow.Add(time.Duration(i)*time.Minute + time.Duration(j+1)*time.Second)
			if _, err := st.ApplyReplyStep(ctx, id, func(r drafts.Reply) (drafts.Reply, drafts.AuditEntry, error) {
				return drafts.Apply(r, who, step, at)
			}); err != nil {
				t.Fatalf("reply %s %s: %v", id, step.Action, err)
			}
		}
		if err := st.LogReplyPrompt(ctx, store.ReplyPrompt{ReplyID: id, Model: "m1", Prompt: []drafts.ChatMessage{{Role: "user", Content: "hi"}}, Usage: drafts.Usage{TotalTokens: 3}, FinishReason: "stop", CreatedAt: importNow}); err != nil {
			t.Fatal(err)
		}
	}
	for i, c := range convs[:4] {
		if _, err := st.AddNote(ctx, c.ID, "anna", fmt.Sprintf("note %d: call back tomorrow", i)); err != nil {
			t.Fatal(err)
		}
	}
	until := importNow.Add(48 * time.Hour)
	if _, err := st.ApplyTriage(ctx, []int64{convs[4].ID}, store.Triage{SnoozeUntil: &until, AddTags: []string{"vip", "press"}}, "anna"); err != nil {
		t.Fatal(err)
	}
	thread, err := st.Thread(ctx, convs[1].ID)
	if err != nil || len(thread) == 0 {
		t.Fatalf("thread: %v", err)
	}
	if err := st.CorrectSentiment(ctx, thread[0].ID, inbox.SentimentNegative, "anna", importNow); err != nil {
		t.Fatal(err)
	}
	if thread[0].Author.ID != 0 {
		if _, err := st.AddModeration(ctx, moderation.Entry{AuthorID: thread[0].Author.ID, AccountID: thread[0].AccountID, Kind: moderation.KindWarning, Reason: "insults", By: "anna", At: importNow}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.AddCrisisEvent(ctx, store.CrisisEvent{AccountID: thread[0].AccountID, At: importNow, Kind: store.CrisisNote, Text: "watch this one", Ref: fmt.Sprint(thread[0].ID)}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveView(ctx, "Press, negative", store.ViewFilters{Base: "tag:press", Sentiment: "negative", Order: store.OrderNewest}); err != nil {
		t.Fatal(err)
	}
	policies := sla.DefaultPolicies()
	policies.Policies[0].WarnShare = 0.6
	raw, err := json.Marshal(policies)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SaveSLAPolicies(ctx, raw); err != nil {
		t.Fatal(err)
	}
	if err := ws.SaveBrand(drafts.Brand{Name: "Acme", Tone: "warm, first names", Signature: "Acme care"}); err != nil {
		t.Fatal(err)
	}
	if err := st.PutSetting(ctx, "llm", `{"baseUrl":"http://llm.test/v1","model":"m1"}`); err != nil {
		t.Fatal(err)
	}
	// As a desktop that spent YouTube units today has it (a third setting:
	// TestImportLocalResumesAfterFailure stops after three).
	if err := st.PutSetting(ctx, "youtube-quota", `{"day":"2026-03-02","used":150}`); err != nil {
		t.Fatal(err)
	}
	seedListening(t, ws)
	return path
}

// seedListening adds to the demo's listening topics and mentions what a
// desktop that listened has: a source with its poll state and cursor, a
// mention seen on a second source, one turned into a conversation, a
// forwarding rule and a digest the ledger says was sent.
func seedListening(t *testing.T, ws *workspace.Workspace) {
	t.Helper()
	ctx := context.Background()
	st := ws.Store
	topics, err := st.ListeningTopics(ctx)
	if err != nil || len(topics) < 2 {
		t.Fatalf("demo topics = %d, %v", len(topics), err)
	}
	brand := topics[0]
	for _, tp := range topics {
		if tp.Kind == store.TopicBrand {
			brand = tp
		}
	}
	src, err := st.SaveListeningSource(ctx, store.ListeningSource{Kind: listening.SourceRSS, Name: "Travel news", Settings: `{"url":"https://travel-news.example/feed"}`, Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	page, err := st.ListeningMentions(ctx, store.ListeningFilter{TopicID: brand.ID, Source: listening.SourceMastodon, Limit: 2}, "")
	if err != nil || len(page.Mentions) < 2 {
		t.Fatalf("demo mastodon mentions: %d, %v", len(page.Mentions), err)
	}
	// The feed carries the first Mastodon post's link: one mention, two sources.
	first := page.Mentions[0]
	if _, err := st.SaveListeningBatch(ctx, store.ListeningBatch{SourceID: src.ID, TopicID: brand.ID, PolledAt: importNow, Cursor: `{"seen":["a"]}`,
		Limits: listening.Limits{Remaining: 42},
		Mentions: []store.ScoredMention{{Mention: listening.Mention{Source: listening.SourceRSS, ExternalID: "tag:feed,1", URL: first.URL,
			Author: "Travel News", Text: first.Text, Published: first.Published, Replies: -1, Reactions: -1}, LinkKey: listening.DedupeKey(listening.Mention{URL: first.URL}),
			Sentiment: first.Sentiment, Score: first.Score}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.ListeningToConversation(ctx, page.Mentions[1].ID); err != nil {
		t.Fatal(err)
	}
	if err := ws.SaveForwardRule(ctx, workspace.ForwardRule{TopicID: brand.ID, What: "digest", Emails: []string{"pr@aurora-air.example"},
		DigestHour: 9, TimeZone: "Europe/Berlin", Lang: "de"}); err != nil {
		t.Fatal(err)
	}
	if err := st.PutSetting(ctx, fmt.Sprintf("listening.forward/digest/topic-%d/2026-03-01/pr@aurora-air.example#1", brand.ID), `{"state":"sent","at":1}`); err != nil {
		t.Fatal(err)
	}
	// An alert held in quiet hours when the desktop was closed.
	if err := st.PutSetting(ctx, "listening.forward.held", fmt.Sprintf(`{"topic-%d":[{"ID":"held-1","Topic":"Aurora Air"}]}`, brand.ID)); err != nil {
		t.Fatal(err)
	}
}

// compareListening requires the same topics, sources (with their state and
// cursors) and mention pages per topic in both stores, topics by name.
func compareListening(t *testing.T, src, dst *store.Store) {
	t.Helper()
	ctx := context.Background()
	ta, err := src.ListeningTopics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := dst.ListeningTopics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	team := map[string]store.ListeningTopic{}
	for _, tp := range tb {
		team[tp.Name] = tp
	}
	sa, _ := src.ListeningSources(ctx)
	sb, _ := dst.ListeningSources(ctx)
	sameJSON(t, "listening sources", sa, sb)
	for _, tp := range ta {
		other, ok := team[tp.Name]
		if !ok {
			t.Fatalf("topic %s is not in the team store", tp.Name)
		}
		pa, err := src.ListeningMentions(ctx, store.ListeningFilter{TopicID: tp.ID, Limit: store.MaxListeningPage}, "")
		if err != nil {
			t.Fatal(err)
		}
		pb, err := dst.ListeningMentions(ctx, store.ListeningFilter{TopicID: other.ID, Limit: store.MaxListeningPage}, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(pa.Mentions) == 0 {
			t.Fatalf("topic %s has no mentions: the test checks nothing", tp.Name)
		}
		sameJSON(t, "mentions of "+tp.Name, listeningView(pa.Mentions), listeningView(pb.Mentions))
		for _, s := range sa {
			ca, _ := src.ListeningCursor(ctx, s.ID, tp.ID)
			for _, s2 := range sb {
				if s2.Name == s.Name {
					cb, _ := dst.ListeningCursor(ctx, s2.ID, other.ID)
					if ca != cb {
						t.Fatalf("cursor of %s for %s: %q here, %q in the team store", s.Name, tp.Name, ca, cb)
					}
				}
			}
		}
	}
}

// listeningView is what the window shows of mentions, without the ids that
// differ between stores; a converted mention says so.
func listeningView(ms []store.ListeningMention) []map[string]any {
	out := make([]map[string]any, len(ms))
	for i, m := range ms {
		out[i] = map[string]any{"source": m.Source, "external": m.ExternalID, "text": m.Text, "tonality": m.Sentiment,
			"published": m.Published, "sources": len(m.Sources), "topics": len(m.TopicIDs), "converted": m.ConversationID != 0,
			"reply": m.ReplyThread}
	}
	return out
}

func openStore(t *testing.T, dsn string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// stripIDs turns v into JSON values without the integer ids that differ
// between the stores (the target numbers its rows itself).
func stripIDs(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			for k, v := range x {
				switch strings.ToLower(k) {
				case "id", "accountid", "conversationid", "messageid", "authorid", "next", "ref":
					_, isNum := v.(float64)
					str, _ := v.(string)
					if isNum || k == "next" || (k == "ref" && str != "" && strings.Trim(str, "0123456789") == "") {
						delete(x, k) // a message id as a crisis note's ref: checked through ModerationTarget
						continue
					}
				}
				walk(v)
			}
		case []any:
			for _, v := range x {
				walk(v)
			}
		}
	}
	walk(out)
	return out
}

func sameJSON(t *testing.T, what string, src, dst any) {
	t.Helper()
	a, b := stripIDs(t, src), stripIDs(t, dst)
	if !reflect.DeepEqual(a, b) {
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		t.Fatalf("%s differs after the import:\nlocal %s\nteam  %s", what, ja, jb)
	}
}

// compareStores reads both stores through the store API, as the window and
// the server do, and requires the same answers.
func compareStores(t *testing.T, src, dst *store.Store) {
	t.Helper()
	ctx := context.Background()
	for _, q := range []store.InboxQuery{{Limit: 200}, {Limit: 200, Order: store.OrderSLA}, {Limit: 200, Snoozed: true}, {Limit: 200, Status: inbox.StatusClosed}, {Limit: 200, Tag: "press"}} {
		a, err := src.Conversations(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		b, err := dst.Conversations(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		sameJSON(t, fmt.Sprintf("inbox page %+v", q), a, b)
		for i := range a.Items {
			ca, cb := a.Items[i].ID, b.Items[i].ID
			ta, err := src.Thread(ctx, ca)
			if err != nil {
				t.Fatal(err)
			}
			tb, err := dst.Thread(ctx, cb)
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, "thread "+a.Items[i].ThreadKey, ta, tb)
			na, _ := src.Notes(ctx, ca)
			nb, _ := dst.Notes(ctx, cb)
			sameJSON(t, "notes of "+a.Items[i].ThreadKey, na, nb)
			ra, err := src.RepliesByConversation(ctx, ca)
			if err != nil {
				t.Fatal(err)
			}
			rb, err := dst.RepliesByConversation(ctx, cb)
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, "replies of "+a.Items[i].ThreadKey, ra, rb)
			for _, r := range ra {
				aa, _ := src.ReplyAudit(ctx, r.ID)
				ab, err := dst.ReplyAudit(ctx, r.ID)
				if err != nil || len(aa) == 0 {
					t.Fatalf("audit of %s: %d local entries, %v", r.ID, len(aa), err)
				}
				sameJSON(t, "audit trail of "+r.ID, aa, ab)
				pa, _ := src.ReplyPrompts(ctx, r.ID)
				pb, _ := dst.ReplyPrompts(ctx, r.ID)
				sameJSON(t, "prompts of "+r.ID, pa, pb)
			}
			if au := a.Items[i].Author; au.ID != 0 {
				pa, err := src.AuthorProfile(ctx, au.ID, 20)
				if err != nil {
					t.Fatal(err)
				}
				pb, err := dst.AuthorProfile(ctx, b.Items[i].Author.ID, 20)
				if err != nil {
					t.Fatal(err)
				}
				sameJSON(t, "author profile "+au.ExternalID, pa, pb)
			}
		}
	}
	for _, text := range importSearches {
		a, err := src.Search(ctx, store.SearchQuery{Text: text, Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		b, err := dst.Search(ctx, store.SearchQuery{Text: text, Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		if len(a) == 0 {
			t.Fatalf("search %q finds nothing in the local store: the test searches for nothing", text)
		}
		sameJSON(t, "search "+text, a, b)
	}
	pairs := []struct {
		what string
		read func(*store.Store) (any, error)
	}{
		{"settings", func(s *store.Store) (any, error) { return s.Settings(ctx) }},
		{"SLA policies", func(s *store.Store) (any, error) { return s.SLAPolicies(ctx) }},
		{"knowledge base", func(s *store.Store) (any, error) { return s.KBEntries(ctx, "") }},
		{"canned replies", func(s *store.Store) (any, error) { return s.CannedReplies(ctx) }},
		{"corrections", func(s *store.Store) (any, error) { return s.SentimentCorrections(ctx) }},
		{"saved views", func(s *store.Store) (any, error) { return s.SavedViews(ctx) }},
		{"crisis alerts", func(s *store.Store) (any, error) { return s.CrisisAlerts(ctx, 1000) }},
		{"accounts", func(s *store.Store) (any, error) { return s.Accounts(ctx) }},
	}
	for _, p := range pairs {
		a, err := p.read(src)
		if err != nil {
			t.Fatal(err)
		}
		b, err := p.read(dst)
		if err != nil {
			t.Fatal(err)
		}
		sameJSON(t, p.what, a, b)
	}
	compareListening(t, src, dst)
	// The crisis note still points at the same message.
	accsA, _ := src.Accounts(ctx)
	accsB, _ := dst.Accounts(ctx)
	for i := range accsA {
		ea, _ := src.CrisisTimeline(ctx, accsA[i].ID, time.Time{})
		eb, _ := dst.CrisisTimeline(ctx, accsB[i].ID, time.Time{})
		sameJSON(t, "crisis timeline of "+accsA[i].Name, ea, eb)
		for j := range ea {
			if ea[j].Kind != store.CrisisNote {
				continue
			}
			var idA, idB int64
			fmt.Sscan(ea[j].Ref, &idA)
			fmt.Sscan(eb[j].Ref, &idB)
			ta, err := src.ModerationTarget(ctx, idA)
			if err != nil {
				t.Fatal(err)
			}
			tb, err := dst.ModerationTarget(ctx, idB)
			if err != nil {
				t.Fatalf("crisis note's message %s in the team store: %v", eb[j].Ref, err)
			}
			sameJSON(t, "crisis note's message", ta, tb)
		}
	}
}

func importInto(t *testing.T, ctx context.Context, dst, src *store.Store, opts store.ImportLocalOptions) (store.ImportLocalResult, error) {
	t.Helper()
	return dst.ImportLocal(ctx, src, opts)
}

func TestImportLocalMovesEverythingOnceAndOnlyOnce(t *testing.T) {
	ctx := context.Background()
	src := openStore(t, seedLocal(t))
	dst := openStore(t, pgtest.NewDatabase(t))

	res, err := importInto(t, ctx, dst, src, store.ImportLocalOptions{Batch: 7})
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range res.Tables {
		if tb.Added != tb.Read {
			t.Errorf("%s: %d rows in the file, %d added to an empty team store", tb.Table, tb.Read, tb.Added)
		}
		switch tb.Table {
		case "messages", "reply_audit", "conversation_notes", "conversation_snoozes", "conversation_tags", "settings", "sentiment_corrections", "author_moderation":
			if tb.Read == 0 {
				t.Errorf("%s: the seeded store has no rows: the test checks nothing", tb.Table)
			}
		}
	}
	if len(res.Accounts) == 0 {
		t.Fatal("no accounts reported")
	}
	compareStores(t, src, dst)

	again, err := importInto(t, ctx, dst, src, store.ImportLocalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, tb := range again.Tables {
		if tb.Added != 0 || tb.Read != res.Tables[i].Read {
			t.Errorf("second import of %s: read %d, added %d; want %d read and nothing added", tb.Table, tb.Read, tb.Added, res.Tables[i].Read)
		}
	}
	compareStores(t, src, dst)
}

// TestImportLocalResumesAfterFailure: an import that stops half-way (here its
// context ends in the middle of the messages, then of the audit trail) is
// finished by running it again, and nothing is stored twice.
func TestImportLocalResumesAfterFailure(t *testing.T) {
	src := openStore(t, seedLocal(t))
	dst := openStore(t, pgtest.NewDatabase(t))
	added := map[string]int64{}
	for _, stop := range []string{"messages", "reply_audit", "settings", ""} {
		ctx, cancel := context.WithCancel(context.Background())
		res, err := importInto(t, ctx, dst, src, store.ImportLocalOptions{Batch: 3, Progress: func(table string, read int64) {
			if table == stop && read >= 3 {
				cancel()
			}
		}})
		cancel()
		if stop != "" && !errors.Is(err, context.Canceled) {
			t.Fatalf("stopped in %s: %v, want the cancellation", stop, err)
		}
		if stop == "" && err != nil {
			t.Fatal(err)
		}
		for _, tb := range res.Tables {
			added[tb.Table] += tb.Added
		}
		if stop == "" {
			for _, tb := range res.Tables {
				if added[tb.Table] != tb.Read {
					t.Errorf("%s: %d rows in the file, %d added over the runs", tb.Table, tb.Read, added[tb.Table])
				}
			}
		}
	}
	compareStores(t, src, dst)
}

// TestImportLocalRefusesConflicts: an account name the team store uses for
// another channel cannot be merged; nothing is written.
func TestImportLocalRefusesConflicts(t *testing.T) {
	ctx := context.Background()
	src := openStore(t, seedLocal(t))
	dst := openStore(t, pgtest.NewDatabase(t))
	if _, err := dst.EnsureAccount(ctx, inbox.Account{Name: "press-inbox", Channel: inbox.ChannelMastodon}); err != nil {
		t.Fatal(err)
	}
	_, err := dst.ImportLocal(ctx, src, store.ImportLocalOptions{})
	if !errors.Is(err, store.ErrImportConflict) || !strings.Contains(err.Error(), "press-inbox") {
		t.Fatalf("import over a conflicting account = %v, want ErrImportConflict naming it", err)
	}
	accs, _ := dst.Accounts(ctx)
	page, _ := dst.Conversations(ctx, store.InboxQuery{})
	if len(accs) != 1 || len(page.Items) != 0 {
		t.Fatalf("a refused import wrote: %d accounts, %d conversations", len(accs), len(page.Items))
	}
}

// TestImportLocalOneAtATime: a second import into the same team store while
// one runs is refused (rows without a key could be added by both).
func TestImportLocalOneAtATime(t *testing.T) {
	ctx := context.Background()
	srcPath := seedLocal(t)
	src := openStore(t, srcPath)
	dsn := pgtest.NewDatabase(t)
	dst := openStore(t, dsn)
	other := openStore(t, dsn)
	otherSrc := openStore(t, srcPath)
	var second error
	asked := false
	if _, err := dst.ImportLocal(ctx, src, store.ImportLocalOptions{Progress: func(string, int64) {
		if !asked {
			asked = true
			_, second = other.ImportLocal(ctx, otherSrc, store.ImportLocalOptions{})
		}
	}}); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(second, store.ErrImportRunning) {
		t.Fatalf("an import during another = %v, want ErrImportRunning", second)
	}
	// Once the first is done, the lock is free again.
	res, err := other.ImportLocal(ctx, otherSrc, store.ImportLocalOptions{})
	if err != nil {
		t.Fatalf("an import after the first finished: %v", err)
	}
	for _, tb := range res.Tables {
		if tb.Added != 0 {
			t.Errorf("%s: %d added by the run after a complete one", tb.Table, tb.Added)
		}
	}
}

// importChildEnv makes the test binary a child that imports the SQLite file
// in STORMDESK_IMPORT_FROM into STORMDESK_IMPORT_TO and stops, holding its
// lock and connections, after some messages, until it is killed.
const importChildEnv = "STORMDESK_IMPORT_CHILD"

func TestImportLocalChild(t *testing.T) {
	if os.Getenv(importChildEnv) == "" {
		t.Skip("the killed child of TestImportLocalAfterSIGKILL")
	}
	ctx := context.Background()
	src := openStore(t, os.Getenv("STORMDESK_IMPORT_FROM"))
	dst := openStore(t, os.Getenv("STORMDESK_IMPORT_TO"))
	_, err := dst.ImportLocal(ctx, src, store.ImportLocalOptions{Batch: 20, Progress: func(table string, read int64) {
		if table == "messages" && read >= 200 {
			fmt.Println("PAUSED")
			select {} // until SIGKILL
		}
	}})
	t.Fatalf("the child finished: %v", err)
}

// TestImportLocalAfterSIGKILL: a process killed with SIGKILL in the middle
// of the messages leaves committed batches behind; the next run finishes
// the import and nothing is stored twice.
func TestImportLocalAfterSIGKILL(t *testing.T) {
	ctx := context.Background()
	srcPath := seedLocal(t)
	dsn := pgtest.NewDatabase(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestImportLocalChild$", "-test.v")
	cmd.Env = append(os.Environ(), importChildEnv+"=1", "STORMDESK_IMPORT_FROM="+srcPath, "STORMDESK_IMPORT_TO="+dsn)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	paused := false
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if sc.Text() == "PAUSED" {
			paused = true
			break
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if !paused {
		t.Fatal("the child ended before it had copied some messages")
	}

	src := openStore(t, srcPath)
	dst := openStore(t, dsn)
	var res store.ImportLocalResult
	// PostgreSQL ends the killed session, and with it the import lock, once
	// it sees the connection closed.
	for range 200 {
		if res, err = dst.ImportLocal(ctx, src, store.ImportLocalOptions{}); !errors.Is(err, store.ErrImportRunning) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("the run after the kill: %v", err)
	}
	for _, tb := range res.Tables {
		if tb.Table == "messages" && (tb.Added == 0 || tb.Added >= tb.Read) {
			t.Fatalf("messages: %d of %d added after the kill; want the ones the killed run had not stored", tb.Added, tb.Read)
		}
	}
	again, err := dst.ImportLocal(ctx, src, store.ImportLocalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range again.Tables {
		if tb.Added != 0 {
			t.Errorf("%s: %d added by a third run", tb.Table, tb.Added)
		}
	}
	compareStores(t, src, dst)
}

func TestImportLocalWantsSQLiteIntoPostgres(t *testing.T) {
	ctx := context.Background()
	src := openStore(t, filepath.Join(t.TempDir(), "stormdesk.db"))
	other := openStore(t, filepath.Join(t.TempDir(), "other.db"))
	if _, err := other.ImportLocal(ctx, src, store.ImportLocalOptions{}); err == nil || !strings.Contains(err.Error(), "PostgreSQL team store") {
		t.Fatalf("import into a SQLite file = %v, want a refusal", err)
	}
}

// TestImportLocalListeningIntoATeamWithTopics: the team store has topics of
// its own already (one of the same name) and a forwarding rule, so every
// topic id moves: the desktop's mentions join the topics of the same name,
// its forwarding rule and the ledger's record of a sent digest name the team
// store's topic, the team's rule stays, and a second run adds nothing.
func TestImportLocalListeningIntoATeamWithTopics(t *testing.T) {
	ctx := context.Background()
	src := openStore(t, seedLocal(t))
	dst := openStore(t, pgtest.NewDatabase(t))
	own, err := dst.SaveListeningTopic(ctx, store.ListeningTopic{Name: "Northwind", Query: "northwind", Kind: store.TopicCompetitor, Enabled: true, CreatedAt: importNow})
	if err != nil {
		t.Fatal(err)
	}
	teamBrand, err := dst.SaveListeningTopic(ctx, store.ListeningTopic{Name: demo.ListeningBrand, Query: `"aurora air"`, Kind: store.TopicBrand, Enabled: true, CreatedAt: importNow})
	if err != nil {
		t.Fatal(err)
	}
	teamRule := fmt.Sprintf(`[{"topicId":%d,"what":"alerts","chatIds":[-100],"emails":[],"digestHour":8,"timeZone":"UTC","quietFrom":"","quietTo":"","lang":"en"}]`, own.ID)
	if err := dst.PutSetting(ctx, "listening.forward.rules", teamRule); err != nil {
		t.Fatal(err)
	}
	localTopics, err := src.ListeningTopics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var localBrand store.ListeningTopic
	for _, tp := range localTopics {
		if tp.Name == demo.ListeningBrand {
			localBrand = tp
		}
	}
	if localBrand.ID == teamBrand.ID {
		t.Fatalf("the brand topic has id %d in both stores: the test does not move ids", localBrand.ID)
	}

	res, err := importInto(t, ctx, dst, src, store.ImportLocalOptions{Batch: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Sources) != 1 || res.Sources[0].Name != "Travel news" || res.Sources[0].TeamID == 0 {
		t.Fatalf("sources reported: %+v", res.Sources)
	}
	compareListening(t, src, dst)
	got, err := dst.ListeningTopic(ctx, teamBrand.ID)
	if err != nil || got.Query != `"aurora air"` {
		t.Fatalf("the team's brand topic = %+v, %v; want its own query kept", got, err)
	}

	var rules []struct {
		TopicID int64    `json:"topicId"`
		Emails  []string `json:"emails"`
	}
	v, err := dst.Setting(ctx, "listening.forward.rules")
	if err != nil || json.Unmarshal([]byte(v), &rules) != nil {
		t.Fatalf("rules = %s, %v", v, err)
	}
	if len(rules) != 2 || rules[0].TopicID != own.ID || rules[1].TopicID != teamBrand.ID || len(rules[1].Emails) != 1 {
		t.Fatalf("rules after the import = %s; want the team's rule and the desktop's on topic %d", v, teamBrand.ID)
	}
	sent := fmt.Sprintf("listening.forward/digest/topic-%d/2026-03-01/pr@aurora-air.example#1", teamBrand.ID)
	if v, err := dst.Setting(ctx, sent); err != nil || !strings.Contains(v, "sent") {
		t.Fatalf("ledger %s = %q, %v", sent, v, err)
	}
	if _, err := dst.Setting(ctx, fmt.Sprintf("listening.forward/digest/topic-%d/2026-03-01/pr@aurora-air.example#1", localBrand.ID)); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the ledger row kept the desktop's topic id: %v", err)
	}

	if held, err := dst.Setting(ctx, "listening.forward.held"); err != nil || !strings.Contains(held, fmt.Sprintf(`"topic-%d":[{"ID":"held-1"`, teamBrand.ID)) {
		t.Fatalf("held alerts after the import = %s, %v; want them under topic %d", held, err, teamBrand.ID)
	}

	again, err := importInto(t, ctx, dst, src, store.ImportLocalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range again.Tables {
		if tb.Added != 0 {
			t.Errorf("second import added %d rows to %s", tb.Added, tb.Table)
		}
	}
	if v2, _ := dst.Setting(ctx, "listening.forward.rules"); v2 != v {
		t.Fatalf("second import changed the rules:\n%s\n%s", v, v2)
	}
	compareListening(t, src, dst)
}
