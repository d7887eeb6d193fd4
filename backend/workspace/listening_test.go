package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/store"
)

// TestListeningDemo: the demo seeds a brand topic with mentions from at
// least four sources with tonality; a Mastodon mention becomes a
// conversation on the brand's Mastodon account, once; a Hacker News mention
// cannot; a preview matches stored mentions with the query's language.
func TestListeningDemo(t *testing.T) {
	ctx := context.Background()
	ws := openWS(t)
	now := time.Now()
	if _, err := ws.SeedDemoIfEmpty(ctx, now, "me"); err != nil {
		t.Fatal(err)
	}
	topics, err := ws.ListeningTopics(ctx)
	if err != nil || len(topics) != 2 {
		t.Fatalf("topics = %+v, %v", topics, err)
	}
	var brand store.ListeningTopic
	for _, tp := range topics {
		if tp.Kind == store.TopicBrand {
			brand = tp
		}
	}
	page, err := ws.ListeningMentions(ctx, store.ListeningFilter{TopicID: brand.ID, Limit: 100}, "")
	if err != nil {
		t.Fatal(err)
	}
	sources, tones := map[string]bool{}, map[inbox.Sentiment]bool{}
	var masto, hn store.ListeningMention
	answerable := map[string]store.ListeningMention{}
	for _, m := range page.Mentions {
		sources[m.Source], tones[m.Sentiment] = true, true
		switch m.Source {
		case listening.SourceMastodon:
			masto = m
		case listening.SourceHN:
			hn = m
		case listening.SourceBluesky, listening.SourceReddit:
			answerable[m.Source] = m
		}
	}
	if len(page.Mentions) != 100 || page.Next == "" || len(sources) < 4 || len(tones) != 3 || masto.ID == 0 || hn.ID == 0 || len(answerable) != 2 {
		t.Fatalf("brand page: %d mentions from %v with %v", len(page.Mentions), sources, tones)
	}
	// The demo's Bluesky and Reddit mentions are answerable as the real
	// sources' are: each becomes a conversation on the brand's account of
	// that channel, in the thread the channel's connector keys the post by.
	for src, m := range answerable {
		id, err := ws.ListeningToConversation(ctx, m.ID)
		if err != nil {
			t.Fatalf("%s mention to a conversation: %v", src, err)
		}
		c, err := ws.Store.ConversationByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		a, err := ws.Store.AccountByID(ctx, c.AccountID)
		if err != nil {
			t.Fatal(err)
		}
		if string(a.Channel) != src || a.Brand != brand.Name || c.ThreadKey != m.ReplyThread {
			t.Fatalf("%s mention became %+v on %+v", src, c, a)
		}
	}

	convID, err := ws.ListeningToConversation(ctx, masto.ID)
	if err != nil {
		t.Fatal(err)
	}
	conv, err := ws.Store.ConversationByID(ctx, convID)
	if err != nil {
		t.Fatal(err)
	}
	acct, err := ws.Store.AccountByID(ctx, conv.AccountID)
	if err != nil {
		t.Fatal(err)
	}
	if acct.Channel != inbox.ChannelMastodon || acct.Brand != brand.Name || conv.ThreadKey != masto.ReplyThread || conv.Author.Handle != masto.Author {
		t.Fatalf("conversation %+v on account %+v for mention %+v", conv, acct, masto)
	}
	if again, err := ws.ListeningToConversation(ctx, masto.ID); err != nil || again != convID {
		t.Fatalf("second time = %d, %v; want %d", again, err, convID)
	}
	if _, err := ws.ListeningToConversation(ctx, hn.ID); !apperr.Is(err, apperr.CodeInvalidInput) {
		t.Fatalf("a Hacker News mention to a conversation: %v, want invalid-input", err)
	}

	if err := ws.CorrectListeningTonality(ctx, hn.ID, "furious"); !apperr.Is(err, apperr.CodeInvalidInput) {
		t.Fatalf("tonality furious: %v", err)
	}
	prev, err := ws.PreviewListening(ctx, `"aurora air" lang:de`, now)
	if err != nil || len(prev) == 0 {
		t.Fatalf("preview = %d, %v", len(prev), err)
	}
	for _, m := range prev {
		if m.Lang != "de" || m.ID == 0 || !strings.Contains(m.Text, "Aurora Air") {
			t.Fatalf("preview holds %+v", m)
		}
	}
}

// TestListeningTopicValidationAndEmptyPreview: a query that does not parse
// is refused with a coded error saying what and where; a preview before any
// mention is stored matches the demo's mentions.
func TestListeningTopicValidationAndEmptyPreview(t *testing.T) {
	ctx := context.Background()
	ws := openWS(t)
	_, err := ws.SaveListeningTopic(ctx, store.ListeningTopic{Name: "Acme", Query: `acme AND (delay OR`})
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.CodeQueryInvalid || ae.Params["reason"] != "dangling-operator" || ae.Params["pos"] == "" {
		t.Fatalf("bad query: %#v", err)
	}
	c := CheckListeningQuery(`acme lang:xx`)
	if c.OK || c.Code != "unknown-lang" || c.Param != "xx" || c.Pos != 10 || c.End != 12 {
		t.Fatalf("check = %+v", c)
	}
	if c := CheckListeningQuery(`acme OR "aurora air"`); !c.OK || len(c.Terms) != 2 {
		t.Fatalf("check of a good query = %+v", c)
	}
	if _, err := ws.SaveListeningTopic(ctx, store.ListeningTopic{Name: "Acme", Query: `acme -careers`}); err != nil {
		t.Fatal(err)
	}
	prev, err := ws.PreviewListening(ctx, `"polar wings"`, time.Now())
	if err != nil || len(prev) == 0 || prev[0].ID != 0 {
		t.Fatalf("preview on an empty store = %d, %v; want demo mentions", len(prev), err)
	}
}

// TestListeningSourcesSecretsAndMissingClient: a source's secret goes to
// the secret store, never the database; a source of a kind this build has
// no client for shows a coded "not configured" after a poll; an answerable
// mention without an account of its channel says which account is missing.
func TestListeningSourcesSecretsAndMissingClient(t *testing.T) {
	ctx := context.Background()
	ws := openWS(t)
	sec := &memSecrets{m: map[string]string{}}
	src, err := ws.SaveListeningSource(ctx, ListeningSourceInput{Kind: listening.SourceBluesky, Name: "bsky", Enabled: true,
		Settings: `{"handle":"acme.bsky.social"}`, Secrets: map[string]string{"app-password": "s3cret-pw"}}, sec)
	if err != nil {
		t.Fatal(err)
	}
	if sec.m[listeningSecretKey(src.ID, "app-password")] != "s3cret-pw" || strings.Contains(src.Settings, "s3cret") {
		t.Fatalf("secret kept in %v / settings %q", sec.m, src.Settings)
	}
	if _, err := ws.SaveListeningSource(ctx, ListeningSourceInput{Kind: "myspace", Name: "x"}, sec); !apperr.Is(err, apperr.CodeInvalidInput) {
		t.Fatalf("kind myspace: %v", err)
	}
	if _, err := ws.SaveListeningTopic(ctx, store.ListeningTopic{Name: "Acme", Query: "acme", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	p, err := ws.NewListeningPoller(sec, map[string]ListeningKind{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := ws.Store.ListeningSource(ctx, src.ID)
	if err != nil || got.ErrorCode != apperr.CodeNotConfigured || got.NextPoll == nil {
		t.Fatalf("source after a poll without its client = %+v, %v", got, err)
	}

	// With its kind known, the source is opened with its settings and the
	// secrets stored under its kind's names (an optional one not stored is absent).
	var opened struct {
		name, settings string
		secrets        map[string]string
	}
	kinds := map[string]ListeningKind{listening.SourceBluesky: {Secrets: []string{"app-password", "optional"},
		Open: func(name string, settings json.RawMessage, secrets map[string]string) (listening.Source, error) {
			opened.name, opened.settings, opened.secrets = name, string(settings), secrets
			return nil, errors.New("stop here")
		}}}
	if p, err = ws.NewListeningPoller(sec, kinds, nil); err != nil {
		t.Fatal(err)
	}
	p.Now = func() time.Time { return time.Now().Add(time.Hour) } // past the failed poll's NextPoll
	if _, err := p.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if opened.name != "bsky" || !strings.Contains(opened.settings, "acme.bsky.social") || len(opened.secrets) != 1 || opened.secrets["app-password"] != "s3cret-pw" {
		t.Fatalf("opened with %+v", opened)
	}
	if err := ws.DeleteListeningSource(ctx, src.ID, sec, kinds); err != nil || len(sec.m) != 0 {
		t.Fatalf("delete: %v, secrets left %v", err, sec.m)
	}

	res, err := ws.Store.SaveListeningBatch(ctx, store.ListeningBatch{Mentions: []store.ScoredMention{{Mention: listening.Mention{
		Source: listening.SourceMastodon, ExternalID: "1", Text: "acme", Published: time.Now(),
		ReplyTo: &listening.ReplyRef{Channel: inbox.ChannelMastodon, ThreadKey: "1", InReplyTo: "1"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.ListeningToConversation(ctx, res.IDs[0]); !apperr.Is(err, apperr.CodeNotConfigured) {
		t.Fatalf("no Mastodon account: %v", err)
	}
}

// blockingSource answers its first Search only when released, so a test can
// hold a poll open.
type blockingSource struct {
	calls   atomic.Int32
	started chan struct{}
	release chan struct{}
}

func (b *blockingSource) Name() string { return listening.SourceHN }

func (b *blockingSource) Search(ctx context.Context, _ listening.Request) (listening.Page, error) {
	if b.calls.Add(1) == 1 {
		close(b.started)
		select {
		case <-b.release:
		case <-ctx.Done():
			return listening.Page{}, ctx.Err()
		}
	}
	return listening.Page{Cursor: "c", Limits: listening.Limits{Remaining: -1}}, nil
}

// TestListeningPolledOncePerTeam: two server instances on one PostgreSQL
// database poll a source one at a time (an advisory lock per source): while
// one instance is asking it, the other's round leaves it alone.
func TestListeningPolledOncePerTeam(t *testing.T) {
	if os.Getenv("STORMDESK_TEST_ENGINE") != "postgres" {
		t.Skip("the per-source lock matters on the team server (PostgreSQL); on SQLite one process owns the file")
	}
	ctx := context.Background()
	dsn := sharedDSN(t)
	a, b := openAtDSN(t, dsn), openAtDSN(t, dsn)
	sec := &memSecrets{m: map[string]string{}}
	if _, err := a.SaveListeningSource(ctx, ListeningSourceInput{Kind: listening.SourceHN, Name: "hn", Enabled: true}, sec); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SaveListeningTopic(ctx, store.ListeningTopic{Name: "Acme", Query: "acme", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	src := &blockingSource{started: make(chan struct{}), release: make(chan struct{})}
	kinds := map[string]ListeningKind{listening.SourceHN: {Open: func(string, json.RawMessage, map[string]string) (listening.Source, error) { return src, nil }}}
	pa, err := a.NewListeningPoller(sec, kinds, nil)
	if err != nil {
		t.Fatal(err)
	}
	pb, err := b.NewListeningPoller(sec, kinds, nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := pa.PollOnce(ctx)
		done <- err
	}()
	<-src.started
	r, err := pb.PollOnce(ctx)
	if err != nil || r.Polled != 0 {
		t.Fatalf("the second instance's round while the first polls = %+v, %v; want the source left alone", r, err)
	}
	close(src.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := src.calls.Load(); n != 1 {
		t.Fatalf("the source was asked %d times, want once", n)
	}
}
