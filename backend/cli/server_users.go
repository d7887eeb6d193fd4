package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/team"
)

// memberWords are the words after `stormdesk server` that manage members.
var memberWords = []string{"user", "token"}

// splitMemberWord finds the first subcommand word in args (flags may stand
// before it) and, when it is a member word, returns it and the arguments
// without it (`init --admin user` stays init's).
func splitMemberWord(args []string) (string, []string, bool) {
	i := slices.IndexFunc(args, func(a string) bool { return slices.Contains(serverSubcommands, a) })
	if i < 0 || !slices.Contains(memberWords, args[i]) {
		return "", nil, false
	}
	return args[i], append(slices.Clone(args[:i]), args[i+1:]...), true
}

const usersUsage = `user add NAME --role agent|approver|admin [--password] --db postgres://...
       user list|disable|enable NAME|role NAME ROLE|password NAME --db postgres://...
       token list NAME|add NAME|revoke NAME ID --db postgres://...`

// runServerMembers is `stormdesk server user ...` and `server token ...`:
// an admin at the server's shell manages the team's members, their roles,
// passwords and access tokens (docs/team.md, "Members and roles").
func runServerMembers(ctx context.Context, env Env, word string, args []string) int {
	fs := newFlagSet(env, "server "+word, usersUsage)
	dsn := fs.String("db", "", "the team's PostgreSQL database URL (postgres://user:password@host:5432/db)")
	role := fs.String("role", "", "user add: the member's role (agent, approver or admin)")
	withPassword := fs.Bool("password", false, "user add: read a password for the member from standard input (one line)")
	pos, err := parseInterspersed(fs, args)
	if err == nil {
		err = checkMembersCommand(word, pos, *dsn, *role, *withPassword)
	}
	if err != nil {
		return usageError(env, fs, err)
	}
	s, err := store.Open(ctx, *dsn)
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk server %s: %v\n", word, err)
		return ExitFailure
	}
	defer s.Close()
	m := members{s: s, env: env}
	switch word + " " + pos[0] {
	case "user add":
		err = m.add(ctx, pos[1], team.Role(*role), *withPassword)
	case "user list":
		err = m.list(ctx)
	case "user disable", "user enable":
		err = m.setDisabled(ctx, pos[1], pos[0] == "disable")
	case "user role":
		err = m.setRole(ctx, pos[1], team.Role(pos[2]))
	case "user password":
		err = m.setPassword(ctx, pos[1])
	case "token list":
		err = m.tokens(ctx, pos[1])
	case "token add":
		err = m.addToken(ctx, pos[1])
	case "token revoke":
		err = m.revoke(ctx, pos[1], pos[2])
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk server %s %s: %v\n", word, pos[0], err)
		return ExitFailure
	}
	return ExitOK
}

// checkMembersCommand checks the command line before the database is opened.
func checkMembersCommand(word string, pos []string, dsn, role string, withPassword bool) error {
	want := map[string]int{ // positional arguments after the word, the verb included
		"user add": 2, "user list": 1, "user disable": 2, "user enable": 2, "user role": 3, "user password": 2,
		"token list": 2, "token add": 2, "token revoke": 3,
	}
	if len(pos) == 0 {
		return fmt.Errorf("want: server %s", usersUsage)
	}
	n, ok := want[word+" "+pos[0]]
	switch {
	case !ok:
		return fmt.Errorf("unknown command %q; want: server %s", word+" "+pos[0], usersUsage)
	case len(pos) != n:
		return fmt.Errorf("%s %s takes %d argument(s), got %d", word, pos[0], n-1, len(pos)-1)
	case dsn == "":
		return errors.New("--db postgres://... is required")
	case !store.IsPostgresDSN(dsn):
		return errors.New("--db must be a PostgreSQL URL (postgres://...): members belong to a team server")
	case (role != "") != (word+" "+pos[0] == "user add"):
		return errors.New("--role goes with user add, which needs it (user role NAME ROLE changes a role)")
	case withPassword && word+" "+pos[0] != "user add":
		return errors.New("--password goes with user add (user password NAME sets one later)")
	}
	if role != "" {
		if _, err := team.ParseRole(role); err != nil {
			return err
		}
	}
	if word+" "+pos[0] == "user role" {
		if _, err := team.ParseRole(pos[2]); err != nil {
			return err
		}
	}
	return nil
}

type members struct {
	s   *store.Store
	env Env
}

// readPassword reads one line from standard input and checks it is long enough.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from standard input: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", errors.New("no password on standard input (one line)")
	}
	return pw, team.CheckPassword(pw)
}

func (m members) add(ctx context.Context, name string, role team.Role, withPassword bool) error {
	var hash string
	if withPassword {
		pw, err := readPassword(m.env.Stdin)
		if err != nil {
			return err
		}
		if hash, err = team.HashPassword(pw, team.DefaultParams); err != nil {
			return err
		}
	}
	mem, err := m.s.CreateMember(ctx, name, store.Role(role))
	if err != nil {
		return err
	}
	if hash != "" {
		if err := m.s.SetMemberPassword(ctx, mem.ID, hash); err != nil {
			return err
		}
	}
	token, err := m.s.IssueMemberToken(ctx, mem.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.env.Stdout, "member %q added as %s. Access token (shown this once; only its hash is stored):\n\n  %s\n\n", mem.Name, mem.Role, token)
	fmt.Fprintln(m.env.Stdout, "Give it to them over a private channel: they open https://SERVER/?token=<token>, or send Authorization: Bearer <token>.")
	return nil
}

func (m members) list(ctx context.Context) error {
	list, err := m.s.Members(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(m.env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tROLE\tSTATE\tPASSWORD\tTOKENS\tLAST USED\tADDED")
	for _, mem := range list {
		state := "active"
		if mem.Disabled {
			state = "disabled"
		}
		pw := "no"
		if _, _, err := m.s.MemberPassword(ctx, mem.Name); err == nil {
			pw = "yes"
		}
		toks, err := m.s.MemberTokens(ctx, mem.ID)
		if err != nil {
			return err
		}
		used, err := m.s.TokenLastUsed(ctx, mem.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", mem.Name, mem.Role, state, pw, len(toks), when(used), mem.CreatedAt.UTC().Format(time.DateTime))
	}
	return w.Flush()
}

func when(t *time.Time) string {
	if t == nil {
		return "never"
	}
	return t.UTC().Format(time.DateTime)
}

// change applies one change to the member called name; the store keeps the
// team an enabled admin (nobody could manage members, accounts or policies
// otherwise), checking and changing in one transaction.
func (m members) change(ctx context.Context, name string, fn func(*store.Member)) (store.Member, error) {
	mem, err := m.s.ChangeMember(ctx, name, fn)
	if errors.Is(err, store.ErrLastAdmin) {
		return store.Member{}, fmt.Errorf("%s is the team's only enabled admin; make another member admin first", name)
	}
	return mem, err
}

func (m members) setDisabled(ctx context.Context, name string, disabled bool) error {
	mem, err := m.change(ctx, name, func(x *store.Member) { x.Disabled = disabled })
	if err != nil {
		return err
	}
	if disabled {
		fmt.Fprintf(m.env.Stdout, "%s disabled: their calls are refused from now on and their open pages are disconnected within seconds; their tokens are kept for when they are enabled again\n", mem.Name)
	} else {
		fmt.Fprintf(m.env.Stdout, "%s enabled\n", mem.Name)
	}
	return nil
}

func (m members) setRole(ctx context.Context, name string, role team.Role) error {
	mem, err := m.change(ctx, name, func(x *store.Member) { x.Role = store.Role(role) })
	if err != nil {
		return err
	}
	fmt.Fprintf(m.env.Stdout, "%s is now %s (from their next call)\n", mem.Name, role)
	return nil
}

func (m members) setPassword(ctx context.Context, name string) error {
	mem, err := m.s.MemberByName(ctx, name)
	if err != nil {
		return err
	}
	pw, err := readPassword(m.env.Stdin)
	if err != nil {
		return err
	}
	hash, err := team.HashPassword(pw, team.DefaultParams)
	if err != nil {
		return err
	}
	if err := m.s.SetMemberPassword(ctx, mem.ID, hash); err != nil {
		return err
	}
	fmt.Fprintf(m.env.Stdout, "password of %s set (argon2id; the password itself is not stored)\n", mem.Name)
	return nil
}

func (m members) tokens(ctx context.Context, name string) error {
	mem, err := m.s.MemberByName(ctx, name)
	if err != nil {
		return err
	}
	list, err := m.s.MemberTokens(ctx, mem.ID)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(m.env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tKIND\tCREATED\tLAST USED\tEXPIRES")
	for _, tk := range list {
		exp := "never"
		if tk.ExpiresAt != nil {
			exp = tk.ExpiresAt.UTC().Format(time.DateTime)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", tk.ID, tk.Kind, tk.CreatedAt.UTC().Format(time.DateTime), when(tk.LastUsedAt), exp)
	}
	return w.Flush()
}

func (m members) addToken(ctx context.Context, name string) error {
	mem, err := m.s.MemberByName(ctx, name)
	if err != nil {
		return err
	}
	token, err := m.s.IssueMemberToken(ctx, mem.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.env.Stdout, "new access token for %s (shown this once; only its hash is stored):\n\n  %s\n\n", mem.Name, token)
	return nil
}

func (m members) revoke(ctx context.Context, name, id string) error {
	mem, err := m.s.MemberByName(ctx, name)
	if err != nil {
		return err
	}
	if err := m.s.RevokeMemberToken(ctx, mem.ID, id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("%s has no token %q (stormdesk server token list %s shows their ids)", mem.Name, id, mem.Name)
		}
		return err
	}
	fmt.Fprintf(m.env.Stdout, "token %s of %s revoked: it lets nobody in from now on\n", id, mem.Name)
	return nil
}
