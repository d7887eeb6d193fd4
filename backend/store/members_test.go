package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestFirstAdminIsCreatedOnce(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, testDSN(t))
	admin, token, created, err := s.CreateFirstAdmin(ctx, " Ada ")
	if err != nil || !created {
		t.Fatalf("first run: created %v, %v", created, err)
	}
	if admin.Name != "Ada" || admin.Role != RoleAdmin || admin.ID == 0 || len(token) != 64 {
		t.Fatalf("first admin %+v, token %q", admin, token)
	}
	again, token2, created2, err := s.CreateFirstAdmin(ctx, "Bob")
	if err != nil || created2 || token2 != "" || again.ID != admin.ID || again.Name != "Ada" {
		t.Fatalf("second run: %+v token %q created %v err %v; want Ada, nothing new", again, token2, created2, err)
	}
	members, err := s.Members(ctx)
	if err != nil || len(members) != 1 {
		t.Fatalf("members after two runs: %+v, %v", members, err)
	}
	if _, _, _, err := s.CreateFirstAdmin(ctx, "  "); err == nil {
		t.Fatal("an empty name was accepted")
	}
}

func TestMemberTokens(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, testDSN(t))
	admin, adminToken, _, err := s.CreateFirstAdmin(ctx, "Ada")
	if err != nil {
		t.Fatal(err)
	}
	agent, err := s.CreateMember(ctx, "Ann", RoleAgent)
	if err != nil {
		t.Fatal(err)
	}
	agentToken, err := s.IssueMemberToken(ctx, agent.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.IssueMemberToken(ctx, 9999); !errors.Is(err, ErrNotFound) {
		t.Fatalf("token for a missing member: %v; want ErrNotFound", err)
	}
	if _, err := s.CreateMember(ctx, "Ann", RoleApprover); err == nil {
		t.Fatal("a second member named Ann was created")
	}
	if _, err := s.CreateMember(ctx, "Eve", Role("owner")); err == nil {
		t.Fatal("an unknown role was accepted")
	}

	tests := []struct {
		name  string
		token string
		want  int64 // 0: refused
	}{
		{"admin", adminToken, admin.ID},
		{"agent", agentToken, agent.ID},
		{"unknown", strings.Repeat("ab", 32), 0},
		{"empty", "", 0},
		{"prefix of a real one", adminToken[:32], 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := s.MemberByToken(ctx, tt.token)
			if tt.want == 0 {
				if !errors.Is(err, ErrNotFound) {
					t.Fatalf("got %+v, %v; want ErrNotFound", m, err)
				}
				return
			}
			if err != nil || m.ID != tt.want {
				t.Fatalf("got %+v, %v; want member %d", m, err, tt.want)
			}
		})
	}
	used, err := s.TokenLastUsed(ctx, agent.ID)
	if err != nil || used == nil || !used.Equal(testNow.Truncate(time.Millisecond)) {
		t.Fatalf("agent's token last used %v, %v; want %v", used, err, testNow)
	}

	// A disabled member's token lets nobody in; enabled again, it does.
	if err := s.SetMemberDisabled(ctx, agent.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MemberByToken(ctx, agentToken); !errors.Is(err, ErrNotFound) {
		t.Fatalf("disabled member's token: %v; want ErrNotFound", err)
	}
	if err := s.SetMemberDisabled(ctx, agent.ID, false); err != nil {
		t.Fatal(err)
	}
	if m, err := s.MemberByToken(ctx, agentToken); err != nil || m.Disabled {
		t.Fatalf("enabled again: %+v, %v", m, err)
	}
	if err := s.SetMemberDisabled(ctx, 9999, true); !errors.Is(err, ErrNotFound) {
		t.Fatalf("disable a missing member: %v", err)
	}
}

// The database holds a token's hash only: whoever reads it cannot log in.
func TestMemberTokenStoredHashed(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, testDSN(t))
	_, token, _, err := s.CreateFirstAdmin(ctx, "Ada")
	if err != nil {
		t.Fatal(err)
	}
	var hash []byte
	if err := s.db.QueryRowContext(ctx, `SELECT hash FROM member_tokens`).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if len(hash) != 32 || strings.Contains(string(hash), token) || string(hash) == token {
		t.Fatalf("stored %x for token %s; want its 32-byte SHA-256", hash, token)
	}
	if _, err := s.MemberByToken(ctx, string(hash)); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the stored hash used as a token: %v; want refused", err)
	}
}

func TestCheckReady(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, testDSN(t))
	if err := s.CheckReady(ctx); err != nil {
		t.Fatalf("fresh store: %v", err)
	}
	// A newer Stormdesk migrated the database under this one.
	n := len(s.migrations())
	bump := fmt.Sprintf("PRAGMA user_version = %d", n+1)
	if testOnPostgres() {
		bump = fmt.Sprintf("UPDATE schema_version SET version = %d", n+1)
	}
	if _, err := s.db.ExecContext(ctx, bump); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckReady(ctx); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("schema version %d, this Stormdesk needs %d", n+1, n)) {
		t.Fatalf("newer schema: %v", err)
	}
	s.Close()
	if err := s.CheckReady(ctx); err == nil || !strings.Contains(err.Error(), "database unreachable") {
		t.Fatalf("closed store: %v; want unreachable", err)
	}
}
