package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/stormdesk/stormdesk/backend/secrets/sealed"
	"github.com/stormdesk/stormdesk/backend/store"
)

// serverSubcommands are the words after `stormdesk server` this package
// runs; `stormdesk server` with flags only is the team server itself (the
// root package's runner).
var serverSubcommands = []string{"init", "import-local", "user", "token", "invite", "fingerprint"}

// IsServerSubcommand reports whether the arguments after `stormdesk server`
// name one of its subcommands (anywhere: flags may come first).
func IsServerSubcommand(args []string) bool {
	return slices.ContainsFunc(args, func(a string) bool { return slices.Contains(serverSubcommands, a) })
}

// runServer is `stormdesk server init` (and hands `import-local` to
// runServerImport): init prepares a team server's database
// (schema, first admin with an access token) and creates the key its
// secrets are sealed under (docs/team.md, "Running the server").
func runServer(ctx context.Context, env Env, args []string) int {
	if rest, ok := importLocalArgs(args); ok {
		return runServerImport(ctx, env, rest)
	}
	if rest, ok := inviteArgs(args); ok {
		return runServerInvites(ctx, env, rest)
	}
	if word, rest, ok := splitMemberWord(args); ok {
		return runServerMembers(ctx, env, word, rest)
	}
	if slices.Contains(args, "fingerprint") {
		return runServerFingerprint(env, args)
	}
	fs := newFlagSet(env, "server", "init --db postgres://... --admin NAME [--secrets-key FILE]")
	keyPath := fs.String("secrets-key", "", "create the key the server's secrets are encrypted with in this file (an existing key is kept)")
	dsn := fs.String("db", "", "PostgreSQL database URL (postgres://user:password@host:5432/db): create or upgrade its schema")
	admin := fs.String("admin", "", "name of the first admin, created with an access token if the team has no admin yet")
	pos, err := parseInterspersed(fs, args)
	switch {
	case err != nil:
	case len(pos) != 1 || pos[0] != "init":
		err = fmt.Errorf("want: server init --db postgres://... --admin NAME [--secrets-key FILE]")
	case *dsn == "" && *keyPath == "":
		err = fmt.Errorf("--db with --admin, or --secrets-key, is required")
	case *dsn != "" && !store.IsPostgresDSN(*dsn):
		err = fmt.Errorf("--db must be a PostgreSQL URL (postgres://...): the team server runs on PostgreSQL only")
	case *dsn != "" && *admin == "":
		err = fmt.Errorf("--admin NAME is required with --db: the team needs a first admin")
	case *admin != "" && *dsn == "":
		err = fmt.Errorf("--admin needs --db")
	}
	if err != nil {
		return usageError(env, fs, err)
	}
	if *keyPath != "" {
		if code := initSecretsKey(env, *keyPath); code != ExitOK {
			return code
		}
	}
	if *dsn != "" {
		return initDatabase(ctx, env, *dsn, *admin)
	}
	return ExitOK
}

// initSecretsKey creates the key file, or keeps a usable one that exists,
// so running init again changes nothing.
func initSecretsKey(env Env, keyPath string) int {
	path, err := filepath.Abs(keyPath)
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk server init: %v\n", err)
		return ExitFailure
	}
	err = sealed.NewKeyFile(path)
	if errors.Is(err, os.ErrExist) {
		if k, lerr := sealed.LoadKey(path); lerr == nil {
			fmt.Fprintf(env.Stdout, "secrets key %s exists (id %.12s); kept\n", path, k.ID())
			return ExitOK
		}
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk server init: %v\n", err)
		return ExitFailure
	}
	fmt.Fprintf(env.Stdout, "secrets key written to %s (mode 0600, readable by this user only)\n", path)
	fmt.Fprintln(env.Stdout, "Back it up now, separately from the database: without it the secrets stored in the database cannot be read, and a backup that holds both the database and the key exposes them.")
	return ExitOK
}

// initDatabase brings the schema up to date and creates the first admin.
func initDatabase(ctx context.Context, env Env, dsn, admin string) int {
	s, err := store.Open(ctx, dsn)
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk server init: %v\n", err)
		return ExitFailure
	}
	defer s.Close()
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk server init: %v\n", err)
		return ExitFailure
	}
	fmt.Fprintf(env.Stdout, "database %s: schema version %d\n", s.Path(), v)
	m, token, created, err := s.CreateFirstAdmin(ctx, admin)
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk server init: %v\n", err)
		return ExitFailure
	}
	if !created {
		fmt.Fprintf(env.Stdout, "the team has an admin already (%s); no member or token created\n", m.Name)
		return ExitOK
	}
	fmt.Fprintf(env.Stdout, "admin %q created. Access token (shown this once; only its hash is stored):\n\n  %s\n\n", m.Name, token)
	fmt.Fprintln(env.Stdout, "Open https://SERVER/?token=<token> in a browser (it is swapped for a cookie), or send the header Authorization: Bearer <token>.")
	return ExitOK
}
