package cli

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels/fileimport"
	"github.com/stormdesk/stormdesk/backend/crisis"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/sentiment"
)

func runDetect(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet(env, "detect", "FILE")
	mapping := addMappingFlags(fs)
	pos, err := parseInterspersed(fs, args)
	if err == nil && len(pos) != 1 {
		err = fmt.Errorf("want exactly one FILE, got %d arguments", len(pos))
	}
	if err != nil {
		return usageError(env, fs, err)
	}
	ch, m, err := mapping(pos[0])
	if err != nil {
		return usageError(env, fs, err)
	}
	events, undated, rep, err := readDetectEvents(ctx, pos[0], ch, m)
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk detect: %v\n", err)
		return ExitFailure
	}
	det := crisis.NewDetector(crisis.DefaultConfig())
	seen := map[string]bool{}
	for _, e := range events {
		if !seen[e.Account] {
			seen[e.Account] = true
			// Every message to a brand names it: its own name explains nothing.
			det.Exclude(e.Account, []string{e.Account})
		}
	}
	alerts := crisis.ReplayOn(det, events)
	for _, a := range alerts {
		fmt.Fprintln(env.Stdout, a.String())
		if a.Kind != crisis.KindVolume {
			fmt.Fprintf(env.Stdout, "  kind: %s\n", a.Kind)
		}
		if a.Kind == crisis.KindTopic {
			fmt.Fprintf(env.Stdout, "  topic: %s\n", oneLine(a.Topic.Text, 140))
		}
		for i, w := range a.Influencers {
			if i == 3 {
				break
			}
			fmt.Fprintf(env.Stdout, "  weighs more: %s (reach %d, replies %d, weight %.1f)\n", w.Author, w.Reach, w.Replies, w.Weight)
		}
		if len(a.TopTerms) > 0 {
			terms := make([]string, 0, 8)
			for i, t := range a.TopTerms {
				if i == 8 {
					break
				}
				terms = append(terms, t.Term)
			}
			fmt.Fprintf(env.Stdout, "  top terms: %s\n", strings.Join(terms, ", "))
		}
		for i, s := range a.Samples {
			if i == 2 {
				break
			}
			fmt.Fprintf(env.Stdout, "  sample: %s\n", oneLine(s.Text, 140))
		}
	}
	fmt.Fprintf(env.Stdout, "%d alerts in %d messages (%s)\n", len(alerts), len(events), timeSpan(events))
	if undated > 0 {
		fmt.Fprintf(env.Stderr, "%d rows without a usable time (none, unreadable, before 1900 or from 2200 on) were left out\n", undated)
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(env.Stderr, "  %s\n", e)
	}
	if rep.Rejected > len(rep.Errors) {
		fmt.Fprintf(env.Stderr, "  … and %d more\n", rep.Rejected-len(rep.Errors))
	}
	if rep.Rejected > 0 {
		return ExitPartial
	}
	return ExitOK
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}

func timeSpan(events []crisis.Event) string {
	if len(events) == 0 {
		return "no messages"
	}
	lo, hi := events[0].At, events[0].At
	for _, e := range events {
		if e.At.Before(lo) {
			lo = e.At
		}
		if e.At.After(hi) {
			hi = e.At
		}
	}
	return lo.UTC().Format(time.RFC3339) + " to " + hi.UTC().Format(time.RFC3339)
}

// readDetectEvents reads a CSV as the detector's events: inbound rows with a
// time, each labelled by its sentiment column or else by the shipped model.
// Rows without a readable time, or with an absurd one, are left out and counted.
func readDetectEvents(ctx context.Context, path string, ch inbox.ChannelKind, m fileimport.Mapping) (events []crisis.Event, undated int, rep fileimport.Report, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, rep, err
	}
	defer f.Close()
	var model *sentiment.Model // loaded only if some row comes without a label
	rep, err = fileimport.ReadCSV(ctx, f, m, func(r fileimport.Row) error {
		if r.Item.Direction == inbox.DirectionOut {
			return nil
		}
		if !crisis.Plausible(r.Item.SentAt) { // a zero time is not plausible either
			// Import stores such a row at the import time; on a replayed timeline that
			// would be a burst out of nowhere, so the detector leaves it out. An absurd
			// date (a broken clock) the detector would drop anyway.
			undated++
			return nil
		}
		if r.Item.Sentiment == inbox.SentimentUnknown {
			if model == nil {
				var err error
				if model, err = sentiment.Default(); err != nil {
					return err
				}
			}
			r.Item.Sentiment = model.Score(r.Item.Text).Label
		}
		events = append(events, crisis.EventFromItem(r.Account, ch, r.Item))
		return nil
	})
	if err != nil {
		return nil, undated, rep, fmt.Errorf("%s: %w", path, err)
	}
	return events, undated, rep, nil
}
