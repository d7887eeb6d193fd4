package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

func TestSaveBatchStoresCursorWithItems(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustAccount(t, s, "acme-mail", inbox.ChannelMail)

	if st, err := s.SyncStateOf(ctx, a.ID); err != nil || st.Cursor != "" || st.Fetched != 0 {
		t.Fatalf("fresh state = %+v, %v", st, err)
	}
	res, err := s.SaveBatch(ctx, a.ID, []inbox.Item{item("1", "a", inbox.DirectionIn, 0, "x"), item("2", "a", inbox.DirectionIn, 1, "y")}, SyncState{Cursor: "c1", Skipped: 3})
	if err != nil || res.Inserted != 2 {
		t.Fatalf("SaveBatch = %+v, %v", res, err)
	}
	if err := s.SetSyncError(ctx, a.ID, "connection reset"); err != nil {
		t.Fatal(err)
	}
	st, _ := s.SyncStateOf(ctx, a.ID)
	if st.Cursor != "c1" || st.Fetched != 2 || st.Skipped != 3 || st.LastError != "connection reset" || st.SyncedAt.IsZero() {
		t.Fatalf("state = %+v", st)
	}
	// An empty batch still advances the cursor and clears the error.
	if _, err := s.SaveBatch(ctx, a.ID, nil, SyncState{Cursor: "c2"}); err != nil {
		t.Fatal(err)
	}
	st, _ = s.SyncStateOf(ctx, a.ID)
	if st.Cursor != "c2" || st.Fetched != 2 || st.LastError != "" {
		t.Fatalf("state after empty batch = %+v", st)
	}
	// A batch that fails leaves the cursor where it was.
	bad := item("3", "a", inbox.DirectionIn, 2, "z")
	bad.Kind = "fax"
	if _, err := s.SaveBatch(ctx, a.ID, []inbox.Item{bad}, SyncState{Cursor: "c3"}); err == nil {
		t.Fatal("invalid item stored")
	}
	if st, _ = s.SyncStateOf(ctx, a.ID); st.Cursor != "c2" {
		t.Fatalf("cursor moved past a failed batch: %+v", st)
	}
}

func TestThreadKeysOf(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustAccount(t, s, "acme-mail", inbox.ChannelMail)
	b := mustAccount(t, s, "beta-mail", inbox.ChannelMail)
	mustSave(t, s, a.ID, item("<root@x>", "<root@x>", inbox.DirectionIn, 0, "q"), item("<r2@x>", "<root@x>", inbox.DirectionOut, 5, "a"))
	mustSave(t, s, b.ID, item("<other@x>", "<other@x>", inbox.DirectionIn, 0, "q"))
	ids := []string{"<r2@x>", "<unknown@x>", "<other@x>", "<root@x>"}
	for i := 0; i < 1200; i++ { // more ids than one query takes
		ids = append(ids, fmt.Sprintf("<filler%d@x>", i))
	}
	got, err := s.ThreadKeysOf(ctx, a.ID, ids)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"<r2@x>": "<root@x>", "<root@x>": "<root@x>"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("ThreadKeysOf = %v, want %v (another account's message must not match)", got, want)
	}
	if got, err := s.ThreadKeysOf(ctx, a.ID, nil); err != nil || len(got) != 0 {
		t.Fatalf("no ids: %v, %v", got, err)
	}
}

func TestAttachmentsRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustAccount(t, s, "acme-mail", inbox.ChannelMail)
	it := item("m1", "t", inbox.DirectionIn, 0, "see attached")
	want := []inbox.Attachment{{Name: "счёт.pdf", ContentType: "application/pdf", Size: 12345}, {Name: "photo.jpg", ContentType: "image/jpeg", Size: 1}}
	it.Attachments = want
	mustSave(t, s, a.ID, it, item("m2", "t", inbox.DirectionIn, 1, "no files"))
	msgs, err := s.Thread(ctx, convByThread(t, s, "t").ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(msgs[0].Attachments, want) || msgs[1].Attachments != nil {
		t.Fatalf("attachments = %+v / %+v", msgs[0].Attachments, msgs[1].Attachments)
	}
	if _, err := s.ConversationByID(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}
}

func TestAccountConfig(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustAccount(t, s, "acme-mail", inbox.ChannelMail)
	if cfg, err := s.AccountConfig(ctx, a.ID); err != nil || string(cfg) != "{}" {
		t.Fatalf("default config = %s, %v", cfg, err)
	}
	want := `{"host":"imap.example.org","port":993}`
	if err := s.SetAccountConfig(ctx, a.ID, []byte(want)); err != nil {
		t.Fatal(err)
	}
	if cfg, _ := s.AccountConfig(ctx, a.ID); string(cfg) != want {
		t.Fatalf("config = %s", cfg)
	}
	for _, bad := range []string{"", "[1]", "null", "{"} {
		if err := s.SetAccountConfig(ctx, a.ID, []byte(bad)); err == nil {
			t.Errorf("config %q accepted", bad)
		}
	}
	if err := s.SetAccountConfig(ctx, 999, []byte("{}")); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown account: %v", err)
	}
	if _, err := s.AccountConfig(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown account: %v", err)
	}
}
