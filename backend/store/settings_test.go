package store

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestSettingsPutGetReplaceDelete(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, testDSN(t))

	if _, err := s.Setting(ctx, "brands"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Setting of an empty store: %v, want ErrNotFound", err)
	}
	if err := s.PutSetting(ctx, "brands", `{"Acme":{}}`); err != nil {
		t.Fatal(err)
	}
	later := testNow.Add(time.Hour)
	s.now = func() time.Time { return later }
	if err := s.PutSetting(ctx, "brands", `{"Acme":{"Tone":"warm"}}`); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Setting(ctx, "brands"); err != nil || v != `{"Acme":{"Tone":"warm"}}` {
		t.Fatalf("Setting after replace = %q, %v", v, err)
	}

	stored, err := s.PutSettingIfAbsent(ctx, "brands", "old file")
	if err != nil || stored {
		t.Fatalf("PutSettingIfAbsent over a value = %v, %v; want false", stored, err)
	}
	if stored, err := s.PutSettingIfAbsent(ctx, "llm", `{"model":"m"}`); err != nil || !stored {
		t.Fatalf("PutSettingIfAbsent of a new key = %v, %v; want true", stored, err)
	}

	all, err := s.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].Key != "brands" || all[0].Value != `{"Acme":{"Tone":"warm"}}` ||
		!all[0].UpdatedAt.Equal(later) || all[1].Key != "llm" {
		t.Fatalf("Settings = %+v", all)
	}

	if err := s.DeleteSetting(ctx, "brands"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSetting(ctx, "brands"); err != nil {
		t.Fatalf("deleting a missing setting: %v", err)
	}
	if _, err := s.Setting(ctx, "brands"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Setting after delete: %v", err)
	}
}

// A retrained sentiment model is about half a megabyte of base64: the value
// column must hold it whole on both engines.
func TestSettingsHoldLargeValues(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, testDSN(t))
	big := make([]byte, 700_000)
	for i := range big {
		big[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[i*7%64]
	}
	if err := s.PutSetting(ctx, "sentiment-model", string(big)); err != nil {
		t.Fatal(err)
	}
	v, err := s.Setting(ctx, "sentiment-model")
	if err != nil || v != string(big) {
		t.Fatalf("large value came back with %d bytes, %v; want %d", len(v), err, len(big))
	}
}

// TestUpdateSettingIsAtomicAcrossStores: two store handles on one database
// (two server instances) increment one setting at once, each step through
// UpdateSetting; no increment is lost, and an error from fn stores nothing.
func TestUpdateSettingIsAtomicAcrossStores(t *testing.T) {
	ctx := context.Background()
	dsn := testDSN(t)
	stores := []*Store{openAt(t, dsn), openAt(t, dsn)}
	const workers, steps = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, len(stores)*workers)
	for _, s := range stores {
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range steps {
					err := s.UpdateSetting(ctx, "counter", func(v string, found bool) (string, error) {
						n := 0
						if found {
							var err error
							if n, err = strconv.Atoi(v); err != nil {
								return "", err
							}
						}
						return strconv.Itoa(n + 1), nil
					})
					if err != nil {
						errs <- err
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	want := strconv.Itoa(len(stores) * workers * steps)
	if v, err := stores[1].Setting(ctx, "counter"); err != nil || v != want {
		t.Fatalf("counter = %q, %v; want %s", v, err, want)
	}

	refuse := errors.New("over budget")
	err := stores[0].UpdateSetting(ctx, "counter", func(string, bool) (string, error) { return "0", refuse })
	if !errors.Is(err, refuse) {
		t.Fatalf("UpdateSetting with a refusing fn = %v, want its error", err)
	}
	err = stores[0].UpdateSetting(ctx, "absent", func(string, bool) (string, error) { return "x", refuse })
	if !errors.Is(err, refuse) {
		t.Fatalf("UpdateSetting of a new key with a refusing fn = %v", err)
	}
	if v, _ := stores[0].Setting(ctx, "counter"); v != want {
		t.Fatalf("a refused update changed the value to %q", v)
	}
	if _, err := stores[0].Setting(ctx, "absent"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a refused update of a new key left a row: %v", err)
	}
}

// SettingsWithPrefix reads one family of keys; SettingsStamp changes when a
// watched key is written, added or deleted, and not for another key.
func TestSettingsPrefixAndStamp(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	clock := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return clock }
	for _, k := range []string{"fam/a", "fam/b", "family", "other"} {
		if err := s.PutSetting(ctx, k, "v-"+k); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.SettingsWithPrefix(ctx, "fam/")
	if err != nil || len(got) != 2 || got[0].Key != "fam/a" || got[1].Value != "v-fam/b" {
		t.Fatalf("SettingsWithPrefix = %+v, %v", got, err)
	}
	stamp := func() string {
		t.Helper()
		st, err := s.SettingsStamp(ctx, "fam/a", "watched-not-yet")
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	seen := map[string]bool{stamp(): true}
	changes := []func() error{
		func() error { return s.PutSetting(ctx, "fam/a", "new") },
		func() error { return s.PutSetting(ctx, "watched-not-yet", "x") },
		func() error { return s.DeleteSetting(ctx, "fam/a") },
	}
	for i, change := range changes {
		clock = clock.Add(time.Second)
		if err := change(); err != nil {
			t.Fatal(err)
		}
		st := stamp()
		if seen[st] {
			t.Errorf("change %d left the stamp at %s", i, st)
		}
		seen[st] = true
		clock = clock.Add(time.Second)
		if err := s.PutSetting(ctx, "other", "y"); err != nil {
			t.Fatal(err)
		}
		if stamp() != st {
			t.Errorf("after change %d another key moved the stamp", i)
		}
	}
}
