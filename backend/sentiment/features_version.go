package sentiment

import "fmt"

// Feature versions. A model's weights only make sense with the featurisation
// they were trained with: a word hashed differently lands in another bucket,
// and the model would score confidently and wrongly without any error. So
// every model records its version (Provenance.Features), scoring uses the
// version the model names, and a file naming a version this build does not
// know is refused instead of being scored.
const (
	// FeaturesV1 is the featurisation of every model before versions were
	// recorded: words, bigrams, in-word character 2–5-grams, emoji,
	// punctuation markers, negation scope, the language as a bias. Format-1
	// files and format-2 files without a version mean this one.
	FeaturesV1 = 1
	// FeaturesV2 is FeaturesV1 plus, for English and German messages only,
	// each word and punctuation marker once more in a namespace of its
	// language. A German "?" then learns its own weight instead of sharing the
	// one English failure questions give "?". Russian messages get exactly
	// the FeaturesV1 features.
	FeaturesV2 = 2
	// LatestFeatures is the newest version this build can score.
	LatestFeatures = FeaturesV2
)

// DefaultFeatures is the version Train uses when TrainOptions.Features is 0;
// the shipped model uses it.
const DefaultFeatures = FeaturesV1

// UnknownFeaturesError says a model file was trained with a featurisation
// this build does not implement (a file from a newer Stormdesk, or a damaged
// one). Load returns it rather than a model that would score wrongly.
type UnknownFeaturesError struct {
	Version int // the version the file names
	Latest  int // the newest version this build knows
}

func (e *UnknownFeaturesError) Error() string {
	return fmt.Sprintf("the model uses feature version %d, this build of Stormdesk knows versions 1 to %d: a newer Stormdesk wrote it", e.Version, e.Latest)
}

// checkFeatures accepts the versions this build implements.
func checkFeatures(v int) error {
	if v < FeaturesV1 || v > LatestFeatures {
		return &UnknownFeaturesError{Version: v, Latest: LatestFeatures}
	}
	return nil
}

// featureVersion is the version m scores with; a Model built without one
// (the zero TrainOptions) is version 1.
func (m *Model) featureVersion() int {
	if m.opts.Features == 0 {
		return FeaturesV1
	}
	return m.opts.Features
}
