package workspace

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// WebhookAuthors names the senders of Messenger and Instagram webhook DMs,
// which carry only the sender's page-scoped id: when the webhook arrives the
// account's connector asks the platform's User Profile API, so the inbox
// shows a name at once rather than a number until the next poll. Names are
// cached per account and sender (one lookup per person, not per message); a
// failed lookup keeps the id as the name (the message is stored all the
// same) and is not retried for a while, so a burst from one person whose
// profile is unreadable does not call Meta for each message.
type WebhookAuthors struct {
	// Timeout bounds one lookup: Meta resends a webhook that is not answered
	// within about 20 s, and storing must not wait on a slow profile call.
	// 0 = 5 s.
	Timeout time.Duration
	// TTL is how long a name is kept (0 = 24 h); a failure is kept a tenth of it.
	TTL time.Duration
	Now func() time.Time // nil = time.Now
	Log *slog.Logger     // nil = discard

	mu    sync.Mutex
	cache map[authorKey]cachedAuthor
}

type authorKey struct {
	account int64
	person  string
}

type cachedAuthor struct {
	author inbox.Author
	found  bool
	until  time.Time
}

func (wa *WebhookAuthors) now() time.Time {
	if wa.Now == nil {
		return time.Now()
	}
	return wa.Now()
}

func (wa *WebhookAuthors) log() *slog.Logger {
	if wa.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return wa.Log
}

// idOnly says whether it is a customer's DM whose author is known by id
// alone (what metahook makes of a Messenger or Instagram messaging event).
func idOnly(a inbox.Account, it inbox.Item) bool {
	return (a.Channel == inbox.ChannelFacebook || a.Channel == inbox.ChannelInstagram) &&
		it.Kind == inbox.KindDM && it.Direction == inbox.DirectionIn &&
		it.Author.ExternalID != "" && it.Author.DisplayName == it.Author.ExternalID
}

// fill replaces id-only authors of items with looked-up ones. open gives the
// account's connector and is called at most once, only when a sender is not
// cached. Nothing here fails the webhook.
func (wa *WebhookAuthors) fill(ctx context.Context, a inbox.Account, items []inbox.Item, open func(context.Context) (channels.Connector, error)) {
	var lookup channels.AuthorLookup
	opened := false
	for i := range items {
		it := &items[i]
		if !idOnly(a, *it) {
			continue
		}
		key := authorKey{a.ID, it.Author.ExternalID}
		if c, ok := wa.cached(key); ok {
			if c.found {
				it.Author = c.author
			}
			continue
		}
		if !opened {
			opened = true
			conn, err := open(ctx)
			if err != nil {
				wa.log().Warn("webhook: no connector to name senders; ids are shown until the poll", "account", a.Name, "err", err)
			} else if l, ok := conn.(channels.AuthorLookup); ok {
				lookup = l
			}
		}
		if lookup == nil {
			continue
		}
		author, err := wa.lookup(ctx, lookup, it.Author.ExternalID)
		if err != nil {
			wa.log().Warn("webhook: sender's profile unreadable; the id is shown until the poll", "account", a.Name, "sender", it.Author.ExternalID, "err", err)
			wa.store(key, cachedAuthor{until: wa.now().Add(wa.ttl() / 10)})
			continue
		}
		wa.store(key, cachedAuthor{author: author, found: true, until: wa.now().Add(wa.ttl())})
		it.Author = author
	}
}

func (wa *WebhookAuthors) ttl() time.Duration {
	if wa.TTL <= 0 {
		return 24 * time.Hour
	}
	return wa.TTL
}

func (wa *WebhookAuthors) lookup(ctx context.Context, l channels.AuthorLookup, id string) (inbox.Author, error) {
	d := wa.Timeout
	if d <= 0 {
		d = 5 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	return l.LookupAuthor(ctx, id)
}

func (wa *WebhookAuthors) cached(k authorKey) (cachedAuthor, bool) {
	wa.mu.Lock()
	defer wa.mu.Unlock()
	c, ok := wa.cache[k]
	if !ok || !wa.now().Before(c.until) {
		return cachedAuthor{}, false
	}
	return c, true
}

func (wa *WebhookAuthors) store(k authorKey, c cachedAuthor) {
	wa.mu.Lock()
	defer wa.mu.Unlock()
	if wa.cache == nil {
		wa.cache = map[authorKey]cachedAuthor{}
	}
	// Senders come and go: once the map is sizeable, expired entries leave as
	// new ones arrive, so a long-running server keeps about a TTL's worth of
	// senders rather than every one it ever saw.
	if len(wa.cache) >= authorCacheSweepAt {
		now := wa.now()
		for key, v := range wa.cache {
			if !now.Before(v.until) {
				delete(wa.cache, key)
			}
		}
	}
	wa.cache[k] = c
}

// authorCacheSweepAt is the cache size from which storing drops expired entries.
const authorCacheSweepAt = 256
