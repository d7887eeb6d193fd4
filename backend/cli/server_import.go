package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/stormdesk/stormdesk/backend/channels/registry"
	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/secrets/sealed"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// runServerImport is `stormdesk server import-local --from FILE --db DSN`:
// it moves a single-person store into the team's PostgreSQL store
// (docs/team.md, "Moving in"). Running it again adds only what is missing.
func runServerImport(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet(env, "server import-local", "")
	from := fs.String("from", "", "the desktop's SQLite database file (stormdesk.db)")
	dsn := fs.String("db", "", "the team store, postgres://USER@HOST/DB")
	keyPath := fs.String("secrets-key", "", "also copy the accounts' passwords and tokens from this desktop's keyring into the server's sealed secrets, sealed under this key file")
	batch := fs.Int("batch", 500, "rows read and written at a time")
	pos, err := parseInterspersed(fs, args)
	switch {
	case err != nil:
	case len(pos) > 0:
		err = fmt.Errorf("unexpected argument %q", pos[0])
	case *from == "":
		err = errors.New("--from is required")
	case *dsn == "":
		err = errors.New("--db is required")
	case !store.IsPostgresDSN(*dsn):
		err = errors.New("--db must be a postgres:// URL: the team store is PostgreSQL")
	case *batch < 1 || *batch > 2000:
		err = errors.New("--batch must be between 1 and 2000")
	}
	if err != nil {
		return usageError(env, fs, err)
	}
	fail := func(err error) int {
		fmt.Fprintf(env.Stderr, "stormdesk server import-local: %v\n", err)
		return ExitFailure
	}
	// Open would create a missing file: a typo must not import an empty store.
	if _, err := os.Stat(*from); err != nil {
		return fail(err)
	}
	var key *sealed.Key
	if *keyPath != "" {
		if key, err = sealed.LoadKey(*keyPath); err != nil {
			return fail(err)
		}
	}
	src, err := store.Open(ctx, *from)
	if errors.Is(err, store.ErrNewerSchema) {
		return fail(fmt.Errorf("%s was written by a newer Stormdesk than this one; upgrade the server's Stormdesk first: %w", *from, err))
	}
	if err != nil {
		return fail(err)
	}
	defer src.Close()
	// Settings an older desktop kept in files beside its database move into
	// its settings table first, as the window does when it opens.
	if _, err := workspace.MoveSideFilesIn(ctx, src, filepath.Dir(*from), env.Log); err != nil {
		return fail(err)
	}
	dst, err := store.Open(ctx, *dsn)
	if errors.Is(err, store.ErrNewerSchema) {
		return fail(fmt.Errorf("the team store was migrated by a newer Stormdesk than this one; run import-local with that version: %w", err))
	}
	if err != nil {
		return fail(err)
	}
	defer dst.Close()

	var lastTable string
	var lastShown int64
	res, err := dst.ImportLocal(ctx, src, store.ImportLocalOptions{Batch: *batch, Progress: func(table string, read int64) {
		// The first batch of each table, then every 10,000 rows.
		if table != lastTable || read-lastShown >= 10_000 {
			lastTable = table
			fmt.Fprintf(env.Stderr, "%s: %d rows read\n", table, read)
			lastShown = read
		}
	}})
	if err != nil {
		if errors.Is(err, store.ErrImportRunning) {
			return fail(fmt.Errorf("%w: wait for it to finish, then run this one to check (it adds only what is missing)", err))
		}
		if errors.Is(err, store.ErrImportConflict) {
			return fail(fmt.Errorf("%w (nothing conflicting was written; the store is as it was, plus what was copied before the conflict)", err))
		}
		return fail(fmt.Errorf("%w (run the command again to finish: what is copied already is not copied twice)", err))
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "table\tin the file\tadded\t")
	for _, t := range res.Tables {
		fmt.Fprintf(tw, "%s\t%d\t%d\t\n", t.Table, t.Read, t.Added)
	}
	tw.Flush()
	if res.Recounted > 0 {
		fmt.Fprintf(env.Stdout, "Conversations the server had already, counted again with the desktop's messages: %d.\n", res.Recounted)
	}
	return reportSecrets(ctx, env, res, key, dst)
}

// importLocalArgs finds the subcommand word of `stormdesk server ...`, the
// first argument that is neither a flag nor a flag's value, and when it is
// import-local returns the arguments without it: `server --db X import-local
// --from F` is `server import-local --db X --from F`. Every flag of server
// and import-local takes a value, so a flag's value follows it unless it is
// written --flag=value.
func importLocalArgs(args []string) ([]string, bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return nil, false
		}
		if strings.HasPrefix(a, "-") {
			if !strings.Contains(a, "=") {
				i++ // its value
			}
			continue
		}
		if a != "import-local" {
			return nil, false
		}
		return append(args[:i:i], args[i+1:]...), true
	}
	return nil, false
}

// reportSecrets copies the accounts' secrets (and the LLM API key) from the desktop's keyring into
// the server's sealed secrets when a key was given (keeping what the server
// has), or says which accounts need them entered on the server.
func reportSecrets(ctx context.Context, env Env, res store.ImportLocalResult, key *sealed.Key, dst *store.Store) int {
	accs := res.Accounts
	if len(accs) == 0 && len(res.Sources) == 0 {
		return ExitOK
	}
	names := make([]string, 0, len(accs)+len(res.Sources))
	for _, a := range accs {
		names = append(names, a.Name)
	}
	for _, s := range res.Sources {
		if len(workspace.ListeningSourceSecrets(s.Kind)) > 0 {
			names = append(names, "listening source "+s.Name)
		}
	}
	if key == nil {
		fmt.Fprintf(env.Stdout, "Passwords and tokens stay in this desktop's keyring: enter them again on the server for %s (or run again with --secrets-key).\n",
			strings.Join(names, ", "))
		return ExitOK
	}
	ring := secrets.NewKeyring(workspace.KeyringService)
	server := sealed.NewStore(key, dst)
	type wanted struct {
		name, label string
		required    bool
		// server is the name on the server when it differs: a listening
		// source's secrets are kept under its id, which the import changed.
		server string
		// legacy is the name an earlier version kept the secret under.
		legacy string
	}
	var want []wanted
	for _, a := range accs {
		for _, s := range registry.SecretsFor(a.Channel) {
			want = append(want, wanted{name: secrets.Key(a.Name, s.Name), label: a.Name + " (" + s.Name + ")", required: s.Required})
		}
	}
	for _, src := range res.Sources {
		for _, s := range workspace.ListeningSourceSecrets(src.Kind) {
			w := wanted{name: workspace.ListeningSecretKey(src.LocalID, s.Name), label: src.Name + " (" + s.Name + ")",
				required: s.Required, server: workspace.ListeningSecretKey(src.TeamID, s.Name)}
			if old := workspace.ListeningSecretRenamed(src.Kind, s.Name); old != "" {
				w.legacy = workspace.ListeningSecretKey(src.LocalID, old)
			}
			want = append(want, w)
		}
	}
	want = append(want, wanted{name: workspace.LLMKeySecret})
	var copied, kept int
	var missing []string
	for _, w := range want {
		if w.server == "" {
			w.server = w.name
		}
		if _, err := server.Get(ctx, w.server); err == nil {
			kept++
			continue
		} else if !errors.Is(err, secrets.ErrNotFound) {
			fmt.Fprintf(env.Stderr, "stormdesk server import-local: %v\n", err)
			return ExitFailure
		}
		v, err := ring.Get(ctx, w.name)
		if errors.Is(err, secrets.ErrNotFound) && w.legacy != "" {
			v, err = ring.Get(ctx, w.legacy)
		}
		if errors.Is(err, secrets.ErrNotFound) {
			if w.required {
				missing = append(missing, w.label)
			}
			continue
		}
		if err != nil {
			fmt.Fprintf(env.Stderr, "stormdesk server import-local: the keyring cannot be read (%v); the data is copied, run again where the keyring is unlocked or enter the secrets on the server\n", err)
			return ExitPartial
		}
		if err := server.Set(ctx, w.server, v); err != nil {
			fmt.Fprintf(env.Stderr, "stormdesk server import-local: %v\n", err)
			return ExitFailure
		}
		copied++
	}
	fmt.Fprintf(env.Stdout, "Secrets: %d copied into the server's sealed secrets, %d the server already had.\n", copied, kept)
	if len(missing) > 0 {
		fmt.Fprintf(env.Stdout, "Not in this desktop's keyring (enter them on the server): %s\n", strings.Join(missing, ", "))
	}
	return ExitOK
}
