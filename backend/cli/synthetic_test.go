package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// TestDemoMessagesStoresSyntheticSet runs `demo --messages` as a user would and
// reads the database back: the count is exact, every message is inside the
// 180 days before now, and the inbox pages like any other store.
func TestDemoMessagesStoresSyntheticSet(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	db := filepath.Join(t.TempDir(), "load.db")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
	}{
		{"negative", []string{"demo", "--db", db, "--messages", "-5"}, ExitUsage, ""},
		{"stores", []string{"demo", "--db", db, "--messages", "12345"}, ExitOK, "synthetic data stored: 12345 messages"},
		{"not twice", []string{"demo", "--db", db, "--messages", "100"}, ExitOK, "already has accounts"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Run(context.Background(), Env{Stdout: &out, Stderr: &errb, Now: func() time.Time { return now }}, tc.args)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.wantCode, errb.String())
			}
			if !strings.Contains(out.String(), tc.wantOut) {
				t.Errorf("stdout %q, want %q", out.String(), tc.wantOut)
			}
		})
	}

	ctx := context.Background()
	ws, err := workspace.Open(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	st, err := ws.Store.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Messages != 12345 {
		t.Errorf("stored %d messages, want 12345", st.Messages)
	}
	page, err := ws.Store.Conversations(ctx, store.InboxQuery{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 50 {
		t.Fatalf("first inbox page has %d conversations", len(page.Items))
	}
	for _, c := range page.Items {
		if c.LastMessageAt.After(now) || c.LastMessageAt.Before(now.Add(-181*24*time.Hour)) {
			t.Errorf("conversation %d last message at %s, outside the 180 days before %s", c.ID, c.LastMessageAt, now)
		}
	}
}
