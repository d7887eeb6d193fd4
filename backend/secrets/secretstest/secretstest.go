// Package secretstest checks that a secrets store behaves as the OS keyring
// does, so every implementation the workspace may be given (the keyring on a
// desktop, the sealed store on a team server) passes the same test.
package secretstest

import (
	"context"
	"errors"
	"testing"

	"github.com/stormdesk/stormdesk/backend/secrets"
)

// Store is the keyring's interface as the workspace uses it.
type Store interface {
	Get(ctx context.Context, key string) (string, error)
	Set(ctx context.Context, key, value string) error
	Delete(ctx context.Context, key string) error
}

// RoundTrip stores, reads, replaces and deletes secrets in s, which must not
// already hold the keys it uses; it leaves none of them behind.
func RoundTrip(t *testing.T, s Store) {
	t.Helper()
	ctx := context.Background()
	tests := []struct{ key, value string }{
		{secrets.Key("acme-mail", "password"), "p@ss wörd"},
		{secrets.Key("север-vk", "token"), "vk1.a.токен-😀"},
		{secrets.Key("acme-mail", "smtp-password"), ""},
	}
	for _, tt := range tests {
		if err := s.Set(ctx, tt.key, tt.value); err != nil {
			t.Fatalf("Set %q: %v", tt.key, err)
		}
	}
	for _, tt := range tests {
		got, err := s.Get(ctx, tt.key)
		if err != nil || got != tt.value {
			t.Fatalf("Get %q = %q, %v; want %q", tt.key, got, err, tt.value)
		}
	}
	if err := s.Set(ctx, tests[0].key, "rotated"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Get(ctx, tests[0].key); got != "rotated" {
		t.Fatalf("after replace: %q", got)
	}
	for _, tt := range tests {
		if err := s.Delete(ctx, tt.key); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Get(ctx, tt.key); !errors.Is(err, secrets.ErrNotFound) {
			t.Fatalf("Get after Delete: %v; want ErrNotFound", err)
		}
	}
	if err := s.Delete(ctx, "never-stored"); err != nil {
		t.Fatalf("Delete of a missing key: %v", err)
	}
}
