package secretstest

import (
	"context"
	"sync"

	"github.com/stormdesk/stormdesk/backend/secrets"
)

// Memory keeps secrets in a map, for tests of what uses a store rather than
// of the store (the real keyring is tested in backend/secrets).
type Memory struct {
	mu sync.Mutex
	m  map[string]string
}

// NewMemory returns an empty store.
func NewMemory() *Memory { return &Memory{m: map[string]string{}} }

func (s *Memory) Get(_ context.Context, key string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[key]
	if !ok {
		return "", secrets.ErrNotFound
	}
	return v, nil
}

func (s *Memory) Set(_ context.Context, key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = value
	return nil
}

func (s *Memory) Delete(_ context.Context, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, key)
	return nil
}

// Len is how many secrets are stored.
func (s *Memory) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}
