package imap

import (
	"context"
	"fmt"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// idleRestart re-issues IDLE before servers' 30-minute inactivity timeout.
const idleRestart = 25 * time.Minute

// Watch blocks until ctx ends and calls notify when new mail or flag changes
// may be waiting. It IDLEs on the first folder when the server offers IDLE
// (one connection can IDLE on one folder only) and checks the other folders'
// STATUS every PollInterval between IDLEs; without IDLE it polls every folder's
// STATUS. After a dropped connection it
// reconnects with exponential backoff. notify runs once at the start when the
// server already has messages past cursor.
func (c *Connector) Watch(ctx context.Context, cursor string, notify func()) error {
	cur, err := ParseCursor(cursor)
	if err != nil {
		return err
	}
	fails := 0
	for {
		connected, err := c.watchOnce(ctx, cur, notify)
		if ctx.Err() != nil {
			return nil
		}
		if connected {
			fails = 0
		}
		wait := c.cfg.WatchBackoff.Backoff(fails)
		c.log.Warn("imap watch dropped, reconnecting", "err", err, "in", wait)
		if c.cfg.WatchBackoff.Sleep(ctx, wait) != nil {
			return nil
		}
		fails++
	}
}

// watchOnce runs one connection until it fails; connected reports that the
// login succeeded, which resets the backoff.
func (c *Connector) watchOnce(ctx context.Context, cur Cursor, notify func()) (connected bool, err error) {
	changed := make(chan struct{}, 1)
	signal := func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	}
	handler := &imapclient.UnilateralDataHandler{
		Mailbox: func(d *imapclient.UnilateralDataMailbox) {
			if d.NumMessages != nil {
				signal()
			}
		},
		Fetch:   func(*imapclient.FetchMessageData) { signal() },
		Expunge: func(uint32) { signal() },
	}
	cl, err := c.dial(ctx, handler)
	if err != nil {
		return false, err
	}
	defer cl.Close()
	stop := context.AfterFunc(ctx, func() { cl.Close() })
	defer stop()

	folders, err := c.folders(cl)
	if err != nil {
		return true, err
	}
	if c.behind(cl, folders, cur) {
		notify()
	}
	if !cl.Caps().Has(imap.CapIdle) {
		return true, c.poll(ctx, cl, folders, notify)
	}
	condstore := cl.Caps().Has(imap.CapCondStore)
	if _, err := cl.Select(folders[0], &imap.SelectOptions{ReadOnly: true, CondStore: condstore}).Wait(); err != nil {
		return true, fmt.Errorf("imap select %s: %w", folders[0], err)
	}
	// IDLE covers the first folder; the others are looked at when IDLE is paused.
	others := folders[1:]
	pause := idleRestart
	if len(others) > 0 {
		pause = min(idleRestart, c.cfg.PollInterval)
	}
	for {
		idle, err := cl.Idle()
		if err != nil {
			return true, fmt.Errorf("imap idle: %w", err)
		}
		if c.onIdle != nil {
			c.onIdle()
		}
		timer := time.NewTimer(pause)
		checkOthers := false
		select {
		case <-ctx.Done():
			timer.Stop()
			idle.Close()
			return true, ctx.Err()
		case <-cl.Closed():
			timer.Stop()
			return true, fmt.Errorf("imap idle: connection closed")
		case <-changed:
			timer.Stop()
			if err := idle.Close(); err != nil {
				return true, fmt.Errorf("imap idle done: %w", err)
			}
			notify()
		case <-timer.C:
			if err := idle.Close(); err != nil {
				return true, fmt.Errorf("imap idle done: %w", err)
			}
			checkOthers = true
		}
		if err := idle.Wait(); err != nil {
			return true, fmt.Errorf("imap idle: %w", err)
		}
		if checkOthers && len(others) > 0 && c.behind(cl, others, cur) {
			notify()
		}
	}
}

// behind reports whether any folder has mail past the cursor or a new UIDVALIDITY.
func (c *Connector) behind(cl *imapclient.Client, folders []string, cur Cursor) bool {
	for _, f := range folders {
		st, err := cl.Status(f, &imap.StatusOptions{UIDNext: true, UIDValidity: true}).Wait()
		if err != nil {
			continue
		}
		fc := cur.Folders[f]
		if st.UIDValidity != fc.UIDValidity || uint32(st.UIDNext) > fc.LastUID+1 {
			return true
		}
	}
	return false
}

// poll is the fallback without IDLE: STATUS every PollInterval, notify on change.
func (c *Connector) poll(ctx context.Context, cl *imapclient.Client, folders []string, notify func()) error {
	last := map[string]imap.StatusData{}
	opts := &imap.StatusOptions{UIDNext: true, UIDValidity: true, NumMessages: true}
	if cl.Caps().Has(imap.CapCondStore) {
		opts.HighestModSeq = true
	}
	t := time.NewTicker(c.cfg.PollInterval)
	defer t.Stop()
	for {
		changed := false
		for _, f := range folders {
			st, err := cl.Status(f, opts).Wait()
			if err != nil {
				return fmt.Errorf("imap status %s: %w", f, err)
			}
			if prev, ok := last[f]; ok && (prev.UIDNext != st.UIDNext || prev.UIDValidity != st.UIDValidity ||
				prev.HighestModSeq != st.HighestModSeq || *prev.NumMessages != *st.NumMessages) {
				changed = true
			}
			last[f] = *st
		}
		if changed {
			notify()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}
