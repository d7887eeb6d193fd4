package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/stormdesk/stormdesk/backend/channels/registry"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

func runAccount(ctx context.Context, env Env, args []string) int {
	if len(args) > 0 {
		switch args[0] {
		case "add":
			return runAccountAdd(ctx, env, args[1:])
		case "list":
			return runAccountList(ctx, env, args[1:])
		case "remove", "disable", "enable":
			return runAccountState(ctx, env, args[0], args[1:])
		}
	}
	fmt.Fprintln(env.Stderr, "Usage: stormdesk account add NAME --channel KIND --settings JSON [--brand B] [--secrets a,b < values]")
	fmt.Fprintln(env.Stderr, "       stormdesk account list [--db PATH]")
	fmt.Fprintln(env.Stderr, "       stormdesk account disable|enable NAME [--db PATH]")
	fmt.Fprintln(env.Stderr, "       stormdesk account remove NAME [--db PATH]   (secrets leave the keyring; conversations stay, read-only)")
	return ExitUsage
}

// runAccountState disables, enables or removes one account. A window running
// on the same database stops syncing it before its next run.
func runAccountState(ctx context.Context, env Env, verb string, args []string) int {
	fs := newFlagSet(env, "account "+verb, "NAME")
	db := dbFlag(fs)
	pos, err := parseInterspersed(fs, args)
	if err == nil && len(pos) != 1 {
		err = fmt.Errorf("want exactly one NAME")
	}
	if err != nil {
		return usageError(env, fs, err)
	}
	ws, code := openWorkspace(ctx, env, *db)
	if ws == nil {
		return code
	}
	defer ws.Close()
	var done string
	switch verb {
	case "remove":
		_, err = ws.RemoveAccount(ctx, secrets.NewKeyring(workspace.KeyringService), pos[0])
		done = "removed: its secrets left the OS keyring; its conversations stay, read-only"
	case "disable":
		_, err = ws.SetAccountEnabled(ctx, pos[0], false)
		done = "disabled: nothing is synced or sent through it until it is enabled"
	default:
		_, err = ws.SetAccountEnabled(ctx, pos[0], true)
		done = "enabled"
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk account %s: %v\n", verb, err)
		return ExitFailure
	}
	fmt.Fprintf(env.Stdout, "account %s %s\n", pos[0], done)
	return ExitOK
}

func runAccountAdd(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet(env, "account add", "NAME")
	db := dbFlag(fs)
	channel := fs.String("channel", "", "mail, telegram, vk, mastodon, youtube, bluesky or reddit")
	brand := fs.String("brand", "", "the brand the account speaks for")
	handle := fs.String("handle", "", "the address or handle on the channel")
	settings := fs.String("settings", "{}", "connector settings as a JSON object (no secrets)")
	secretNames := fs.String("secrets", "", "comma-separated secret names whose values are read from standard input, one per line (never pass secrets as arguments)")
	pos, err := parseInterspersed(fs, args)
	if err == nil && len(pos) != 1 {
		err = fmt.Errorf("want exactly one NAME")
	}
	if err != nil {
		return usageError(env, fs, err)
	}
	ch, err := inbox.ParseChannelKind(*channel)
	if err != nil {
		return usageError(env, fs, err)
	}
	if err := registry.Validate(ch, json.RawMessage(*settings)); err != nil {
		return usageError(env, fs, err)
	}
	values, err := readSecrets(env.Stdin, ch, *secretNames)
	if err != nil {
		return usageError(env, fs, err)
	}
	ws, code := openWorkspace(ctx, env, *db)
	if ws == nil {
		return code
	}
	defer ws.Close()
	acc, err := ws.SaveAccount(ctx, secrets.NewKeyring(workspace.KeyringService), workspace.AccountInput{
		Name: pos[0], Channel: ch, Brand: *brand, Handle: *handle, Settings: *settings, Secrets: values})
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk account add: %v\n", err)
		return ExitFailure
	}
	fmt.Fprintf(env.Stdout, "account %s (%s) saved; %d secrets in the OS keyring\n", acc.Name, acc.Channel, len(values))
	return ExitOK
}

// readSecrets reads one line per named secret from r and checks the names.
func readSecrets(r io.Reader, ch inbox.ChannelKind, names string) (map[string]string, error) {
	out := map[string]string{}
	if strings.TrimSpace(names) == "" {
		return out, nil
	}
	known := map[string]bool{}
	for _, s := range registry.SecretsFor(ch) {
		known[s.Name] = true
	}
	sc := bufio.NewScanner(r)
	for _, name := range strings.Split(names, ",") {
		name = strings.TrimSpace(name)
		if !known[name] {
			return nil, fmt.Errorf("channel %s has no secret %q", ch, name)
		}
		if !sc.Scan() {
			return nil, fmt.Errorf("standard input ended before the value of %q", name)
		}
		out[name] = strings.TrimRight(sc.Text(), "\r")
	}
	return out, nil
}

func runAccountList(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet(env, "account list", "")
	db := dbFlag(fs)
	if _, err := parseInterspersed(fs, args); err != nil {
		return usageError(env, fs, err)
	}
	ws, code := openWorkspace(ctx, env, *db)
	if ws == nil {
		return code
	}
	defer ws.Close()
	statuses, err := ws.AccountStatuses(ctx)
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk account list: %v\n", err)
		return ExitFailure
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	// fetched: messages the server delivered over the account's life, as
	// 'sync' counts them per run (except items ingest rejected, which 'sync'
	// lists and the store never sees); skipped: what the connector could not
	// read (mail: held by the server but not delivered, retried every sync).
	// Removed accounts are not listed (their conversations stay in the inbox).
	fmt.Fprintln(tw, "name\tchannel\tbrand\tstate\tfetched\tskipped\tlast sync\terror")
	for _, as := range statuses {
		a, st := as.Account, as.Sync
		last := "never"
		if st.SyncedAt != nil {
			last = st.SyncedAt.Local().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", a.Name, a.Channel, a.Brand, as.State, st.Fetched, st.Skipped, last, st.LastError)
	}
	if err := tw.Flush(); err != nil {
		return ExitFailure
	}
	return ExitOK
}
