package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"
)

func runStats(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet(env, "stats", "")
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if pos, err := parseInterspersed(fs, args); err != nil || len(pos) > 0 {
		if err == nil {
			err = fmt.Errorf("unexpected argument %q", pos[0])
		}
		return usageError(env, fs, err)
	}
	ws, code := openExistingWorkspace(ctx, env, *db)
	if ws == nil {
		return code
	}
	defer ws.Close()
	st, err := ws.Store.Stats(ctx)
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk stats: %v\n", err)
		return ExitFailure
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(st); err != nil {
			fmt.Fprintf(env.Stderr, "stormdesk stats: %v\n", err)
			return ExitFailure
		}
		return ExitOK
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "channel\topen\tpending\tclosed\tmessages\t")
	var open, pending, closed int
	for _, c := range st.Channels {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t\n", c.Channel, c.Open, c.Pending, c.Closed, c.Messages)
		open, pending, closed = open+c.Open, pending+c.Pending, closed+c.Closed
	}
	fmt.Fprintf(tw, "total\t%d\t%d\t%d\t%d\t\n", open, pending, closed, st.Messages)
	if err := tw.Flush(); err != nil {
		return ExitFailure
	}
	return ExitOK
}
