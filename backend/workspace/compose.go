package workspace

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/store"
)

// llmKeySecret names the LLM API key in the keyring.
const llmKeySecret = LLMKeySecret

// LLMKeySecret is the name the LLM API key is stored under (keyring, or the
// server's sealed secrets): moving in copies it.
const LLMKeySecret = "llm/api-key"

// Composer drafts replies and moves them through approval to the outbox.
type Composer struct {
	ws     *Workspace
	sec    SecretStore
	outbox *drafts.Outbox

	// OnDelivery, if set before RunOutbox, hears when the outbox is done with a
	// reply: sent, or failed for good. The window refreshes the composer on it.
	OnDelivery func(conversationID int64, replyID string, state drafts.State)

	// Mode is how this workspace approves replies. Every workspace is
	// single-person until teams exist (a later issue): its person approves
	// crisis replies by a self-review. Tests set ModeTeam for the team rule.
	Mode drafts.Mode

	mu      sync.Mutex
	running map[int64]context.CancelFunc // conversation -> drafting in progress

	tpl templateCache // approved message templates per account (templates.go)
}

// NewComposer returns a composer whose outbox sends through the accounts' connectors.
func (w *Workspace) NewComposer(sec SecretStore) *Composer {
	c := &Composer{ws: w, sec: sec, running: map[int64]context.CancelFunc{}, Mode: drafts.ModeSingle}
	c.outbox = drafts.NewOutbox(w.Store, c.connectorFor, w.Log)
	c.outbox.OnSent = func(ctx context.Context, it drafts.OutboxItem, at time.Time) {
		c.recordSent(ctx, it, at)
		c.delivered(it, drafts.StateSent)
	}
	c.outbox.OnFailed = func(_ context.Context, it drafts.OutboxItem, _ string) { c.delivered(it, drafts.StateFailed) }
	// The stored reason keeps the error's code, so the composer says why in
	// the user's language (and the technical text stays in its details).
	c.outbox.Reason = func(err error) string { return apperr.Encode(err).Error() }
	return c
}

func (c *Composer) delivered(it drafts.OutboxItem, state drafts.State) {
	if c.OnDelivery != nil {
		c.OnDelivery(it.Reply.ConversationID, it.Reply.ID, state)
	}
}

// Outbox is the composer's outbox, for a caller that tunes its timing (Lease,
// Interval) before RunOutbox.
func (c *Composer) Outbox() *drafts.Outbox { return c.outbox }

// RunOutbox sends queued replies until ctx ends.
func (c *Composer) RunOutbox(ctx context.Context) error { return c.outbox.Run(ctx) }

func (c *Composer) connectorFor(accountID int64) (channels.Connector, error) {
	acc, err := c.ws.Store.AccountByID(context.Background(), accountID)
	if err != nil {
		return nil, err
	}
	_, conn, err := c.ws.Connector(context.Background(), c.sec, acc.Name)
	if err != nil {
		return nil, fmt.Errorf("account %s cannot send: %w", acc.Name, err)
	}
	return conn, nil
}

// SendCheck says why nothing can be sent in a conversation, before anyone
// approves a reply there: a demo account has no connection, a disabled or
// removed one sends nothing, a customer who last wrote before the channel's
// window closed (Messenger and Instagram 7 days, WhatsApp 24 hours) cannot be
// answered privately, so their replies would only fail in the outbox. why is
// nil when nothing known stands in the
// way; err is a failure to find out. Neither the keyring nor the platform is
// asked, so opening a conversation stays fast and quiet.
func (c *Composer) SendCheck(ctx context.Context, conversationID int64) (why, err error) {
	conv, err := c.ws.Store.ConversationByID(ctx, conversationID)
	if err != nil {
		return nil, err
	}
	acc, err := c.ws.Store.AccountByID(ctx, conv.AccountID)
	if err != nil {
		return nil, fmt.Errorf("send check of conversation %d: %w", conversationID, err)
	}
	cfg, err := c.ws.Store.AccountConfig(ctx, acc.ID)
	if err != nil {
		return nil, fmt.Errorf("send check of conversation %d: %w", conversationID, err)
	}
	if err := c.ws.requireActive(ctx, acc, false); err != nil {
		if apperr.Is(err, apperr.CodeAccountDisabled) || apperr.Is(err, apperr.CodeAccountRemoved) {
			return err, nil
		}
		return nil, err
	}
	if why, err := c.ws.messagingWindow(ctx, conv, time.Now()); why != nil || err != nil {
		return why, err
	}
	if err := c.ws.requireConnection(ctx, acc, cfg); err != nil {
		if apperr.Is(err, apperr.CodeDemoAccount) {
			return err, nil
		}
		return nil, err
	}
	return nil, nil
}

// FailedSend reports whether the conversation's newest reply failed to send
// (false when that cannot be read: it only decides whether the list is told).
func (c *Composer) FailedSend(ctx context.Context, conversationID int64) bool {
	conv, err := c.ws.Store.ConversationByID(ctx, conversationID)
	return err == nil && conv.FailedSend
}

// LLMSettings returns the LLM settings (the key stays in the keyring) and
// whether a key is stored.
func (c *Composer) LLMSettings(ctx context.Context) (drafts.Settings, bool, error) {
	s, found, err := c.ws.readLLMSettings(ctx)
	if err != nil || !found {
		return s, false, err
	}
	_, err = c.sec.Get(ctx, llmKeySecret)
	return s, err == nil, nil
}

// readLLMSettings reads the LLM settings (llm.json in older versions);
// found is false when there are none yet.
func (w *Workspace) readLLMSettings(ctx context.Context) (s drafts.Settings, found bool, err error) {
	b, found, err := w.setting(ctx, settingLLM)
	if err != nil {
		return s, false, fmt.Errorf("read LLM settings: %w", err)
	}
	if !found {
		return s, false, nil
	}
	if err := json.Unmarshal([]byte(b), &s); err != nil {
		return s, false, fmt.Errorf("read LLM settings (setting %q): %w", settingLLM, err)
	}
	return s, true, nil
}

// writeLLMSettings stores the LLM settings (never the key).
func (w *Workspace) writeLLMSettings(ctx context.Context, s drafts.Settings) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return w.Store.PutSetting(ctx, settingLLM, string(b))
}

// SaveLLMSettings stores the settings; a non-empty apiKey replaces the stored key.
func (c *Composer) SaveLLMSettings(ctx context.Context, s drafts.Settings, apiKey string) error {
	if apiKey != "" {
		if err := c.sec.Set(ctx, llmKeySecret, apiKey); err != nil {
			return err
		}
	}
	if err := c.ws.writeLLMSettings(ctx, s); err != nil {
		return fmt.Errorf("save LLM settings: %w", err)
	}
	return nil
}

func (c *Composer) drafter(ctx context.Context) (drafts.Drafter, error) {
	s, _, err := c.LLMSettings(ctx)
	if err != nil {
		return nil, err
	}
	if key, err := c.sec.Get(ctx, llmKeySecret); err == nil {
		s.APIKey = key
	} else if !errors.Is(err, secrets.ErrNotFound) && s.Configured() {
		return nil, err
	}
	return drafts.NewDrafter(s, drafts.WithLogger(c.ws.Log))
}

// TestLLM lists the models of the configured server, or explains why it cannot.
func (c *Composer) TestLLM(ctx context.Context) ([]string, error) {
	d, err := c.drafter(ctx)
	if err != nil {
		return nil, err
	}
	cl, ok := d.(*drafts.Client)
	if !ok {
		return nil, drafts.ErrNotConfigured
	}
	return cl.Models(ctx)
}

// Draft writes a reply for a conversation (with the LLM if one is set up,
// else the offline templates), streaming text to onDelta, and stores it as a
// draft. Starting a new draft for the same conversation cancels the old one.
func (c *Composer) Draft(ctx context.Context, conversationID int64, actor drafts.Actor, guidance string, onDelta func(string)) (drafts.Reply, error) {
	conv, err := c.ws.Store.ConversationByID(ctx, conversationID)
	if err != nil {
		return drafts.Reply{}, err
	}
	thread, err := c.ws.Store.Thread(ctx, conversationID)
	if err != nil {
		return drafts.Reply{}, err
	}
	acc, err := c.ws.Store.AccountByID(ctx, conv.AccountID)
	if err != nil {
		return drafts.Reply{}, err
	}
	kb, err := c.ws.Store.KBEntries(ctx, acc.Brand)
	if err != nil {
		return drafts.Reply{}, err
	}
	brand, err := c.ws.Brand(ctx, acc.Brand)
	if err != nil {
		return drafts.Reply{}, err
	}
	crisis, err := c.ws.Store.InCrisis(ctx, acc.ID)
	if err != nil {
		return drafts.Reply{}, err
	}
	d, err := c.drafter(ctx)
	if err != nil {
		return drafts.Reply{}, err
	}
	dctx, cancel := context.WithCancel(ctx)
	c.mu.Lock()
	if old, ok := c.running[conversationID]; ok {
		old()
	}
	c.running[conversationID] = cancel
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.running, conversationID)
		c.mu.Unlock()
		cancel()
	}()
	draft, err := d.Draft(dctx, drafts.Request{Brand: brand, Agent: actor.Name, Thread: thread, KB: kb, Guidance: guidance, Crisis: crisis}, onDelta)
	if err != nil && draft.Text == "" {
		return drafts.Reply{}, err
	}
	// A cut-off or failed stream still becomes a draft, marked with its problems, never sent silently.
	now := time.Now()
	r, entry, nerr := drafts.NewReply(newReplyID(), conversationID, draft, actor, crisis, now)
	if nerr != nil {
		return drafts.Reply{}, nerr
	}
	if cerr := c.ws.Store.CreateReply(ctx, r, entry); cerr != nil {
		return drafts.Reply{}, cerr
	}
	if len(draft.Prompt) > 0 {
		if perr := c.ws.Store.LogReplyPrompt(ctx, store.ReplyPrompt{ReplyID: r.ID, Model: draft.Model, Prompt: draft.Prompt,
			Usage: draft.Usage, FinishReason: draft.FinishReason, CreatedAt: now}); perr != nil {
			return r, perr
		}
	}
	if err != nil {
		// The partial text is stored as a draft; its problem markers say what went wrong.
		c.ws.Log.Warn("drafting ended early", "conversation", conversationID, "err", err)
	}
	return c.WithAllowed(r, actor), nil
}

// CancelDraft stops drafting for a conversation.
func (c *Composer) CancelDraft(conversationID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cancel, ok := c.running[conversationID]; ok {
		cancel()
	}
}

// Step applies one workflow step (edit, submit, approve, reject, queue, retry)
// and wakes the outbox when a reply is queued. An edit or a submission
// re-runs the text checks against the brand's KB and profile, so what the
// approver sees is about the text they approve, whoever typed it.
func (c *Composer) Step(ctx context.Context, replyID string, actor drafts.Actor, s drafts.Step) (drafts.Reply, error) {
	recheck := func(r drafts.Reply) drafts.Reply { return r }
	if s.Action == drafts.ActionEdit || s.Action == drafts.ActionSubmit {
		kb, brand, err := c.replyBacking(ctx, replyID)
		if err != nil {
			return drafts.Reply{}, fmt.Errorf("%s reply %s: %w", s.Action, replyID, err)
		}
		recheck = func(r drafts.Reply) drafts.Reply { return drafts.RecheckReply(r, kb, brand) }
	}
	s.Mode = c.Mode // the workspace decides whether a self-review may approve, not the caller
	apply := c.ws.Store.ApplyReplyStep
	if s.Supersedable() && !s.Supersede {
		apply = c.ws.Store.ApplyReplyStepUnlessSuperseded
	}
	r, err := apply(ctx, replyID, func(r drafts.Reply) (drafts.Reply, drafts.AuditEntry, error) {
		next, entry, err := drafts.Apply(r, actor, s, time.Now())
		if err != nil {
			return next, entry, err
		}
		return recheck(next), entry, nil
	})
	if err != nil {
		return r, err
	}
	if r.State == drafts.StateQueued {
		c.outbox.Wake()
	}
	return c.WithAllowed(r, actor), nil
}

// WithAllowed fills in what actor may do with r now in this workspace
// (drafts.Allowed): the window shows those steps and no others.
func (c *Composer) WithAllowed(r drafts.Reply, actor drafts.Actor) drafts.Reply {
	return drafts.WithAllowed(r, actor, c.Mode)
}

// Replies lists a conversation's replies, newest last, each with what actor may do with it.
func (c *Composer) Replies(ctx context.Context, conversationID int64, actor drafts.Actor) ([]drafts.Reply, error) {
	list, err := c.ws.Replies(ctx, conversationID)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i] = c.WithAllowed(list[i], actor)
	}
	return list, nil
}

// ApprovalQueue lists the replies waiting for approval, crisis replies
// first, each with what actor may do with it.
func (c *Composer) ApprovalQueue(ctx context.Context, actor drafts.Actor) ([]store.PendingApproval, error) {
	list, err := c.ws.ApprovalQueue(ctx)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].Reply = c.WithAllowed(list[i].Reply, actor)
	}
	return list, nil
}

// Policy says how approval works here, for actor: the mode and the self-review checklist.
func (c *Composer) Policy(actor drafts.Actor) drafts.Policy {
	return drafts.Policy{Mode: c.Mode, Me: actor, Checklist: drafts.SelfReviewChecklist()}
}

// replyBacking loads what a reply's text is checked against: the KB entries
// and the drafting profile of the brand of the reply's account.
func (c *Composer) replyBacking(ctx context.Context, replyID string) ([]drafts.KBEntry, drafts.Brand, error) {
	r, err := c.ws.Store.ReplyByID(ctx, replyID)
	if err != nil {
		return nil, drafts.Brand{}, err
	}
	return c.conversationBacking(ctx, r.ConversationID)
}

// conversationBacking is the knowledge base and brand profile that back a
// reply in a conversation: what the draft checks compare a text with.
func (c *Composer) conversationBacking(ctx context.Context, conversationID int64) ([]drafts.KBEntry, drafts.Brand, error) {
	conv, err := c.ws.Store.ConversationByID(ctx, conversationID)
	if err != nil {
		return nil, drafts.Brand{}, fmt.Errorf("conversation %d: %w", conversationID, err)
	}
	acc, err := c.ws.Store.AccountByID(ctx, conv.AccountID)
	if err != nil {
		return nil, drafts.Brand{}, err
	}
	kb, err := c.ws.Store.KBEntries(ctx, acc.Brand)
	if err != nil {
		return nil, drafts.Brand{}, fmt.Errorf("knowledge base of %q: %w", acc.Brand, err)
	}
	brand, err := c.ws.Brand(ctx, acc.Brand)
	if err != nil {
		return nil, drafts.Brand{}, fmt.Errorf("brand profile %q: %w", acc.Brand, err)
	}
	return kb, brand, nil
}

func newReplyID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// recordSent puts a reply the outbox sent in a conversation of an account in
// crisis on that account's timeline, at the time it went out: a reply that
// waits in the queue (rate limits, retries) or fails has not answered anyone yet.
func (c *Composer) recordSent(ctx context.Context, it drafts.OutboxItem, at time.Time) {
	e := store.CrisisEvent{At: at, Kind: store.CrisisReply, Text: it.Reply.Text, Ref: it.Reply.ID}
	if err := c.ws.recordIfInCrisis(ctx, it.AccountID, e); err != nil {
		c.ws.Log.Warn("crisis timeline: record reply", "reply", it.Reply.ID, "err", err)
	}
}
