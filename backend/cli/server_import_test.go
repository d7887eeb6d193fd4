package cli

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/secrets/sealed"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// demoStore makes a desktop's database with the demo data set.
func demoStore(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "stormdesk.db")
	ws, err := workspace.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.SeedDemoIfEmpty(ctx, time.Now(), "anna"); err != nil {
		t.Fatal(err)
	}
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// summary reads the per-table lines of import-local's output: table -> [in the file, added].
func summary(t *testing.T, out string) map[string][2]int64 {
	t.Helper()
	rows := map[string][2]int64{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			continue
		}
		read, err1 := strconv.ParseInt(f[1], 10, 64)
		added, err2 := strconv.ParseInt(f[2], 10, 64)
		if err1 == nil && err2 == nil {
			rows[f[0]] = [2]int64{read, added}
		}
	}
	if len(rows) < 20 {
		t.Fatalf("no per-table summary in:\n%s", out)
	}
	return rows
}

func TestServerImportLocalUsage(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "none.db")
	newer := filepath.Join(dir, "newer.db")
	s, err := store.Open(context.Background(), newer)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite3", newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	const pg = "postgres://nobody@127.0.0.1:1/none"
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no source", []string{"--db", pg}, ExitUsage, "--from is required"},
		{"no target", []string{"--from", newer}, ExitUsage, "--db is required"},
		{"SQLite target", []string{"--from", newer, "--db", filepath.Join(dir, "team.db")}, ExitUsage, "must be a postgres:// URL"},
		{"missing source", []string{"--from", missing, "--db", pg}, ExitFailure, "no such file"},
		{"newer source", []string{"--from", newer, "--db", pg}, ExitFailure, "written by a newer Stormdesk"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := run(t, "", append([]string{"server", "import-local"}, tc.args...)...)
			if code != tc.code || !strings.Contains(errOut, tc.stderr) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, errOut, tc.code, tc.stderr)
			}
		})
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Fatalf("a missing source was created: %v", err)
	}
	// Flags may come before the word: they are import-local's (here the
	// newer source is refused, so --from and --db both reached it).
	for _, args := range [][]string{
		{"server", "--db", pg, "import-local", "--from", newer},
		{"server", "--from", newer, "--db=" + pg, "import-local"},
		{"server", "--batch", "10", "--from", newer, "--db", pg, "import-local"},
	} {
		_, errOut, code := run(t, "", args...)
		if code != ExitFailure || !strings.Contains(errOut, "written by a newer Stormdesk") {
			t.Errorf("%q: exit %d, stderr %q; want import-local refusing the newer source", args, code, errOut)
		}
	}
	// A flag's value that reads import-local is not the word.
	if _, errOut, code := run(t, "", "server", "--db", "import-local", "init"); code != ExitUsage || strings.Contains(errOut, "--from") {
		t.Errorf("server --db import-local init: exit %d, stderr %q; want init's usage error", code, errOut)
	}
}

// TestServerImportLocal moves a desktop's store, with a settings file an
// older version left beside it, into PostgreSQL twice: the second run adds
// nothing, and the user is told which accounts need their secrets.
func TestServerImportLocal(t *testing.T) {
	ctx := context.Background()
	src := demoStore(t)
	llm := `{"baseUrl":"http://llm.test/v1","model":"m1"}`
	if err := os.WriteFile(filepath.Join(filepath.Dir(src), "llm.json"), []byte(llm), 0o600); err != nil {
		t.Fatal(err)
	}
	dsn := pgtest.NewDatabase(t)

	out, errOut, code := run(t, "", "server", "import-local", "--from", src, "--db", dsn, "--batch", "100")
	if code != ExitOK {
		t.Fatalf("import-local: exit %d\n%s\n%s", code, out, errOut)
	}
	first := summary(t, out)
	if first["messages"][0] == 0 || first["messages"][1] != first["messages"][0] {
		t.Fatalf("messages: %v, want every message added", first["messages"])
	}
	if first["settings"][1] == 0 {
		t.Fatalf("settings: %v, want the brands and the moved llm.json", first["settings"])
	}
	if !strings.Contains(out, "enter them again on the server for") || !strings.Contains(errOut, "messages:") {
		t.Fatalf("no secrets advice on stdout or no progress on stderr:\n%s\n%s", out, errOut)
	}

	dst, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := dst.Setting(ctx, "llm"); err != nil || v != llm {
		t.Fatalf("llm setting on the server = %q, %v; want the file beside the desktop's database", v, err)
	}
	dst.Close()

	out, errOut, code = run(t, "", "server", "import-local", "--from", src, "--db", dsn)
	if code != ExitOK {
		t.Fatalf("second import-local: exit %d\n%s\n%s", code, out, errOut)
	}
	for table, n := range summary(t, out) {
		if n[1] != 0 || n[0] != first[table][0] {
			t.Errorf("second run, %s: %v; want %d read and nothing added", table, n, first[table][0])
		}
	}
}

// TestServerImportLocalCopiesSecrets: with --secrets-key, the accounts'
// secrets go from the desktop's keyring into the server's sealed secrets.
func TestServerImportLocalCopiesSecrets(t *testing.T) {
	requireKeyring(t)
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "stormdesk.db")
	name := fmt.Sprintf("acme-bot-%d", time.Now().UnixNano())
	kr := secrets.NewKeyring(workspace.KeyringService)
	t.Cleanup(func() { _ = kr.Delete(ctx, secrets.Key(name, "token")) })
	if out, errOut, code := run(t, "123:tok\n", "account", "add", name, "--db", src, "--channel", "telegram", "--settings", `{"baseUrl":"http://127.0.0.1:9/"}`, "--secrets", "token"); code != ExitOK {
		t.Fatalf("account add: exit %d: %s %s", code, out, errOut)
	}
	// A listening source whose id the import changes (the server has a
	// source already): its app password must follow it to its new id.
	local, err := store.Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	bsky, err := local.SaveListeningSource(ctx, store.ListeningSource{Kind: listening.SourceBluesky, Name: "Brand on Bluesky", Settings: `{"identifier":"brand.bsky.social"}`, Enabled: true})
	local.Close()
	if err != nil {
		t.Fatal(err)
	}
	pw := workspace.ListeningSourceSecrets(listening.SourceBluesky)[0].Name
	if err := kr.Set(ctx, workspace.ListeningSecretKey(bsky.ID, pw), "app-pw-"+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = kr.Delete(ctx, workspace.ListeningSecretKey(bsky.ID, pw)) })
	keyPath := filepath.Join(dir, "secrets.key")
	if _, errOut, code := run(t, "", "server", "init", "--secrets-key", keyPath); code != ExitOK {
		t.Fatalf("server init: %s", errOut)
	}
	dsn := pgtest.NewDatabase(t)
	team, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	_, err = team.SaveListeningSource(ctx, store.ListeningSource{Kind: listening.SourceHN, Name: "HN", Enabled: true})
	team.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, "", "server", "import-local", "--from", src, "--db", dsn, "--secrets-key", keyPath)
	if code != ExitOK || !strings.Contains(out, "copied into the server's sealed secrets") || strings.Contains(out, "Secrets: 0 copied") {
		t.Fatalf("import-local --secrets-key: exit %d\n%s\n%s", code, out, errOut)
	}
	key, err := sealed.LoadKey(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	dst, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	if v, err := sealed.NewStore(key, dst).Get(ctx, secrets.Key(name, "token")); err != nil || v != "123:tok" {
		t.Fatalf("sealed token on the server = %q, %v", v, err)
	}
	srcs, err := dst.ListeningSources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range srcs {
		if s.Name != bsky.Name {
			continue
		}
		if s.ID == bsky.ID {
			t.Fatalf("the source kept its id %d: the test does not move it", s.ID)
		}
		if v, err := sealed.NewStore(key, dst).Get(ctx, workspace.ListeningSecretKey(s.ID, pw)); err != nil || v != "app-pw-"+name {
			t.Fatalf("the source's app password on the server = %q, %v", v, err)
		}
	}
	out, _, code = run(t, "", "server", "import-local", "--from", src, "--db", dsn, "--secrets-key", keyPath)
	if code != ExitOK || !strings.Contains(out, "Secrets: 0 copied into the server's sealed secrets") {
		t.Fatalf("second import-local --secrets-key: exit %d\n%s", code, out)
	}
}
