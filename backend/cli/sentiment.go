package cli

import (
	"context"
	"fmt"
)

func runSentiment(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet(env, "sentiment", "retrain")
	db := dbFlag(fs)
	pos, err := parseInterspersed(fs, args)
	if err == nil && (len(pos) != 1 || pos[0] != "retrain") {
		err = fmt.Errorf("want: sentiment retrain")
	}
	if err != nil {
		return usageError(env, fs, err)
	}
	ws, code := openWorkspace(ctx, env, *db)
	if ws == nil {
		return code
	}
	defer ws.Close()
	n, err := ws.RetrainSentiment(ctx)
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk sentiment retrain: %v\n", err)
		return ExitFailure
	}
	fmt.Fprintf(env.Stdout, "learnt %d corrected labels on top of the shipped model; new messages are scored with it\n", n)
	return ExitOK
}
