package sealed

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testKey returns a key from a new key file in a temporary directory.
func testKey(t *testing.T) *Key {
	_, k := testKeyFile(t)
	return k
}

// testKeyFile creates a key file in a temporary directory and loads it.
func testKeyFile(t *testing.T) (string, *Key) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "secrets.key")
	if err := NewKeyFile(path); err != nil {
		t.Fatal(err)
	}
	k, err := LoadKey(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, k
}

func TestNewKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secrets.key")
	if err := NewKeyFile(path); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 || info.Size() != KeySize {
		t.Fatalf("key file: mode %04o, %d bytes; want 0600, %d", info.Mode().Perm(), info.Size(), KeySize)
	}
	first, _ := os.ReadFile(path)
	if err := NewKeyFile(path); err == nil || !errors.Is(err, os.ErrExist) {
		t.Fatalf("second NewKeyFile on the same path: %v; want a refusal", err)
	}
	if again, _ := os.ReadFile(path); !bytes.Equal(first, again) {
		t.Fatal("the refused NewKeyFile changed the existing key")
	}
	other := filepath.Join(t.TempDir(), "other.key")
	if err := NewKeyFile(other); err != nil {
		t.Fatal(err)
	}
	if second, _ := os.ReadFile(other); bytes.Equal(first, second) {
		t.Fatal("two new key files hold the same key")
	}
	if err := NewKeyFile(filepath.Join(t.TempDir(), "missing-dir", "k")); err == nil {
		t.Fatal("NewKeyFile in a missing directory succeeded")
	}
}

func TestLoadKeyRefusesUnsafeFiles(t *testing.T) {
	good := make([]byte, KeySize)
	if _, err := rand.Read(good); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		content []byte
		mode    os.FileMode
		dir     bool
		want    string // "" when the key loads
	}{
		{"owner only", good, 0o600, false, ""},
		{"owner read only", good, 0o400, false, ""},
		{"group readable", good, 0o640, false, "mode 0640"},
		{"world readable", good, 0o604, false, "mode 0604"},
		{"group writable", good, 0o620, false, "mode 0620"},
		{"too short", good[:31], 0o600, false, "31 bytes, want 32"},
		{"too long", append(append([]byte{}, good...), '\n'), 0o600, false, "33 bytes, want 32"},
		{"empty", nil, 0o600, false, "0 bytes, want 32"},
		{"a directory", nil, 0o700, true, "not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "secrets.key")
			if tt.dir {
				if err := os.Mkdir(path, tt.mode); err != nil {
					t.Fatal(err)
				}
			} else {
				if err := os.WriteFile(path, tt.content, 0o600); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(path, tt.mode); err != nil {
					t.Fatal(err)
				}
			}
			k, err := LoadKey(path)
			if tt.want == "" {
				if err != nil || k == nil {
					t.Fatalf("LoadKey: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrKeyFile) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("LoadKey: %v; want ErrKeyFile saying %q", err, tt.want)
			}
		})
	}
	if _, err := LoadKey(filepath.Join(t.TempDir(), "missing.key")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("LoadKey of a missing file: %v", err)
	}
}

func TestSealOpen(t *testing.T) {
	k := testKey(t)
	tests := []struct {
		name  string
		plain string
	}{
		{"account/acme-mail/password", "p@ss wörd"},
		{"account/север-vk/token", "vk1.a.токен-😀"},
		{"account/acme-mail/smtp-password", ""},
		{"account/big/token", strings.Repeat("x", 64<<10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sealed, err := k.Seal(tt.name, []byte(tt.plain))
			if err != nil {
				t.Fatal(err)
			}
			if tt.plain != "" && bytes.Contains(sealed, []byte(tt.plain)) {
				t.Fatal("the sealed value contains the plaintext")
			}
			got, err := k.Open(tt.name, sealed)
			if err != nil || string(got) != tt.plain {
				t.Fatalf("Open = %q, %v; want %q", got, err, tt.plain)
			}
			again, _ := k.Seal(tt.name, []byte(tt.plain))
			if bytes.Equal(sealed[headSize:headSize+nonceSize], again[headSize:headSize+nonceSize]) {
				t.Fatal("two seals used the same nonce")
			}
		})
	}
}

func TestOpenRefuses(t *testing.T) {
	k, other := testKey(t), testKey(t)
	const name, plain = "account/acme-mail/password", "hunter2-secret"
	sealed, err := k.Seal(name, []byte(plain))
	if err != nil {
		t.Fatal(err)
	}
	flip := func(i int) []byte {
		b := bytes.Clone(sealed)
		b[i] ^= 0x01
		return b
	}
	tests := []struct {
		name   string
		key    *Key
		open   string
		sealed []byte
		want   error
	}{
		{"version byte changed", k, name, flip(0), ErrUnsealable},
		{"key id changed", k, name, flip(1), ErrWrongKey},
		{"nonce changed", k, name, flip(headSize), ErrUnsealable},
		{"ciphertext changed", k, name, flip(headSize + nonceSize), ErrUnsealable},
		{"tag changed", k, name, flip(len(sealed) - 1), ErrUnsealable},
		{"truncated", k, name, sealed[:len(sealed)-1], ErrUnsealable},
		{"only a header", k, name, sealed[:headSize+nonceSize], ErrUnsealable},
		{"empty", k, name, nil, ErrUnsealable},
		{"another name", k, "account/acme-mail/smtp-password", sealed, ErrUnsealable},
		{"a name differing in case", k, "account/ACME-mail/password", sealed, ErrUnsealable},
		{"another key", other, name, sealed, ErrWrongKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.key.Open(tt.open, tt.sealed)
			if !errors.Is(err, tt.want) || got != nil {
				t.Fatalf("Open = %q, %v; want %v", got, err, tt.want)
			}
			if strings.Contains(err.Error(), plain) {
				t.Fatalf("the error shows the secret: %v", err)
			}
		})
	}
	// A key with the same id but other bytes (a forged header) still fails on the tag.
	forged := bytes.Clone(sealed)
	copy(forged[1:headSize], other.id[:])
	if _, err := other.Open(name, forged); !errors.Is(err, ErrUnsealable) {
		t.Fatalf("forged key id: %v; want ErrUnsealable", err)
	}
}

// TestKeyNeverPrinted formats and logs a key the ways code might by mistake
// and finds neither its bytes nor their hex in the output.
func TestKeyNeverPrinted(t *testing.T) {
	path, k := testKeyFile(t)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("loaded", "key", k)
	slog.New(slog.NewTextHandler(&logged, nil)).Info("loaded", "key", k)
	outputs := map[string]string{
		"%v": fmt.Sprintf("%v", k), "%+v": fmt.Sprintf("%+v", k), "%#v": fmt.Sprintf("%#v", k),
		"%s": fmt.Sprintf("%s", k), "slog": logged.String(),
	}
	for how, out := range outputs {
		if !strings.Contains(out, k.ID()) {
			t.Errorf("%s: %q does not name the key id", how, out)
		}
		if strings.Contains(out, fmt.Sprintf("%x", raw[:8])) || strings.Contains(out, string(raw[:8])) {
			t.Errorf("%s: %q shows the key", how, out)
		}
	}
}
