package sentiment

import (
	"math"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

func TestParseWritten(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     []Example
		err      string // substring of the error; "" = no error
	}{
		{
			name: "good lines, comment, blank line, CRLF",
			in:   "# what this file is\nnegative\t45 min on hold  \r\n\nneutral\tdo you deliver on Sundays?\npositive\tthanks @anna, fixed in 5 min 🙌\n",
			want: []Example{
				{Text: "45 min on hold", Label: inbox.SentimentNegative, Lang: LangEnglish},
				{Text: "do you deliver on Sundays?", Label: inbox.SentimentNeutral, Lang: LangEnglish},
				{Text: "thanks @anna, fixed in 5 min 🙌", Label: inbox.SentimentPositive, Lang: LangEnglish},
			},
		},
		{name: "only comments", in: "# nothing yet\n"},
		{name: "bad label", in: "# c\nneutral\tok\nnegatve\tlate again\n", err: "f.tsv line 3: label \"negatve\""},
		{name: "capitalised label", in: "Negative\tlate again\n", err: "f.tsv line 1: label \"Negative\""},
		{name: "missing tab", in: "negative late again\n", err: "f.tsv line 1: no TAB"},
		{name: "empty text", in: "neutral\tfine\npositive\t  \n", err: "f.tsv line 2: empty text"},
		{name: "no text at all", in: "positive\t\n", err: "f.tsv line 1: empty text"},
		{name: "second tab", in: "neutral\ta\tb\n", err: "f.tsv line 1: a second TAB"},
		{name: "label only", in: "positive\n", err: "f.tsv line 1: no TAB"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := parseWritten(strings.NewReader(c.in), "f.tsv", LangEnglish)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want one containing %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %d examples %+v, want %d", len(got), got, len(c.want))
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("example %d = %+v, want %+v", i, got[i], c.want[i])
				}
			}
		})
	}
}

func TestReadWrittenFSLanguagesAndErrors(t *testing.T) {
	fsys := fstest.MapFS{
		"w/de.tsv":    {Data: []byte("negative\tPaket seit 5 Tagen weg\n")},
		"w/en.tsv":    {Data: []byte("positive\tthx!\n")},
		"w/notes.txt": {Data: []byte("not data")},
	}
	ex, err := readWrittenFS(fsys, "w")
	if err != nil {
		t.Fatal(err)
	}
	if len(ex) != 2 || ex[0].Lang != LangGerman || ex[1].Lang != LangEnglish {
		t.Errorf("got %+v, want the German line, then the English one", ex)
	}
	fsys["w/fr.tsv"] = &fstest.MapFile{Data: []byte("neutral\tbonjour\n")}
	if _, err := readWrittenFS(fsys, "w"); err == nil || !strings.Contains(err.Error(), "w/fr.tsv") {
		t.Errorf("unknown language file: err = %v, want one naming w/fr.tsv", err)
	}
	delete(fsys, "w/fr.tsv")
	fsys["w/ru.tsv"] = &fstest.MapFile{Data: []byte("# ok\nnegative\tопять\nплохо\n")}
	if _, err := readWrittenFS(fsys, "w"); err == nil || !strings.Contains(err.Error(), "w/ru.tsv line 3") {
		t.Errorf("malformed line: err = %v, want one naming w/ru.tsv line 3", err)
	}
}

func TestWrittenSeedRejectsZeroWeight(t *testing.T) {
	if _, err := WrittenSeed(0); err == nil {
		t.Error("WrittenSeed(0) gave no error; Train would read the zero weights as 1")
	}
}

// TestWrittenFilesParse checks the embedded files themselves: they parse,
// every language has all three labels, and the weights balance the classes
// within each language as ServiceSeed does.
func TestWrittenFilesParse(t *testing.T) {
	const w = 3.0
	ex, err := WrittenSeed(w)
	if err != nil {
		t.Fatal(err)
	}
	weight := map[string]*[numClasses]float64{}
	count := map[string]*[numClasses]int{}
	n := map[string]float64{}
	otherLang := map[string]int{}
	for _, e := range ex {
		if weight[e.Lang] == nil {
			weight[e.Lang] = new([numClasses]float64)
			count[e.Lang] = new([numClasses]int)
		}
		weight[e.Lang][classIndex(e.Label)] += e.Weight
		count[e.Lang][classIndex(e.Label)]++
		n[e.Lang]++
		if DetectLang(e.Text) != e.Lang {
			otherLang[e.Lang]++
		}
	}
	for _, lang := range []string{LangEnglish, LangRussian, LangGerman} {
		if n[lang] == 0 {
			t.Errorf("no written %s lines", lang)
			continue
		}
		t.Logf("%s: %v lines (negative, neutral, positive = %v); DetectLang says another language for %d",
			lang, n[lang], *count[lang], otherLang[lang])
		for c, got := range weight[lang] {
			if count[lang][c] == 0 {
				t.Errorf("%s: no %s line", lang, classes[c])
				continue
			}
			if want := w * n[lang] / numClasses; math.Abs(got-want) > 1e-6*want {
				t.Errorf("%s %s total weight %.3f, want %.3f", lang, classes[c], got, want)
			}
		}
	}
	if len(n) != 3 {
		t.Errorf("written languages = %d, want 3", len(n))
	}
}

// TestWrittenDisjointFromTestSentences: no written line WrittenSeed returns
// may be a test sentence (it would be trained on and then measured) or a
// seed sentence (trained on already). Texts are compared by their
// lower-cased words, as TestServiceTestDisjointFromSeeds does; normText is
// that test's function, independent of the wordKey WrittenSeed filters with.
func TestWrittenDisjointFromTestSentences(t *testing.T) {
	ex, err := WrittenSeed(1)
	if err != nil {
		t.Fatal(err)
	}
	test := map[string]bool{}
	for _, e := range ServiceTest() {
		test[normText(e.Text)] = true
	}
	// The complaints TestShippedModelRussianComplaints checks generalisation on.
	for _, s := range []string{"Ужасный сервис, верните деньги!", "Мой заказ потерялся 😡",
		"Посылка не пришла, поддержка не отвечает", "Верните деньги за сломанный чайник"} {
		test[normText(s)] = true
	}
	seed := map[string]bool{}
	for _, e := range ServiceSeed(0) {
		seed[normText(e.Text)] = true
	}
	for _, e := range ex {
		k := normText(e.Text)
		if test[k] {
			t.Errorf("written %s line %q is a test sentence", e.Lang, e.Text)
		}
		if seed[k] {
			t.Errorf("written %s line %q is a seed sentence", e.Lang, e.Text)
		}
	}
}

// TestWrittenOverlapIsSmall: the lines WrittenSeed leaves out because they
// equal a test or seed sentence must be few, short-phrase coincidences. Many
// would mean a writer saw the test sentences or the seeds, and then the
// written data could not be trusted as independent of them.
func TestWrittenOverlapIsSmall(t *testing.T) {
	ex, err := readWrittenFS(writtenFiles, "written")
	if err != nil {
		t.Fatal(err)
	}
	kept, dropped := splitWrittenOverlap(ex)
	for _, e := range dropped {
		t.Logf("left out (%s, %s): %q", e.Lang, e.Label, e.Text)
	}
	if len(kept)+len(dropped) != len(ex) || len(dropped) > 10 {
		t.Errorf("%d of %d written lines equal a test or seed sentence, want at most 10", len(dropped), len(ex))
	}
	_, dropped = splitWrittenOverlap([]Example{{Text: EnglishTest()[0].Text + "!!"}, {Text: "a line nobody else wrote"}})
	if len(dropped) != 1 {
		t.Errorf("a test sentence with other punctuation: dropped %d lines, want 1", len(dropped))
	}
}

// TestWrittenDisjointFromEvaluationData checks, when the evaluation data is
// beside the repository, that no written line equals a tweet of the airline
// set or RuSentiTweet (train or test split): those are evaluation data only,
// and the writers were told never to look at them. Lines of fewer than four
// words are left out: "thank you!!" may well be some tweet, by chance.
func TestWrittenDisjointFromEvaluationData(t *testing.T) {
	airTrain, airTest, ruTrain, ruTest := sharedData(t)
	eval := map[string]bool{}
	for _, part := range [][]Example{airTrain, airTest, ruTrain, ruTest} {
		for _, e := range part {
			eval[normText(stripHandles(e.Text))] = true
		}
	}
	ex, err := WrittenSeed(1)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ex {
		k := normText(stripHandles(e.Text))
		if len(strings.Fields(k)) >= 4 && eval[k] {
			t.Errorf("written %s line %q equals an evaluation tweet", e.Lang, e.Text)
		}
	}
}

// stripHandles drops @mentions and links, which differ between a tweet and
// a written line even when the words are the same.
func stripHandles(s string) string {
	f := strings.Fields(s)
	out := f[:0]
	for _, w := range f {
		if !strings.HasPrefix(w, "@") && !strings.HasPrefix(w, "http") {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}
