// Package listeningtest holds what the listening sources' tests share.
package listeningtest

import (
	"context"
	"testing"

	"github.com/stormdesk/stormdesk/backend/listening"
)

// Search calls s.Search and fails the test on an error.
func Search(t testing.TB, s listening.Source, r listening.Request) listening.Page {
	t.Helper()
	p, err := s.Search(context.Background(), r)
	if err != nil {
		t.Fatalf("%s search: %v", s.Name(), err)
	}
	return p
}

// IDs are the mentions' external ids, in order.
func IDs(ms []listening.Mention) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.ExternalID)
	}
	return out
}
