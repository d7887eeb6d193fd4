package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/stormdesk/stormdesk/backend/sentiment"
)

func runEval(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet(env, "eval", "sentiment FILE")
	var m sentiment.CSVMapping
	fs.StringVar(&m.TextColumn, "text-column", "text", "CSV column with the text")
	fs.StringVar(&m.LabelColumn, "label-column", "label", "CSV column with the negative/neutral/positive label")
	fs.StringVar(&m.Lang, "lang", "", "report every row as this language (en, ru, de) instead of detecting it")
	modelPath := fs.String("model", "", "model file to evaluate (default: the shipped model)")
	pos, err := parseInterspersed(fs, args)
	if err == nil && (len(pos) != 2 || pos[0] != "sentiment") {
		err = fmt.Errorf("want: eval sentiment FILE")
	}
	if err != nil {
		return usageError(env, fs, err)
	}
	model, err := loadModel(*modelPath)
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk eval: %v\n", err)
		return ExitFailure
	}
	f, err := os.Open(pos[1])
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk eval: %v\n", err)
		return ExitFailure
	}
	defer f.Close()
	rep, skipped, err := sentiment.EvalCSV(ctx, f, model, m)
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk eval: %s: %v\n", pos[1], err)
		return ExitFailure
	}
	fmt.Fprint(env.Stdout, rep.String())
	if skipped > 0 {
		fmt.Fprintf(env.Stdout, "%d rows skipped (no usable label or text)\n", skipped)
	}
	return ExitOK
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
