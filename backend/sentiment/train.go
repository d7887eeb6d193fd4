package sentiment

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Example is one labelled message.
type Example struct {
	Text  string
	Label inbox.Sentiment
	// Lang groups the example in reports; when empty, DetectLang decides.
	Lang string
	// Weight scales the example's gradient; 0 means 1.
	Weight float64
}

// TrainOptions tune Train. Zero fields take the defaults shown.
type TrainOptions struct {
	Bits      int     // hash buckets = 2^Bits; default 20
	Epochs    int     // passes over the data; default 20
	LearnRate float64 // initial SGD step; default 0.5, decays as 1/sqrt(epoch)
	L2        float64 // weight decay on touched weights; default 1e-6
	Seed      uint64  // shuffling seed; training is deterministic for a seed
	// Unbalanced turns off class balancing. By default each class is weighted
	// by (n/(3*n_class))^0.5 within each language, so the majority class
	// (negative airline tweets, neutral Russian ones) does not swamp the rest.
	Unbalanced bool
	// NegativeBias is added to the negative class's bias after training. The
	// corpora a company may train on (Reddit comments) complain far less
	// often than people writing to a brand do; this shifts the prior towards
	// the inbox's, without touching what the features learnt.
	NegativeBias float64
	// BalancePower damps class balancing: weights are (n/(3*n_class))^p.
	// 0 means the default 0.5; 1 balances fully.
	BalancePower float64
	// Features is the feature version (FeaturesV1, FeaturesV2); 0 means
	// DefaultFeatures. The model keeps it, and so does every retrain of it.
	Features int
}

// DefaultOptions are the settings the shipped model was trained with.
var DefaultOptions = TrainOptions{Bits: 20, Epochs: 20, LearnRate: 0.5, L2: 1e-6}

func (o TrainOptions) withDefaults() TrainOptions {
	d := DefaultOptions
	if o.Bits == 0 {
		o.Bits = d.Bits
	}
	if o.Epochs == 0 {
		o.Epochs = d.Epochs
	}
	if o.LearnRate == 0 {
		o.LearnRate = d.LearnRate
	}
	if o.L2 == 0 {
		o.L2 = d.L2
	}
	if o.BalancePower == 0 {
		o.BalancePower = balancePower
	}
	if o.Features == 0 {
		o.Features = DefaultFeatures
	}
	return o
}

type prepared struct {
	idx    []uint32
	label  int
	weight float32
	lang   string
}

// balance reweights examples so that within each language every class
// carries the same total weight, damped by balancePower. Balancing per
// language matters because the corpora skew differently: airline tweets are
// mostly negative, RuSentiTweet mostly neutral.
func balance(data []prepared, power float64) {
	count := map[string]*[numClasses]float64{}
	total := map[string]float64{}
	for _, d := range data {
		if count[d.lang] == nil {
			count[d.lang] = new([numClasses]float64)
		}
		count[d.lang][d.label]++
		total[d.lang]++
	}
	for i := range data {
		d := &data[i]
		d.weight *= float32(math.Pow(total[d.lang]/(numClasses*count[d.lang][d.label]), power))
	}
}

// Train fits a model on examples. Examples whose label is not negative,
// neutral or positive are an error, so a mislabelled file is noticed.
func Train(examples []Example, opts TrainOptions) (*Model, error) {
	opts = opts.withDefaults()
	if opts.Bits < 10 || opts.Bits > 24 {
		return nil, fmt.Errorf("train: bits %d outside 10..24", opts.Bits)
	}
	if err := checkFeatures(opts.Features); err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	m := newModel(opts.Bits)
	m.opts = opts
	data, err := m.prepare(examples)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	if len(data) == 0 {
		return nil, errors.New("train: no usable examples")
	}
	if !opts.Unbalanced {
		balance(data, opts.BalancePower)
	}
	m.sgdAveraged(data, opts.Epochs, opts.Seed)
	m.bias[0] += float32(opts.NegativeBias)
	m.quantize()
	return m, nil
}

func (m *Model) prepare(examples []Example) ([]prepared, error) {
	f := m.featurizer()
	data := make([]prepared, 0, len(examples))
	for i, ex := range examples {
		c := classIndex(ex.Label)
		if c < 0 {
			return nil, fmt.Errorf("example %d: label %q is not negative, neutral or positive", i, ex.Label)
		}
		idx, lang, ok := f.features(ex.Text, nil)
		if ex.Lang != "" {
			lang = ex.Lang
		}
		if !ok {
			continue
		}
		w := ex.Weight
		if w == 0 {
			w = 1
		}
		data = append(data, prepared{idx: idx, label: c, weight: float32(w), lang: lang})
	}
	return data, nil
}

func (m *Model) sgd(data []prepared, epochs int, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 0x5e471e47))
	for ep := 0; ep < epochs; ep++ {
		m.sgdEpoch(data, ep, rng)
	}
}

func (m *Model) sgdEpoch(data []prepared, ep int, rng *rand.Rand) {
	order := rng.Perm(len(data))
	l2 := float32(m.opts.L2)
	lr := float32(m.opts.LearnRate / math.Sqrt(float64(ep+1)))
	{
		for _, i := range order {
			d := &data[i]
			p := m.probs(d.idx)
			v := featureValue(len(d.idx))
			var g [numClasses]float32
			for c := range g {
				y := 0.0
				if c == d.label {
					y = 1
				}
				g[c] = float32(p[c]-y) * d.weight
				m.bias[c] -= lr * g[c] * 0.1
			}
			for _, f := range d.idx {
				w := m.w[int(f)*numClasses : int(f)*numClasses+numClasses]
				for c := range g {
					w[c] -= lr * (g[c]*v + l2*w[c])
				}
			}
		}
	}
}

// sgdAveraged runs SGD and keeps the mean of the weights after each epoch of
// the second half: averaging smooths the last noisy steps on a small corpus.
func (m *Model) sgdAveraged(data []prepared, epochs int, seed uint64) {
	start := epochs / 2
	if start == 0 {
		m.sgd(data, epochs, seed)
		return
	}
	sumW := make([]float32, len(m.w))
	var sumB [numClasses]float32
	rng := rand.New(rand.NewPCG(seed, 0xa5e))
	n := 0
	for ep := 0; ep < epochs; ep++ {
		m.sgdEpoch(data, ep, rng)
		if ep >= start {
			for i, w := range m.w {
				sumW[i] += w
			}
			for c := range sumB {
				sumB[c] += m.bias[c]
			}
			n++
		}
	}
	for i := range sumW {
		m.w[i] = sumW[i] / float32(n)
	}
	for c := range sumB {
		m.bias[c] = sumB[c] / float32(n)
	}
}

// CorrectionWeight is the weight Retrain gives a correction whose Weight is
// 0: one manager's considered label is worth several crowd-labelled tweets.
const CorrectionWeight = 5

// Retrain returns a copy of m that has also learnt corrections, e.g. labels
// managers fixed in the inbox. It continues SGD from m's weights over the
// corrections alone, pass after pass (at most 50) until the model reproduces
// every correction with a margin, so a fixed phrase flips while what the
// shipped data taught stays. The copy keeps m's feature version: its weights
// are m's, hashed m's way.
func (m *Model) Retrain(corrections []Example) (*Model, error) {
	n := &Model{bits: m.bits, w: append([]float32(nil), m.w...), bias: m.bias, opts: m.opts}
	n.info = retrainedProvenance(m.info, len(corrections))
	weighted := make([]Example, len(corrections))
	for i, c := range corrections {
		if c.Weight == 0 {
			c.Weight = CorrectionWeight
		}
		weighted[i] = c
	}
	data, err := n.prepare(weighted)
	if err != nil {
		return nil, fmt.Errorf("retrain: %w", err)
	}
	if len(data) == 0 {
		return n, nil
	}
	rng := rand.New(rand.NewPCG(m.opts.Seed, 0xc0de))
	for pass := 0; pass < 50 && !n.reproduces(data); pass++ {
		n.sgdEpoch(data, 0, rng)
	}
	n.quantize()
	return n, nil
}

// retrainedProvenance is base's provenance plus the corrections: the base's
// sources still shaped the weights, so its licence still applies. The base's
// held-out figures are not carried over: they were measured on other weights.
func retrainedProvenance(base Provenance, corrections int) Provenance {
	p := base
	p.Base = base.Name
	if base.Base != "" {
		p.Base = base.Base
	}
	p.Name = fmt.Sprintf("%s + %d corrections", p.Base, corrections)
	p.Sources = nil
	for _, s := range base.Sources {
		if !strings.HasPrefix(s.Name, CorrectionsSource(0).Name) {
			p.Sources = append(p.Sources, s)
		}
	}
	p.Sources = append(p.Sources, CorrectionsSource(corrections))
	p.Evaluation = nil
	return p
}

// retrainMargin is how far the corrected label's probability must lead the
// runner-up, so int8 quantization cannot flip it back.
const retrainMargin = 0.1

func (m *Model) reproduces(data []prepared) bool {
	for _, d := range data {
		p := m.probs(d.idx)
		for c := range p {
			if c != d.label && p[c]+retrainMargin > p[d.label] {
				return false
			}
		}
	}
	return true
}

// balancePower damps class balancing: 0.5 (inverse square root of the class
// share) beat 0.75 and 1 on the held-out splits.
const balancePower = 0.5

var averageEpochs = false
