package store

import (
	"context"
	"errors"
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
