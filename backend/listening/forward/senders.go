package forward

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels/imap"
	"github.com/stormdesk/stormdesk/backend/channels/telegram"
)

// Telegram is the subset of the Bot API client forwarding uses.
type Telegram interface {
	SendMessage(ctx context.Context, p telegram.SendMessageParams) (telegram.Message, error)
}

// sendTelegram sends one message to a chat in HTML parse mode. The client
// rides out 429s (retry_after) itself and never retries anything else, so a
// message is not sent twice by a retry.
func sendTelegram(ctx context.Context, tg Telegram, chatID int64, m message, silent bool) error {
	if tg == nil {
		return apperr.NotConfigured("telegram", errors.New("forward: no Telegram bot is set up"))
	}
	_, err := tg.SendMessage(ctx, telegram.SendMessageParams{
		ChatID:              chatID,
		Text:                m.telegramText(TelegramLimit),
		ParseMode:           "HTML",
		LinkPreviewOptions:  &telegram.LinkPreviewOptions{IsDisabled: true},
		DisableNotification: silent,
	})
	if err != nil {
		return fmt.Errorf("forward to telegram chat %d: %w", chatID, err)
	}
	return nil
}

// Mailer sends forwarded mail through one SMTP account, with the mail
// channel's SMTP settings and session (imap.DialSMTP). The password comes
// from the OS keyring through the caller and is never stored or logged.
type Mailer struct {
	// SMTP: TLS "starttls" (default, 587), "tls" (465) or "plain"
	// (loopback only, 25); Port 0 takes the mode's port.
	SMTP imap.SMTPConfig
	From string // "Stormdesk <alerts@example.com>"
	// TLSConfig overrides the TLS settings (tests trust a throwaway CA).
	TLSConfig *tls.Config
}

// mail is one message ready to go.
type outMail struct {
	messageID string
	subject   string
	plain     string
	html      string
	lang      string
	date      time.Time
}

// messageID derives the Message-ID from what the message is for (rule and
// period), so a retried digest carries the same id as a first try the
// server may have taken: a mail client shows it once.
func messageID(kind, ruleID, period, from string) string {
	domain := "stormdesk.invalid"
	if a, err := mail.ParseAddress(from); err == nil {
		if i := strings.LastIndexByte(a.Address, '@'); i >= 0 {
			domain = a.Address[i+1:]
		}
	}
	sum := sha256.Sum256([]byte(kind + "\x00" + ruleID + "\x00" + period))
	return "<forward." + kind + "." + hex.EncodeToString(sum[:12]) + "@" + domain + ">"
}

// build writes an RFC 5322 message with a plain and an HTML part.
func (m *Mailer) build(to string, o outMail) ([]byte, error) {
	var buf bytes.Buffer
	h := func(k, v string) { buf.WriteString(k + ": " + v + "\r\n") }
	h("From", m.From)
	h("To", to)
	h("Subject", mime.QEncoding.Encode("utf-8", o.subject))
	h("Date", o.date.Format(time.RFC1123Z))
	h("Message-ID", o.messageID)
	h("Content-Language", o.lang)
	h("Auto-Submitted", "auto-generated")
	h("MIME-Version", "1.0")
	mw := multipart.NewWriter(&buf)
	h("Content-Type", `multipart/alternative; boundary="`+mw.Boundary()+`"`)
	buf.WriteString("\r\n")
	for _, part := range []struct{ ctype, body string }{{"text/plain", o.plain}, {"text/html", o.html}} {
		pw, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.ctype + "; charset=utf-8"},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		qp := quotedprintable.NewWriter(pw)
		if _, err := qp.Write([]byte(strings.ReplaceAll(strings.ReplaceAll(part.body, "\r\n", "\n"), "\n", "\r\n"))); err != nil {
			return nil, err
		}
		if err := qp.Close(); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// send runs one SMTP transaction to one recipient.
func (m *Mailer) send(ctx context.Context, to string, o outMail) error {
	if m == nil || m.SMTP.Host == "" {
		return apperr.NotConfigured("smtp", errors.New("forward: no SMTP account is set up"))
	}
	from, err := mail.ParseAddress(m.From)
	if err != nil {
		return apperr.NotConfigured("smtp", fmt.Errorf("forward: sender address %q: %w", m.From, err))
	}
	raw, err := m.build(to, o)
	if err != nil {
		return fmt.Errorf("forward: build mail: %w", err)
	}
	cfg := m.SMTP
	if cfg.TLS == "" {
		cfg.TLS = imap.TLSStartTLS
	}
	if cfg.Port == 0 {
		cfg.Port = map[string]int{imap.TLSStartTLS: 587, imap.SMTPTLS: 465, imap.TLSPlain: 25}[cfg.TLS]
	}
	if cfg.TLS == imap.TLSPlain && !loopback(cfg.Host) {
		return apperr.NotConfigured("smtp", fmt.Errorf("forward: plaintext SMTP is allowed only on loopback, not %s", cfg.Host))
	}
	tlsConf := m.TLSConfig
	if tlsConf == nil {
		tlsConf = &tls.Config{ServerName: cfg.Host, MinVersion: tls.VersionTLS12}
	}
	cl, done, err := imap.DialSMTP(ctx, cfg, tlsConf)
	if err != nil {
		return fmt.Errorf("forward: %w", err)
	}
	defer done()
	if err := cl.Mail(from.Address, nil); err != nil {
		return fmt.Errorf("forward: %w", imap.SMTPError("smtp mail from", err))
	}
	if err := cl.Rcpt(to, nil); err != nil {
		return fmt.Errorf("forward: %w", imap.SMTPError("smtp rcpt", err))
	}
	w, err := cl.Data()
	if err != nil {
		return fmt.Errorf("forward: %w", imap.SMTPError("smtp data", err))
	}
	if _, err := w.Write(raw); err != nil {
		return fmt.Errorf("forward: %w", imap.SMTPError("smtp data", err))
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("forward: %w", imap.SMTPError("smtp data", err))
	}
	// The 250 after the data is the server's promise; QUIT failing after it
	// does not undo the delivery.
	_ = cl.Quit()
	return nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
