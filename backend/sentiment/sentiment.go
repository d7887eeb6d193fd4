// Package sentiment labels messages negative, neutral or positive, offline,
// in English, Russian and German. It ships a small multinomial logistic
// regression over hashed word, bigram, character n-gram, emoji and negation
// features (trained by cmd/train and embedded with go:embed), and lets users
// improve it by retraining on their own corrected labels.
package sentiment

import (
	"bytes"
	_ "embed"
	"fmt"
	"math"
	"sync"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

//go:embed model/sentiment.bin.gz
var shippedModel []byte

// classes is the fixed order of the model's outputs.
var classes = [numClasses]inbox.Sentiment{inbox.SentimentNegative, inbox.SentimentNeutral, inbox.SentimentPositive}

const numClasses = 3

func classIndex(s inbox.Sentiment) int {
	for i, c := range classes {
		if c == s {
			return i
		}
	}
	return -1
}

// Result is the judgement on one message.
type Result struct {
	Label inbox.Sentiment `json:"label"`
	// Score runs from -1 (surely negative) to 1 (surely positive): P(positive) - P(negative).
	Score float64 `json:"score"`
	// Confidence is the probability of Label, from 1/3 up to 1; 0 means the
	// message could not be judged (no words, only emoji, unknown language).
	Confidence float64 `json:"confidence"`
	// Lang is the detected language: "en", "ru", "de" or "" when unknown.
	Lang string `json:"lang"`
}

// Model is a trained classifier. It is safe for concurrent use by Score;
// Retrain returns a new Model and leaves the receiver unchanged.
type Model struct {
	bits int
	// w holds numClasses weights per hash bucket, interleaved so one feature
	// costs one cache line.
	w    []float32
	bias [numClasses]float32
	opts TrainOptions
	info Provenance
	// scratch recycles feature-extraction buffers between Score calls
	// (concurrent callers each get their own).
	scratch sync.Pool
}

// Default loads the model shipped inside the binary.
func Default() (*Model, error) {
	m, err := Load(bytes.NewReader(shippedModel))
	if err != nil {
		return nil, fmt.Errorf("load shipped sentiment model: %w", err)
	}
	return m, nil
}

func newModel(bits int) *Model {
	return &Model{bits: bits, w: make([]float32, numClasses<<bits)}
}

func (m *Model) featurizer() featurizer {
	return featurizer{mask: 1<<m.bits - 1, version: uint8(m.featureVersion())}
}

// Score labels text. It never fails: text with no words (empty, only emoji,
// only links) or in a language other than English, Russian or German is
// neutral with confidence 0.
func (m *Model) Score(text string) Result {
	s, _ := m.scratch.Get().(*scratch)
	if s == nil {
		s = &scratch{}
	}
	idx, lang, ok := m.featurizer().extract(s, text)
	if !ok || lang == LangUnknown {
		m.scratch.Put(s)
		return Result{Label: inbox.SentimentNeutral, Lang: lang}
	}
	p := m.probs(idx)
	m.scratch.Put(s)
	best := 0
	for c := 1; c < numClasses; c++ {
		if p[c] > p[best] {
			best = c
		}
	}
	return Result{
		Label:      classes[best],
		Score:      p[2] - p[0],
		Confidence: p[best],
		Lang:       lang,
	}
}

func (m *Model) probs(idx []uint32) [numClasses]float64 {
	v := featureValue(len(idx))
	var acc [numClasses]float32
	for _, f := range idx {
		w := m.w[int(f)*numClasses : int(f)*numClasses+numClasses]
		acc[0] += w[0]
		acc[1] += w[1]
		acc[2] += w[2]
	}
	var z [numClasses]float64
	for c := range z {
		z[c] = float64(acc[c]*v + m.bias[c])
	}
	return softmax(z)
}

func softmax(z [numClasses]float64) [numClasses]float64 {
	mx := math.Max(z[0], math.Max(z[1], z[2]))
	var sum float64
	for c := range z {
		z[c] = math.Exp(z[c] - mx)
		sum += z[c]
	}
	for c := range z {
		z[c] /= sum
	}
	return z
}
