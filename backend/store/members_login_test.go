package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestMemberRolePasswordAndLookup(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, testDSN(t))
	ann, err := s.CreateMember(ctx, "Ann", RoleAgent)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.MemberByName(ctx, " Ann ")
	if err != nil || got.ID != ann.ID || got.Role != RoleAgent {
		t.Fatalf("by name: %+v, %v", got, err)
	}
	if _, err := s.MemberByName(ctx, "Nobody"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing member by name: %v", err)
	}
	if err := s.SetMemberRole(ctx, ann.ID, RoleApprover); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.MemberByName(ctx, "Ann"); got.Role != RoleApprover {
		t.Fatalf("role after change: %q", got.Role)
	}
	if err := s.SetMemberRole(ctx, ann.ID, Role("owner")); err == nil {
		t.Fatal("an unknown role was stored")
	}
	if err := s.SetMemberRole(ctx, 9999, RoleAgent); !errors.Is(err, ErrNotFound) {
		t.Fatalf("role of a missing member: %v", err)
	}

	// No password yet: a login has nothing to check against.
	if _, _, err := s.MemberPassword(ctx, "Ann"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("password before one is set: %v", err)
	}
	if err := s.SetMemberPassword(ctx, ann.ID, "$argon2id$v=19$stub"); err != nil {
		t.Fatal(err)
	}
	m, hash, err := s.MemberPassword(ctx, "Ann")
	if err != nil || m.ID != ann.ID || hash != "$argon2id$v=19$stub" {
		t.Fatalf("password: %+v %q %v", m, hash, err)
	}
	if err := s.SetMemberPassword(ctx, ann.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.MemberPassword(ctx, "Ann"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("password after removal: %v", err)
	}
}

func TestSessionTokensExpireAndTokensRevoke(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, testDSN(t))
	ann, err := s.CreateMember(ctx, "Ann", RoleAgent)
	if err != nil {
		t.Fatal(err)
	}
	access, err := s.IssueMemberToken(ctx, ann.ID)
	if err != nil {
		t.Fatal(err)
	}
	session, expires, err := s.IssueSessionToken(ctx, ann.ID, time.Hour)
	if err != nil || !expires.Equal(testNow.Add(time.Hour).Truncate(time.Millisecond)) {
		t.Fatalf("session: expires %v, %v", expires, err)
	}
	if m, err := s.MemberByToken(ctx, session); err != nil || m.ID != ann.ID {
		t.Fatalf("fresh session: %+v, %v", m, err)
	}
	list, err := s.MemberTokens(ctx, ann.ID)
	if err != nil || len(list) != 2 {
		t.Fatalf("tokens: %+v, %v", list, err)
	}
	kinds := map[TokenKind]MemberToken{}
	for _, tk := range list {
		kinds[tk.Kind] = tk
		if len(tk.ID) != tokenIDLength || strings.Contains(access+session, tk.ID) {
			t.Fatalf("token id %q must be a start of the hash, not of the token", tk.ID)
		}
	}
	if kinds[TokenAccess].ExpiresAt != nil || kinds[TokenSession].ExpiresAt == nil {
		t.Fatalf("expiry: %+v", kinds)
	}

	// An hour later the session lets nobody in; the access token still does.
	s.now = func() time.Time { return testNow.Add(time.Hour) }
	if _, err := s.MemberByToken(ctx, session); !errors.Is(err, ErrNotFound) {
		t.Fatalf("expired session: %v; want ErrNotFound", err)
	}
	if _, err := s.MemberByToken(ctx, access); err != nil {
		t.Fatalf("access token after an hour: %v", err)
	}
	// The next login clears the expired session.
	if _, _, err := s.IssueSessionToken(ctx, ann.ID, time.Hour); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.MemberTokens(ctx, ann.ID); len(list) != 2 {
		t.Fatalf("after a new login: %d tokens; want the access token and the new session", len(list))
	}

	// Revoking by id: too short an id names nothing; the right one revokes.
	id := kinds[TokenAccess].ID
	if err := s.RevokeMemberToken(ctx, ann.ID, id[:6]); !errors.Is(err, ErrNotFound) {
		t.Fatalf("revoke by 6 digits: %v", err)
	}
	if err := s.RevokeMemberToken(ctx, ann.ID+1, id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("revoke another member's token: %v", err)
	}
	if err := s.RevokeMemberToken(ctx, ann.ID, strings.ToUpper(id)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MemberByToken(ctx, access); !errors.Is(err, ErrNotFound) {
		t.Fatalf("revoked token: %v", err)
	}

	// A disabled member gets no session and is told apart from an unknown token.
	other, _ := s.IssueMemberToken(ctx, ann.ID)
	if err := s.SetMemberDisabled(ctx, ann.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.IssueSessionToken(ctx, ann.ID, time.Hour); !errors.Is(err, ErrMemberDisabled) {
		t.Fatalf("session for a disabled member: %v", err)
	}
	if _, err := s.MemberByToken(ctx, other); !errors.Is(err, ErrMemberDisabled) || !errors.Is(err, ErrNotFound) {
		t.Fatalf("disabled member's token: %v; want ErrMemberDisabled (an ErrNotFound)", err)
	}
	if _, err := s.MemberByToken(ctx, strings.Repeat("cd", 32)); errors.Is(err, ErrMemberDisabled) {
		t.Fatal("an unknown token reads as a disabled member")
	}
}
