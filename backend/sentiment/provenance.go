package sentiment

import (
	"fmt"
	"strings"
	"time"
)

// Provenance says where a model's weights came from and under which terms
// they may be used. It travels inside the model file (format 2), so a model a
// user imports, or one retrained on their corrections, carries its own
// licence and sources instead of relying on a document beside the binary.
type Provenance struct {
	Name string `json:"name"`
	// Licence is the licence of the weights as derived from their sources.
	Licence string `json:"licence"`
	// Commercial is true only when every source allows commercial use and
	// redistribution of derived weights.
	Commercial bool     `json:"commercial"`
	Sources    []Source `json:"sources"`
	// Evaluation holds held-out figures measured when the model was built.
	Evaluation []EvalFigure `json:"evaluation"`
	// Base names the model a retrained model started from ("" for a model
	// trained from scratch).
	Base        string    `json:"base"`
	RetrainedAt time.Time `json:"retrainedAt"`
	// Features is the featurisation the weights were trained with (see
	// features_version.go). Files written before it existed omit it and mean
	// version 1. The model's own version wins over what SetProvenance is
	// given: the weights, not the description, decide how text is hashed.
	Features int `json:"features"`
}

// Source is one data set a model was trained on.
type Source struct {
	Name       string `json:"name"`
	Licence    string `json:"licence"`
	URL        string `json:"url"`
	Used       string `json:"used"`
	Commercial bool   `json:"commercial"`
	Examples   int    `json:"examples"` // examples trained on; 0 when not recorded
}

// EvalFigure is one held-out figure recorded in a model file.
type EvalFigure struct {
	Set             string  `json:"set"`
	N               int     `json:"n"`
	Accuracy        float64 `json:"accuracy"`
	MacroF1NegVsNot float64 `json:"macroF1NegVsNot"`
	MacroF1         float64 `json:"macroF1"`
}

// The data sets cmd/train knows. LICENSE-DATA.md in model/ says how each
// licence was checked.
var (
	SourceGoEmotions = Source{
		Name:       "GoEmotions (Demszky et al., ACL 2020), train/dev/test.tsv",
		Licence:    "Apache-2.0",
		URL:        "https://github.com/google-research/google-research/tree/master/goemotions",
		Used:       "all three splits; 27 emotions grouped by the paper's sentiment mapping, ambiguous → neutral, mixed comments dropped",
		Commercial: true,
	}
	SourceRuGoEmotions = Source{
		Name:       "ru-goemotions (GoEmotions machine-translated to Russian)",
		Licence:    "MIT (translation of Apache-2.0 data)",
		URL:        "https://github.com/searayeah/ru-goemotions",
		Used:       "the simplified validation and test splits (the train split is not in the git repository); same mapping as GoEmotions",
		Commercial: true,
	}
	SourceServiceSeeds = Source{
		Name:       "Stormdesk customer-service seed sentences (de, ru, en)",
		Licence:    "same as the Stormdesk repository (written by the project)",
		URL:        "backend/sentiment/german.go, russian.go, english.go",
		Used:       "all seed sentences, class-balanced per language",
		Commercial: true,
	}
	SourceWritten = Source{
		Name:       "Stormdesk written social-media messages (en, ru, de)",
		Licence:    "same as the Stormdesk repository (written by the project)",
		URL:        "backend/sentiment/written/en.tsv, ru.tsv, de.tsv",
		Used:       "all lines, class-balanced per language",
		Commercial: true,
	}
	SourceXED = Source{
		Name:       "XED (Öhman et al., COLING 2020): emotion-annotated film subtitles",
		Licence:    "CC BY 4.0",
		URL:        "https://github.com/Helsinki-NLP/XED",
		Used:       "anger, disgust, fear, sadness → negative, joy, trust → positive, anticipation, surprise and the neutral file → neutral, mixed lines dropped; files:",
		Commercial: true,
	}
	SourceVADER = Source{
		Name:       "VADER ICWSM 2014 ground truth (Hutto & Gilbert): human-rated tweets, product-review, film-review and editorial snippets",
		Licence:    "MIT",
		URL:        "https://github.com/cjhutto/vaderSentiment (additional_resources/hutto_ICWSM_2014.tar.gz)",
		Used:       "the four *_GroundTruth.txt files; mean rating ≤ -0.5 → negative, ≥ 0.5 → positive, else neutral",
		Commercial: true,
	}
	SourceBanking77 = Source{
		Name:       "Banking77 (Casanueva et al., 2020): online-banking customer queries with 77 intents",
		Licence:    "CC BY 4.0",
		URL:        "https://github.com/PolyAI-LDN/task-specific-datasets (banking_data/)",
		Used:       "train.csv and test.csv; 29 intents that report a failure (declined card, money not received, unrecognised charge, …) → negative, 14 unclear intents dropped, the rest → neutral",
		Commercial: true,
	}
	SourceAirline = Source{
		Name:    "Twitter US Airline Sentiment (Crowdflower, Data for Everyone)",
		Licence: "CC BY-NC-SA 4.0",
		URL:     "https://www.kaggle.com/datasets/crowdflower/twitter-airline-sentiment",
		Used:    "all labelled rows",
	}
	SourceRuSentiTweet = Source{
		Name:    "RuSentiTweet (Smetanin 2022)",
		Licence: "not stated upstream; treated as CC BY-NC-SA 4.0",
		URL:     "https://github.com/sismetanin/rusentitweet",
		Used:    "negative/neutral/positive rows (skip and speech dropped)",
	}
)

// CorrectionsSource describes the corrections a retrained model learnt.
func CorrectionsSource(n int) Source {
	return Source{
		Name:       "manager corrections in this workspace",
		Licence:    "the workspace owner's own data",
		Used:       fmt.Sprintf("%d corrected labels", n),
		Commercial: true,
		Examples:   n,
	}
}

// DerivedLicence states the terms of weights trained on p.Sources: the most
// restrictive source decides.
func (p Provenance) DerivedLicence() string {
	var nc []string
	for _, s := range p.Sources {
		if !s.Commercial {
			nc = append(nc, s.Name+" ("+s.Licence+")")
		}
	}
	if len(nc) > 0 {
		return "non-commercial research use only: derived from " + strings.Join(nc, "; ")
	}
	return "commercial use allowed: every source permits it (see sources)"
}

// unknownProvenance is what a format-1 file, which records nothing, reports.
var unknownProvenance = Provenance{
	Name:    "model without provenance (format 1)",
	Licence: "unknown: the file does not say which data it was trained on",
}

// Provenance returns where m's weights came from and their feature version.
func (m *Model) Provenance() Provenance {
	p := m.info
	p.Features = m.featureVersion()
	return p
}

// SetProvenance records where m's weights came from; Save writes it. Its
// Features field is ignored: the version is the model's own.
func (m *Model) SetProvenance(p Provenance) {
	p.Features = m.featureVersion()
	m.info = p
}
