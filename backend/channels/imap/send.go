package imap

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-smtp"

	"github.com/stormdesk/stormdesk/backend/channels"
)

// MessageIDFor is the Message-ID (without brackets) a reply with this
// idempotency key gets: the same key always yields the same id, so the outbox
// can record it before sending and look for it in Sent after a crash.
func (c *Connector) MessageIDFor(idempotencyKey string) string {
	sum := sha256.Sum256([]byte("stormdesk-reply\x00" + idempotencyKey))
	domain := "stormdesk.invalid"
	if a, err := mail.ParseAddress(c.cfg.From); err == nil {
		if at := strings.LastIndexByte(a.Address, '@'); at >= 0 && at < len(a.Address)-1 {
			domain = strings.ToLower(a.Address[at+1:])
		}
	}
	return hex.EncodeToString(sum[:16]) + "@" + domain
}

// original is what a reply needs to know about the message it answers.
type original struct {
	to         []*mail.Address
	subject    string
	messageID  string
	references []string
}

// Reply sends r.Text as an answer to the mail r.InReplyTo (an ExternalID,
// i.e. a normalized Message-ID) and keeps a copy in Sent. The copy is written
// first and marked in two stages (see sendingKeyword and handoffKeyword), so
// a later attempt of the same reply can tell a send that never reached SMTP
// (sent normally now) from one whose outcome is unknown (left to a person).
// A reply whose confirmed copy is already in Sent is not sent again.
func (c *Connector) Reply(ctx context.Context, r channels.Reply) (channels.Sent, error) {
	if c.cfg.SMTP.Host == "" {
		return channels.Sent{}, fmt.Errorf("imap reply: account %q has no SMTP server", c.cfg.Name)
	}
	if r.IdempotencyKey == "" {
		return channels.Sent{}, errors.New("imap reply: idempotency key is required")
	}
	id := c.MessageIDFor(r.IdempotencyKey)
	switch st, err := c.sentState(ctx, id); {
	case err != nil:
		return channels.Sent{}, err
	case st == sentDone:
		c.log.Info("reply already in Sent, not sending again", "message_id", id)
		return channels.Sent{ExternalID: id, SentAt: time.Now().UTC()}, nil
	case st == sentHandedOff:
		// An earlier run stopped after it was about to give the message to
		// SMTP and before it heard the answer: it may or may not be out.
		return channels.Sent{}, outcomeUnknown(earlierSendUnknown)
	case st == sentPending:
		// An earlier run wrote the copy but stopped before the hand-off
		// mark, i.e. before DATA: the customer cannot have the mail, so the
		// stale copy goes and the reply is sent as if for the first time.
		c.log.Info("removing the Sent copy of an earlier attempt that never reached SMTP", "message_id", id)
		if err := c.discardUnsent(ctx, id); err != nil {
			return channels.Sent{}, err
		}
	}
	orig, err := c.findOriginal(ctx, r.InReplyTo)
	if err != nil {
		return channels.Sent{}, err
	}
	now := time.Now()
	raw, err := c.buildReply(r, orig, id, now)
	if err != nil {
		return channels.Sent{}, err
	}
	rcpts := make([]string, len(orig.to))
	for i, a := range orig.to {
		rcpts[i] = a.Address
	}
	// The copy goes to Sent first, marked as sending, so a crash anywhere
	// later leaves a trace a later attempt finds.
	cp, err := c.appendSent(ctx, raw, now, sendingKeyword)
	if err != nil {
		return channels.Sent{}, err
	}
	if err := c.stopAt(stepAppended); err != nil {
		return channels.Sent{}, err
	}
	var stopped error
	err = c.sendSMTP(ctx, rcpts, raw, func() error {
		if err := c.markHandedOff(ctx, id, cp); err != nil {
			return err
		}
		stopped = c.stopAt(stepHandedOff)
		return stopped
	})
	if stopped != nil {
		return channels.Sent{}, stopped
	}
	// Settling the copy must not depend on the caller still waiting: a
	// send cancelled at shutdown should leave as clean a trace as it can.
	settle, cancel := context.WithTimeout(context.WithoutCancel(ctx), settleTimeout)
	defer cancel()
	if err != nil {
		var u *uncertainError
		if errors.As(err, &u) {
			// The server may have taken the message: deleting the copy and
			// retrying could mail the customer twice. The copy keeps both
			// marks, so later attempts say the same until a person decides.
			c.log.Warn("reply may have been delivered; its Sent copy stays marked for a person to check", "message_id", id, "err", err)
			return channels.Sent{}, outcomeUnknown(fmt.Sprintf(thisSendUnknown, err))
		}
		// A definite refusal, or a failure before DATA: nothing was handed
		// over, so the copy goes and the outbox may retry.
		if derr := c.discardCopy(settle, id, cp); derr != nil {
			c.log.Error("send failed and its pending copy in Sent could not be removed", "message_id", id, "err", derr)
		}
		return channels.Sent{}, err
	}
	if err := c.stopAt(stepDataSent); err != nil {
		return channels.Sent{}, err
	}
	if err := c.confirmSent(settle, id, cp); err != nil {
		// The mail is out; only the marks are left. Do not fail the send,
		// which would make the outbox try again.
		c.log.Error("reply sent but its copy in Sent is still marked as sending", "message_id", id, "err", err)
	}
	return channels.Sent{ExternalID: id, SentAt: now.UTC()}, nil
}

// settleTimeout bounds the IMAP clean-up after an SMTP answer, which runs
// even when the caller's context has ended.
const settleTimeout = 30 * time.Second

// The texts of the two "outcome unknown" errors; they tell the person what to
// check, since nobody else can.
const (
	earlierSendUnknown = "the outcome of an earlier send is unknown (the app stopped while handing the reply to the mail server); check the recipient's mailbox and your Sent folder before sending again"
	thisSendUnknown    = "the outcome of this send is unknown (the mail server may have taken the reply but did not confirm it: %v); check the recipient's mailbox and your Sent folder before sending again"
)

// outcomeUnknown is permanent on purpose: the outbox fails the reply with
// this text instead of retrying it, and only a person resolves it. It also
// matches channels.ErrOutcomeUnknown, so the window words it with its next
// step (check the Sent folder) instead of showing this English text.
func outcomeUnknown(msg string) error {
	return &unknownOutcome{APIError: channels.APIError{Platform: "mail", Kind: channels.Permanent, Message: msg}}
}

// unknownOutcome is a permanent mail error that is also channels.ErrOutcomeUnknown.
type unknownOutcome struct{ channels.APIError }

func (e *unknownOutcome) Unwrap() []error {
	return []error{&e.APIError, channels.ErrOutcomeUnknown}
}

// sendStep names the points of a send at which tests stop it as a crash would.
type sendStep int

const (
	stepAppended  sendStep = iota + 1 // copy in Sent marked as sending
	stepHandedOff                     // hand-off mark stored, DATA not yet sent
	stepDataSent                      // the server accepted the message, copy not yet confirmed
)

func (c *Connector) stopAt(step sendStep) error {
	if c.stopSend == nil {
		return nil
	}
	return c.stopSend(step)
}

func (c *Connector) findOriginal(ctx context.Context, externalID string) (original, error) {
	var o original
	hdr := &imap.FetchItemBodySection{Peek: true, Partial: &imap.SectionPartial{Size: 1 << 20}}
	err := c.session(ctx, func(cl *imapclient.Client) error {
		folders, err := c.folders(cl)
		if err != nil {
			return err
		}
		for _, f := range folders {
			if _, err := cl.Select(f, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
				return fmt.Errorf("imap select %s: %w", f, err)
			}
			data, err := cl.UIDSearch(&imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: externalID}}}, nil).Wait()
			if err != nil {
				return fmt.Errorf("imap search %s: %w", f, err)
			}
			uids := data.AllUIDs()
			if len(uids) == 0 {
				continue
			}
			bufs, err := cl.Fetch(imap.UIDSetNum(uids[0]), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{hdr}}).Collect()
			if err != nil || len(bufs) == 0 {
				return fmt.Errorf("imap fetch original %s: %v", externalID, err)
			}
			raw := bufs[0].FindBodySection(hdr)
			ent, err := message.Read(bytes.NewReader(raw))
			if ent == nil {
				return fmt.Errorf("imap parse original %s: %w", externalID, err)
			}
			h := mail.Header{Header: ent.Header}
			o.to, _ = h.AddressList("Reply-To")
			if len(o.to) == 0 {
				o.to, _ = h.AddressList("From")
			}
			o.subject = parse(raw, "", true).item.Subject
			o.messageID = NormalizeMessageID(h.Get("Message-Id"))
			o.references = messageIDs(h.Get("References"))
			if len(o.references) == 0 {
				o.references = messageIDs(h.Get("In-Reply-To"))
			}
			return nil
		}
		return nil
	})
	if err != nil {
		return o, err
	}
	if len(o.to) == 0 {
		return o, &channels.APIError{Platform: "imap", Message: fmt.Sprintf("message %s not found in %v or it has no sender address", externalID, c.cfg.Folders), Kind: channels.Permanent}
	}
	return o, nil
}

func (c *Connector) buildReply(r channels.Reply, o original, id string, now time.Time) ([]byte, error) {
	from, err := mail.ParseAddress(c.cfg.From)
	if err != nil {
		return nil, fmt.Errorf("imap reply: From address %q: %w", c.cfg.From, err)
	}
	subject := r.Subject
	if subject == "" {
		subject = o.subject
		if !strings.HasPrefix(strings.ToLower(subject), "re:") {
			subject = "Re: " + subject
		}
	}
	var h mail.Header
	h.SetDate(now)
	h.SetAddressList("From", []*mail.Address{from})
	h.SetAddressList("To", o.to)
	h.SetSubject(subject)
	h.SetMessageID(id)
	refs := append(append([]string{}, o.references...), o.messageID)
	h.SetMsgIDList("In-Reply-To", []string{o.messageID})
	h.SetMsgIDList("References", dedupe(refs))
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("MIME-Version", "1.0")
	var buf bytes.Buffer
	w, err := mail.CreateSingleInlineWriter(&buf, h)
	if err != nil {
		return nil, fmt.Errorf("imap reply: %w", err)
	}
	text := strings.ReplaceAll(strings.ReplaceAll(r.Text, "\r\n", "\n"), "\n", "\r\n")
	if _, err := io.WriteString(w, text); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// uncertainError is an SMTP failure after the message data went out (or
// while it did) without a definite answer: the server may have taken it.
type uncertainError struct{ err error }

func (e *uncertainError) Error() string { return e.err.Error() }
func (e *uncertainError) Unwrap() error { return e.err }

// sendSMTP runs one SMTP transaction. handOff runs after the recipients are
// accepted and right before DATA; its error ends the transaction with nothing
// handed over. Once the end of the data is on its way, a failure without a
// 4xx/5xx answer comes back as *uncertainError.
func (c *Connector) sendSMTP(ctx context.Context, to []string, raw []byte, handOff func() error) error {
	s := c.cfg.SMTP
	addr := net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
	cl, done, err := DialSMTP(ctx, s, c.tlsConfig(s.Host))
	if err != nil {
		return err
	}
	defer done()
	from, _ := mail.ParseAddress(c.cfg.From)
	if err := cl.Mail(from.Address, &smtp.MailOptions{UTF8: false}); err != nil {
		return SMTPError("smtp mail from", err)
	}
	for _, t := range to {
		if err := cl.Rcpt(t, nil); err != nil {
			return SMTPError("smtp rcpt "+t, err)
		}
	}
	if err := handOff(); err != nil {
		return err
	}
	// A cancelled send must not start DATA: closing the connection from
	// AfterFunc races with the command, and once DATA is out the outcome
	// would be unknown instead of simply "not sent".
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("smtp data: %w", err)
	}
	w, err := cl.Data()
	if err != nil {
		// No 354 means the server will not read a message now; even a
		// dropped connection here cannot have delivered one.
		return SMTPError("smtp data", err)
	}
	if _, err := w.Write(raw); err != nil {
		// The terminating dot is only written by Close, so a server
		// cannot have taken a message whose payload failed midway.
		return SMTPError("smtp data", err)
	}
	if err := w.Close(); err != nil {
		var se *smtp.SMTPError
		if errors.As(err, &se) && se.Code >= 400 && se.Code < 600 {
			return SMTPError("smtp data", err)
		}
		// The end of the data may have arrived and been accepted; only
		// the answer is missing (dropped connection, timeout, garbage).
		return &uncertainError{err: fmt.Errorf("smtp data %s: %w", addr, err)}
	}
	// The server took responsibility for the message with its 250: a
	// failing QUIT must not turn the send into a failure that is retried.
	if err := cl.Quit(); err != nil {
		c.log.Debug("smtp quit after an accepted message", "addr", addr, "err", err)
	}
	return nil
}

// SMTPError classifies SMTP answers: 4xx are retried, 535 is an auth failure.
func SMTPError(op string, err error) error {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		kind := channels.Permanent
		switch {
		case se.Code == 535 || se.Code == 534:
			kind = channels.Auth
		case se.Code >= 400 && se.Code < 500:
			kind = channels.Transient
		}
		return &channels.APIError{Platform: "smtp", Code: se.Code, Message: op + ": " + se.Message, Kind: kind}
	}
	return transient(fmt.Errorf("%s: %w", op, err))
}

func (c *Connector) sentFolder(cl *imapclient.Client) (string, error) {
	special, _, err := specialFolders(cl)
	if err != nil {
		return "", err
	}
	if f, ok := special[imap.MailboxAttrSent]; ok {
		return f, nil
	}
	return "Sent", nil
}

// sentCopy is where appendSent put a copy: its UID from APPENDUID (0 when
// the server lacks UIDPLUS) and the folder's UIDVALIDITY at the time.
type sentCopy struct {
	uid         imap.UID
	uidValidity uint32
}

func (c *Connector) appendSent(ctx context.Context, raw []byte, at time.Time, extra ...imap.Flag) (sentCopy, error) {
	var cp sentCopy
	err := c.session(ctx, func(cl *imapclient.Client) error {
		folder, err := c.sentFolder(cl)
		if err != nil {
			return err
		}
		cmd := cl.Append(folder, int64(len(raw)), &imap.AppendOptions{Flags: append([]imap.Flag{imap.FlagSeen}, extra...), Time: at})
		if _, err := cmd.Write(raw); err != nil {
			return fmt.Errorf("imap append %s: %w", folder, err)
		}
		if err := cmd.Close(); err != nil {
			return fmt.Errorf("imap append %s: %w", folder, err)
		}
		data, err := cmd.Wait()
		if err != nil {
			return fmt.Errorf("imap append %s: %w", folder, err)
		}
		cp = sentCopy{uid: data.UID, uidValidity: data.UIDValidity}
		return nil
	})
	return cp, err
}

// sendingKeyword marks a copy in Sent whose SMTP send has not been confirmed.
const sendingKeyword imap.Flag = "$StormdeskSending"

// handoffKeyword is added to a copy marked as sending right before the SMTP
// DATA command: a copy without it was never offered to the server.
const handoffKeyword imap.Flag = "$StormdeskHandoff"

// sentStatus orders what the copies of one reply say; the highest wins.
type sentStatus int

const (
	sentNone      sentStatus = iota // no copy in Sent
	sentPending                     // marked as sending, never handed to SMTP: not sent
	sentHandedOff                   // handed to SMTP and never confirmed: outcome unknown
	sentDone                        // a confirmed copy (no sending mark)
)

func copyStatus(flags []imap.Flag) sentStatus {
	switch {
	case !hasFlag(flags, sendingKeyword):
		return sentDone
	case hasFlag(flags, handoffKeyword):
		return sentHandedOff
	default:
		return sentPending
	}
}

// hasFlag compares keywords case-insensitively, as IMAP servers may.
func hasFlag(flags []imap.Flag, f imap.Flag) bool {
	for _, g := range flags {
		if strings.EqualFold(string(g), string(f)) {
			return true
		}
	}
	return false
}

// SentContains reports whether the Sent folder holds a confirmed copy of the
// message with this Message-ID (with or without angle brackets).
func (c *Connector) SentContains(ctx context.Context, messageID string) (bool, error) {
	st, err := c.sentState(ctx, messageID)
	return st == sentDone, err
}

func sentSearchID(messageID string) string {
	id := NormalizeMessageID(messageID)
	if id == "" {
		id = normID(strings.Trim(messageID, "<> "))
	}
	return id
}

func byMessageID(id string, with, without []imap.Flag) *imap.SearchCriteria {
	return &imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: id}}, Flag: with, NotFlag: without}
}

func (c *Connector) sentState(ctx context.Context, messageID string) (sentStatus, error) {
	id := sentSearchID(messageID)
	st := sentNone
	err := c.session(ctx, func(cl *imapclient.Client) error {
		folder, err := c.sentFolder(cl)
		if err != nil {
			return err
		}
		if _, err := cl.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
			return fmt.Errorf("imap select %s: %w", folder, err)
		}
		data, err := cl.UIDSearch(byMessageID(id, nil, nil), nil).Wait()
		if err != nil {
			return fmt.Errorf("imap search %s: %w", folder, err)
		}
		uids := data.AllUIDs()
		if len(uids) == 0 {
			return nil
		}
		msgs, err := cl.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, Flags: true}).Collect()
		if err != nil {
			return fmt.Errorf("imap fetch flags in %s: %w", folder, err)
		}
		for _, m := range msgs {
			st = max(st, copyStatus(m.Flags))
		}
		return nil
	})
	return st, err
}

// selectCopy opens Sent for writing and returns the UIDs of the copy: the one
// appendSent reported while the folder's UIDVALIDITY is unchanged, else every
// copy of id still marked as sending.
func (c *Connector) selectCopy(cl *imapclient.Client, id string, cp sentCopy) (string, []imap.UID, error) {
	folder, err := c.sentFolder(cl)
	if err != nil {
		return "", nil, err
	}
	sel, err := cl.Select(folder, nil).Wait()
	if err != nil {
		return "", nil, fmt.Errorf("imap select %s: %w", folder, err)
	}
	if cp.uid != 0 && sel.UIDValidity == cp.uidValidity {
		return folder, []imap.UID{cp.uid}, nil
	}
	data, err := cl.UIDSearch(byMessageID(id, []imap.Flag{sendingKeyword}, nil), nil).Wait()
	if err != nil {
		return "", nil, fmt.Errorf("imap search %s: %w", folder, err)
	}
	return folder, data.AllUIDs(), nil
}

// fetchFlags reads the current flags of uids; messages gone are absent.
func fetchFlags(cl *imapclient.Client, uids []imap.UID) (map[imap.UID][]imap.Flag, error) {
	out := map[imap.UID][]imap.Flag{}
	if len(uids) == 0 {
		return out, nil
	}
	msgs, err := cl.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, Flags: true}).Collect()
	if err != nil {
		return nil, err
	}
	for _, m := range msgs {
		out[m.UID] = m.Flags
	}
	return out, nil
}

// markHandedOff stores the hand-off mark on the copy and checks it took: a
// copy that is gone or deleted (an overlapping attempt cleaned it up) would
// leave no trace of this send, so the message must not go out then.
func (c *Connector) markHandedOff(ctx context.Context, id string, cp sentCopy) error {
	return c.session(ctx, func(cl *imapclient.Client) error {
		folder, uids, err := c.selectCopy(cl, id, cp)
		if err != nil {
			return transient(err)
		}
		if len(uids) == 0 {
			return transient(fmt.Errorf("imap mark %s handed off: its copy in %s is gone; not sending", id, folder))
		}
		// Not silent: the answer carries the flags as the store left them,
		// in the same round trip (every one of which widens the window in
		// which a crash leaves the outcome unknown). A clean-up that deleted
		// the copy before shows \Deleted here; one after it sees the mark.
		msgs, err := cl.Store(imap.UIDSetNum(uids...), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{handoffKeyword}}, nil).Collect()
		if err != nil {
			return transient(fmt.Errorf("imap mark %s handed off in %s: %w", id, folder, err))
		}
		for _, m := range msgs {
			if slices.Contains(uids, m.UID) && hasFlag(m.Flags, handoffKeyword) && hasFlag(m.Flags, sendingKeyword) && !hasFlag(m.Flags, imap.FlagDeleted) {
				return nil
			}
		}
		return transient(fmt.Errorf("imap mark %s handed off: its copy in %s was removed meanwhile; not sending", id, folder))
	})
}

// confirmSent drops both marks from the copy of a message SMTP accepted.
func (c *Connector) confirmSent(ctx context.Context, id string, cp sentCopy) error {
	return c.session(ctx, func(cl *imapclient.Client) error {
		folder, uids, err := c.selectCopy(cl, id, cp)
		if err != nil || len(uids) == 0 {
			return err
		}
		err = cl.Store(imap.UIDSetNum(uids...), &imap.StoreFlags{Op: imap.StoreFlagsDel, Silent: true, Flags: []imap.Flag{sendingKeyword, handoffKeyword}}, nil).Close()
		if err != nil {
			return fmt.Errorf("imap confirm %s in %s: %w", id, folder, err)
		}
		return nil
	})
}

// discardCopy removes this attempt's copy after SMTP definitely did not take
// the message.
func (c *Connector) discardCopy(ctx context.Context, id string, cp sentCopy) error {
	return c.session(ctx, func(cl *imapclient.Client) error {
		folder, uids, err := c.selectCopy(cl, id, cp)
		if err != nil || len(uids) == 0 {
			return err
		}
		if err := expunge(cl, uids); err != nil {
			return fmt.Errorf("imap remove %s from %s: %w", id, folder, err)
		}
		return nil
	})
}

// discardUnsent removes the copies of id that an earlier attempt wrote and
// never handed to SMTP. Should that attempt still be running (its lease ran
// out) and mark a copy handed off at the same moment, the two stores order
// themselves on the server: marked first, the copy stays and the outcome is
// unknown; deleted first, markHandedOff sees \Deleted and does not send.
func (c *Connector) discardUnsent(ctx context.Context, id string) error {
	return c.session(ctx, func(cl *imapclient.Client) error {
		folder, err := c.sentFolder(cl)
		if err != nil {
			return err
		}
		if _, err := cl.Select(folder, nil).Wait(); err != nil {
			return fmt.Errorf("imap select %s: %w", folder, err)
		}
		data, err := cl.UIDSearch(byMessageID(id, []imap.Flag{sendingKeyword}, []imap.Flag{handoffKeyword}), nil).Wait()
		if err != nil {
			return fmt.Errorf("imap search %s: %w", folder, err)
		}
		uids := data.AllUIDs()
		if len(uids) == 0 {
			return nil
		}
		set := imap.UIDSetNum(uids...)
		if err := cl.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close(); err != nil {
			return fmt.Errorf("imap remove unsent %s from %s: %w", id, folder, err)
		}
		flags, err := fetchFlags(cl, uids)
		if err != nil {
			return fmt.Errorf("imap remove unsent %s from %s: %w", id, folder, err)
		}
		var gone, handed []imap.UID
		for uid, f := range flags {
			if hasFlag(f, handoffKeyword) {
				handed = append(handed, uid)
			} else {
				gone = append(gone, uid)
			}
		}
		if len(handed) > 0 {
			if err := cl.Store(imap.UIDSetNum(handed...), &imap.StoreFlags{Op: imap.StoreFlagsDel, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close(); err != nil {
				c.log.Error("a handed-off copy in Sent stays marked deleted", "message_id", id, "err", err)
			}
			return outcomeUnknown(earlierSendUnknown)
		}
		if len(gone) == 0 {
			return nil
		}
		if err := cl.UIDExpunge(imap.UIDSetNum(gone...)).Close(); err != nil {
			return fmt.Errorf("imap remove unsent %s from %s: %w", id, folder, err)
		}
		return nil
	})
}

// expunge deletes uids from the selected folder (UID EXPUNGE, UIDPLUS).
func expunge(cl *imapclient.Client, uids []imap.UID) error {
	set := imap.UIDSetNum(uids...)
	if err := cl.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close(); err != nil {
		return err
	}
	return cl.UIDExpunge(set).Close()
}
