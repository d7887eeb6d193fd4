package imap

// The IMAP client side of the connector: TLS, dialling and logging in, the
// shared session, and listing the folders to sync.

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/stormdesk/stormdesk/backend/channels"
)

func (c *Connector) tlsConfig(host string) *tls.Config {
	if c.cfg.TLSConfig != nil {
		tc := c.cfg.TLSConfig.Clone()
		if tc.ServerName == "" {
			tc.ServerName = host
		}
		return tc
	}
	return &tls.Config{ServerName: host}
}

// dial connects and logs in. Closing the connection when ctx ends makes any
// command in flight fail instead of hanging.
func (c *Connector) dial(ctx context.Context, handler *imapclient.UnilateralDataHandler) (*imapclient.Client, error) {
	addr := net.JoinHostPort(c.cfg.Host, strconv.Itoa(c.cfg.Port))
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, transient(fmt.Errorf("imap dial %s: %w", addr, err))
	}
	opts := &imapclient.Options{TLSConfig: c.tlsConfig(c.cfg.Host), UnilateralDataHandler: handler}
	var cl *imapclient.Client
	switch c.cfg.TLS {
	case TLSImplicit:
		tc := tls.Client(conn, opts.TLSConfig)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, fmt.Errorf("imap tls %s: %w", addr, err)
		}
		cl = imapclient.New(tc, opts)
	case TLSStartTLS:
		cl, err = imapclient.NewStartTLS(conn, opts)
		if err != nil {
			conn.Close()
			return nil, fmt.Errorf("imap starttls %s: %w", addr, err)
		}
	default:
		cl = imapclient.New(conn, opts)
	}
	stop := context.AfterFunc(ctx, func() { cl.Close() })
	defer stop()
	if err := cl.WaitGreeting(); err != nil {
		cl.Close()
		return nil, transient(fmt.Errorf("imap greeting %s: %w", addr, err))
	}
	if err := cl.Login(c.cfg.Username, c.cfg.Password).Wait(); err != nil {
		cl.Close()
		var ie *imap.Error
		if errors.As(err, &ie) && (ie.Code == imap.ResponseCodeAuthenticationFailed || ie.Type == imap.StatusResponseTypeNo) {
			return nil, &channels.APIError{Platform: "imap", Message: ie.Text, Kind: channels.Auth}
		}
		return nil, transient(fmt.Errorf("imap login %s: %w", addr, err))
	}
	return cl, nil
}

// session runs f on the shared connection, connecting when needed. Any error
// drops the connection, so the next call starts clean.
func (c *Connector) session(ctx context.Context, f func(cl *imapclient.Client) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.client != nil {
		select {
		case <-c.client.Closed():
			c.client = nil
		default:
		}
	}
	if c.client == nil {
		cl, err := c.dial(ctx, nil)
		if err != nil {
			return err
		}
		c.client = cl
	}
	cl := c.client
	stop := context.AfterFunc(ctx, func() { cl.Close() })
	err := f(cl)
	if !stop() || err != nil {
		cl.Close()
		c.client = nil
	}
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("%w (%v)", ctx.Err(), err)
	}
	return err
}

// transient marks network failures as retryable for the scheduler.
func transient(err error) error {
	return &channels.APIError{Platform: "imap", Message: err.Error(), Kind: channels.Transient}
}

// specialFolders returns the mailbox names with a SPECIAL-USE attribute.
func specialFolders(cl *imapclient.Client) (map[imap.MailboxAttr]string, []*imap.ListData, error) {
	opts := &imap.ListOptions{}
	if cl.Caps().Has(imap.CapSpecialUse) {
		opts.ReturnSpecialUse = true
	}
	list, err := cl.List("", "*", opts).Collect()
	if err != nil {
		return nil, nil, fmt.Errorf("imap list: %w", err)
	}
	special := map[imap.MailboxAttr]string{}
	for _, m := range list {
		for _, a := range m.Attrs {
			switch a {
			case imap.MailboxAttrSent, imap.MailboxAttrJunk, imap.MailboxAttrTrash, imap.MailboxAttrDrafts, imap.MailboxAttrAll:
				special[a] = m.Mailbox
			}
		}
	}
	return special, list, nil
}

func (c *Connector) folders(cl *imapclient.Client) ([]string, error) {
	if !(len(c.cfg.Folders) == 1 && c.cfg.Folders[0] == "*") {
		return c.cfg.Folders, nil
	}
	_, list, err := specialFolders(cl)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range list {
		skip := false
		for _, a := range m.Attrs {
			switch a {
			case imap.MailboxAttrNoSelect, imap.MailboxAttrNonExistent:
				skip = true
			case imap.MailboxAttrSent, imap.MailboxAttrJunk, imap.MailboxAttrTrash, imap.MailboxAttrDrafts, imap.MailboxAttrAll:
				skip = skip || !c.cfg.IncludeSpecial
			}
		}
		if !skip {
			out = append(out, m.Mailbox)
		}
	}
	return out, nil
}
