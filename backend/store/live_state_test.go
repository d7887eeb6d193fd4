package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestLiveStatePublishedByOneReadByAnother: what one store handle (the
// instance running a loop) publishes, another reads; a replacement under a
// prefix removes the names it lacks (even with LIKE's wildcards in them) and
// leaves other prefixes alone.
func TestLiveStatePublishedByOneReadByAnother(t *testing.T) {
	ctx := context.Background()
	dsn := testDSN(t)
	a, b := openAt(t, dsn), openAt(t, dsn)

	if _, err := b.LiveState(ctx, "crisis/states"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("LiveState before any publication: %v, want ErrNotFound", err)
	}
	if err := a.ReplaceLiveState(ctx, "crisis/", map[string]string{
		"crisis/states": "[1]", "crisis/series/50%_off/telegram": "[2]", "crisis/series/acme/vk": "[3]"}); err != nil {
		t.Fatal(err)
	}
	if err := a.PutLiveState(ctx, map[string]string{"classify": `{"running":true}`}, nil); err != nil {
		t.Fatal(err)
	}
	later := testNow.Add(time.Minute)
	a.now = func() time.Time { return later }
	if err := a.PutLiveState(ctx, map[string]string{"crisis/states": "[4]"}, []string{"crisis/series/acme/vk"}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"crisis/states": "[4]", "crisis/series/50%_off/telegram": "[2]", "classify": `{"running":true}`}
	for name, v := range want {
		st, err := b.LiveState(ctx, name)
		if err != nil || st.Value != v {
			t.Fatalf("LiveState(%s) = %+v, %v; want %s", name, st, err, v)
		}
	}
	if st, _ := b.LiveState(ctx, "crisis/states"); !st.UpdatedAt.Equal(later) {
		t.Fatalf("updated_at of a rewritten value = %v, want %v", st.UpdatedAt, later)
	}
	if _, err := b.LiveState(ctx, "crisis/series/acme/vk"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a dropped name is still there: %v", err)
	}

	// A new runner takes over and knows only its own streams.
	if err := b.ReplaceLiveState(ctx, "crisis/series/", map[string]string{"crisis/series/acme/mail": "[5]"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.LiveState(ctx, "crisis/series/50%_off/telegram"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a replacement kept a name under its prefix: %v", err)
	}
	for _, name := range []string{"crisis/states", "classify", "crisis/series/acme/mail"} {
		if _, err := a.LiveState(ctx, name); err != nil {
			t.Fatalf("LiveState(%s) after the replacement: %v", name, err)
		}
	}
}
