package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/stormdesk/stormdesk/backend/ingest"
	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

func runSync(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet(env, "sync", "")
	db := dbFlag(fs)
	name := fs.String("account", "", "the account to sync (see 'stormdesk account list')")
	pos, err := parseInterspersed(fs, args)
	if err == nil && (len(pos) > 0 || *name == "") {
		err = fmt.Errorf("want --account NAME and no arguments")
	}
	if err != nil {
		return usageError(env, fs, err)
	}
	ws, code := openWorkspace(ctx, env, *db)
	if ws == nil {
		return code
	}
	defer ws.Close()
	acc, conn, err := ws.Connector(ctx, secrets.NewKeyring(workspace.KeyringService), *name)
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk sync: %v\n", err)
		return ExitFailure
	}
	if c, ok := conn.(io.Closer); ok {
		defer c.Close()
	}
	res, err := ws.Pipeline.Sync(ctx, ws.Store, acc, conn, func(p ingest.Progress) {
		fmt.Fprintf(env.Stderr, "%s: %d fetched, %d new\n", p.Account, p.Fetched, p.Stored)
	})
	// "fetched" is every message the server delivered in this run, the same
	// count 'account list' adds up over the account's life; what became of
	// them follows, each with its own word.
	fmt.Fprintf(env.Stdout, "%s: %d fetched, %d new messages, %d duplicates (already stored), %d rejected (not stored), %d new conversations\n",
		acc.Name, res.Received, res.Inserted, res.Duplicates, len(res.Rejections), res.Conversations)
	for _, r := range res.Rejections {
		fmt.Fprintf(env.Stderr, "  %s: %s\n", r.ExternalID, r.Reason)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk sync: %v\n", err)
		return ExitFailure
	}
	if len(res.Rejections) > 0 {
		return ExitPartial
	}
	return ExitOK
}
