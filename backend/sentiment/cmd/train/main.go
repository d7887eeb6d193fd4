// Command train builds the sentiment model shipped in backend/sentiment.
//
//	go run ./backend/sentiment/cmd/train --goemotions DIR --ru-goemotions DIR \
//	    --airline DIR/airline_tweets_dev.csv --rusenti DIR/rusentitweet_train.csv \
//	    --eval --out backend/sentiment/model/sentiment.bin.gz
//
// The default recipe trains only on data a company may use: GoEmotions
// (Apache 2.0), its Russian machine translation (MIT), Banking77, VADER's
// ground truth and XED (see model/LICENSE-DATA.md), the project's own
// customer-service seeds and, with --written-weight, the project's written
// social-media messages (backend/sentiment/written). The airline tweets and
// RuSentiTweet are non-commercial: they are read for evaluation only (their
// latest 20 %, the same held-out splits the research model reports), never
// trained on, unless --research asks for the earlier non-commercial recipe,
// whose model may only be imported by users entitled to use it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/stormdesk/stormdesk/backend/sentiment"
)

func main() {
	if err := run(context.Background()); err != nil {
		slog.Error("train", "err", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	goemo := flag.String("goemotions", "", "directory with GoEmotions' train.tsv, dev.tsv, test.tsv (Apache 2.0)")
	rugoemo := flag.String("ru-goemotions", "", "directory with ru-goemotions' ru-go-emotions-simplified-*.csv or train/validation/test.csv (MIT)")
	xed := flag.String("xed", "", "directory with XED's en-annotated.tsv, neu_en.txt, de-projections.tsv, ru-projections.tsv (CC BY 4.0)")
	xedLangs := flag.String("xed-langs", "en,de,ru", "which of XED's languages to train on")
	vader := flag.String("vader", "", "directory with VADER's ICWSM 2014 *_GroundTruth.txt files (MIT)")
	banking := flag.String("banking77", "", "directory with Banking77's train.csv and test.csv (CC BY 4.0)")
	airline := flag.String("airline", "", "airline tweets CSV (tweet_id,airline_sentiment,...,text,...): evaluation only (CC BY-NC-SA)")
	rusenti := flag.String("rusenti", "", "RuSentiTweet CSV (text,label,id): evaluation only (licence unconfirmed, treated as NC)")
	research := flag.Bool("research", false, "train on the airline tweets and RuSentiTweet too (the non-commercial research model; never the shipped one)")
	out := flag.String("out", "", "write the model here")
	eval := flag.Bool("eval", false, "print held-out figures")
	compare := flag.String("compare", "", "with --eval, also evaluate this model file on the same splits")
	var opts sentiment.TrainOptions
	flag.Uint64Var(&opts.Seed, "seed", 1, "shuffle seed")
	flag.IntVar(&opts.Bits, "bits", sentiment.DefaultOptions.Bits, "hash buckets = 2^bits")
	flag.IntVar(&opts.Epochs, "epochs", sentiment.DefaultOptions.Epochs, "SGD passes")
	flag.Float64Var(&opts.LearnRate, "lr", sentiment.DefaultOptions.LearnRate, "initial learning rate")
	flag.Float64Var(&opts.L2, "l2", sentiment.DefaultOptions.L2, "L2 weight decay")
	flag.BoolVar(&opts.Unbalanced, "unbalanced", false, "do not weight classes by inverse sqrt frequency")
	flag.Float64Var(&opts.NegativeBias, "negative-bias", 0, "added to the negative class's bias after training (prior shift towards an inbox's share of complaints)")
	flag.Float64Var(&opts.BalancePower, "balance-power", 0.5, "class balancing strength: weights (n/(3*n_class))^p within each language")
	flag.IntVar(&opts.Features, "features", sentiment.DefaultFeatures, "feature version (1: the shipped featurisation; 2: adds language-specific word and punctuation features for English and German)")
	validate := flag.Bool("validate", false, "hold out every 10th training example, train on the rest and print figures on it: for choosing training options without looking at the evaluation sets")
	seedWeight := flag.Float64("seed-weight", sentiment.SeedWeight, "weight of the self-made customer-service seed examples")
	writtenWeight := flag.Float64("written-weight", defaultWrittenWeight, "weight of the project's written social-media messages (backend/sentiment/written/*.tsv); 0 = not used")
	showMisses := flag.Bool("show-misses", false, "with --eval, list the customer-service test sentences the model gets wrong")
	flag.Parse()

	var air, ru []sentiment.TimedExample
	var err error
	if *airline != "" {
		if air, err = readTweets(ctx, *airline, "tweet_id", "airline_sentiment", "text", sentiment.LangEnglish); err != nil {
			return err
		}
	}
	if *rusenti != "" {
		if ru, err = readTweets(ctx, *rusenti, "id", "label", "text", sentiment.LangRussian); err != nil {
			return err
		}
	}
	airTrain, airTest := sentiment.TimeSplit(air, 0.8)
	ruTrain, ruTest := sentiment.TimeSplit(ru, 0.8)

	var rec recipe
	if *research {
		if air == nil || ru == nil {
			return fmt.Errorf("--research needs --airline and --rusenti")
		}
		rec.add(sentiment.SourceAirline, nil)
		rec.add(sentiment.SourceRuSentiTweet, nil)
	} else {
		if *goemo == "" {
			return fmt.Errorf("--goemotions is required (the commercial recipe); --research trains the non-commercial model")
		}
		ge, err := readGoEmotions(ctx, *goemo)
		if err != nil {
			return err
		}
		rec.add(sentiment.SourceGoEmotions, ge)
		if *rugoemo != "" {
			rg, err := readRuGoEmotions(ctx, *rugoemo)
			if err != nil {
				return err
			}
			rec.add(sentiment.SourceRuGoEmotions, rg)
		}
		if *xed != "" {
			x, err := readXED(ctx, *xed, *xedLangs)
			if err != nil {
				return err
			}
			src := sentiment.SourceXED
			src.Used += " " + strings.Join(xedFiles(*xedLangs), ", ")
			rec.add(src, x)
		}
		if *banking != "" {
			var b []sentiment.Example
			for _, name := range []string{"train.csv", "test.csv"} {
				ex, err := readFile(ctx, filepath.Join(*banking, name), sentiment.ReadBanking77)
				if err != nil {
					return err
				}
				b = append(b, ex...)
			}
			rec.add(sentiment.SourceBanking77, b)
		}
		if *vader != "" {
			v, err := readVADER(ctx, *vader)
			if err != nil {
				return err
			}
			rec.add(sentiment.SourceVADER, v)
		}
	}
	rec.add(sentiment.SourceServiceSeeds, sentiment.ServiceSeed(*seedWeight))
	// The written messages come last, so the validation rows of the sources
	// above (every 10th of them) stay the same whatever their weight.
	nOld := len(rec.examples)
	if *writtenWeight != 0 {
		w, err := sentiment.WrittenSeed(*writtenWeight)
		if err != nil {
			return err
		}
		src := sentiment.SourceWritten
		src.Used += fmt.Sprintf(", weight %g", *writtenWeight)
		rec.add(src, w)
	}

	// The held-out model: the commercial recipe never sees the evaluation
	// sets, so it is the model written by --out; the research recipe trains
	// on the train splits here and on everything for --out.
	heldOutTrain := rec.examples
	if *research {
		heldOutTrain = concat(airTrain, ruTrain, rec.examples)
	}
	if *validate {
		if err := runValidation(rec.examples[:nOld], rec.examples[nOld:], opts); err != nil {
			return err
		}
	}
	var evals []sentiment.EvalFigure
	// heldOut is the model --eval measured; for the commercial recipe it is
	// trained on exactly what --out trains on, so --out reuses it (training
	// is deterministic: a second run would give the same weights).
	var heldOut *sentiment.Model
	if *eval {
		m, err := sentiment.Train(heldOutTrain, opts)
		if err != nil {
			return err
		}
		heldOut = m
		sets := evalSets(airTest, ruTest)
		fmt.Printf("held-out evaluation (train: %d examples)\n", len(heldOutTrain))
		evals = evaluate(m, sets)
		printFigures("this recipe", evals)
		if *compare != "" {
			other, err := readModel(*compare)
			if err != nil {
				return err
			}
			printFigures(filepath.Base(*compare), evaluate(other, sets))
		}
		fmt.Printf("\nall held-out sets together:\n%s", sentiment.Evaluate(m, concat(airTest, ruTest, sentiment.ServiceTest())))
		if *showMisses {
			for _, e := range sentiment.ServiceTest() {
				if r := m.Score(e.Text); r.Label != e.Label {
					fmt.Printf("miss %s: want %s, got %s (score %+.2f): %s\n", e.Lang, e.Label, r.Label, r.Score, e.Text)
				}
			}
		}
	}
	if *out == "" {
		return nil
	}
	all := rec.examples
	if *research {
		all = concat(sentiment.Examples(air), sentiment.Examples(ru), rec.examples)
		// The research model saw the test splits: its held-out figures are
		// those of the split model above, which is what the metadata says.
	}
	m := heldOut
	if m == nil || *research {
		if m, err = sentiment.Train(all, opts); err != nil {
			return err
		}
	}
	info := sentiment.Provenance{
		Name:       "Stormdesk default sentiment model",
		Commercial: !*research,
		Sources:    rec.sources,
		Evaluation: evals,
	}
	if *research {
		info.Name = "Stormdesk research sentiment model (non-commercial)"
	}
	info.Licence = info.DerivedLicence()
	m.SetProvenance(info)
	if err := writeModel(*out, m); err != nil {
		return err
	}
	st, err := os.Stat(*out)
	if err != nil {
		return err
	}
	slog.Info("model written", "path", *out, "bytes", st.Size(), "commercial", info.Commercial)
	return nil
}

// defaultWrittenWeight is --written-weight's default: the weight chosen on
// the validation split (docs/sentiment.md, "Written social-media messages"),
// and the one the shipped model is trained with.
const defaultWrittenWeight = 3

// runValidation holds out every 10th example of the corpora and seeds (the
// same rows as before the written data existed) and every 10th written line,
// trains on the rest and prints figures on the held-out rows: all of them,
// the corpora and seeds alone (comparable with figures from before the
// written data), and the written lines alone. Without written training data
// (written empty) the written rows are still evaluated, so every weight,
// 0 included, is measured on the same written lines.
func runValidation(corpora, written []sentiment.Example, opts sentiment.TrainOptions) error {
	fit, valOld := splitTenth(corpora)
	fitWritten, valWritten := splitTenth(written)
	fit = append(fit, fitWritten...)
	if len(written) == 0 {
		w, err := sentiment.WrittenSeed(1)
		if err != nil {
			return err
		}
		_, valWritten = splitTenth(w)
	}
	m, err := sentiment.Train(fit, opts)
	if err != nil {
		return err
	}
	all := concat(valOld, valWritten)
	fmt.Printf("validation (every 10th training example, %d; trained on %d):\n%s", len(all), len(fit), sentiment.Evaluate(m, all))
	fmt.Printf("validation, corpora and seeds only (%d):\n%s", len(valOld), sentiment.Evaluate(m, valOld))
	fmt.Printf("validation, written lines only (%d; every 10th line of backend/sentiment/written):\n%s", len(valWritten), sentiment.Evaluate(m, valWritten))
	return nil
}

// splitTenth holds out every 10th example (val) from the rest (fit).
func splitTenth(ex []sentiment.Example) (fit, val []sentiment.Example) {
	for i, e := range ex {
		if i%10 == 0 {
			val = append(val, e)
		} else {
			fit = append(fit, e)
		}
	}
	return fit, val
}

// recipe collects the training examples and the sources they came from.
type recipe struct {
	examples []sentiment.Example
	sources  []sentiment.Source
}

func (r *recipe) add(s sentiment.Source, ex []sentiment.Example) {
	if ex != nil {
		s.Examples = len(ex)
	}
	r.sources = append(r.sources, s)
	r.examples = append(r.examples, ex...)
}

type evalSet struct {
	name string
	ex   []sentiment.Example
}

func evalSets(airTest, ruTest []sentiment.Example) []evalSet {
	var sets []evalSet
	if len(airTest) > 0 {
		sets = append(sets, evalSet{"en airline (time split, latest 20 %)", airTest})
	}
	if len(ruTest) > 0 {
		sets = append(sets, evalSet{"ru RuSentiTweet (id split, latest 20 %)", ruTest})
	}
	return append(sets,
		evalSet{"de customer-service test", sentiment.GermanTest()},
		evalSet{"ru customer-service test", sentiment.RussianTest()},
		evalSet{"en customer-service test", sentiment.EnglishTest()},
	)
}

func evaluate(m *sentiment.Model, sets []evalSet) []sentiment.EvalFigure {
	var out []sentiment.EvalFigure
	for _, s := range sets {
		r := sentiment.Evaluate(m, s.ex)
		out = append(out, sentiment.EvalFigure{Set: s.name, N: r.N, Accuracy: r.Accuracy, MacroF1NegVsNot: r.MacroF1NegVsNot, MacroF1: r.MacroF1})
	}
	return out
}

func printFigures(title string, figs []sentiment.EvalFigure) {
	fmt.Printf("\n%s:\n", title)
	for _, f := range figs {
		fmt.Printf("  %-42s n=%-5d macroF1(neg-vs-not)=%.3f accuracy=%.3f macroF1(3-class)=%.3f\n", f.Set, f.N, f.MacroF1NegVsNot, f.Accuracy, f.MacroF1)
	}
}

func readTweets(ctx context.Context, path, idCol, labelCol, textCol, lang string) ([]sentiment.TimedExample, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	ex, skipped, err := sentiment.ReadTweets(ctx, f, idCol, labelCol, textCol, lang)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	slog.Info("read", "file", filepath.Base(path), "examples", len(ex), "dropped", skipped)
	return ex, nil
}

func readGoEmotions(ctx context.Context, dir string) ([]sentiment.Example, error) {
	var all []sentiment.Example
	for _, name := range []string{"train.tsv", "dev.tsv", "test.tsv"} {
		ex, err := readFile(ctx, filepath.Join(dir, name), sentiment.ReadGoEmotions)
		if err != nil {
			return nil, err
		}
		all = append(all, ex...)
	}
	return all, nil
}

// readRuGoEmotions reads every CSV in dir: the upstream repository keeps its
// train split out of git for size, so whatever splits are at hand are used.
func readRuGoEmotions(ctx context.Context, dir string) ([]sentiment.Example, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no CSV files in %s", dir)
	}
	var all []sentiment.Example
	for _, p := range files {
		if strings.Contains(filepath.Base(p), "raw") {
			continue // one row per rater, not the agreed labels
		}
		ex, err := readFile(ctx, p, sentiment.ReadRuGoEmotions)
		if err != nil {
			return nil, err
		}
		all = append(all, ex...)
	}
	return all, nil
}

// readXED reads the XED files the recipe uses; a missing one is an error, so
// a model never silently lacks a language.
var xedParts = []struct {
	name, lang string
	neutral    bool
}{
	{"AnnotatedData/en-annotated.tsv", sentiment.LangEnglish, false},
	{"AnnotatedData/neu_en.txt", sentiment.LangEnglish, true},
	{"Projections/de-projections.tsv", sentiment.LangGerman, false},
	{"Projections/ru-projections.tsv", sentiment.LangRussian, false},
}

func xedWanted(langs, lang string) bool { return strings.Contains(","+langs+",", ","+lang+",") }

// xedFiles names the XED files the recipe reads, as the provenance records them.
func xedFiles(langs string) []string {
	var out []string
	for _, f := range xedParts {
		if xedWanted(langs, f.lang) {
			out = append(out, f.name)
		}
	}
	return out
}

func readXED(ctx context.Context, dir, langs string) ([]sentiment.Example, error) {
	var all []sentiment.Example
	for _, f := range xedParts {
		if !xedWanted(langs, f.lang) {
			continue
		}
		ex, err := readFile(ctx, filepath.Join(dir, filepath.Base(f.name)), func(ctx context.Context, r io.Reader) ([]sentiment.Example, int, error) {
			return sentiment.ReadXED(ctx, r, f.lang, f.neutral)
		})
		if err != nil {
			return nil, err
		}
		all = append(all, ex...)
	}
	return all, nil
}

func readVADER(ctx context.Context, dir string) ([]sentiment.Example, error) {
	var all []sentiment.Example
	for _, name := range []string{"tweets", "amazonReviewSnippets", "movieReviewSnippets", "nytEditorialSnippets"} {
		ex, err := readFile(ctx, filepath.Join(dir, name+"_GroundTruth.txt"), sentiment.ReadVADERGroundTruth)
		if err != nil {
			return nil, err
		}
		all = append(all, ex...)
	}
	return all, nil
}

func readFile(ctx context.Context, path string, read func(context.Context, io.Reader) ([]sentiment.Example, int, error)) ([]sentiment.Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	ex, skipped, err := read(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	slog.Info("read", "file", filepath.Base(path), "examples", len(ex), "dropped", skipped)
	return ex, nil
}

func readModel(path string) (*sentiment.Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	return sentiment.Load(f)
}

func writeModel(path string, m *sentiment.Model) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("create %s: %w", tmp, err)
	}
	if err := m.Save(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("close %s: %w", tmp, err)
	}
	return os.Rename(tmp, path)
}

func concat(parts ...[]sentiment.Example) []sentiment.Example {
	var out []sentiment.Example
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
