package imap

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"strconv"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// DialSMTP opens an SMTP session on s: the TLS mode, then AUTH PLAIN when a
// username is set. The connection closes when ctx ends, so a command in
// flight fails instead of hanging; the caller ends the session with done
// (it closes the client and stops watching ctx). Errors are
// classified as SMTPError does. The mail channel's replies and listening
// forwarding (backend/listening/forward) both send through it.
func DialSMTP(ctx context.Context, s SMTPConfig, tlsConf *tls.Config) (cl *smtp.Client, done func(), err error) {
	addr := net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, nil, transient(fmt.Errorf("smtp dial %s: %w", addr, err))
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	switch s.TLS {
	case SMTPTLS:
		tc := tls.Client(conn, tlsConf)
		if err := tc.HandshakeContext(ctx); err != nil {
			stop()
			conn.Close()
			return nil, nil, fmt.Errorf("smtp tls %s: %w", addr, err)
		}
		cl = smtp.NewClient(tc)
	case TLSStartTLS:
		cl, err = smtp.NewClientStartTLS(conn, tlsConf)
		if err != nil {
			stop()
			conn.Close()
			return nil, nil, fmt.Errorf("smtp starttls %s: %w", addr, err)
		}
	default:
		cl = smtp.NewClient(conn)
	}
	if s.Username != "" {
		if err := cl.Auth(sasl.NewPlainClient("", s.Username, s.Password)); err != nil {
			stop()
			cl.Close()
			return nil, nil, SMTPError("smtp auth", err)
		}
	}
	return cl, func() { cl.Close(); stop() }, nil
}
