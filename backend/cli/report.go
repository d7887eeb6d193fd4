package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/sla"
	"github.com/stormdesk/stormdesk/backend/store"
)

// runReport runs `stormdesk report sla --from DATE --to DATE [--tz ZONE] [--account NAME] [--breaches]`:
// the SLA report of the conversations opened in the period, as CSV on stdout. The
// summary counts breached conversations and warnings (targets met only after their
// warning share).
func runReport(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet(env, "report", "sla")
	db := dbFlag(fs)
	fromS := fs.String("from", "", "first day of the period, YYYY-MM-DD (or an RFC 3339 time)")
	toS := fs.String("to", "", "last day of the period, included, YYYY-MM-DD (or an exclusive RFC 3339 time)")
	tz := fs.String("tz", "Local", "IANA time zone of the dates and of the weekly groups, e.g. Europe/Berlin")
	breaches := fs.Bool("breaches", false, "list the breaches instead of the summary")
	account := fs.String("account", "", "only the conversations of this account (its name)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usageError(env, fs, err)
	}
	switch {
	case len(pos) == 0:
		return usageError(env, fs, errors.New("name the report: sla"))
	case pos[0] != "sla":
		return usageError(env, fs, fmt.Errorf("unknown report %q (want sla)", pos[0]))
	case len(pos) > 1:
		return usageError(env, fs, fmt.Errorf("unexpected argument %q", pos[1]))
	}
	loc, err := loadZone(*tz)
	if err != nil {
		return usageError(env, fs, err)
	}
	from, err := parseDay(*fromS, "--from", loc, false)
	if err != nil {
		return usageError(env, fs, err)
	}
	to, err := parseDay(*toS, "--to", loc, true)
	if err != nil {
		return usageError(env, fs, err)
	}
	if !from.Before(to) {
		return usageError(env, fs, fmt.Errorf("--to %s is not after --from %s", *toS, *fromS))
	}

	ws, code := openExistingWorkspace(ctx, env, *db)
	if ws == nil {
		return code
	}
	defer ws.Close()
	ws.Store.SetClock(env.Now)
	filter := store.AnalyticsFilter{From: from, To: to, Loc: loc}
	if name := strings.TrimSpace(*account); name != "" {
		a, err := ws.Store.AccountByName(ctx, name)
		if err != nil {
			fmt.Fprintf(env.Stderr, "stormdesk report: --account %q: %v\n", name, err)
			return ExitFailure
		}
		filter.AccountID = a.ID
	}
	rep, err := ws.Store.SLAReportFor(ctx, filter)
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk report: %v\n", err)
		return ExitFailure
	}
	write := sla.WriteCSV
	if *breaches {
		write = sla.WriteBreachesCSV
	}
	if err := write(env.Stdout, rep); err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk report: %v\n", err)
		return ExitFailure
	}
	return ExitOK
}

// loadZone resolves an IANA zone name ("Local" is the system's zone).
func loadZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, errors.New("--tz is empty (want an IANA zone such as Europe/Berlin, or UTC)")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("--tz %q is not a known time zone (want an IANA name such as Europe/Berlin, or UTC)", name)
	}
	return loc, nil
}

// parseDay reads a date (midnight in loc; with endOfDay the next midnight, so the
// day is included) or an RFC 3339 time.
func parseDay(s, flagName string, loc *time.Location, endOfDay bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("%s is required (YYYY-MM-DD)", flagName)
	}
	if d, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		if endOfDay {
			d = d.AddDate(0, 0, 1)
		}
		return d, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.In(loc), nil
	}
	return time.Time{}, fmt.Errorf("%s %q is not a date (want YYYY-MM-DD, e.g. 2026-03-01, or an RFC 3339 time)", flagName, s)
}
