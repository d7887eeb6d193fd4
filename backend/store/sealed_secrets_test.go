package store

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

func TestSealedSecretRows(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, testDSN(t))
	if _, err := s.SealedSecret(ctx, "account/acme/password"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing secret: %v; want ErrNotFound", err)
	}
	tests := []struct {
		name   string
		sealed []byte
	}{
		{"account/acme/password", []byte{1, 0, 0xff, 0x7f, 0}},
		{"account/север/token", bytes.Repeat([]byte{0xab}, 4096)},
		{"account/acme/password", []byte{2, 3}}, // replaces the first
	}
	for _, tt := range tests {
		if err := s.PutSealedSecret(ctx, tt.name, tt.sealed); err != nil {
			t.Fatalf("put %q: %v", tt.name, err)
		}
		got, err := s.SealedSecret(ctx, tt.name)
		if err != nil || !bytes.Equal(got, tt.sealed) {
			t.Fatalf("get %q = %x, %v; want %x", tt.name, got, err, tt.sealed)
		}
	}
	if err := s.PutSealedSecret(ctx, "account/acme/empty", nil); err == nil {
		t.Fatal("an empty ciphertext was stored")
	}
	for _, name := range []string{"account/acme/password", "account/acme/password", "never-stored"} {
		if err := s.DeleteSealedSecret(ctx, name); err != nil {
			t.Fatalf("delete %q: %v", name, err)
		}
	}
	if _, err := s.SealedSecret(ctx, "account/acme/password"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete: %v; want ErrNotFound", err)
	}
	if got, err := s.SealedSecret(ctx, "account/север/token"); err != nil || len(got) != 4096 {
		t.Fatalf("the other secret after delete: %d bytes, %v", len(got), err)
	}
}
