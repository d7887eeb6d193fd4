package sealed

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
)

// A sealed value is version | key id | nonce | AES-GCM ciphertext and tag.
// The AAD is the header (version and key id) followed by the secret's name,
// so neither the header nor the name can be changed without Open failing.
const (
	version1  = 1
	keyIDSize = 4
	nonceSize = 12 // GCM's standard 96-bit nonce, random per value
	headSize  = 1 + keyIDSize
)

var (
	// ErrWrongKey means the value was sealed under another key.
	ErrWrongKey = errors.New("sealed under another secrets key")
	// ErrUnsealable means the value does not open: it was altered, or sealed
	// for another name, or is not a sealed value at all.
	ErrUnsealable = errors.New("sealed secret does not open (altered, moved from another name, or damaged)")
)

// Seal encrypts plaintext for name with a fresh random nonce.
func (k *Key) Seal(name string, plaintext []byte) ([]byte, error) {
	out := make([]byte, headSize+nonceSize, headSize+nonceSize+len(plaintext)+k.aead.Overhead())
	out[0] = version1
	copy(out[1:headSize], k.id[:])
	nonce := out[headSize:]
	if _, err := io.ReadFull(rand.Reader, nonce); err != nil {
		return nil, fmt.Errorf("seal %q: random nonce: %w", name, err)
	}
	return k.aead.Seal(out, nonce, plaintext, aad(out[:headSize], name)), nil
}

// Open decrypts a value Seal made for name. The error names the secret, never
// its value.
func (k *Key) Open(name string, sealed []byte) ([]byte, error) {
	if len(sealed) < headSize+nonceSize+k.aead.Overhead() {
		return nil, fmt.Errorf("open %q: %w: %d bytes is too short", name, ErrUnsealable, len(sealed))
	}
	if sealed[0] != version1 {
		return nil, fmt.Errorf("open %q: %w: unknown format version %d", name, ErrUnsealable, sealed[0])
	}
	if !bytes.Equal(sealed[1:headSize], k.id[:]) {
		return nil, fmt.Errorf("open %q: %w (key id %x, this key is %s)", name, ErrWrongKey, sealed[1:headSize], k.ID())
	}
	nonce := sealed[headSize : headSize+nonceSize]
	plain, err := k.aead.Open(nil, nonce, sealed[headSize+nonceSize:], aad(sealed[:headSize], name))
	if err != nil {
		return nil, fmt.Errorf("open %q: %w", name, ErrUnsealable)
	}
	return plain, nil
}

func aad(head []byte, name string) []byte {
	return append(append(make([]byte, 0, len(head)+len(name)), head...), name...)
}
