package cli

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/stormdesk/stormdesk/backend/crisis"
	"github.com/stormdesk/stormdesk/backend/sentiment"
)

func runEval(ctx context.Context, env Env, args []string) int {
	if len(args) > 0 && args[0] == "detect" {
		return runEvalDetect(ctx, env, args[1:])
	}
	fs := newFlagSet(env, "eval", "sentiment [FILE]")
	var m sentiment.CSVMapping
	fs.StringVar(&m.TextColumn, "text-column", "text", "CSV column with the text")
	fs.StringVar(&m.LabelColumn, "label-column", "label", "CSV column with the negative/neutral/positive label")
	fs.StringVar(&m.Lang, "lang", "", "report every row as this language (en, ru, de) instead of detecting it")
	modelPath := fs.String("model", "", "model file to evaluate (default: the shipped model)")
	comparePath := fs.String("compare", "", "another model file (e.g. the research model) to evaluate on the same FILE")
	pos, err := parseInterspersed(fs, args)
	if err == nil && (len(pos) < 1 || len(pos) > 2 || pos[0] != "sentiment") {
		err = fmt.Errorf("want: eval sentiment [FILE] or eval detect FILE")
	}
	if err == nil && *comparePath != "" && len(pos) != 2 {
		err = fmt.Errorf("--compare needs a FILE to evaluate both models on")
	}
	if err != nil {
		return usageError(env, fs, err)
	}
	models := []string{*modelPath}
	if *comparePath != "" {
		models = append(models, *comparePath)
	}
	for i, path := range models {
		model, err := loadModel(path)
		if err != nil {
			fmt.Fprintf(env.Stderr, "stormdesk eval: %v\n", err)
			return ExitFailure
		}
		if i > 0 {
			fmt.Fprintln(env.Stdout)
		}
		writeProvenance(env.Stdout, model.Provenance())
		if len(pos) < 2 {
			continue
		}
		rep, skipped, err := evalFile(ctx, pos[1], model, m)
		if err != nil {
			fmt.Fprintf(env.Stderr, "stormdesk eval: %v\n", err)
			return ExitFailure
		}
		fmt.Fprintf(env.Stdout, "on %s:\n", pos[1])
		fmt.Fprint(env.Stdout, rep.String())
		if skipped > 0 {
			fmt.Fprintf(env.Stdout, "%d rows skipped (no usable label or text)\n", skipped)
		}
	}
	return ExitOK
}

func evalFile(ctx context.Context, path string, model *sentiment.Model, m sentiment.CSVMapping) (sentiment.Report, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return sentiment.Report{}, 0, err
	}
	defer f.Close()
	rep, skipped, err := sentiment.EvalCSV(ctx, f, model, m)
	if err != nil {
		return sentiment.Report{}, 0, fmt.Errorf("%s: %w", path, err)
	}
	return rep, skipped, nil
}

func loadModel(path string) (*sentiment.Model, error) {
	if path == "" {
		return sentiment.Default()
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := sentiment.Load(f)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", path, err)
	}
	return m, nil
}

// runEvalDetect runs the injection benchmark (docs/crisis.md) on a CSV: the
// detector and the oracle on the file's own traffic with synthetic bursts.
func runEvalDetect(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet(env, "eval detect", "FILE")
	mapping := addMappingFlags(fs)
	bc := crisis.DefaultBenchConfig()
	factors := fs.String("factors", "2,3,5", "burst sizes: multiples of each brand's negative rate, comma-separated")
	fs.IntVar(&bc.Trials, "trials", bc.Trials, "bursts per factor")
	fs.Uint64Var(&bc.Seed, "seed", bc.Seed, "random seed for brands, onsets and texts")
	pos, err := parseInterspersed(fs, args)
	if err == nil && len(pos) != 1 {
		err = fmt.Errorf("want exactly one FILE, got %d arguments", len(pos))
	}
	if err == nil {
		bc.Factors, err = parseFactors(*factors)
	}
	if err == nil && bc.Trials <= 0 {
		err = fmt.Errorf("--trials must be positive")
	}
	if err != nil {
		return usageError(env, fs, err)
	}
	ch, m, err := mapping(pos[0])
	if err != nil {
		return usageError(env, fs, err)
	}
	events, _, _, err := readDetectEvents(ctx, pos[0], ch, m)
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk eval: %v\n", err)
		return ExitFailure
	}
	if len(events) == 0 {
		fmt.Fprintf(env.Stderr, "stormdesk eval: %s: no dated inbound messages\n", pos[0])
		return ExitFailure
	}
	notes, err := crisis.CheckBench(events, crisis.DefaultConfig())
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk eval: %s: %v\n", pos[0], err)
		return ExitFailure
	}
	for _, n := range notes {
		fmt.Fprintf(env.Stderr, "note: %s\n", n)
	}
	res := crisis.RunBench(events, crisis.DefaultConfig(), bc)
	fmt.Fprintf(env.Stdout, "%d messages (%s), %d bursts per factor, seed %d\n\n", len(events), timeSpan(events), bc.Trials, bc.Seed)
	fmt.Fprint(env.Stdout, res.Table())
	return ExitOK
}

func parseFactors(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || v <= 1 {
			return nil, fmt.Errorf("--factors: %q is not a number above 1", f)
		}
		out = append(out, v)
	}
	return out, nil
}
