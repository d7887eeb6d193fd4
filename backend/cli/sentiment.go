package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/stormdesk/stormdesk/backend/sentiment"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

func runSentiment(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet(env, "sentiment", "retrain | info | import FILE | reset")
	db := dbFlag(fs)
	pos, err := parseInterspersed(fs, args)
	if err == nil {
		switch {
		case len(pos) == 1 && (pos[0] == "retrain" || pos[0] == "info" || pos[0] == "reset"):
		case len(pos) == 2 && pos[0] == "import":
		default:
			err = fmt.Errorf("want: sentiment retrain, sentiment info, sentiment import FILE or sentiment reset")
		}
	}
	if err != nil {
		return usageError(env, fs, err)
	}
	ws, code := openWorkspace(ctx, env, *db)
	if ws == nil {
		return code
	}
	defer ws.Close()
	fail := func(err error) int {
		fmt.Fprintf(env.Stderr, "stormdesk sentiment %s: %v\n", pos[0], err)
		return ExitFailure
	}
	var info workspace.SentimentModelInfo
	switch pos[0] {
	case "retrain":
		n, err := ws.RetrainSentiment(ctx)
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(env.Stdout, "learnt %d corrected labels on top of the base model; new messages are scored with it\n", n)
		info, err = ws.SentimentModel(ctx)
		if err != nil {
			return fail(err)
		}
	case "info":
		if info, err = ws.SentimentModel(ctx); err != nil {
			return fail(err)
		}
	case "import":
		f, err := os.Open(pos[1])
		if err != nil {
			return fail(err)
		}
		defer f.Close()
		if info, err = ws.ImportSentimentModel(ctx, f); err != nil {
			return fail(fmt.Errorf("%s: %w", pos[1], err))
		}
		fmt.Fprintf(env.Stdout, "imported %s; new messages are scored with it\n", pos[1])
	case "reset":
		if info, err = ws.ResetSentimentModel(ctx); err != nil {
			return fail(err)
		}
		fmt.Fprintln(env.Stdout, "back to the model shipped with Stormdesk")
	}
	fmt.Fprintf(env.Stdout, "in use: %s model\n", info.Origin)
	writeProvenance(env.Stdout, info.Provenance)
	return ExitOK
}

// writeProvenance prints a model's name, licence, sources and recorded
// held-out figures: what a user must know before relying on a model.
func writeProvenance(w io.Writer, p sentiment.Provenance) {
	fmt.Fprintf(w, "model:   %s\n", p.Name)
	fmt.Fprintf(w, "licence: %s\n", p.Licence)
	if p.Features > 0 {
		// A model trained with other features scores differently: worth knowing before comparing figures.
		fmt.Fprintf(w, "features: version %d\n", p.Features)
	}
	if p.Base != "" {
		fmt.Fprintf(w, "base:    %s", p.Base)
		if !p.RetrainedAt.IsZero() {
			fmt.Fprintf(w, " (retrained %s)", p.RetrainedAt.Format("2006-01-02 15:04 MST"))
		}
		fmt.Fprintln(w)
	}
	for _, s := range p.Sources {
		use := "commercial use allowed"
		if !s.Commercial {
			use = "NON-COMMERCIAL"
		}
		fmt.Fprintf(w, "source:  %s — %s (%s)", s.Name, s.Licence, use)
		if s.Examples > 0 {
			fmt.Fprintf(w, ", %d examples", s.Examples)
		}
		fmt.Fprintln(w)
		if s.URL != "" {
			fmt.Fprintf(w, "         %s\n", s.URL)
		}
	}
	if len(p.Evaluation) > 0 {
		fmt.Fprintln(w, "held-out figures recorded when it was built:")
		for _, f := range p.Evaluation {
			fmt.Fprintf(w, "  %-42s n=%-5d macroF1(neg-vs-not)=%.3f accuracy=%.3f\n", f.Set, f.N, f.MacroF1NegVsNot, f.Accuracy)
		}
	}
	if p.Licence != "" && !strings.HasPrefix(p.Licence, "commercial") {
		fmt.Fprintln(w, "WARNING: this model may not be used commercially.")
	}
}
