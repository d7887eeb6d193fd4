package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/team"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

const invitesUsage = `invite add --role agent|approver|admin [--name NAME] [--expires 72h] [--url https://SERVER] --db postgres://...
       invite list|revoke ID --db postgres://...`

// inviteCreator names the command line as an invitation's maker: the
// server's shell has no member behind it.
const inviteCreator = "server command line"

// inviteArgs finds the word invite among the arguments after `stormdesk
// server` (flags may stand before it) and returns the rest.
func inviteArgs(args []string) ([]string, bool) {
	i := slices.IndexFunc(args, func(a string) bool { return slices.Contains(serverSubcommands, a) })
	if i < 0 || args[i] != "invite" {
		return nil, false
	}
	return append(slices.Clone(args[:i]), args[i+1:]...), true
}

// runServerInvites is `stormdesk server invite ...`: one-time invitation
// codes for new members (docs/team.md, "Invitations").
func runServerInvites(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet(env, "server invite", invitesUsage)
	dsn := fs.String("db", "", "the team's PostgreSQL database URL (postgres://user:password@host:5432/db)")
	role := fs.String("role", "", "invite add: the new member's role (agent, approver or admin)")
	name := fs.String("name", "", "invite add: the new member's name (empty: they choose it when joining)")
	expires := fs.Duration("expires", store.DefaultInviteTTL, "invite add: how long the code works (at most 720h)")
	base := fs.String("url", "", "invite add: the server's address as members reach it, for the link (https://team.example.com; default: the address the server last started at)")
	pos, err := parseInterspersed(fs, args)
	if err == nil {
		err = checkInvitesCommand(pos, *dsn, *role, *expires)
	}
	if err != nil {
		return usageError(env, fs, err)
	}
	s, err := store.Open(ctx, *dsn)
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk server invite: %v\n", err)
		return ExitFailure
	}
	defer s.Close()
	switch pos[0] {
	case "add":
		err = addInvite(ctx, env, s, store.Role(*role), *name, *expires, *base)
	case "list":
		err = listInvites(ctx, env, s)
	case "revoke":
		id, _ := strconv.ParseInt(pos[1], 10, 64) // checked by checkInvitesCommand
		if err = s.RevokeInvite(ctx, id); err == nil {
			fmt.Fprintf(env.Stdout, "invitation %d revoked: its code lets nobody in from now on\n", id)
		} else if errors.Is(err, store.ErrNotFound) {
			err = fmt.Errorf("no open invitation %d (stormdesk server invite list shows them)", id)
		}
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk server invite %s: %v\n", pos[0], err)
		return ExitFailure
	}
	return ExitOK
}

// checkInvitesCommand checks the command line before the database is opened.
func checkInvitesCommand(pos []string, dsn, role string, expires time.Duration) error {
	want := map[string]int{"add": 1, "list": 1, "revoke": 2}
	if len(pos) == 0 {
		return fmt.Errorf("want: server %s", invitesUsage)
	}
	n, ok := want[pos[0]]
	switch {
	case !ok:
		return fmt.Errorf("unknown command %q; want: server %s", "invite "+pos[0], invitesUsage)
	case len(pos) != n:
		return fmt.Errorf("invite %s takes %d argument(s), got %d", pos[0], n-1, len(pos)-1)
	case dsn == "":
		return errors.New("--db postgres://... is required")
	case !store.IsPostgresDSN(dsn):
		return errors.New("--db must be a PostgreSQL URL (postgres://...): invitations belong to a team server")
	case (role != "") != (pos[0] == "add"):
		return errors.New("--role goes with invite add, which needs it")
	case expires <= 0 || expires > store.MaxInviteTTL:
		return fmt.Errorf("--expires %s: an invitation lasts more than 0 and at most %s", expires, store.MaxInviteTTL)
	}
	if role != "" {
		if _, err := team.ParseRole(role); err != nil {
			return err
		}
	}
	if pos[0] == "revoke" {
		if _, err := strconv.ParseInt(pos[1], 10, 64); err != nil {
			return fmt.Errorf("invite revoke %q: want the invitation's number (invite list)", pos[1])
		}
	}
	return nil
}

func addInvite(ctx context.Context, env Env, s *store.Store, role store.Role, name string, ttl time.Duration, base string) error {
	inv, code, err := s.CreateInvite(ctx, role, name, inviteCreator, ttl)
	if err != nil {
		return err
	}
	who := "a new member"
	if inv.Name != "" {
		who = fmt.Sprintf("%q", inv.Name)
	}
	fmt.Fprintf(env.Stdout, "invitation %d for %s as %s, until %s. Code (shown this once; only its hash is stored):\n\n  %s\n\n",
		inv.ID, who, inv.Role, inv.ExpiresAt.UTC().Format(time.DateTime+" MST"), code)
	if base == "" {
		// The address the server last started at; none yet is not an error.
		base, _ = s.Setting(ctx, workspace.SettingPublicURL)
	}
	if link := workspace.InviteLink(base, code); link != "" {
		fmt.Fprintf(env.Stdout, "Link: %s\n\n", link)
	}
	fmt.Fprintln(env.Stdout, "They choose \"Join a team\" in Stormdesk and give the server's address and this code (or the link). It works once.")
	return nil
}

func listInvites(ctx context.Context, env Env, s *store.Store) error {
	list, err := s.Invites(ctx)
	if err != nil {
		return err
	}
	now := time.Now()
	w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tROLE\tNAME\tSTATE\tBY\tCREATED\tEXPIRES\tUSED BY")
	for _, inv := range list {
		name, usedBy := inv.Name, inv.UsedBy
		if name == "" {
			name = "-"
		}
		if usedBy == "" {
			usedBy = "-"
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", inv.ID, inv.Role, name, inv.State(now), inv.CreatedBy,
			inv.CreatedAt.UTC().Format(time.DateTime), inv.ExpiresAt.UTC().Format(time.DateTime), usedBy)
	}
	return w.Flush()
}
