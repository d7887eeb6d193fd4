package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// runOutbox is `stormdesk outbox run`: the window's outbox without the window,
// so replies approved elsewhere are sent by a process that can be supervised
// (or killed, by the crash tests) on its own.
func runOutbox(ctx context.Context, env Env, args []string) int {
	if len(args) == 0 || args[0] != "run" {
		fmt.Fprintln(env.Stderr, "Usage: stormdesk outbox run [--db PATH] [--lease 5m] [--interval 10s]")
		return ExitUsage
	}
	fs := newFlagSet(env, "outbox run", "")
	db := dbFlag(fs)
	lease := fs.Duration("lease", 0, "how long a claimed reply is hidden from other senders; after it an unfinished attempt counts as a crash (0: the outbox's 5 minutes; shorten only when no other process sends from this database)")
	interval := fs.Duration("interval", 0, "how often to look for due replies (0: the outbox's 10 s)")
	pos, err := parseInterspersed(fs, args[1:])
	if err == nil && len(pos) > 0 {
		err = fmt.Errorf("unexpected argument %q", pos[0])
	}
	if err == nil && (*lease < 0 || *interval < 0) {
		err = errors.New("--lease and --interval must not be negative")
	}
	if err != nil {
		return usageError(env, fs, err)
	}
	ws, code := openWorkspace(ctx, env, *db)
	if ws == nil {
		return code
	}
	defer ws.Close()
	composer := ws.NewComposer(secrets.NewKeyring(workspace.KeyringService))
	ob := composer.Outbox()
	if *lease > 0 {
		ob.Lease = *lease
	}
	if *interval > 0 {
		ob.Interval = *interval
	}
	env.Log.Info("outbox running", "db", *db, "lease", ob.Lease, "interval", ob.Interval)
	start := env.Now()
	if err := composer.RunOutbox(ctx); err != nil && ctx.Err() == nil {
		fmt.Fprintf(env.Stderr, "stormdesk outbox run: %v\n", err)
		return ExitFailure
	}
	env.Log.Info("outbox stopped", "after", env.Now().Sub(start).Round(time.Millisecond))
	return ExitOK
}
