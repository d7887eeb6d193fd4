// Command train builds the sentiment model shipped in backend/sentiment.
//
//	go run ./backend/sentiment/cmd/train --airline DIR/airline_tweets_dev.csv \
//	    --rusenti DIR/rusentitweet_train.csv --eval --out backend/sentiment/model/sentiment.bin.gz
//
// With --eval it first trains on the train splits only (airline: earliest 80 %
// by tweet time; RuSentiTweet: earliest 80 % by tweet id) and prints held-out
// figures; --out then writes a model trained on all the data.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/stormdesk/stormdesk/backend/sentiment"
)

func main() {
	if err := run(context.Background()); err != nil {
		slog.Error("train", "err", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	airline := flag.String("airline", "", "airline tweets CSV (tweet_id,airline_sentiment,...,text,...)")
	rusenti := flag.String("rusenti", "", "RuSentiTweet CSV (text,label,id)")
	out := flag.String("out", "", "write the model trained on all data here")
	eval := flag.Bool("eval", false, "train on the train splits and print held-out figures")
	var opts sentiment.TrainOptions
	flag.Uint64Var(&opts.Seed, "seed", 1, "shuffle seed")
	flag.IntVar(&opts.Bits, "bits", sentiment.DefaultOptions.Bits, "hash buckets = 2^bits")
	flag.IntVar(&opts.Epochs, "epochs", sentiment.DefaultOptions.Epochs, "SGD passes")
	flag.Float64Var(&opts.LearnRate, "lr", sentiment.DefaultOptions.LearnRate, "initial learning rate")
	flag.Float64Var(&opts.L2, "l2", sentiment.DefaultOptions.L2, "L2 weight decay")
	flag.BoolVar(&opts.Unbalanced, "unbalanced", false, "do not weight classes by inverse sqrt frequency")
	seedWeight := flag.Float64("seed-weight", sentiment.SeedWeight, "weight of the self-made customer-service seed examples")
	germanOnly := flag.Bool("german-seed-only", false, "train with the German seed alone, as models before the RU/EN customer-service seeds did")
	showMisses := flag.Bool("show-misses", false, "with --eval, list the customer-service test sentences the model gets wrong")
	flag.Parse()
	if *airline == "" || *rusenti == "" {
		return fmt.Errorf("--airline and --rusenti are required")
	}
	air, err := readTweets(ctx, *airline, "tweet_id", "airline_sentiment", "text", sentiment.LangEnglish)
	if err != nil {
		return err
	}
	ru, err := readTweets(ctx, *rusenti, "id", "label", "text", sentiment.LangRussian)
	if err != nil {
		return err
	}
	seed := sentiment.ServiceSeed(*seedWeight)
	if *germanOnly {
		seed = sentiment.GermanSeed()
		for i := range seed {
			seed[i].Weight = *seedWeight
		}
	}
	if *eval {
		airTrain, airTest := sentiment.TimeSplit(air, 0.8)
		ruTrain, ruTest := sentiment.TimeSplit(ru, 0.8)
		train := concat(airTrain, ruTrain, seed)
		m, err := sentiment.Train(train, opts)
		if err != nil {
			return err
		}
		test := concat(airTest, ruTest, sentiment.GermanTest())
		fmt.Printf("held-out evaluation (train: %d examples; test: airline %d, rusenti %d, german %d)\n",
			len(train), len(airTest), len(ruTest), len(sentiment.GermanTest()))
		fmt.Print(sentiment.Evaluate(m, test).String())
		fmt.Printf("\nself-made customer-service test (never trained on): %d sentences\n", len(sentiment.ServiceTest()))
		fmt.Print(sentiment.Evaluate(m, sentiment.ServiceTest()).String())
		if *showMisses {
			for _, e := range sentiment.ServiceTest() {
				if r := m.Score(e.Text); r.Label != e.Label {
					fmt.Printf("miss %s: want %s, got %s (score %+.2f): %s\n", e.Lang, e.Label, r.Label, r.Score, e.Text)
				}
			}
		}
	}
	if *out != "" {
		m, err := sentiment.Train(concat(sentiment.Examples(air), sentiment.Examples(ru), seed), opts)
		if err != nil {
			return err
		}
		if err := writeModel(*out, m); err != nil {
			return err
		}
		st, err := os.Stat(*out)
		if err != nil {
			return err
		}
		slog.Info("model written", "path", *out, "bytes", st.Size())
	}
	return nil
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
