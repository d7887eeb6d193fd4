package team

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
)

func TestAllowsByRole(t *testing.T) {
	want := map[Role][]Action{
		RoleAgent:    {ActRead, ActWork},
		RoleApprover: {ActRead, ActWork, ActApprove, ActSend, ActModerate, ActCrisisMode},
		RoleAdmin:    Actions(),
	}
	for _, r := range Roles() {
		for _, a := range Actions() {
			allowed := false
			for _, w := range want[r] {
				allowed = allowed || w == a
			}
			if got := Allows(r, a); got != allowed {
				t.Errorf("Allows(%s, %s) = %v, want %v", r, a, got, allowed)
			}
			err := Check("m", r, a)
			if (err == nil) != allowed {
				t.Errorf("Check(%s, %s) = %v", r, a, err)
			}
			var ae *apperr.Error
			if err != nil && (!errors.As(err, &ae) || ae.Code != apperr.CodeRoleRequired || ae.Params["need"] != string(Needs(a)) || !errors.Is(err, ErrForbidden)) {
				t.Errorf("Check(%s, %s) refusal %#v: want role-required naming %s", r, a, err, Needs(a))
			}
		}
	}
	if Allows("owner", ActRead) || Allows(RoleAdmin, "fly") {
		t.Error("an unknown role or action was allowed")
	}
	if _, err := ParseRole("owner"); err == nil {
		t.Error("ParseRole accepted owner")
	}
	if err := CheckSecondPerson("ann", "ann", true); err == nil || !errors.Is(err, ErrForbidden) {
		t.Errorf("author approving own crisis reply: %v", err)
	}
	if CheckSecondPerson("ann", "ann", false) != nil || CheckSecondPerson("bob", "ann", true) != nil {
		t.Error("second-person rule refused an allowed approval")
	}
}

func TestPasswordHash(t *testing.T) {
	cheap := Params{Memory: 1024, Time: 1, Threads: 1}
	h, err := HashPassword("correct horse battery", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") || strings.Contains(h, "correct horse") {
		t.Fatalf("hash %q", h)
	}
	h2, _ := HashPassword("correct horse battery", cheap)
	if h2 == h {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	if err := VerifyPassword(h, "correct horse battery"); err != nil {
		t.Fatalf("right password: %v", err)
	}
	if err := VerifyPassword(h, "correct horse batterY"); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("wrong password: %v", err)
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", strings.Replace(h, "t=1", "t=0", 1)} {
		if err := VerifyPassword(bad, "x"); err == nil || errors.Is(err, ErrWrongPassword) {
			t.Errorf("damaged hash %q: %v", bad, err)
		}
	}
	if _, err := HashPassword("short", cheap); err == nil {
		t.Fatal("a 5-character password was hashed")
	}
}

func TestLimiter(t *testing.T) {
	now := time.Unix(1000, 0)
	l := NewLimiter(3, time.Minute)
	l.Now = func() time.Time { return now }
	for i := range 3 {
		if ok, _ := l.Allow("name:ann", "addr:1"); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	ok, wait := l.Allow("name:ann", "addr:2")
	if ok || wait != time.Minute {
		t.Fatalf("4th attempt for ann: %v, wait %v; want refused for a minute", ok, wait)
	}
	// The refused attempt took nothing from addr:2; another name from it passes.
	if ok, _ := l.Allow("name:bob", "addr:2"); !ok {
		t.Fatal("bob from another address refused")
	}
	// addr:1 is spent too.
	if ok, _ := l.Allow("name:bob", "addr:1"); ok {
		t.Fatal("a spent address let another name try")
	}
	now = now.Add(30 * time.Second)
	if ok, wait := l.Allow("name:ann", "addr:3"); ok || wait != 30*time.Second {
		t.Fatalf("half a minute later: %v %v", ok, wait)
	}
	now = now.Add(30 * time.Second)
	if ok, _ := l.Allow("name:ann", "addr:3"); !ok {
		t.Fatal("one attempt did not come back after a minute")
	}
	l.Reset("name:ann")
	if ok, _ := l.Allow("name:ann", "addr:4"); !ok {
		t.Fatal("reset did not refill")
	}
}
