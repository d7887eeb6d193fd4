package sentiment

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

func TestProvenanceSurvivesSaveLoad(t *testing.T) {
	m, err := Train(GermanSeed(), TrainOptions{Bits: 14, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	want := Provenance{
		Name:       "test model",
		Commercial: false,
		Sources:    []Source{SourceServiceSeeds, SourceAirline},
		Evaluation: []EvalFigure{{Set: "x", N: 3, Accuracy: 0.5, MacroF1NegVsNot: 0.25, MacroF1: 0.125}},
		Features:   FeaturesV1, // Train's default; the model reports its own version
	}
	want.Licence = want.DerivedLicence()
	m.SetProvenance(want)
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Provenance(), want) {
		t.Errorf("provenance after load = %+v, want %+v", got.Provenance(), want)
	}
	if !strings.HasPrefix(want.Licence, "non-commercial") || !strings.Contains(want.Licence, SourceAirline.Name) {
		t.Errorf("derived licence %q should name the non-commercial source", want.Licence)
	}
}

// TestLoadReadsFormatOne keeps models saved before provenance existed (a
// retrained model in a user's settings, a research model file) loadable, and
// says that their origin is unknown.
func TestLoadReadsFormatOne(t *testing.T) {
	m, err := Train(GermanSeed(), TrainOptions{Bits: 14, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	var v2 bytes.Buffer
	if err := m.Save(&v2); err != nil {
		t.Fatal(err)
	}
	// Rewrite as format 1: the old magic and no provenance block.
	v1 := bytes.NewReader(rewriteHeader(t, v2.Bytes(), magic1, nil))
	old, err := Load(v1)
	if err != nil {
		t.Fatalf("format 1: %v", err)
	}
	if old.Provenance().Name != unknownProvenance.Name || old.Provenance().Commercial {
		t.Errorf("format-1 provenance = %+v", old.Provenance())
	}
	for _, text := range []string{"Die App ist kaputt", "Vielen Dank!"} {
		if a, b := m.Score(text), old.Score(text); a != b {
			t.Errorf("%q: %+v vs %+v", text, a, b)
		}
	}
}

func TestRetrainRecordsItsData(t *testing.T) {
	base := shipped(t)
	n, err := base.Retrain([]Example{
		{Text: "great, another delay, just perfect", Label: inbox.SentimentNegative},
		{Text: "ну спасибо, очень помогли", Label: inbox.SentimentNegative},
	})
	if err != nil {
		t.Fatal(err)
	}
	p := n.Provenance()
	bp := base.Provenance()
	if p.Base != bp.Name || p.Commercial != bp.Commercial || p.Licence != bp.Licence {
		t.Errorf("retrained provenance %+v does not carry base %q", p, bp.Name)
	}
	if len(p.Sources) != len(bp.Sources)+1 {
		t.Fatalf("sources %+v, want the base's plus the corrections", p.Sources)
	}
	if last := p.Sources[len(p.Sources)-1]; last.Examples != 2 || !strings.Contains(last.Used, "2 corrected") {
		t.Errorf("corrections source = %+v", last)
	}
	if p.Evaluation != nil {
		t.Errorf("retrained model kept the base's figures %+v", p.Evaluation)
	}
	// Retraining a retrained model replaces the corrections, it does not stack them.
	again, err := n.Retrain([]Example{{Text: "x y z", Label: inbox.SentimentNeutral}})
	if err != nil {
		t.Fatal(err)
	}
	if ap := again.Provenance(); ap.Base != bp.Name || len(ap.Sources) != len(bp.Sources)+1 {
		t.Errorf("second retrain provenance %+v", ap)
	}
}
