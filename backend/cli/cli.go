// Package cli runs Stormdesk's headless subcommands on the same backend as the window.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/workspace"
)

// Exit codes of the headless commands.
const (
	ExitOK      = 0
	ExitFailure = 1 // the command could not do its work
	ExitUsage   = 2 // the command line is wrong
	ExitPartial = 3 // done, but some input was rejected (reported on stderr)
)

// BuildInfo is what `stormdesk version` prints.
type BuildInfo struct {
	Version, Commit, Date string
}

// Env is what a command may touch: its output streams, a logger and build info.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Log            *slog.Logger
	Build          BuildInfo
	Now            func() time.Time
}

type command struct {
	name, summary string
	run           func(ctx context.Context, env Env, args []string) int
}

func commands() []command {
	return []command{
		{"import", "import a CSV or JSON-lines file into the inbox", runImport},
		{"stats", "print conversation counts per channel and status", runStats},
		{"search", "find messages as the search box does (search QUERY [--json] [--channel C] [--limit N])", runSearch},
		{"account", "add or list channel accounts (secrets go to the OS keyring)", runAccount},
		{"sync", "fetch new messages of one account", runSync},
		{"outbox", "send approved replies until stopped (outbox run [--lease D] [--interval D])", runOutbox},
		{"demo", "store the demo data set (or --messages N synthetic ones) if the database has no accounts", runDemo},
		{"report", "print SLA reports as CSV (report sla --from DATE --to DATE [--tz ZONE] [--account NAME] [--breaches])", runReport},
		{"detect", "replay a CSV through the spike detector and print the alerts", runDetect},
		{"sentiment", "the sentiment model: sentiment info | retrain | import FILE | reset", runSentiment},
		{"eval", "evaluate the sentiment model (eval sentiment [FILE] [--compare MODEL]) or the spike detector against an oracle (eval detect FILE)", runEval},
		{"server", "prepare a team server: server init --db postgres://... --admin NAME [--secrets-key FILE]; members: server user add|list|disable|enable|role|password, server token list|add|revoke; invitations: server invite add|list|revoke", runServer},
		{"version", "print the version", runVersion},
	}
}

// IsCommand reports whether name is a headless subcommand.
func IsCommand(name string) bool {
	if name == "help" || name == "-h" || name == "--help" {
		return true
	}
	for _, c := range commands() {
		if c.name == name {
			return true
		}
	}
	return false
}

// Run runs the subcommand named by args[0] and returns the process exit code.
func Run(ctx context.Context, env Env, args []string) int {
	if env.Log == nil {
		env.Log = slog.New(slog.DiscardHandler)
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	if env.Stdin == nil {
		env.Stdin = strings.NewReader("")
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.Stdout)
		return ExitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, env, args[1:])
		}
	}
	fmt.Fprintf(env.Stderr, "stormdesk: unknown command %q\n", args[0])
	usage(env.Stderr)
	return ExitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: stormdesk [--db PATH]            open the window")
	fmt.Fprintln(w, "       stormdesk COMMAND [flags] [args]  run headless")
	fmt.Fprintln(w, "       stormdesk serve [--db PATH] [--addr 127.0.0.1:0] [--no-demo]  serve the UI to a browser on loopback")
	fmt.Fprintln(w, "       stormdesk server --db postgres://... --secrets-key FILE [--addr HOST:PORT] [--tls-cert F --tls-key F]  run the team server")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'stormdesk COMMAND -h' for a command's flags.")
}

// parseInterspersed parses flags that may stand before, between or after the
// positional arguments (`import FILE --db x` as well as `import --db x FILE`).
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if rest[0] == "--" {
			return append(positional, rest[1:]...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", workspace.DefaultDBPath(), "database file")
}

func newFlagSet(env Env, name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: stormdesk %s [flags] %s\n\nFlags:\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

func openWorkspace(ctx context.Context, env Env, path string) (*workspace.Workspace, int) {
	ws, err := workspace.Open(ctx, path, env.Log)
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk: %v\n", err)
		return nil, ExitFailure
	}
	return ws, ExitOK
}

// openExistingWorkspace is openWorkspace for commands that only read: a
// mistyped --db must not create an empty database and answer from it.
func openExistingWorkspace(ctx context.Context, env Env, path string) (*workspace.Workspace, int) {
	if _, err := os.Stat(path); err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk: no database at %s: %v\n", path, err)
		return nil, ExitFailure
	}
	return openWorkspace(ctx, env, path)
}

func usageError(env Env, fs *flag.FlagSet, err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk %s: %v\n", fs.Name(), err)
	}
	fs.Usage()
	return ExitUsage
}

func runVersion(_ context.Context, env Env, args []string) int {
	fs := newFlagSet(env, "version", "")
	if _, err := parseInterspersed(fs, args); err != nil {
		return usageError(env, fs, err)
	}
	b := env.Build
	fmt.Fprintf(env.Stdout, "stormdesk %s (commit %s, built %s)\n", orUnknown(b.Version), orUnknown(b.Commit), orUnknown(b.Date))
	return ExitOK
}

func orUnknown(s string) string {
	if strings.TrimSpace(s) == "" {
		return "unknown"
	}
	return s
}

func runDemo(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet(env, "demo", "")
	db := dbFlag(fs)
	messages := fs.Int("messages", 0, "store this many synthetic messages (a load-test set, e.g. 1000000) instead of the demo data")
	if _, err := parseInterspersed(fs, args); err != nil {
		return usageError(env, fs, err)
	}
	if *messages < 0 {
		return usageError(env, fs, fmt.Errorf("--messages must be positive, got %d", *messages))
	}
	ws, code := openWorkspace(ctx, env, *db)
	if ws == nil {
		return code
	}
	defer ws.Close()
	if *messages > 0 {
		return runSyntheticDemo(ctx, env, ws, *messages)
	}
	seeded, err := ws.SeedDemoIfEmpty(ctx, env.Now(), workspace.AgentName())
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk demo: %v\n", err)
		return ExitFailure
	}
	if !seeded {
		fmt.Fprintln(env.Stdout, "the database already has accounts; demo data not added")
		return ExitOK
	}
	fmt.Fprintln(env.Stdout, "demo data stored")
	return ExitOK
}

// runSyntheticDemo is `demo --messages N`: the load-test data set, into a database without accounts only.
func runSyntheticDemo(ctx context.Context, env Env, ws *workspace.Workspace, n int) int {
	accounts, err := ws.Store.Accounts(ctx)
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk demo: %v\n", err)
		return ExitFailure
	}
	if len(accounts) > 0 {
		fmt.Fprintln(env.Stdout, "the database already has accounts; synthetic data not added")
		return ExitOK
	}
	start := time.Now()
	stored, threads, err := seedSynthetic(ctx, ws.Store, n, env.Now(), env.Stderr)
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk demo: %v (%d messages were stored)\n", err, stored)
		return ExitFailure
	}
	fmt.Fprintf(env.Stdout, "synthetic data stored: %d messages in %d conversations (%s)\n", stored, threads, time.Since(start).Round(time.Millisecond))
	return ExitOK
}
