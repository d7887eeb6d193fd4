package forward

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
)

// DigestSource builds a topic's digest for one local day.
type DigestSource interface {
	Digest(ctx context.Context, r Rule, day string) (Digest, error)
}

// Scheduler sends alerts as they come (holding them in quiet hours) and the
// daily digests when due. Tick is called by the caller's loop (e.g. every
// minute, and once at start); it decides with the injected clock. Two
// schedulers sharing a Ledger send each digest and alert once per target.
//
// Held alerts are kept in Holds (e.g. SettingsHolds), read again at every
// Tick, so a restart in quiet hours, or another instance, releases them when
// the quiet hours end; without Holds they live in memory only and the
// caller has to pass them to Alert again after a restart (the ledger keeps
// those already sent from going out twice).
type Scheduler struct {
	Now      func() time.Time // time.Now when nil
	Ledger   Ledger
	Holds    Holds    // nil: held alerts live in memory only
	Telegram Telegram // nil: Telegram targets fail with not-configured
	Mail     *Mailer  // nil: e-mail targets fail with not-configured
	Digests  DigestSource
	Log      *slog.Logger

	mu        sync.Mutex
	held      map[string][]Alert // rule id -> alerts held in quiet hours
	lastErr   map[string]*apperr.Error
	lastPrune time.Time
}

// pruneEvery is how often Tick asks a Pruner ledger to forget sends older
// than DedupeHorizon: rows only age out by the day, so hourly is plenty.
const pruneEvery = time.Hour

// prune forgets the ledger's sends older than DedupeHorizon, at most once
// per pruneEvery. A failure is logged, not returned: the sends go on, and
// the next hour tries again.
func (s *Scheduler) prune(ctx context.Context, now time.Time) {
	p, ok := s.Ledger.(Pruner)
	if !ok {
		return
	}
	s.mu.Lock()
	due := s.lastPrune.IsZero() || now.Sub(s.lastPrune) >= pruneEvery || now.Before(s.lastPrune)
	if due {
		s.lastPrune = now
	}
	s.mu.Unlock()
	if !due {
		return
	}
	n, err := p.Prune(ctx, now.Add(-DedupeHorizon))
	if err != nil {
		s.log().Warn("forwarding ledger not pruned", "err", err)
		return
	}
	if n > 0 {
		s.log().Info("forwarding ledger pruned", "attempts", n, "horizon", DedupeHorizon)
	}
}

func (s *Scheduler) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Scheduler) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// LastError returns the last forwarding error of a rule, coded for the UI;
// nil after a send that worked.
func (s *Scheduler) LastError(ruleID string) *apperr.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastErr[ruleID]
}

func (s *Scheduler) setErr(ruleID string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lastErr == nil {
		s.lastErr = map[string]*apperr.Error{}
	}
	if err == nil {
		delete(s.lastErr, ruleID)
		return
	}
	s.lastErr[ruleID] = apperr.Classify(err)
}

// InQuiet reports whether t falls in the rule's quiet hours, and when they
// end. The end is computed on the local wall clock, so it is right on the
// days the clocks change.
func InQuiet(r Rule, t time.Time) (bool, time.Time, error) {
	if r.QuietFrom == "" {
		return false, time.Time{}, nil
	}
	loc, err := r.Location()
	if err != nil {
		return false, time.Time{}, err
	}
	from, err := clock(r.QuietFrom)
	if err != nil {
		return false, time.Time{}, err
	}
	to, err := clock(r.QuietTo)
	if err != nil {
		return false, time.Time{}, err
	}
	lt := t.In(loc)
	m := lt.Hour()*60 + lt.Minute()
	var quiet bool
	switch {
	case from == to:
		quiet = false
	case from < to:
		quiet = m >= from && m < to
	default:
		quiet = m >= from || m < to
	}
	if !quiet {
		return false, time.Time{}, nil
	}
	end := time.Date(lt.Year(), lt.Month(), lt.Day(), to/60, to%60, 0, 0, loc)
	if !end.After(t) {
		end = time.Date(lt.Year(), lt.Month(), lt.Day()+1, to/60, to%60, 0, 0, loc)
	}
	return true, end, nil
}

// Alert forwards a to the rule's targets now, or holds it until the quiet
// hours end unless it is urgent.
func (s *Scheduler) Alert(ctx context.Context, r Rule, a Alert) error {
	if !r.wantsAlerts() {
		return nil
	}
	if err := r.Validate(); err != nil {
		return err
	}
	quiet, _, err := InQuiet(r, s.now())
	if err != nil {
		return err
	}
	if quiet && !a.Urgent {
		return s.hold(ctx, r.ID, a)
	}
	err = s.sendAlerts(ctx, r, []Alert{a}, quiet)
	s.setErr(r.ID, err)
	if err != nil {
		// Held, the next Tick tries again; the ledger skips the targets
		// that did get it and gives up after maxAttempts.
		return errors.Join(err, s.hold(ctx, r.ID, a))
	}
	return nil
}

// hold keeps a for the next release, once, in memory and in Holds.
func (s *Scheduler) hold(ctx context.Context, ruleID string, a Alert) error {
	s.remember(ruleID, a)
	if s.Holds == nil {
		return nil
	}
	// Kept in memory even when this fails: this instance still releases it.
	return s.Holds.Hold(ctx, ruleID, a)
}

// remember keeps a in memory, once.
func (s *Scheduler) remember(ruleID string, a Alert) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held == nil {
		s.held = map[string][]Alert{}
	}
	for _, h := range s.held[ruleID] {
		if h.ID == a.ID {
			return
		}
	}
	s.held[ruleID] = append(s.held[ruleID], a)
}

// loadHolds adds the alerts held in Holds (by an earlier run, or another
// instance) to those in memory.
func (s *Scheduler) loadHolds(ctx context.Context) error {
	if s.Holds == nil {
		return nil
	}
	held, err := s.Holds.Load(ctx)
	if err != nil {
		return err
	}
	for ruleID, as := range held {
		for _, a := range as {
			s.remember(ruleID, a)
		}
	}
	return nil
}

// Held returns the alerts held for a rule.
func (s *Scheduler) Held(ruleID string) []Alert {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Alert(nil), s.held[ruleID]...)
}

// sendAlerts sends alerts to every target, claiming each (alert, target)
// in the ledger: one alert alone as itself, several (released from quiet
// hours) as one message. An alert another instance sent is left out.
func (s *Scheduler) sendAlerts(ctx context.Context, r Rule, alerts []Alert, silent bool) error {
	loc, err := r.Location()
	if err != nil {
		return err
	}
	var errs []error
	for _, t := range r.Targets {
		var claims []Claim
		var mine []Alert
		for _, a := range alerts {
			c, ok, err := s.Ledger.Claim(ctx, "alert/"+r.ID+"/"+a.ID+"/"+t.Key(), s.now())
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if ok {
				claims, mine = append(claims, c), append(mine, a)
			}
		}
		if len(mine) == 0 {
			continue
		}
		var m message
		period := mine[0].ID
		if len(mine) == 1 {
			m = alertMessage(r, mine[0], loc)
		} else {
			m = heldMessage(r, mine, loc)
			period = "held/" + mine[0].ID + "/" + mine[len(mine)-1].ID
		}
		sendErr := s.deliver(ctx, r, t, m, "alert", period, silent)
		for _, c := range claims {
			if err := s.Ledger.Finish(ctx, c, sendErr == nil); err != nil {
				errs = append(errs, err)
			}
		}
		if sendErr != nil {
			errs = append(errs, sendErr)
		}
	}
	return errors.Join(errs...)
}

func (s *Scheduler) deliver(ctx context.Context, r Rule, t Target, m message, kind, period string, silent bool) error {
	var err error
	switch t.Kind {
	case TargetTelegram:
		err = sendTelegram(ctx, s.Telegram, t.ChatID, m, silent)
	case TargetEmail:
		from := ""
		if s.Mail != nil {
			from = s.Mail.From
		}
		err = s.Mail.send(ctx, t.Address, outMail{
			messageID: messageID(kind, r.ID, period, from),
			subject:   m.subject, plain: m.plainText(), html: m.htmlText(r.Lang), lang: r.Lang, date: s.now(),
		})
	default:
		err = fmt.Errorf("forward rule %s: unknown target kind %q", r.ID, t.Kind)
	}
	if err != nil {
		s.log().Warn("forward: send failed", "rule", r.ID, "kind", kind, "target", t.Kind, "err", err)
	}
	return err
}

// DueDigest returns the local day whose digest is due at now: the day
// before the latest digest hour that has passed. A digest hour missed while
// the app was closed is therefore caught up at the next Tick, once, and only
// for the latest day.
func DueDigest(r Rule, now time.Time) (string, error) {
	loc, err := r.Location()
	if err != nil {
		return "", err
	}
	lt := now.In(loc)
	// The wall clock decides, not time.Date's instant of the hour: an hour
	// the clocks skip (spring) is due from the next one, and an hour that
	// comes twice (autumn) is due from its first time; the ledger's key is
	// the day, so it is sent once either way.
	day := time.Date(lt.Year(), lt.Month(), lt.Day()-1, 12, 0, 0, 0, loc)
	if lt.Hour() < r.DigestHour {
		day = day.AddDate(0, 0, -1)
	}
	return day.Format("2006-01-02"), nil
}

// Tick releases alerts held in quiet hours that have ended and sends every
// due digest not sent yet. Errors of one rule do not stop the others.
func (s *Scheduler) Tick(ctx context.Context, rules []Rule) error {
	var errs []error
	now := s.now()
	s.prune(ctx, now)
	if err := s.loadHolds(ctx); err != nil {
		errs = append(errs, err) // what memory holds is still released
	}
	for _, r := range rules {
		if err := r.Validate(); err != nil {
			errs = append(errs, err)
			continue
		}
		var ruleErrs []error
		if quiet, _, err := InQuiet(r, now); err != nil {
			ruleErrs = append(ruleErrs, err)
		} else if !quiet {
			s.mu.Lock()
			held := s.held[r.ID]
			delete(s.held, r.ID)
			s.mu.Unlock()
			if len(held) > 0 {
				sort.SliceStable(held, func(i, j int) bool { return held[i].At.Before(held[j].At) })
				if err := s.sendAlerts(ctx, r, held, false); err != nil {
					ruleErrs = append(ruleErrs, err)
					// Keep what failed for the next Tick; the ledger drops
					// what did go out.
					s.mu.Lock()
					s.held[r.ID] = append(held, s.held[r.ID]...)
					s.mu.Unlock()
				} else if s.Holds != nil {
					ids := make([]string, len(held))
					for i, a := range held {
						ids[i] = a.ID
					}
					if err := s.Holds.Release(ctx, r.ID, ids); err != nil {
						// Still there: the next Tick finds them sent in the ledger.
						ruleErrs = append(ruleErrs, err)
					}
				}
			}
		}
		if r.wantsDigest() {
			if err := s.digest(ctx, r, now); err != nil {
				ruleErrs = append(ruleErrs, err)
			}
		}
		err := errors.Join(ruleErrs...)
		s.setErr(r.ID, err)
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (s *Scheduler) digest(ctx context.Context, r Rule, now time.Time) error {
	day, err := DueDigest(r, now)
	if err != nil {
		return err
	}
	// A digest hour inside quiet hours is the person's choice; the message
	// then arrives without a sound.
	quiet, _, err := InQuiet(r, now)
	if err != nil {
		return err
	}
	var d *Digest
	var errs []error
	for _, t := range r.Targets {
		c, ok, err := s.Ledger.Claim(ctx, "digest/"+r.ID+"/"+day+"/"+t.Key(), now)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !ok {
			continue
		}
		if d == nil {
			got, err := s.Digests.Digest(ctx, r, day)
			if err != nil {
				_ = s.Ledger.Finish(ctx, c, false)
				return errors.Join(append(errs, fmt.Errorf("forward rule %s: digest %s: %w", r.ID, day, err))...)
			}
			got.Day = day
			if got.Topic == "" {
				got.Topic = r.Topic
			}
			d = &got
		}
		sendErr := s.deliver(ctx, r, t, digestMessage(r, *d), "digest", day, quiet)
		if err := s.Ledger.Finish(ctx, c, sendErr == nil); err != nil {
			errs = append(errs, err)
		}
		if sendErr != nil {
			errs = append(errs, sendErr)
		}
	}
	return errors.Join(errs...)
}
