package cli

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/stormdesk/stormdesk/backend/secrets/sealed"
)

// runServer is `stormdesk server init --secrets-key FILE`. The team server
// itself comes later; init so far only creates the key its secrets are sealed
// under (docs/team.md, "Secrets on the server").
func runServer(ctx context.Context, env Env, args []string) int {
	if len(args) > 0 && args[0] == "import-local" {
		return runServerImport(ctx, env, args[1:])
	}
	fs := newFlagSet(env, "server", "init")
	keyPath := fs.String("secrets-key", "", "create the key the server's secrets are encrypted with in this file (must not exist)")
	pos, err := parseInterspersed(fs, args)
	switch {
	case err != nil:
	case len(pos) != 1 || pos[0] != "init":
		err = fmt.Errorf("want: server init --secrets-key FILE")
	case *keyPath == "":
		err = fmt.Errorf("--secrets-key is required")
	}
	if err != nil {
		return usageError(env, fs, err)
	}
	path, err := filepath.Abs(*keyPath)
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk server init: %v\n", err)
		return ExitFailure
	}
	if err := sealed.NewKeyFile(path); err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk server init: %v\n", err)
		return ExitFailure
	}
	fmt.Fprintf(env.Stdout, "secrets key written to %s (mode 0600, readable by this user only)\n", path)
	fmt.Fprintln(env.Stdout, "Back it up now, separately from the database: without it the secrets stored in the database cannot be read, and a backup that holds both the database and the key exposes them.")
	return ExitOK
}
