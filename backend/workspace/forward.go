package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels/imap"
	"github.com/stormdesk/stormdesk/backend/channels/telegram"
	"github.com/stormdesk/stormdesk/backend/crisis"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening/forward"
	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/store"
)

// Forwarding of listening alerts and digests (docs/listening.md,
// "Forwarding in the app"): rules per topic in the settings table, the bot
// token and SMTP password in the keyring, and the forward.Scheduler driven by
// a loop on every instance (the ledger keeps sends once per team).

// Settings keys. They do not start with "listening.forward/", the
// ledger's prefix.
const (
	forwardRulesKey  = "listening.forward.rules"
	forwardConfigKey = "listening.forward.config"
)

// Secret names, under the keyring account "listening-forward".
const (
	forwardSecretAccount = "listening-forward"
	ForwardBotToken      = "bot-token"
	ForwardSMTPPassword  = "smtp-password"
)

func forwardSecretKey(what string) string { return secrets.Key(forwardSecretAccount, what) }

// ForwardRule is what one topic forwards, where and when.
type ForwardRule struct {
	TopicID    int64    `json:"topicId"`
	What       string   `json:"what"` // alerts, digest, both
	ChatIDs    []int64  `json:"chatIds"`
	Emails     []string `json:"emails"`
	DigestHour int      `json:"digestHour"`
	TimeZone   string   `json:"timeZone"`
	QuietFrom  string   `json:"quietFrom"`
	QuietTo    string   `json:"quietTo"`
	Lang       string   `json:"lang"`
	// The last forwarding error, coded for the user's language (output only).
	ErrorCode   string            `json:"errorCode"`
	ErrorParams map[string]string `json:"errorParams"`
	ErrorDetail string            `json:"errorDetail"`
}

// ForwardConfig is the SMTP account forwarding sends mail through (one for
// every rule). The password and the bot token are input only: they go to
// the keyring and are never answered back; Has* say whether they are set.
type ForwardConfig struct {
	SMTPHost     string `json:"smtpHost"`
	SMTPPort     int    `json:"smtpPort"`
	SMTPTLS      string `json:"smtpTls"` // starttls (default), tls, plain (loopback only)
	SMTPUser     string `json:"smtpUser"`
	From         string `json:"from"`
	BotToken     string `json:"botToken,omitempty"`
	SMTPPassword string `json:"smtpPassword,omitempty"`
	HasBotToken  bool   `json:"hasBotToken"`
	HasPassword  bool   `json:"hasPassword"`
}

func ruleID(topicID int64) string { return "topic-" + strconv.FormatInt(topicID, 10) }

func topicOfRule(id string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimPrefix(id, "topic-"), 10, 64)
	if err != nil || !strings.HasPrefix(id, "topic-") {
		return 0, fmt.Errorf("forward rule %q: not a topic rule", id)
	}
	return n, nil
}

func (r ForwardRule) plain(topic string) forward.Rule {
	fr := forward.Rule{ID: ruleID(r.TopicID), Topic: topic, Lang: r.Lang, What: r.What,
		DigestHour: r.DigestHour, TimeZone: r.TimeZone, QuietFrom: r.QuietFrom, QuietTo: r.QuietTo}
	if fr.Lang == "" {
		fr.Lang = "en"
	}
	for _, c := range r.ChatIDs {
		fr.Targets = append(fr.Targets, forward.Target{Kind: forward.TargetTelegram, ChatID: c})
	}
	for _, a := range r.Emails {
		fr.Targets = append(fr.Targets, forward.Target{Kind: forward.TargetEmail, Address: strings.TrimSpace(a)})
	}
	return fr
}

// ForwardRules returns the stored rules, by topic id.
func (w *Workspace) ForwardRules(ctx context.Context) ([]ForwardRule, error) {
	v, err := w.Store.Setting(ctx, forwardRulesKey)
	if errors.Is(err, store.ErrNotFound) {
		return []ForwardRule{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("forward rules: %w", err)
	}
	rules := []ForwardRule{}
	if err := json.Unmarshal([]byte(v), &rules); err != nil {
		return nil, fmt.Errorf("forward rules: %w", err)
	}
	sort.Slice(rules, func(i, j int) bool { return rules[i].TopicID < rules[j].TopicID })
	if f := w.forwarder(); f != nil {
		for i := range rules {
			if e := f.sched.LastError(ruleID(rules[i].TopicID)); e != nil {
				rules[i].ErrorCode, rules[i].ErrorParams, rules[i].ErrorDetail = e.Code, e.Params, e.Error()
			}
		}
	}
	return rules, nil
}

func (w *Workspace) putForwardRules(ctx context.Context, rules []ForwardRule) error {
	for i := range rules {
		rules[i].ErrorCode, rules[i].ErrorParams, rules[i].ErrorDetail = "", nil, ""
	}
	return w.putJSONSetting(ctx, forwardRulesKey, rules)
}

// putJSONSetting stores v as JSON under key.
func (w *Workspace) putJSONSetting(ctx context.Context, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("setting %s: %w", key, err)
	}
	if err := w.Store.PutSetting(ctx, key, string(b)); err != nil {
		return fmt.Errorf("setting %s: %w", key, err)
	}
	return nil
}

// SaveForwardRule validates and stores a topic's rule, replacing its old one.
func (w *Workspace) SaveForwardRule(ctx context.Context, r ForwardRule) error {
	topic, err := w.Store.ListeningTopic(ctx, r.TopicID)
	if err != nil {
		return fmt.Errorf("forward rule: topic %d: %w", r.TopicID, err)
	}
	if err := r.plain(topic.Name).Validate(); err != nil {
		return apperr.InvalidInput("rule", err)
	}
	switch r.Lang {
	case "", "en", "ru", "de":
	default:
		return apperr.InvalidInput("lang", fmt.Errorf("forward rule: language %q is not en, ru or de", r.Lang))
	}
	rules, err := w.ForwardRules(ctx)
	if err != nil {
		return err
	}
	rules = slices.DeleteFunc(rules, func(o ForwardRule) bool { return o.TopicID == r.TopicID })
	return w.putForwardRules(ctx, append(rules, r))
}

// DeleteForwardRule removes a topic's rule.
func (w *Workspace) DeleteForwardRule(ctx context.Context, topicID int64) error {
	rules, err := w.ForwardRules(ctx)
	if err != nil {
		return err
	}
	return w.putForwardRules(ctx, slices.DeleteFunc(rules, func(o ForwardRule) bool { return o.TopicID == topicID }))
}

// ForwardConfig returns the SMTP settings, without secrets.
func (w *Workspace) ForwardConfig(ctx context.Context, sec SecretStore) (ForwardConfig, error) {
	var c ForwardConfig
	v, err := w.Store.Setting(ctx, forwardConfigKey)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return c, fmt.Errorf("forward config: %w", err)
	default:
		if err := json.Unmarshal([]byte(v), &c); err != nil {
			return c, fmt.Errorf("forward config: %w", err)
		}
	}
	c.BotToken, c.SMTPPassword = "", ""
	for what, has := range map[string]*bool{ForwardBotToken: &c.HasBotToken, ForwardSMTPPassword: &c.HasPassword} {
		s, err := sec.Get(ctx, forwardSecretKey(what))
		if err != nil && !errors.Is(err, secrets.ErrNotFound) {
			// The settings are still worth showing without the keyring; a
			// send or a test then says what is wrong with it, coded.
			w.Log.Warn("forward config: cannot read a secret", "secret", what, "err", err)
		}
		*has = err == nil && s != ""
	}
	return c, nil
}

// SaveForwardConfig stores the SMTP settings, and the secrets given (an
// empty one keeps the stored secret) in the keyring, never in the database.
func (w *Workspace) SaveForwardConfig(ctx context.Context, sec SecretStore, c ForwardConfig) error {
	for what, v := range map[string]string{ForwardBotToken: c.BotToken, ForwardSMTPPassword: c.SMTPPassword} {
		if v == "" {
			continue
		}
		if err := sec.Set(ctx, forwardSecretKey(what), v); err != nil {
			return fmt.Errorf("forward config: store %s: %w", what, err)
		}
	}
	c.BotToken, c.SMTPPassword, c.HasBotToken, c.HasPassword = "", "", false, false
	return w.putJSONSetting(ctx, forwardConfigKey, c)
}

// Forwarder drives forward.Scheduler for the workspace: Run ticks it at
// start and every minute on every instance; the SettingsLedger sends each
// digest and alert once per target across the team.
type Forwarder struct {
	w   *Workspace
	sec SecretStore
	// TelegramURL is the Bot API server; "" is Telegram's (tests: the fake).
	TelegramURL string
	// Every is the pause between ticks; one minute when 0.
	Every time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time

	mu    sync.Mutex // one send at a time: senders are set per use
	sched *forward.Scheduler
}

// NewForwarder returns the workspace's forwarder; ForwardAlert uses the
// latest one made.
func (w *Workspace) NewForwarder(sec SecretStore) *Forwarder {
	f := &Forwarder{w: w, sec: sec}
	f.sched = &forward.Scheduler{Ledger: forward.SettingsLedger{Store: w.Store},
		Holds:   forward.SettingsHolds{Store: w.Store}, // a restart in quiet hours loses no alert
		Digests: mentionDigests{w: w}, Log: w.Log, Now: f.now}
	w.fwd.Store(f)
	return f
}

func (w *Workspace) forwarder() *Forwarder { return w.fwd.Load() }

func (f *Forwarder) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// senders builds the Telegram client and the mailer from the current
// settings and keyring, so a changed token takes effect at the next send.
func (f *Forwarder) senders(ctx context.Context) (forward.Telegram, *forward.Mailer, error) {
	var tg forward.Telegram
	tok, err := f.sec.Get(ctx, forwardSecretKey(ForwardBotToken))
	if err != nil && !errors.Is(err, secrets.ErrNotFound) {
		return nil, nil, fmt.Errorf("forward: read bot token: %w", err)
	}
	if tok != "" {
		tg = telegram.NewClient(telegram.ClientOptions{BaseURL: f.TelegramURL, Token: tok})
	}
	c, err := f.w.ForwardConfig(ctx, f.sec)
	if err != nil {
		return nil, nil, err
	}
	var m *forward.Mailer
	if c.SMTPHost != "" {
		pw, err := f.sec.Get(ctx, forwardSecretKey(ForwardSMTPPassword))
		if err != nil && !errors.Is(err, secrets.ErrNotFound) {
			return nil, nil, fmt.Errorf("forward: read SMTP password: %w", err)
		}
		m = &forward.Mailer{From: c.From, SMTP: imap.SMTPConfig{Host: c.SMTPHost, Port: c.SMTPPort, TLS: c.SMTPTLS,
			Username: c.SMTPUser, Password: pw}}
	}
	return tg, m, nil
}

// rules returns the stored rules as the scheduler takes them.
func (f *Forwarder) rules(ctx context.Context) (map[int64]forward.Rule, error) {
	rules, err := f.w.ForwardRules(ctx)
	if err != nil {
		return nil, err
	}
	topics, err := f.w.Store.ListeningTopics(ctx)
	if err != nil {
		return nil, fmt.Errorf("forward: topics: %w", err)
	}
	names := map[int64]string{}
	for _, t := range topics {
		names[t.ID] = t.Name
	}
	out := map[int64]forward.Rule{}
	for _, r := range rules {
		if name, ok := names[r.TopicID]; ok { // a deleted topic's rule rests
			out[r.TopicID] = r.plain(name)
		}
	}
	return out, nil
}

// Tick sends what is due: digests, and alerts held in quiet hours.
func (f *Forwarder) Tick(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	rules, err := f.rules(ctx)
	if err != nil {
		return err
	}
	if len(rules) == 0 {
		return nil
	}
	f.sched.Telegram, f.sched.Mail, err = f.senders(ctx)
	if err != nil {
		return err
	}
	list := make([]forward.Rule, 0, len(rules))
	for _, r := range rules {
		list = append(list, r)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	return f.sched.Tick(ctx, list)
}

// Run ticks at start and every Every until ctx ends.
func (f *Forwarder) Run(ctx context.Context) error {
	every := f.Every
	if every <= 0 {
		every = time.Minute
	}
	for {
		if err := f.Tick(ctx); err != nil && ctx.Err() == nil {
			f.w.Log.Warn("forward: tick", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(every):
		}
	}
}

// ruleOf returns a topic's rule (ok false: none) and the senders as now
// configured; f.mu is held.
func (f *Forwarder) ruleOf(ctx context.Context, topicID int64) (forward.Rule, bool, forward.Telegram, *forward.Mailer, error) {
	rules, err := f.rules(ctx)
	if err != nil {
		return forward.Rule{}, false, nil, nil, err
	}
	r, ok := rules[topicID]
	if !ok {
		return r, false, nil, nil, nil
	}
	tg, m, err := f.senders(ctx)
	return r, true, tg, m, err
}

// alert hands a to the scheduler under the topic's rule; no rule, nothing.
func (f *Forwarder) alert(ctx context.Context, topicID int64, a forward.Alert) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok, tg, m, err := f.ruleOf(ctx, topicID)
	if err != nil || !ok {
		return err
	}
	f.sched.Telegram, f.sched.Mail = tg, m
	a.Topic = r.Topic
	return f.sched.Alert(ctx, r, a)
}

// ForwardAlert forwards a crisis alert on a topic's stream to the topic's
// rule (now, or after its quiet hours). Without a rule or a forwarder it
// does nothing.
func (w *Workspace) ForwardAlert(ctx context.Context, topicID int64, a crisis.Alert) error {
	f := w.forwarder()
	if f == nil {
		return nil
	}
	fa := forward.Alert{
		ID:       fmt.Sprintf("%s@%d", strings.NewReplacer("/", "_", " ", "_", "<", "_", ">", "_", "@", "_").Replace(a.Key.String()), a.Start.UnixMilli()),
		Stream:   a.Key.String(),
		At:       a.DetectedAt,
		Since:    a.Start,
		Window:   time.Duration(a.WindowMs) * time.Millisecond,
		Observed: int(a.Observed),
		Expected: a.Baseline,
		Urgent:   a.Escalation,
	}
	for _, t := range a.TopTerms {
		fa.Terms = append(fa.Terms, t.Term)
	}
	for _, s := range a.Samples {
		fa.Samples = append(fa.Samples, forward.Mention{Source: string(a.Key.Channel), Author: s.Author, Reach: s.Reach, Text: s.Text, Link: s.URL, At: s.At})
	}
	return f.alert(ctx, topicID, fa)
}

// TestForwardRule sends a test message through the topic's rule to every
// target at once (quiet hours or not), outside the ledger, and answers the
// first error, coded.
func (w *Workspace) TestForwardRule(ctx context.Context, topicID int64) error {
	f := w.forwarder()
	if f == nil {
		return apperr.NotConfigured("forwarding", errors.New("forward: not running"))
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok, tg, m, err := f.ruleOf(ctx, topicID)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.InvalidInput("rule", fmt.Errorf("forward: topic %d has no rule", topicID))
	}
	now := f.now()
	r.What, r.QuietFrom, r.QuietTo = forward.WhatAlerts, "", ""
	// A scheduler of its own with a ledger in memory: a test is not a send
	// the real ledger should remember.
	s := &forward.Scheduler{Now: f.now, Ledger: &memLedger{}, Telegram: tg, Mail: m, Log: w.Log}
	err = s.Alert(ctx, r, forward.Alert{ID: fmt.Sprintf("test-%d", now.UnixNano()), Topic: r.Topic,
		Stream: "test", At: now, Since: now, Window: time.Minute, Terms: []string{"test"}, Urgent: true})
	if err != nil {
		return apperr.Classify(err)
	}
	return nil
}

// memLedger lets every claim through once (test messages).
type memLedger struct {
	mu   sync.Mutex
	sent map[string]bool
}

func (l *memLedger) Claim(_ context.Context, key string, _ time.Time) (forward.Claim, bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sent[key] {
		return forward.Claim{}, false, nil
	}
	return forward.Claim{Key: key, Attempt: 1}, true, nil
}

func (l *memLedger) Finish(_ context.Context, c forward.Claim, sent bool) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sent == nil {
		l.sent = map[string]bool{}
	}
	l.sent[c.Key] = sent
	return nil
}

// digestScan bounds the mentions a digest reads (newest first, from now
// back to the start of the day before the digest's day).
const digestScan = 50000

// digestTop is how many negative mentions a digest lists.
const digestTop = 5

// mentionDigests is the forward.DigestSource over the stored mentions.
type mentionDigests struct{ w *Workspace }

// Digest counts a topic's mentions of one local day by source and
// tonality, the day before's tonality for the change, and the day's
// negative mentions with the widest reach.
func (d mentionDigests) Digest(ctx context.Context, r forward.Rule, day string) (forward.Digest, error) {
	topicID, err := topicOfRule(r.ID)
	if err != nil {
		return forward.Digest{}, err
	}
	loc, err := r.Location()
	if err != nil {
		return forward.Digest{}, err
	}
	from, to, err := forward.DayRange(day, loc)
	if err != nil {
		return forward.Digest{}, err
	}
	prevDay := from.AddDate(0, 0, -1).Format("2006-01-02")
	pfrom, _, err := forward.DayRange(prevDay, loc)
	if err != nil {
		return forward.Digest{}, err
	}
	dg := forward.Digest{Topic: r.Topic, Day: day, BySource: map[string]int{}}
	var prev forward.Tonality
	var negs []store.ListeningMention
	cur, read := "", 0
	for read < digestScan {
		page, err := d.w.Store.ListeningMentions(ctx, store.ListeningFilter{TopicID: topicID, Limit: store.MaxListeningPage}, cur)
		if err != nil {
			return forward.Digest{}, fmt.Errorf("forward digest %s %s: %w", r.ID, day, err)
		}
		done := page.Next == ""
		for _, m := range page.Mentions {
			read++
			switch {
			case !m.Published.Before(to):
			case !m.Published.Before(from):
				dg.BySource[m.Source]++
				count(&dg.Tonality, m.Sentiment)
				if m.Sentiment == inbox.SentimentNegative {
					negs = append(negs, m)
				}
			case !m.Published.Before(pfrom):
				count(&prev, m.Sentiment)
			default:
				done = true
			}
		}
		if done {
			break
		}
		cur = page.Next
	}
	dg.Previous = &prev
	sort.SliceStable(negs, func(i, j int) bool { return negs[i].Reach > negs[j].Reach })
	for _, m := range negs[:min(len(negs), digestTop)] {
		text := m.Text
		if m.Title != "" {
			text = m.Title + " — " + text
		}
		dg.TopNegative = append(dg.TopNegative, forward.Mention{Source: m.Source, Author: m.Author, Reach: m.Reach, Text: text, Link: m.URL, At: m.Published})
	}
	return dg, nil
}

func count(t *forward.Tonality, s inbox.Sentiment) {
	switch s {
	case inbox.SentimentNegative:
		t.Negative++
	case inbox.SentimentPositive:
		t.Positive++
	default:
		t.Neutral++
	}
}
