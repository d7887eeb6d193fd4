// Package sealed keeps the team server's secrets encrypted at rest: each value
// is sealed with AES-256-GCM under a key read from a file that lives outside
// the database, so a copy of the database (a backup, a replica) holds no
// usable channel token or password.
package sealed

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
)

// KeySize is the size of a key file: one AES-256 key, raw bytes.
const KeySize = 32

// ErrKeyFile means a key file cannot be used (wrong size, readable by others).
var ErrKeyFile = errors.New("unusable secrets key file")

// Key seals and opens secrets. Its id (a fingerprint of the key, not the key)
// is written in front of every ciphertext, so a value sealed under another key
// is recognised as such, and a later rotation can tell old values from new.
type Key struct {
	id   [keyIDSize]byte
	aead cipher.AEAD
}

// NewKeyFile writes a new random key to path with mode 0600. It refuses to
// replace an existing file: overwriting the key would make every stored
// secret unreadable.
func NewKeyFile(path string) error {
	raw := make([]byte, KeySize)
	if _, err := io.ReadFull(rand.Reader, raw); err != nil {
		return fmt.Errorf("secrets key %s: random bytes: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("secrets key %s: the file exists; it is not replaced, as the secrets sealed under it would be lost: %w", path, err)
	}
	if err != nil {
		return fmt.Errorf("secrets key %s: %w", path, err)
	}
	// The umask may have narrowed the mode, never widened it; set it anyway so
	// the file is exactly owner-only.
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("secrets key %s: chmod: %w", path, err)
	}
	if _, err := f.Write(raw); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("secrets key %s: write: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("secrets key %s: sync: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return fmt.Errorf("secrets key %s: close: %w", path, err)
	}
	return nil
}

// LoadKey reads the key in path. It refuses a file that its group or others
// may read or write (the key would not be secret) and one that is not exactly
// KeySize bytes (a truncated copy, or the wrong file).
func LoadKey(path string) (*Key, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("secrets key %s: %w", path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("secrets key %s: %w", path, err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("secrets key %s: %w: not a regular file", path, ErrKeyFile)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("secrets key %s: %w: mode %04o lets group or others access it; run chmod 600 %s", path, ErrKeyFile, perm, path)
	}
	if info.Size() != KeySize {
		return nil, fmt.Errorf("secrets key %s: %w: %d bytes, want %d (was it created by stormdesk server init?)", path, ErrKeyFile, info.Size(), KeySize)
	}
	raw := make([]byte, KeySize)
	if _, err := io.ReadFull(f, raw); err != nil {
		return nil, fmt.Errorf("secrets key %s: read: %w", path, err)
	}
	return newKey(raw)
}

// newKey builds a Key from raw key bytes.
func newKey(raw []byte) (*Key, error) {
	if len(raw) != KeySize {
		return nil, fmt.Errorf("%w: %d bytes, want %d", ErrKeyFile, len(raw), KeySize)
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return nil, fmt.Errorf("secrets key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secrets key: %w", err)
	}
	k := &Key{aead: aead}
	// A domain-separated hash, so the id reveals nothing usable about the key.
	sum := sha256.Sum256(append([]byte("stormdesk sealed key id\x00"), raw...))
	copy(k.id[:], sum[:])
	return k, nil
}

// ID returns the key's id as hex, for logs and messages (never the key).
func (k *Key) ID() string { return fmt.Sprintf("%x", k.id) }

// String, GoString and LogValue show the id only: printing or logging a Key
// by mistake must not reveal the cipher's state, which holds the key.
func (k *Key) String() string { return "sealed.Key(" + k.ID() + ")" }

// GoString is String for %#v.
func (k *Key) GoString() string { return k.String() }

// LogValue is String for log/slog.
func (k *Key) LogValue() slog.Value { return slog.StringValue(k.String()) }
