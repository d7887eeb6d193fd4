package store

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestInviteLifecycle(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, testDSN(t))
	if _, _, _, err := s.CreateFirstAdmin(ctx, "Ada"); err != nil {
		t.Fatal(err)
	}
	inv, code, err := s.CreateInvite(ctx, RoleAgent, "", "Ada", 0)
	if err != nil {
		t.Fatal(err)
	}
	if !inv.ExpiresAt.Equal(testNow.Add(DefaultInviteTTL).Truncate(time.Millisecond)) || inv.CreatedBy != "Ada" || inv.State(testNow) != "open" {
		t.Fatalf("invite %+v; want open, made by Ada, expiring after 72 h", inv)
	}
	// Only the hash is stored.
	var raw []byte
	if err := s.db.QueryRowContext(ctx, `SELECT code_hash FROM invites WHERE id = ?`, inv.ID).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(NormalizeInviteCode(code))) || !bytes.Equal(raw, hashInviteCode(code)) {
		t.Fatal("the invites table does not hold the code's SHA-256 only")
	}

	// Case and dashes do not matter to whoever types the code.
	typed := strings.ToUpper(strings.ReplaceAll(code, "-", " "))
	m, token, err := s.RedeemInvite(ctx, typed, " Ann ", "")
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "Ann" || m.Role != RoleAgent || len(token) != 64 {
		t.Fatalf("redeemed %+v token %q", m, token)
	}
	if got, err := s.MemberByToken(ctx, token); err != nil || got.ID != m.ID {
		t.Fatalf("the new token names %+v, %v; want Ann", got, err)
	}
	if _, _, err := s.RedeemInvite(ctx, code, "Bob", ""); !errors.Is(err, ErrInviteInvalid) {
		t.Fatalf("second use: %v; want ErrInviteInvalid", err)
	}
	list, err := s.Invites(ctx)
	if err != nil || len(list) != 1 || list[0].UsedBy != "Ann" || list[0].State(testNow) != "used" {
		t.Fatalf("invites after use: %+v, %v", list, err)
	}
	if err := s.RevokeInvite(ctx, inv.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("revoking a used invite: %v; want ErrNotFound", err)
	}
}

func TestInviteRefusals(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, testDSN(t))
	if _, _, _, err := s.CreateFirstAdmin(ctx, "Ada"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.CreateInvite(ctx, Role("owner"), "", "Ada", 0); err == nil {
		t.Fatal("an unknown role was accepted")
	}
	if _, _, err := s.CreateInvite(ctx, RoleAgent, "", "Ada", MaxInviteTTL+time.Hour); err == nil {
		t.Fatal("a lifetime over 30 days was accepted")
	}
	if _, _, err := s.CreateInvite(ctx, RoleAgent, "ada", "Ada", 0); !errors.Is(err, ErrNameTaken) {
		t.Fatalf("an invite for an existing member's name: %v; want ErrNameTaken", err)
	}

	revoked, revokedCode, err := s.CreateInvite(ctx, RoleAgent, "", "Ada", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeInvite(ctx, revoked.ID); err != nil {
		t.Fatal(err)
	}
	_, expiredCode, err := s.CreateInvite(ctx, RoleAgent, "", "Ada", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	fixed, fixedCode, err := s.CreateInvite(ctx, RoleApprover, "Pete Lee", "Ada", 0)
	if err != nil {
		t.Fatal(err)
	}
	_, takenCode, err := s.CreateInvite(ctx, RoleAgent, "", "Ada", 0)
	if err != nil {
		t.Fatal(err)
	}

	s.now = func() time.Time { return testNow.Add(2 * time.Hour) }
	tests := []struct {
		name, code, member string
		want               error
	}{
		{"unknown", "aaaaa-bbbbb-ccccc-ddddd-eeeee-f", "Eve", ErrInviteInvalid},
		{"revoked", revokedCode, "Eve", ErrInviteInvalid},
		{"expired", expiredCode, "Eve", ErrInviteInvalid},
		{"name of a member, any case", takenCode, "ADA", ErrNameTaken},
		{"fixed name wins", fixedCode, "Someone Else", nil},
	}
	for _, tc := range tests {
		m, _, err := s.RedeemInvite(ctx, tc.code, tc.member, "")
		if !errors.Is(err, tc.want) {
			t.Fatalf("%s: %v; want %v", tc.name, err, tc.want)
		}
		if tc.want == nil && (m.Name != fixed.Name || m.Role != RoleApprover) {
			t.Fatalf("%s: member %+v; want Pete Lee, approver", tc.name, m)
		}
	}
	// A refused name leaves the code unused: it still works with another.
	if m, _, err := s.RedeemInvite(ctx, takenCode, "Ann", ""); err != nil || m.Name != "Ann" {
		t.Fatalf("the code after a refused name: %+v, %v", m, err)
	}
}

func TestInviteRedeemedOnceUnderRace(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, testDSN(t))
	_, code, err := s.CreateInvite(ctx, RoleAgent, "", "Ada", 0)
	if err != nil {
		t.Fatal(err)
	}
	const redeemers = 8
	var wg sync.WaitGroup
	errs := make([]error, redeemers)
	start := make(chan struct{})
	for i := range redeemers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, _, errs[i] = s.RedeemInvite(ctx, code, "Racer "+string(rune('A'+i)), "")
		}()
	}
	close(start)
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case errors.Is(err, ErrInviteInvalid):
		default:
			t.Fatalf("a redeemer failed otherwise: %v", err)
		}
	}
	members, err := s.Members(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if won != 1 || len(members) != 1 {
		t.Fatalf("%d redeemers won and %d members exist; want one of each", won, len(members))
	}
}

func TestMemberSummariesAndLastAdmin(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, testDSN(t))
	admin, adminToken, _, err := s.CreateFirstAdmin(ctx, "Ada")
	if err != nil {
		t.Fatal(err)
	}
	_, code, err := s.CreateInvite(ctx, RoleAgent, "", "Ada", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.RedeemInvite(ctx, code, "Ann", "$argon2id$v=19$m=65536,t=3,p=2$c2FsdA$aGFzaA"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MemberByToken(ctx, adminToken); err != nil {
		t.Fatal(err)
	}
	list, err := s.MemberSummaries(ctx)
	if err != nil || len(list) != 2 {
		t.Fatalf("summaries %+v, %v", list, err)
	}
	if list[0].Name != "Ada" || list[0].PasswordSet || list[0].LastSeen == nil || !list[0].LastSeen.Equal(testNow.Truncate(time.Millisecond)) {
		t.Fatalf("Ada: %+v; want no password, seen now", list[0])
	}
	if list[1].Name != "Ann" || !list[1].PasswordSet || list[1].LastSeen != nil {
		t.Fatalf("Ann: %+v; want a password, never seen", list[1])
	}

	steps := []struct {
		name, member string
		change       func(*Member)
		want         error
	}{
		{"the only admin is not disabled", "Ada", func(m *Member) { m.Disabled = true }, ErrLastAdmin},
		{"nor demoted", "Ada", func(m *Member) { m.Role = RoleApprover }, ErrLastAdmin},
		{"unknown role", "Ann", func(m *Member) { m.Role = "owner" }, nil},
		{"promote Ann", "Ann", func(m *Member) { m.Role = RoleAdmin }, nil},
		{"then Ada may go", "Ada", func(m *Member) { m.Disabled = true }, nil},
		{"missing", "Nobody", func(m *Member) { m.Disabled = true }, ErrNotFound},
	}
	for _, st := range steps {
		_, err := s.ChangeMember(ctx, st.member, st.change)
		if st.name == "unknown role" {
			if err == nil {
				t.Fatal("an unknown role was stored")
			}
			continue
		}
		if !errors.Is(err, st.want) {
			t.Fatalf("%s: %v; want %v", st.name, err, st.want)
		}
	}
	got, err := s.MemberByName(ctx, "Ada")
	if err != nil || !got.Disabled || got.ID != admin.ID {
		t.Fatalf("Ada after the steps: %+v, %v; want disabled", got, err)
	}
}

// Two admins demoting each other at once: the check and the change are one
// transaction, so one wins and the team keeps an enabled admin.
func TestLastAdminUnderRace(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, testDSN(t))
	if _, _, _, err := s.CreateFirstAdmin(ctx, "Ada"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateMember(ctx, "Bea", RoleAdmin); err != nil {
		t.Fatal(err)
	}
	for round := range 5 {
		var wg sync.WaitGroup
		start := make(chan struct{})
		for _, name := range []string{"Ada", "Bea"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, _ = s.ChangeMember(ctx, name, func(m *Member) { m.Role = RoleAgent })
			}()
		}
		close(start)
		wg.Wait()
		list, err := s.Members(ctx)
		if err != nil {
			t.Fatal(err)
		}
		admins := 0
		for _, m := range list {
			if m.Role == RoleAdmin && !m.Disabled {
				admins++
			}
		}
		if admins != 1 {
			t.Fatalf("round %d: %d enabled admins after both demoted each other; want 1", round, admins)
		}
		// Make both admins again for the next round.
		for _, name := range []string{"Ada", "Bea"} {
			if _, err := s.ChangeMember(ctx, name, func(m *Member) { m.Role = RoleAdmin }); err != nil {
				t.Fatal(err)
			}
		}
	}
}
