package workspace

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stormdesk/stormdesk/backend/channels/youtube"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/sentiment"
	"github.com/stormdesk/stormdesk/backend/store"
)

// TestOpenMovesSideFilesIn: an install from before the settings table kept
// its settings in files beside the database. Opening it moves each into the
// table, renames the file to .migrated, and the workspace reads the same
// brand voice, LLM settings, YouTube units and retrained model as before.
func TestOpenMovesSideFilesIn(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "stormdesk.db")

	const phrase = "the new seat layout is something else"
	base, err := sentiment.Default()
	if err != nil {
		t.Fatal(err)
	}
	want := inbox.SentimentNegative
	if base.Score(phrase).Label == want {
		want = inbox.SentimentPositive
	}
	retrained, err := base.Retrain([]sentiment.Example{{Text: phrase, Label: want}})
	if err != nil {
		t.Fatal(err)
	}
	var model bytes.Buffer
	if err := retrained.Save(&model); err != nil {
		t.Fatal(err)
	}
	today := youtube.NewQuota(0, nil).Day()
	files := map[string][]byte{
		"brands.json":            []byte(`{"Acme":{"name":"Acme","tone":"warm and brief","signature":"Anna"}}`),
		"llm.json":               []byte(`{"baseUrl":"http://llm.test/v1","model":"m1","classify":{"enabled":true}}`),
		"youtube-quota.json":     []byte(fmt.Sprintf(`{"day":%q,"used":77}`, today)),
		"sentiment-model.bin.gz": model.Bytes(),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}

	check := func(ws *Workspace) {
		t.Helper()
		var wantBrand drafts.Brand
		if err := json.Unmarshal([]byte(`{"name":"Acme","tone":"warm and brief","signature":"Anna"}`), &wantBrand); err != nil {
			t.Fatal(err)
		}
		if b, err := ws.Brand(ctx, "Acme"); err != nil || b != wantBrand {
			t.Fatalf("brand after moving in = %+v, %v; want %+v", b, err, wantBrand)
		}
		s, found, err := ws.readLLMSettings(ctx)
		if err != nil || !found || s.Model != "m1" || !s.Classify.Enabled {
			t.Fatalf("LLM settings after moving in = %+v, %v, %v", s, found, err)
		}
		if got := ws.ytQuota.Used(); got != 77 {
			t.Fatalf("YouTube units after moving in = %d, want 77", got)
		}
		m, err := ws.loadModel(ctx)
		if err != nil || m.Score(phrase).Label != want {
			t.Fatalf("model after moving in scores %q as %s (%v), want the retrained %s", phrase, m.Score(phrase).Label, err, want)
		}
	}

	ws, err := Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	check(ws)
	for name, b := range files {
		if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
			t.Errorf("%s still read from beside the database (stat: %v)", name, err)
		}
		kept, err := os.ReadFile(filepath.Join(dir, name+".migrated"))
		if err != nil || !bytes.Equal(kept, b) {
			t.Errorf("%s.migrated: %d bytes, %v; want the old file kept", name, len(kept), err)
		}
	}
	if err := ws.SaveBrand(drafts.Brand{Name: "Bolt", Tone: "dry"}); err != nil {
		t.Fatal(err)
	}
	ws.Close()

	// A crash between storing a value and renaming its file leaves both: the
	// table wins and the file is only renamed.
	if err := os.WriteFile(filepath.Join(dir, "brands.json"), []byte(`{"Stale":{"name":"Stale"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	ws, err = Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	check(ws)
	brands, err := ws.Brands(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range brands {
		names = append(names, b.Name)
	}
	if fmt.Sprint(names) != "[Acme Bolt]" {
		t.Fatalf("brands after a stale file reappeared = %v, want [Acme Bolt]", names)
	}
	if _, err := os.Stat(filepath.Join(dir, "brands.json")); !os.IsNotExist(err) {
		t.Fatalf("stale brands.json not renamed: %v", err)
	}
}

// TestSettingsLiveInTheStore: what the window saves is in the settings
// table, so a second workspace on the same database (a team's other
// instance) reads it without any file.
func TestSettingsLiveInTheStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "stormdesk.db")
	ws, err := Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if err := ws.SaveBrand(drafts.Brand{Name: "Acme", Tone: "warm"}); err != nil {
		t.Fatal(err)
	}
	if err := ws.writeLLMSettings(ctx, drafts.Settings{Model: "m2"}); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if filepath.Ext(e.Name()) == ".json" {
			t.Errorf("a settings file was written beside the database: %s", e.Name())
		}
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	other := &Workspace{Store: st, DBPath: path, Log: ws.Log}
	if b, err := other.Brand(ctx, "Acme"); err != nil || b.Tone != "warm" {
		t.Fatalf("another workspace reads brand %+v, %v", b, err)
	}
	if s, found, err := other.readLLMSettings(ctx); err != nil || !found || s.Model != "m2" {
		t.Fatalf("another workspace reads LLM settings %+v, %v, %v", s, found, err)
	}
}
