package sentiment

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// versionTexts are scored by the feature-version tests: English and German
// ones (where version 2 adds features), Russian (where it adds none), marks.
var versionTexts = []string{
	"Welche Zahlungsarten akzeptieren Sie?", "Die App ist kaputt!!", "Vielen Dank, alles super",
	"exactly why is my flight delayed?", "thanks for nothing", "great service, thank you!",
	"Посылка едет уже 20 дней?", "Спасибо большое!",
}

// versionModel trains a small model of feature version v on the German and
// English seeds, so the version tests do not depend on the shipped file.
func versionModel(t *testing.T, v int) *Model {
	t.Helper()
	m, err := Train(append(GermanSeed(), EnglishSeed()...), TrainOptions{Bits: 14, Seed: 5, Epochs: 4, Features: v})
	if err != nil {
		t.Fatalf("train version %d: %v", v, err)
	}
	m.SetProvenance(Provenance{Name: "version test", Sources: []Source{SourceServiceSeeds}})
	return m
}

func saved(t *testing.T, m *Model) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rewriteHeader re-packs a saved model file with another magic and
// provenance JSON (nil: no provenance block, as in format 1), keeping the
// weights: it makes the files older builds wrote, or newer ones will.
func rewriteHeader(t *testing.T, file []byte, head []byte, edit func(map[string]any)) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(zr)
	if _, err := io.ReadFull(br, make([]byte, len(magic))); err != nil {
		t.Fatal(err)
	}
	n, err := binary.ReadUvarint(br)
	if err != nil {
		t.Fatal(err)
	}
	raw := make([]byte, n)
	if _, err := io.ReadFull(br, raw); err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(br)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write(head)
	if edit != nil {
		var info map[string]any
		if err := json.Unmarshal(raw, &info); err != nil {
			t.Fatal(err)
		}
		edit(info)
		js, err := json.Marshal(info)
		if err != nil {
			t.Fatal(err)
		}
		var lb [binary.MaxVarintLen64]byte
		zw.Write(lb[:binary.PutUvarint(lb[:], uint64(len(js)))])
		zw.Write(js)
	}
	zw.Write(rest)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func setFeatures(v any) func(map[string]any) {
	return func(info map[string]any) {
		if v == nil {
			delete(info, "features")
		} else {
			info["features"] = v
		}
	}
}

// TestLoadEachFeatureVersion loads the files every build writes or wrote and
// checks each scores with the featurisation it names, bit for bit as the
// model that wrote it; files naming a version this build lacks are refused.
func TestLoadEachFeatureVersion(t *testing.T) {
	v1, v2 := versionModel(t, FeaturesV1), versionModel(t, FeaturesV2)
	f1, f2 := saved(t, v1), saved(t, v2)
	tests := []struct {
		name    string
		file    []byte
		want    int    // feature version loaded; 0: refused
		scoreAs *Model // the model whose scores the loaded one must give
	}{
		{"format 1, no provenance", rewriteHeader(t, f1, magic1, nil), FeaturesV1, v1},
		{"format 2 without a version (before versions)", rewriteHeader(t, f1, magic, setFeatures(nil)), FeaturesV1, v1},
		{"format 2, version 1 (as Save writes it)", f1, FeaturesV1, v1},
		{"format 3, version 2 (as Save writes it)", f2, FeaturesV2, v2},
		{"format 2 naming version 2", rewriteHeader(t, f2, magic, setFeatures(2)), FeaturesV2, v2},
		{"format 3 naming version 3", rewriteHeader(t, f2, magic3, setFeatures(3)), 0, nil},
		{"format 2 naming version 3", rewriteHeader(t, f1, magic, setFeatures(3)), 0, nil},
		{"format 2 naming version -1", rewriteHeader(t, f1, magic, setFeatures(-1)), 0, nil},
		{"format 3 without a version", rewriteHeader(t, f2, magic3, setFeatures(nil)), 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Load(bytes.NewReader(tc.file))
			if tc.want == 0 {
				if err == nil {
					t.Fatalf("loaded a model of version %d, want it refused", m.featureVersion())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Provenance().Features; got != tc.want || m.featureVersion() != tc.want {
				t.Errorf("version = %d (provenance %d), want %d", m.featureVersion(), got, tc.want)
			}
			for _, text := range versionTexts {
				if a, b := m.Score(text), tc.scoreAs.Score(text); a != b {
					t.Errorf("%q: loaded %+v, written %+v", text, a, b)
				}
			}
		})
	}
}

// TestUnknownFeatureVersionError is what import shows: a typed error naming
// the version, so apperr can give it its translated code.
func TestUnknownFeatureVersionError(t *testing.T) {
	file := rewriteHeader(t, saved(t, versionModel(t, FeaturesV2)), magic3, setFeatures(LatestFeatures+1))
	_, err := Load(bytes.NewReader(file))
	var fe *UnknownFeaturesError
	if !errors.As(err, &fe) || fe.Version != LatestFeatures+1 || fe.Latest != LatestFeatures {
		t.Fatalf("Load = %v, want an UnknownFeaturesError for version %d", err, LatestFeatures+1)
	}
	if !strings.Contains(err.Error(), "feature version 3") {
		t.Errorf("error %q does not name the version", err)
	}
	if _, err := Train(GermanSeed(), TrainOptions{Bits: 14, Features: LatestFeatures + 1}); !errors.As(err, &fe) {
		t.Errorf("Train with version %d: err = %v, want UnknownFeaturesError", LatestFeatures+1, err)
	}
}

// TestSaveFormatFollowsVersion: version-1 models stay format 2, which builds
// from before versions read correctly; others are format 3, which those
// builds refuse instead of scoring them with version-1 features.
func TestSaveFormatFollowsVersion(t *testing.T) {
	for v, want := range map[int][]byte{FeaturesV1: magic, FeaturesV2: magic3} {
		zr, err := gzip.NewReader(bytes.NewReader(saved(t, versionModel(t, v))))
		if err != nil {
			t.Fatal(err)
		}
		head := make([]byte, len(want))
		if _, err := io.ReadFull(zr, head); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(head, want) {
			t.Errorf("version %d saved as %q, want %q", v, head, want)
		}
	}
}

// TestVersionTwoFeatures: version 2 adds one feature per word and marker of
// English and German messages and nothing to Russian ones; version 1 is the
// reference featurisation (TestFastFeaturesMatchReference).
func TestVersionTwoFeatures(t *testing.T) {
	tests := []struct {
		text  string
		extra int // words + markers when en/de, else 0
	}{
		{"Welche Zahlungsarten akzeptieren Sie?", 5},
		{"exactly why is my flight delayed?!", 7},
		{"not good at all", 4},
		{"Посылка едет уже 20 дней?", 0},
		{"👍👍", 0},
	}
	f1 := featurizer{mask: 1<<20 - 1, version: FeaturesV1}
	f2 := featurizer{mask: 1<<20 - 1, version: FeaturesV2}
	for _, tc := range tests {
		a, _, _ := f1.features(tc.text, nil)
		b, _, _ := f2.features(tc.text, nil)
		if len(b)-len(a) != tc.extra {
			t.Errorf("%q: version 2 has %d features, version 1 %d, want %d more", tc.text, len(b), len(a), tc.extra)
		}
		if tc.extra == 0 && !equalIdx(a, b) {
			t.Errorf("%q: version 2 changed the features of a message it should leave alone", tc.text)
		}
	}
	// A negated word and the same word outside negation get different
	// language features, as the shared ones do.
	a, _, _ := f2.features("good", nil)
	b, _, _ := f2.features("not good", nil)
	if slices.Contains(b, a[len(a)-2]) { // the word's language feature comes right before LANG=
		t.Error("negated \"good\" shares its language feature with \"good\"")
	}
}

// TestModelScoresWithItsOwnVersion: the same weights scored with the other
// featurisation give other results, so the version a model names matters.
func TestModelScoresWithItsOwnVersion(t *testing.T) {
	v2 := versionModel(t, FeaturesV2)
	wrong := &Model{bits: v2.bits, w: v2.w, bias: v2.bias, opts: v2.opts}
	wrong.opts.Features = FeaturesV1
	differ := 0
	for _, text := range versionTexts {
		if v2.Score(text) != wrong.Score(text) {
			differ++
		}
	}
	if differ == 0 {
		t.Error("version-2 weights score the same with version-1 features: the test texts do not tell them apart")
	}
}

// TestRetrainKeepsFeatureVersion: a retrain continues from the base's
// weights, so it must hash text the base's way, also after a save and load.
func TestRetrainKeepsFeatureVersion(t *testing.T) {
	corrections := []Example{
		{Text: "great, another delay, just perfect", Label: inbox.SentimentNegative},
		{Text: "Welche Zahlungsarten akzeptieren Sie?", Label: inbox.SentimentNeutral},
	}
	for name, base := range map[string]*Model{
		"shipped":   shipped(t),
		"version 1": versionModel(t, FeaturesV1),
		"version 2": versionModel(t, FeaturesV2),
	} {
		t.Run(name, func(t *testing.T) {
			want := base.featureVersion()
			n, err := base.Retrain(corrections)
			if err != nil {
				t.Fatal(err)
			}
			back, err := Load(bytes.NewReader(saved(t, n)))
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range []*Model{n, back} {
				if m.featureVersion() != want || m.Provenance().Features != want {
					t.Errorf("retrained version %d (provenance %d), base %d", m.featureVersion(), m.Provenance().Features, want)
				}
			}
			for _, c := range corrections {
				if r := back.Score(c.Text); r.Label != c.Label {
					t.Errorf("%q after retrain, save and load = %s, want %s", c.Text, r.Label, c.Label)
				}
			}
		})
	}
}

// TestShippedModelIsVersionOne: the embedded file predates feature versions
// and must keep scoring with the version-1 features it was trained with;
// TestFastFeaturesMatchReference and the recorded figures pin those scores.
func TestShippedModelIsVersionOne(t *testing.T) {
	m := shipped(t)
	if m.featureVersion() != FeaturesV1 || m.Provenance().Features != FeaturesV1 {
		t.Fatalf("shipped model version %d, want 1", m.featureVersion())
	}
	m.SetProvenance(Provenance{Name: "renamed", Features: FeaturesV2})
	if m.featureVersion() != FeaturesV1 || m.Provenance().Features != FeaturesV1 {
		t.Error("SetProvenance changed the feature version the weights were trained with")
	}
}

// BenchmarkScoreFeaturesV2 scores with a version-2 model of the shipped
// model's size (2^20 buckets, so the weight lookups miss the cache alike).
func BenchmarkScoreFeaturesV2(b *testing.B) {
	m, err := Train(ServiceSeed(0), TrainOptions{Epochs: 2, Seed: 1, Features: FeaturesV2})
	if err != nil {
		b.Fatal(err)
	}
	benchmarkScore(b, m, (*Model).Score)
}
