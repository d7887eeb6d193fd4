package instances

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to read raw rows

	"github.com/stormdesk/stormdesk/backend/channels/mastodon/mastodonfake"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/secrets/sealed"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

const (
	teamToken   = "team-mastodon-token"
	teamAccount = "team-mastodon"
)

// openTeam opens the workspace on the shared database as the test's own
// view of it (the person approving replies, the checks) and stores the
// Mastodon account, its token sealed, pointing at baseURL.
func openTeam(ctx context.Context, t *testing.T, dsn string, key *sealed.Key, baseURL string) (*workspace.Workspace, *sealed.Store) {
	t.Helper()
	ws, err := workspace.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	sec := sealed.NewStore(key, ws.Store)
	settings, _ := json.Marshal(map[string]any{"baseUrl": baseURL})
	if _, err := ws.SaveAccount(ctx, sec, workspace.AccountInput{Name: teamAccount, Channel: inbox.ChannelMastodon, Brand: "Acme",
		Settings: string(settings), Secrets: map[string]string{"token": teamToken}}); err != nil {
		t.Fatal(err)
	}
	return ws, sec
}

// syncOnce syncs the account in the test process (a first sync reads one
// page of history; later ones read everything after the cursor).
func syncOnce(ctx context.Context, t *testing.T, ws *workspace.Workspace, sec *sealed.Store) {
	t.Helper()
	acc, conn, err := ws.Connector(ctx, sec, teamAccount)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Pipeline.Sync(ctx, ws.Store, acc, conn, nil); err != nil {
		t.Fatal(err)
	}
}

// mentionID is the status id of customer i's mention; ids grow with i, as
// Mastodon's do.
func mentionID(i int) string { return fmt.Sprintf("1100%014d", i) }

// addMentions adds mentions lo..hi-1 of the account at the fake, each from
// its own customer, with a notification each (pushed to open streams).
func addMentions(t *testing.T, fake *mastodonfake.Server, lo, hi int) {
	t.Helper()
	var st []map[string]any
	for i := lo; i < hi; i++ {
		id := mentionID(i)
		c := mastodonfake.Customer{ID: strconv.Itoa(100000 + i), Username: fmt.Sprintf("customer%04d", i),
			Acct: fmt.Sprintf("customer%04d@social.example", i), Name: fmt.Sprintf("Customer %d", i)}
		st = append(st, mastodonfake.Mention(id, c, fmt.Sprintf("@acme order %d has not arrived, where is it?", 10000+i), time.Now().Add(-time.Minute)))
	}
	data, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	if err := fake.AddStatuses(data); err != nil {
		t.Fatal(err)
	}
	for i := lo; i < hi; i++ {
		fake.Notify("mention", mentionID(i))
	}
}

// rawDB reads the shared database's rows directly, for what the store's API
// does not count (attempts, duplicate messages).
func rawDB(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
