package drafts

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// OutboxItem is a queued reply due for sending, with its conversation's addressing.
type OutboxItem struct {
	Reply     Reply
	AccountID int64
	Channel   inbox.ChannelKind
	Attempts  int
	// AttemptOpen: an earlier attempt was claimed and its outcome never
	// recorded, so the reply may already be out.
	AttemptOpen   bool
	LastAttemptAt *time.Time
	NextAttemptAt time.Time
	LastError     string // the last retryable error while the reply waits
	ThreadKey     string
	Kind          inbox.MessageKind
	Subject       string
	InReplyTo     string // external id of the newest inbound message
	// ChangedSinceApproval: the conversation has a message (a new inbound
	// one, or a teammate's answer) newer than the approval or the last
	// person's retry, so the approved text may no longer fit.
	ChangedSinceApproval bool
}

// OutboxStore is the persistence the outbox needs. Every method commits on
// its own; the claim (MarkAttempt) is committed before the connector is called.
type OutboxStore interface {
	// ClaimOutbox lists queued replies whose next attempt is due at now. A
	// store shared by several processes also reserves them for lease, in
	// the same transaction, so the others pass over them meanwhile.
	ClaimOutbox(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]OutboxItem, error)
	// MarkAttempt claims a reply (attempts+1, attempt open, hidden until
	// at+lease) if its attempt count is still attemptsSeen.
	MarkAttempt(ctx context.Context, id string, attemptsSeen int, at time.Time, lease time.Duration) error
	// MarkSent stores step's sent state and audit entry, and out as the
	// conversation's outbound message, in one transaction.
	MarkSent(ctx context.Context, id string, sentAt time.Time, out *inbox.Item, step func(Reply) (Reply, AuditEntry, error)) error
	// MarkFailed stores step's failed state and audit entry.
	MarkFailed(ctx context.Context, id string, step func(Reply) (Reply, AuditEntry, error)) error
	// Reschedule closes the attempt as not sent and makes the reply due at next.
	Reschedule(ctx context.Context, id string, next time.Time, lastErr string) error
}

// OutboxReleaser is implemented by stores whose ClaimOutbox reserves: it
// makes items this process reserved but never attempted due again at once,
// so a stopping instance does not hold them back for a whole lease.
type OutboxReleaser interface {
	ReleaseOutbox(ctx context.Context, items []OutboxItem) error
}

// SentChecker is implemented by connectors (or adapters) that can tell
// whether a reply with this idempotency key already reached the platform.
type SentChecker interface {
	WasSent(ctx context.Context, r channels.Reply) (channels.Sent, bool, error)
}

// mailSent is what imap.Connector offers to find a reply in Sent.
type mailSent interface {
	SentContains(ctx context.Context, messageID string) (bool, error)
	MessageIDFor(idempotencyKey string) string
}

// MailSentChecker adapts a mail connector (imap.Connector): the reply's
// Message-ID is derived from its idempotency key, so finding it in Sent means
// it went out.
type MailSentChecker struct{ Mail mailSent }

// WasSent implements SentChecker.
func (m MailSentChecker) WasSent(ctx context.Context, r channels.Reply) (channels.Sent, bool, error) {
	id := m.Mail.MessageIDFor(r.IdempotencyKey)
	ok, err := m.Mail.SentContains(ctx, id)
	if err != nil || !ok {
		return channels.Sent{}, false, err
	}
	return channels.Sent{ExternalID: id}, true, nil
}

// ReasonOutcomeUnknown is the failure reason when a send may have happened
// before a crash and the platform offers no way to check.
const ReasonOutcomeUnknown = "outcome unknown after a crash: check the chat before retrying"

// ReasonChanged is the failure reason when the conversation moved on after
// the reply was approved: a person reviews it and retries.
const ReasonChanged = "new messages in the conversation since approval: review the reply, then retry"

// The reasons above as errors, so the workspace's Reason hook can give them
// their codes (apperr classifies them) like any other failure.
var (
	ErrOutcomeUnknown = errors.New(ReasonOutcomeUnknown)
	ErrChanged        = errors.New(ReasonChanged)
)

// Outbox sends approved, queued replies exactly once: every attempt is
// recorded before the connector is called, so a crash leaves an "open"
// attempt that is resolved by asking the platform (SentChecker), by resending
// with the same idempotency key where the platform drops duplicates (Mastodon,
// VK) within KeyedResendWindow, and otherwise by failing visibly with
// ReasonOutcomeUnknown instead of risking a second message.
type Outbox struct {
	store      OutboxStore
	connectors func(accountID int64) (channels.Connector, error)
	log        *slog.Logger

	// Actor names the outbox in audit entries (RoleSystem). Default "outbox".
	Actor string
	// Lease hides a claimed reply from other workers while it is being sent;
	// after it an unfinished attempt counts as a crash. Default 5 minutes.
	Lease time.Duration
	// MaxAttempts bounds retries of retryable errors; then the reply fails. Default 8.
	MaxAttempts int
	// BaseDelay is the first retry delay, doubled per attempt up to MaxDelay,
	// unless the platform names a wait. Defaults 30 s and 30 min.
	BaseDelay, MaxDelay time.Duration
	// KeyedResendWindow is how long after an open attempt a resend with the
	// same key is still deduplicated by the platform (Mastodon keeps keys for
	// an hour). Default 50 minutes.
	KeyedResendWindow time.Duration
	// Interval is how often Run looks for due replies. Default 10 s.
	Interval time.Duration
	// Batch is how many due replies RunOnce handles. Default 20.
	Batch int
	// OnSent, if set, hears of each reply recorded as sent (at is the send
	// time), e.g. to put it on a crisis timeline; it must not block for long.
	OnSent func(ctx context.Context, it OutboxItem, at time.Time)
	// OnFailed, if set, hears of each reply that failed for good, with the
	// reason recorded on it; it must not block for long.
	OnFailed func(ctx context.Context, it OutboxItem, reason string)
	// Reason, if set, words an error as the failure reason stored on the
	// reply (default: its text). The workspace sets it so the reason keeps
	// the error's code and the window can say it in the user's language.
	Reason func(err error) string

	wake chan struct{}
}

// NewOutbox returns an outbox over store; connectors returns the connector of
// an account (configured with its secrets by the caller). A connector that is
// an io.Closer is closed once its reply is handled.
func NewOutbox(store OutboxStore, connectors func(accountID int64) (channels.Connector, error), log *slog.Logger) *Outbox {
	if log == nil {
		log = slog.Default()
	}
	return &Outbox{
		store: store, connectors: connectors, log: log.With("component", "outbox"),
		Actor: "outbox", Lease: 5 * time.Minute, MaxAttempts: 8, BaseDelay: 30 * time.Second,
		MaxDelay: 30 * time.Minute, KeyedResendWindow: 50 * time.Minute, Interval: 10 * time.Second, Batch: 20,
		wake: make(chan struct{}, 1),
	}
}

// Wake makes Run look for due replies now (call it after queueing one).
func (o *Outbox) Wake() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// Run sends due replies until ctx ends.
func (o *Outbox) Run(ctx context.Context) error {
	t := time.NewTicker(o.Interval)
	defer t.Stop()
	for {
		if _, _, err := o.RunOnce(ctx, time.Now()); err != nil && ctx.Err() == nil {
			o.log.Error("outbox pass failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		case <-o.wake:
		}
	}
}

// RunOnce handles the replies due at now: sent and failed count the replies
// that reached those states in this pass. err reports a store failure that
// stopped the pass; per-reply problems are recorded on the reply and logged.
func (o *Outbox) RunOnce(ctx context.Context, now time.Time) (sent, failed int, err error) {
	due, err := o.store.ClaimOutbox(ctx, now, o.Batch, o.Lease)
	if err != nil {
		return 0, 0, fmt.Errorf("outbox: %w", err)
	}
	start := time.Now()
	for i, it := range due {
		if ctx.Err() != nil {
			o.release(ctx, due[i:])
			return sent, failed, ctx.Err()
		}
		// Each reply is handled at its own time: a claim stamped with the
		// pass's start would end its lease early after slow sends before it,
		// and another sender would take the reply while it is in flight.
		res, err := o.process(ctx, it, now.Add(time.Since(start)))
		switch res {
		case resultSent:
			sent++
		case resultFailed:
			failed++
		}
		if err != nil {
			o.log.Error("outbox: reply not processed", "reply", it.Reply.ID, "err", err)
		}
	}
	return sent, failed, nil
}

// release gives back the reservations of items a stopping pass did not
// reach; a failure only delays them until the lease ends.
func (o *Outbox) release(ctx context.Context, items []OutboxItem) {
	r, ok := o.store.(OutboxReleaser)
	if !ok {
		return
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := r.ReleaseOutbox(rctx, items); err != nil {
		o.log.Warn("outbox: replies not released; they wait for their lease", "replies", len(items), "err", err)
	}
}

type result int

const (
	resultNone result = iota
	resultSent
	resultFailed
)

func (o *Outbox) system() Actor { return Actor{Name: o.Actor, Role: RoleSystem} }

func (o *Outbox) process(ctx context.Context, it OutboxItem, now time.Time) (result, error) {
	r := it.Reply
	// Defence in depth: the store only lists queued rows, and only approved
	// replies can be queued; never send anything else.
	if r.State != StateQueued || r.Approver == "" || r.IdempotencyKey == "" {
		return resultNone, fmt.Errorf("reply %s is %s (approver %q, key %q): not sending", r.ID, r.State, r.Approver, r.IdempotencyKey)
	}
	conn, err := o.connectors(it.AccountID)
	if err != nil {
		return o.fail(ctx, it, now, o.reason(fmt.Errorf("no connector for account %d: %w", it.AccountID, err)))
	}
	if c, ok := conn.(io.Closer); ok {
		// The workspace opens a connector per reply, and a mail connector
		// keeps its IMAP login until closed: left open, every mail reply
		// would hold one more connection until the server's per-user limit
		// refuses the next send.
		defer func() {
			if err := c.Close(); err != nil {
				o.log.Debug("outbox: close connector", "account", it.AccountID, "err", err)
			}
		}()
	}
	req := channels.Reply{ThreadKey: it.ThreadKey, InReplyTo: it.InReplyTo, Kind: it.Kind, Subject: it.Subject,
		Text: r.Text, IdempotencyKey: r.IdempotencyKey}
	var templated channels.TemplateReplier
	if r.IsTemplate() {
		t := r.Template
		req.Template = &channels.Template{Name: t.Name, Language: t.Language, Header: t.Header, Body: t.Body, Buttons: t.Buttons, Media: t.Media}
		var ok bool
		if templated, ok = conn.(channels.TemplateReplier); !ok {
			// Sending the filled text instead would be a different message
			// from the one approved, and outside a window it is refused anyway.
			return o.fail(ctx, it, now, o.reason(fmt.Errorf("reply %s (template %s) through a %s account: %w", r.ID, t.Name, conn.Kind(), channels.ErrTemplatesUnsupported)))
		}
	}

	// An interrupted attempt is resolved first: our own reply, fetched by
	// sync meanwhile, must not count as the conversation moving on.
	if !it.AttemptOpen && it.ChangedSinceApproval {
		return o.fail(ctx, it, now, o.reason(ErrChanged))
	}
	var checker SentChecker
	if it.AttemptOpen {
		// The last attempt may have reached the platform: find out before
		// sending again, or resend only where the platform drops repeats.
		checker, _ = conn.(SentChecker)
		if m, ok := conn.(mailSent); ok && checker == nil {
			checker = MailSentChecker{Mail: m}
		}
		keyed := dedupesByKey(conn.Kind()) && it.LastAttemptAt != nil && now.Sub(*it.LastAttemptAt) < o.KeyedResendWindow
		if checker == nil && !keyed {
			return o.fail(ctx, it, now, o.reason(ErrOutcomeUnknown))
		}
	}
	// The claim is committed before anything reaches the platform.
	if err := o.store.MarkAttempt(ctx, r.ID, it.Attempts, now, o.Lease); err != nil {
		return resultNone, fmt.Errorf("claim: %w", err) // another worker has it, or it changed
	}
	if checker != nil {
		s, done, err := checker.WasSent(ctx, req)
		if err != nil {
			if it.Attempts+1 >= o.MaxAttempts {
				return o.fail(ctx, it, now, o.reason(fmt.Errorf("%w (checking failed: %v)", ErrOutcomeUnknown, err)))
			}
			// The attempt stays open; the reply is due again when the lease ends.
			return resultNone, fmt.Errorf("reply %s: check whether an interrupted attempt was sent: %w", r.ID, err)
		}
		if done {
			o.log.Info("outbox: reply found already sent after an interrupted attempt", "reply", r.ID)
			return o.sent(ctx, it, req, s, now)
		}
	}
	var s channels.Sent
	if templated != nil {
		s, err = templated.ReplyTemplate(ctx, req)
	} else {
		s, err = conn.Reply(ctx, req)
	}
	if err != nil {
		if ctx.Err() != nil {
			// The request may be in flight: leave the attempt open so the
			// next run checks instead of assuming it was not sent.
			return resultNone, fmt.Errorf("send reply %s: %w", r.ID, err)
		}
		if channels.Retryable(err) && it.Attempts+1 < o.MaxAttempts {
			return resultNone, o.reschedule(ctx, it, now, err)
		}
		if channels.Retryable(err) {
			return o.fail(ctx, it, now, o.reason(fmt.Errorf("gave up after %d attempts: %w", it.Attempts+1, err)))
		}
		return o.fail(ctx, it, now, o.reason(err))
	}
	return o.sent(ctx, it, req, s, now)
}

// dedupesByKey lists channels whose connectors send the idempotency key in a
// form the platform deduplicates: Mastodon's Idempotency-Key header, VK's
// random_id / guid.
func dedupesByKey(k inbox.ChannelKind) bool {
	return k == inbox.ChannelMastodon || k == inbox.ChannelVK
}

func (o *Outbox) sent(ctx context.Context, it OutboxItem, req channels.Reply, s channels.Sent, now time.Time) (result, error) {
	at := s.SentAt
	if at.IsZero() {
		at = now
	}
	var out *inbox.Item
	if s.ExternalID != "" {
		out = &inbox.Item{ExternalID: s.ExternalID, ThreadKey: it.ThreadKey, Kind: it.Kind, Direction: inbox.DirectionOut,
			Subject: it.Subject, Text: req.Text, SentAt: at, References: nonEmpty(it.InReplyTo)}
	}
	step := func(r Reply) (Reply, AuditEntry, error) {
		return Apply(r, o.system(), Step{Action: ActionSent, ExternalID: s.ExternalID}, now)
	}
	// The reply is out: record it even when shutdown began meanwhile (the supervisor
	// waits for this loop before the database closes), or the next start must guess.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := o.store.MarkSent(rctx, it.Reply.ID, at, out, step); err != nil {
		// The reply is out but not recorded: the attempt stays open and the
		// next run resolves it (SentChecker or keyed resend) without a duplicate.
		return resultNone, fmt.Errorf("reply %s was sent as %q but not recorded: %w", it.Reply.ID, s.ExternalID, err)
	}
	o.log.Info("outbox: reply sent", "reply", it.Reply.ID, "external_id", s.ExternalID)
	if o.OnSent != nil {
		o.OnSent(ctx, it, at)
	}
	return resultSent, nil
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func (o *Outbox) reason(err error) string {
	if o.Reason != nil {
		return o.Reason(err)
	}
	return err.Error()
}

func (o *Outbox) fail(ctx context.Context, it OutboxItem, now time.Time, reason string) (result, error) {
	step := func(r Reply) (Reply, AuditEntry, error) {
		return Apply(r, o.system(), Step{Action: ActionFail, Reason: reason}, now)
	}
	if err := o.store.MarkFailed(ctx, it.Reply.ID, step); err != nil {
		return resultNone, fmt.Errorf("record failure of reply %s (%s): %w", it.Reply.ID, reason, err)
	}
	o.log.Warn("outbox: reply failed", "reply", it.Reply.ID, "reason", reason)
	if o.OnFailed != nil {
		o.OnFailed(ctx, it, reason)
	}
	return resultFailed, nil
}

// reschedule makes the reply due again after the platform's wait or the
// backoff for its attempt count.
func (o *Outbox) reschedule(ctx context.Context, it OutboxItem, now time.Time, cause error) error {
	wait := o.BaseDelay
	for i := 0; i < it.Attempts && wait < o.MaxDelay; i++ {
		wait *= 2
	}
	var rl *channels.RateLimitError
	if errors.As(cause, &rl) && rl.RetryAfter > 0 {
		wait = rl.RetryAfter
	}
	wait = min(wait, o.MaxDelay)
	if err := o.store.Reschedule(ctx, it.Reply.ID, now.Add(wait), cause.Error()); err != nil {
		return fmt.Errorf("reschedule reply %s after %v: %w", it.Reply.ID, cause, err)
	}
	o.log.Info("outbox: send will be retried", "reply", it.Reply.ID, "in", wait, "err", cause)
	return nil
}
