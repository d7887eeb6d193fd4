package workspace

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/sentiment"
	"github.com/stormdesk/stormdesk/backend/store"
)

// modelFile trains a small model of feature version v and returns its file.
func modelFile(t *testing.T, v int) []byte {
	t.Helper()
	m, err := sentiment.Train(append(sentiment.GermanSeed(), sentiment.EnglishSeed()...),
		sentiment.TrainOptions{Bits: 14, Seed: 3, Epochs: 3, Features: v})
	if err != nil {
		t.Fatal(err)
	}
	m.SetProvenance(sentiment.Provenance{Name: "version test model", Sources: []sentiment.Source{sentiment.SourceServiceSeeds}})
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// renumbered is file with its feature version digit replaced, as a newer
// build would write it (same length, so the header stays valid).
func renumbered(t *testing.T, file []byte, from, to string) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	old := []byte(`"features":` + from)
	if bytes.Count(raw, old) != 1 {
		t.Fatalf("file does not name feature version %s once", from)
	}
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write(bytes.Replace(raw, old, []byte(`"features":`+to), 1))
	zw.Close()
	return out.Bytes()
}

// TestImportEachFeatureVersion: files of every known feature version import
// and keep their version through a retrain on corrections; a file from a
// newer build is refused with its own code and leaves the model in use alone.
func TestImportEachFeatureVersion(t *testing.T) {
	ctx := context.Background()
	ws, err := Open(ctx, filepath.Join(t.TempDir(), "ws.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	// One correction, so every import is retrained on top of at once.
	acc := inbox.Account{Channel: inbox.ChannelImport, Name: "acme"}
	if _, err := ws.Pipeline.Ingest(ctx, acc, []inbox.Item{{ExternalID: "c1", Text: "Welche Zahlungsarten akzeptieren Sie?"}}); err != nil {
		t.Fatal(err)
	}
	page, _ := ws.Store.Conversations(ctx, store.InboxQuery{Order: store.OrderNewest})
	msgs, _ := ws.Store.Thread(ctx, page.Items[0].ID)
	if err := ws.CorrectSentiment(ctx, msgs[0].ID, inbox.SentimentNeutral, "anna"); err != nil {
		t.Fatal(err)
	}

	v2 := modelFile(t, sentiment.FeaturesV2)
	tests := []struct {
		name string
		file []byte
		want int    // feature version in use after the import
		code string // apperr code of a refused import
	}{
		{"version 1", modelFile(t, sentiment.FeaturesV1), sentiment.FeaturesV1, ""},
		{"version 2", v2, sentiment.FeaturesV2, ""},
		{"version from a newer build", renumbered(t, v2, "2", "9"), 0, apperr.CodeModelFeaturesUnknown},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before, err := ws.SentimentModel(ctx)
			if err != nil {
				t.Fatal(err)
			}
			info, err := ws.ImportSentimentModel(ctx, bytes.NewReader(tc.file))
			if tc.code != "" {
				if err == nil || apperr.Classify(err).Code != tc.code {
					t.Fatalf("import = %v, want code %s", err, tc.code)
				}
				if after, _ := ws.SentimentModel(ctx); after.Provenance.Name != before.Provenance.Name ||
					after.Provenance.Features != before.Provenance.Features {
					t.Errorf("a refused import changed the model: %+v -> %+v", before.Provenance, after.Provenance)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if info.Origin != "retrained" || info.Provenance.Base != "version test model" || info.Provenance.Features != tc.want {
				t.Errorf("after import and retrain: origin %s, base %q, features %d; want retrained on the import, version %d",
					info.Origin, info.Provenance.Base, info.Provenance.Features, tc.want)
			}
		})
	}
}
