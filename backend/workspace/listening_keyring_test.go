package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/listening/bluesky"
	"github.com/stormdesk/stormdesk/backend/listening/hn/hnfake"
	"github.com/stormdesk/stormdesk/backend/listening/reddit"
	"github.com/stormdesk/stormdesk/backend/listening/rss/rssfake"
	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/store"
)

// TestListeningSourcesWithoutKeyring: with no Secret Service to reach (the
// real keyring client, pointed at a D-Bus that is not there), sources that
// need no secret still poll: Hacker News, a public feed. A source that needs
// one (Bluesky's app password), or a feed whose address is only in the
// keyring, shows keyring-unavailable, not a confusing error of its own.
func TestListeningSourcesWithoutKeyring(t *testing.T) {
	// godbus keeps the first session-bus connection for the life of the
	// process, so once another test has reached the keyring this one cannot
	// point the client elsewhere: it runs itself again in a fresh process.
	if os.Getenv("STORMDESK_NO_KEYRING_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestListeningSourcesWithoutKeyring$", "-test.v")
		cmd.Env = append(os.Environ(), "STORMDESK_NO_KEYRING_CHILD=1",
			"DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(t.TempDir(), "no-bus"))
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestListeningSourcesWithoutKeyring") {
			t.Fatalf("without a keyring (in a fresh process): %v\n%s", err, out)
		}
		return
	}
	ring := secrets.NewKeyring("stormdesk-test-no-keyring")
	if _, err := ring.Get(context.Background(), "probe"); !errors.Is(err, secrets.ErrUnavailable) {
		t.Fatalf("the keyring without a bus answers %v; want ErrUnavailable (the test needs no keyring)", err)
	}
	ctx := context.Background()
	ws := openWS(t)
	recent := time.Now().Add(-30 * time.Minute).UTC().Truncate(time.Second)
	hn := hnfake.New()
	t.Cleanup(hn.Close)
	hn.Add(hnfake.Item{ID: 41, Story: true, Author: "dang", Title: "Acme Air cancels every flight out of Boston", URL: "https://status.acme.example", Created: recent, Points: 120, Comments: 45})
	feeds := rssfake.New()
	t.Cleanup(feeds.Close)
	feeds.SetFeed("/alerts", rssfake.Feed{Body: fmt.Sprintf(`<?xml version="1.0"?><rss version="2.0"><channel><title>Alerts</title><link>https://news.example/</link>`+
		`<item><guid>acme-review</guid><link>https://news.example/acme-review</link><title>Acme Air review: friendly crew</title><pubDate>%s</pubDate></item></channel></rss>`, recent.Format(time.RFC1123Z))})

	ids := map[string]int64{}
	for _, in := range []ListeningSourceInput{
		{Kind: listening.SourceHN, Name: "Hacker News", Enabled: true, Settings: fmt.Sprintf(`{"baseUrl": %q}`, hn.URL)},
		{Kind: listening.SourceRSS, Name: "Public feed", Enabled: true, Settings: fmt.Sprintf(`{"url": %q}`, feeds.URL+"/alerts")},
		{Kind: listening.SourceRSS, Name: "Private feed", Enabled: true, Settings: `{}`},
		{Kind: listening.SourceBluesky, Name: "Bluesky", Enabled: true, Settings: `{"identifier":"acme.bsky.social"}`},
	} {
		// Saving a source without secrets does not ask the keyring either.
		src, err := ws.SaveListeningSource(ctx, in, ring)
		if err != nil {
			t.Fatalf("save %s without a keyring: %v", in.Name, err)
		}
		ids[in.Name] = src.ID
	}
	topic, err := ws.SaveListeningTopic(ctx, store.ListeningTopic{Name: "Acme", Query: `"acme air"`, Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	p, err := ws.NewListeningPoller(ring, ws.ListeningKinds(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"Hacker News": "", "Public feed": "", "Private feed": apperr.CodeKeyringUnavailable, "Bluesky": apperr.CodeKeyringUnavailable} {
		got, err := ws.Store.ListeningSource(ctx, ids[name])
		if err != nil {
			t.Fatal(err)
		}
		if got.ErrorCode != want || got.PolledAt == nil {
			t.Errorf("%s without a keyring: error %q (%s), polled %v; want %q", name, got.ErrorCode, got.ErrorDetail, got.PolledAt, want)
		}
	}
	page, err := ws.Store.ListeningMentions(ctx, store.ListeningFilter{TopicID: topic.ID}, "")
	if err != nil || len(page.Mentions) != 2 {
		t.Fatalf("mentions without a keyring: %d, %v; want the story and the review", len(page.Mentions), err)
	}
}

// TestListeningSecretRenamedOnRead: secrets an earlier version stored under
// the sources' old names (Bluesky's "appPassword", Reddit's "secret") are
// read, moved to the names the inbox channels use ("app-password",
// "client-secret") and the old ones deleted, so no stored secret is lost;
// deleting a source deletes both names.
func TestListeningSecretRenamedOnRead(t *testing.T) {
	ctx := context.Background()
	ws := openWS(t)
	sec := &memSecrets{m: map[string]string{}}
	if _, err := ws.SaveListeningTopic(ctx, store.ListeningTopic{Name: "Acme", Query: "acme", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	type stored struct{ kind, old, now, value string }
	cases := []stored{
		{listening.SourceBluesky, "appPassword", bluesky.SecretAppPassword, "abcd-efgh-ijkl-mnop"},
		{listening.SourceReddit, "secret", reddit.SecretClientSecret, "reddit-app-secret"},
	}
	ids := map[string]int64{}
	for _, c := range cases {
		src, err := ws.SaveListeningSource(ctx, ListeningSourceInput{Kind: c.kind, Name: c.kind, Enabled: true, Settings: `{}`}, sec)
		if err != nil {
			t.Fatal(err)
		}
		ids[c.kind] = src.ID
		sec.m[listeningSecretKey(src.ID, c.old)] = c.value // as the earlier version kept it
	}
	// The app's kinds (their names, optional secrets and renames), opened by
	// a function that records what it was given instead of going online.
	opened := map[string]map[string]string{}
	kinds := ws.ListeningKinds()
	for _, c := range cases {
		k := kinds[c.kind]
		kind := c.kind
		k.Open = func(_ string, _ json.RawMessage, s map[string]string) (listening.Source, error) {
			opened[kind] = s
			return nil, errors.New("stop here")
		}
		kinds[c.kind] = k
	}
	p, err := ws.NewListeningPoller(sec, kinds, nil)
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Now()
	p.Now = func() time.Time { return clock }
	for round := range 2 {
		clear(opened)
		if _, err := p.PollOnce(ctx); err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			if opened[c.kind][c.now] != c.value {
				t.Fatalf("round %d: %s opened with %v; want its %s", round, c.kind, opened[c.kind], c.now)
			}
			if _, left := sec.m[listeningSecretKey(ids[c.kind], c.old)]; left || sec.m[listeningSecretKey(ids[c.kind], c.now)] != c.value {
				t.Fatalf("round %d: keyring %v; want %s moved to %s", round, sec.m, c.old, c.now)
			}
		}
		clock = clock.Add(time.Hour) // past the failed poll's NextPoll
	}
	// A source deleted before its secret was ever read leaves nothing behind.
	sec.m[listeningSecretKey(ids[listening.SourceBluesky], "appPassword")] = "again"
	if err := ws.DeleteListeningSource(ctx, ids[listening.SourceBluesky], sec, kinds); err != nil {
		t.Fatal(err)
	}
	for k := range sec.m {
		if k == listeningSecretKey(ids[listening.SourceBluesky], "appPassword") || k == listeningSecretKey(ids[listening.SourceBluesky], bluesky.SecretAppPassword) {
			t.Fatalf("secret %s left after deleting the source", k)
		}
	}
}
