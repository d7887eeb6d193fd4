package sentiment

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// ClassMetrics are precision, recall and F1 of one label.
type ClassMetrics struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"` // gold examples with this label
}

// Report holds evaluation figures. MacroF1NegVsNot treats the task as
// negative vs not negative and averages the F1 of both sides; MacroF1 is the
// mean F1 over the three labels.
type Report struct {
	N               int                              `json:"n"`
	Accuracy        float64                          `json:"accuracy"`
	MacroF1NegVsNot float64                          `json:"macroF1NegVsNot"`
	MacroF1         float64                          `json:"macroF1"`
	Classes         map[inbox.Sentiment]ClassMetrics `json:"classes"`
	// ByLang splits the figures by Example.Lang (or the detected language).
	ByLang map[string]Report `json:"byLang,omitempty"`
}

// Evaluate scores every example with m and compares with its label.
// Examples with a label other than negative/neutral/positive are skipped.
func Evaluate(m *Model, ex []Example) Report {
	gold := make([]int, 0, len(ex))
	pred := make([]int, 0, len(ex))
	langs := make([]string, 0, len(ex))
	for _, e := range ex {
		g := classIndex(e.Label)
		if g < 0 {
			continue
		}
		r := m.Score(e.Text)
		lang := e.Lang
		if lang == "" {
			lang = r.Lang
		}
		gold = append(gold, g)
		pred = append(pred, classIndex(r.Label))
		langs = append(langs, lang)
	}
	rep := metrics(gold, pred)
	byLang := map[string][2][]int{}
	for i, l := range langs {
		gp := byLang[l]
		gp[0] = append(gp[0], gold[i])
		gp[1] = append(gp[1], pred[i])
		byLang[l] = gp
	}
	if len(byLang) > 0 {
		rep.ByLang = map[string]Report{}
		for l, gp := range byLang {
			rep.ByLang[l] = metrics(gp[0], gp[1])
		}
	}
	return rep
}

func metrics(gold, pred []int) Report {
	rep := Report{N: len(gold), Classes: map[inbox.Sentiment]ClassMetrics{}}
	if len(gold) == 0 {
		return rep
	}
	var conf [numClasses][numClasses]int
	correct := 0
	for i := range gold {
		conf[gold[i]][pred[i]]++
		if gold[i] == pred[i] {
			correct++
		}
	}
	rep.Accuracy = float64(correct) / float64(len(gold))
	var sum float64
	for c := 0; c < numClasses; c++ {
		tp := conf[c][c]
		var fp, fn int
		for o := 0; o < numClasses; o++ {
			if o != c {
				fp += conf[o][c]
				fn += conf[c][o]
			}
		}
		cm := prf(tp, fp, fn)
		rep.Classes[classes[c]] = cm
		sum += cm.F1
	}
	rep.MacroF1 = sum / numClasses
	// Negative (class 0) vs the rest.
	tp := conf[0][0]
	fp := conf[1][0] + conf[2][0]
	fn := conf[0][1] + conf[0][2]
	tn := len(gold) - tp - fp - fn
	rep.MacroF1NegVsNot = (prf(tp, fp, fn).F1 + prf(tn, fn, fp).F1) / 2
	return rep
}

// prf computes precision, recall and F1, taking 0/0 as 0 (as scikit-learn does).
func prf(tp, fp, fn int) ClassMetrics {
	cm := ClassMetrics{Support: tp + fn}
	if tp+fp > 0 {
		cm.Precision = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		cm.Recall = float64(tp) / float64(tp+fn)
	}
	if cm.Precision+cm.Recall > 0 {
		cm.F1 = 2 * cm.Precision * cm.Recall / (cm.Precision + cm.Recall)
	}
	return cm
}

// String formats the report as the plain-text table the CLI prints.
func (r Report) String() string {
	var b strings.Builder
	line := func(name string, r Report) {
		fmt.Fprintf(&b, "%-8s n=%-6d accuracy=%.3f macroF1(neg-vs-not)=%.3f macroF1(3-class)=%.3f\n",
			name, r.N, r.Accuracy, r.MacroF1NegVsNot, r.MacroF1)
		for _, c := range classes {
			cm := r.Classes[c]
			fmt.Fprintf(&b, "         %-8s P=%.3f R=%.3f F1=%.3f support=%d\n", c, cm.Precision, cm.Recall, cm.F1, cm.Support)
		}
	}
	line("all", r)
	langs := make([]string, 0, len(r.ByLang))
	for l := range r.ByLang {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		name := l
		if name == "" {
			name = "unknown"
		}
		line(name, r.ByLang[l])
	}
	return b.String()
}

// CSVMapping names the columns EvalCSV reads.
type CSVMapping struct {
	TextColumn  string // default "text"
	LabelColumn string // default "label"; "airline_sentiment" works for the airline file
	// Lang, when set, is reported for every row instead of the detected language.
	Lang string
}

// ReadCSV reads labelled examples from a CSV with a header row. Labels are
// matched case-insensitively; rows whose label is not negative, neutral or
// positive (RuSentiTweet's "skip" and "speech", blanks) are dropped and
// counted in skipped.
func ReadCSV(ctx context.Context, r io.Reader, mp CSVMapping) (ex []Example, skipped int, err error) {
	if mp.TextColumn == "" {
		mp.TextColumn = "text"
	}
	if mp.LabelColumn == "" {
		mp.LabelColumn = "label"
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, 0, fmt.Errorf("read csv header: %w", err)
	}
	col := headerColumns(head)
	ti, tok := col[mp.TextColumn]
	li, lok := col[mp.LabelColumn]
	if !tok || !lok {
		return nil, 0, fmt.Errorf("csv header %q lacks column %q or %q", head, mp.TextColumn, mp.LabelColumn)
	}
	err = csvRows(ctx, cr, "csv", 2, func(rec []string) {
		if ti >= len(rec) || li >= len(rec) {
			skipped++
			return
		}
		lab := inbox.Sentiment(strings.ToLower(strings.TrimSpace(rec[li])))
		if classIndex(lab) < 0 {
			skipped++
			return
		}
		ex = append(ex, Example{Text: rec[ti], Label: lab, Lang: mp.Lang})
	})
	if err != nil {
		return nil, 0, err
	}
	return ex, skipped, nil
}

// EvalCSV evaluates m on a labelled CSV; it is what `stormdesk eval sentiment` runs.
func EvalCSV(ctx context.Context, r io.Reader, m *Model, mp CSVMapping) (Report, int, error) {
	ex, skipped, err := ReadCSV(ctx, r, mp)
	if err != nil {
		return Report{}, 0, fmt.Errorf("eval sentiment: %w", err)
	}
	return Evaluate(m, ex), skipped, nil
}
