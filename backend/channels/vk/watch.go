package vk

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// The Bots Long Poll session lives here: Fetch reads events through it and
// Watch waits on it, so both recover from expired keys the same way.

// poll runs one a_check, recovering from the documented failed codes.
func (c *Connector) poll(ctx context.Context, ts Num, wait time.Duration) (LongPollResponse, error) {
	s, err := c.currentServer(ctx)
	if err != nil {
		return LongPollResponse{}, err
	}
	for range 4 {
		resp, err := c.api.Check(ctx, s, ts, wait)
		if err != nil {
			return resp, err
		}
		switch resp.Failed {
		case 0:
			return resp, nil
		case 1:
			// Part of the event history is gone; continue from VK's ts.
			c.log.Warn("vk: long-poll history was partly lost; some events may be missing", "ts", ts, "new_ts", resp.TS)
			if resp.TS == "" {
				return resp, errors.New("vk long poll: failed=1 without a new ts")
			}
			ts = resp.TS
		case 2:
			// Key expired: new key, same position.
			if s, err = c.freshServer(ctx); err != nil {
				return resp, err
			}
		case 3:
			// Key and position lost: events in between cannot be recovered.
			c.log.Warn("vk: long-poll position lost; events since the last sync may be missing")
			if s, err = c.freshServer(ctx); err != nil {
				return resp, err
			}
			ts = s.TS
		default:
			return resp, fmt.Errorf("vk long poll: unknown failed code %d", resp.Failed)
		}
	}
	return LongPollResponse{}, errors.New("vk long poll: the server keeps refusing the key; try again later")
}

func (c *Connector) currentServer(ctx context.Context) (LongPollServer, error) {
	c.mu.Lock()
	s := c.server
	c.mu.Unlock()
	if s.Key != "" {
		return s, nil
	}
	return c.freshServer(ctx)
}

func (c *Connector) freshServer(ctx context.Context) (LongPollServer, error) {
	s, err := c.api.GetLongPollServer(ctx, c.cfg.GroupID)
	if err != nil {
		return s, err
	}
	c.mu.Lock()
	c.server = s
	c.mu.Unlock()
	return s, nil
}

// Watch long-polls with VK's 25 s wait and calls notify when events are
// waiting. It keeps its own position, so Fetch still sees every event.
func (c *Connector) Watch(ctx context.Context, raw string, notify func()) error {
	cur, err := parseCursor(raw)
	if err != nil {
		return fmt.Errorf("vk watch: %w", err)
	}
	ts := cur.TS
	if ts == "" {
		notify()
		return nil
	}
	for {
		resp, err := c.poll(ctx, ts, 25*time.Second)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			return err
		}
		if len(resp.Updates) > 0 {
			notify()
		}
		ts = resp.TS
	}
}
