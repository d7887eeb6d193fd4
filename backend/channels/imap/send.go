package imap

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-sasl"
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
// i.e. a normalized Message-ID) and appends a copy to Sent. A reply whose
// Message-ID is already in Sent is not sent again.
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
	case st == sentPending:
		// A copy marked "sending" means an earlier run stopped between writing
		// the copy and hearing back from SMTP: the mail may or may not be out.
		return channels.Sent{}, &channels.APIError{Platform: "mail", Code: 0, Kind: channels.Permanent,
			Message: "the outcome of an earlier send is unknown (the app stopped while sending); check the recipient's mailbox and your Sent folder before sending again"}
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
	// The copy goes to Sent first, marked as sending, so a crash between SMTP
	// and bookkeeping leaves a trace: a later attempt sees it and refuses to
	// send blindly instead of mailing the customer twice.
	if err := c.appendSent(ctx, raw, now, sendingKeyword); err != nil {
		return channels.Sent{}, err
	}
	if err := c.sendSMTP(ctx, rcpts, raw); err != nil {
		if derr := c.updateSent(ctx, id, false); derr != nil {
			c.log.Error("send failed and the pending copy could not be removed", "message_id", id, "err", derr)
		}
		return channels.Sent{}, err
	}
	if err := c.updateSent(ctx, id, true); err != nil {
		// The mail is out; only the marker is left. Do not fail the send, which
		// would make the outbox try again.
		c.log.Error("reply sent but its copy in Sent is still marked as sending", "message_id", id, "err", err)
	}
	return channels.Sent{ExternalID: id, SentAt: now.UTC()}, nil
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

func (c *Connector) sendSMTP(ctx context.Context, to []string, raw []byte) error {
	s := c.cfg.SMTP
	addr := net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return transient(fmt.Errorf("smtp dial %s: %w", addr, err))
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	var cl *smtp.Client
	switch s.TLS {
	case SMTPTLS:
		tc := tls.Client(conn, c.tlsConfig(s.Host))
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return fmt.Errorf("smtp tls %s: %w", addr, err)
		}
		cl = smtp.NewClient(tc)
	case TLSStartTLS:
		cl, err = smtp.NewClientStartTLS(conn, c.tlsConfig(s.Host))
		if err != nil {
			conn.Close()
			return fmt.Errorf("smtp starttls %s: %w", addr, err)
		}
	default:
		cl = smtp.NewClient(conn)
	}
	defer cl.Close()
	if s.Username != "" {
		if err := cl.Auth(sasl.NewPlainClient("", s.Username, s.Password)); err != nil {
			return smtpError("smtp auth", err)
		}
	}
	from, _ := mail.ParseAddress(c.cfg.From)
	if err := cl.Mail(from.Address, &smtp.MailOptions{UTF8: false}); err != nil {
		return smtpError("smtp mail from", err)
	}
	for _, t := range to {
		if err := cl.Rcpt(t, nil); err != nil {
			return smtpError("smtp rcpt "+t, err)
		}
	}
	w, err := cl.Data()
	if err != nil {
		return smtpError("smtp data", err)
	}
	if _, err := w.Write(raw); err != nil {
		return smtpError("smtp data", err)
	}
	if err := w.Close(); err != nil {
		return smtpError("smtp data", err)
	}
	return cl.Quit()
}

// smtpError classifies SMTP answers: 4xx are retried, 535 is an auth failure.
func smtpError(op string, err error) error {
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

func (c *Connector) appendSent(ctx context.Context, raw []byte, at time.Time, extra ...imap.Flag) error {
	return c.session(ctx, func(cl *imapclient.Client) error {
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
		if _, err := cmd.Wait(); err != nil {
			return fmt.Errorf("imap append %s: %w", folder, err)
		}
		return nil
	})
}

// sendingKeyword marks a copy in Sent whose SMTP send has not been confirmed.
const sendingKeyword imap.Flag = "$StormdeskSending"

type sentStatus int

const (
	sentNone    sentStatus = iota // no copy in Sent
	sentPending                   // a copy marked as sending: outcome unknown
	sentDone                      // a confirmed copy
)

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
		data, err := cl.UIDSearch(&imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: id}}}, nil).Wait()
		if err != nil {
			return fmt.Errorf("imap search %s: %w", folder, err)
		}
		if len(data.AllUIDs()) == 0 {
			return nil
		}
		st = sentDone
		pending, err := cl.UIDSearch(&imap.SearchCriteria{
			Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: id}},
			Flag:   []imap.Flag{sendingKeyword},
		}, nil).Wait()
		if err != nil {
			return fmt.Errorf("imap search %s: %w", folder, err)
		}
		if len(pending.AllUIDs()) > 0 {
			st = sentPending
		}
		return nil
	})
	return st, err
}

// updateSent settles the copy of messageID in Sent after the SMTP answer:
// confirmed copies lose the sending marker, copies of failed sends are removed.
func (c *Connector) updateSent(ctx context.Context, messageID string, sent bool) error {
	id := sentSearchID(messageID)
	return c.session(ctx, func(cl *imapclient.Client) error {
		folder, err := c.sentFolder(cl)
		if err != nil {
			return err
		}
		if _, err := cl.Select(folder, nil).Wait(); err != nil {
			return fmt.Errorf("imap select %s: %w", folder, err)
		}
		data, err := cl.UIDSearch(&imap.SearchCriteria{
			Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: id}},
			Flag:   []imap.Flag{sendingKeyword},
		}, nil).Wait()
		if err != nil {
			return fmt.Errorf("imap search %s: %w", folder, err)
		}
		uids := data.AllUIDs()
		if len(uids) == 0 {
			return nil
		}
		set := imap.UIDSetNum(uids...)
		if sent {
			err = cl.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsDel, Silent: true, Flags: []imap.Flag{sendingKeyword}}, nil).Close()
		} else {
			if err = cl.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close(); err == nil {
				err = cl.UIDExpunge(set).Close()
			}
		}
		if err != nil {
			return fmt.Errorf("imap update %s in %s: %w", id, folder, err)
		}
		return nil
	})
}
