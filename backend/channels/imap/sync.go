package imap

import (
	"context"
	"fmt"
	"slices"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Fetch returns up to ChunkSize new messages across the folders.
func (c *Connector) Fetch(ctx context.Context, cursor string) (channels.Batch, error) {
	r, err := c.Sync(ctx, cursor)
	b := r.Batch
	if r.Progress.Total > r.Progress.Fetched {
		b.Remaining = r.Progress.Total - r.Progress.Fetched
	}
	return b, err
}

// Sync is Fetch with progress, flag changes and resynced folders.
func (c *Connector) Sync(ctx context.Context, cursor string) (SyncResult, error) {
	cur, err := ParseCursor(cursor)
	if err != nil {
		return SyncResult{}, err
	}
	var res SyncResult
	err = c.session(ctx, func(cl *imapclient.Client) error {
		folders, err := c.folders(cl)
		if err != nil {
			return err
		}
		budget := c.cfg.ChunkSize
		for _, f := range folders {
			if err := ctx.Err(); err != nil {
				return err
			}
			n, err := c.syncFolder(ctx, cl, f, &cur, &res, budget)
			if err != nil {
				return err
			}
			budget -= n
		}
		return nil
	})
	if err != nil {
		return SyncResult{}, err
	}
	res.Cursor = cur.String()
	return res, nil
}

func (c *Connector) syncFolder(ctx context.Context, cl *imapclient.Client, folder string, cur *Cursor, res *SyncResult, budget int) (int, error) {
	condstore := cl.Caps().Has(imap.CapCondStore)
	sel, err := cl.Select(folder, &imap.SelectOptions{ReadOnly: true, CondStore: condstore}).Wait()
	if err != nil {
		return 0, fmt.Errorf("imap select %s: %w", folder, err)
	}
	fc := cur.Folders[folder]
	if fc.UIDValidity != sel.UIDValidity {
		if fc.UIDValidity != 0 {
			c.log.Info("uidvalidity changed, resyncing folder", "folder", folder, "old", fc.UIDValidity, "new", sel.UIDValidity)
			res.Resynced = append(res.Resynced, folder)
		}
		fc = FolderCursor{UIDValidity: sel.UIDValidity, HighestModSeq: sel.HighestModSeq}
	}
	res.Progress.Total += int(sel.NumMessages)

	if condstore && fc.LastUID > 0 && fc.HighestModSeq > 0 && sel.HighestModSeq > fc.HighestModSeq {
		changes, err := c.flagChanges(cl, folder, fc)
		if err != nil {
			return 0, err
		}
		res.FlagChanges = append(res.FlagChanges, changes...)
		fc.HighestModSeq = sel.HighestModSeq
	}

	retried, before := 0, len(res.Items)
	if len(fc.Retry) > 0 {
		again := make([]imap.UID, 0, len(fc.Retry))
		for _, u := range fc.Retry {
			again = append(again, imap.UID(u))
		}
		stuck, err := c.fetchMessages(ctx, cl, folder, again, res)
		if err != nil {
			return 0, err
		}
		retried = len(again)
		fc.Retry = uint32s(stuck)
	}

	var uids []imap.UID
	if sel.NumMessages > 0 {
		data, err := cl.UIDSearch(&imap.SearchCriteria{UID: []imap.UIDSet{{imap.UIDRange{Start: imap.UID(fc.LastUID + 1), Stop: 0}}}}, nil).Wait()
		if err != nil {
			return 0, fmt.Errorf("imap search %s: %w", folder, err)
		}
		for _, u := range data.AllUIDs() {
			// "n:*" always matches the highest UID, even below n.
			if uint32(u) > fc.LastUID {
				uids = append(uids, u)
			}
		}
		slices.Sort(uids)
	}
	// Everything on the server is fetched by now except the new uids and the
	// messages still to retry; retried ones that arrived were counted as items.
	res.Progress.Fetched += int(sel.NumMessages) - len(uids) - len(fc.Retry) - (len(res.Items) - before)
	if len(uids) > budget {
		uids = uids[:max(budget, 0)]
		res.More = true
	}
	if len(uids) > 0 {
		stuck, err := c.fetchMessages(ctx, cl, folder, uids, res)
		if err != nil {
			return 0, err
		}
		fc.Retry = append(fc.Retry, uint32s(stuck)...)
		// Shown in the sync status once, when first missed, not at every retry.
		res.Skipped += len(stuck)
		fc.LastUID = max(fc.LastUID, uint32(uids[len(uids)-1]))
	}
	cur.Folders[folder] = fc
	return len(uids) + retried, nil
}

func uint32s(uids []imap.UID) []uint32 {
	out := make([]uint32, 0, len(uids))
	for _, u := range uids {
		out = append(out, uint32(u))
	}
	return out
}

// fetchMessages turns each of uids into an item. A message that does not
// answer is asked for once more; stuck lists those the server still holds
// after that, for the cursor's retry list. Messages expunged meanwhile are
// gone and not listed.
func (c *Connector) fetchMessages(ctx context.Context, cl *imapclient.Client, folder string, uids []imap.UID, res *SyncResult) (stuck []imap.UID, err error) {
	missing, err := c.fetchInto(cl, folder, uids, res)
	if err != nil || len(missing) == 0 {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if missing, err = c.fetchInto(cl, folder, missing, res); err != nil || len(missing) == 0 {
		return nil, err
	}
	data, err := cl.UIDSearch(&imap.SearchCriteria{UID: []imap.UIDSet{imap.UIDSetNum(missing...)}}, nil).Wait()
	if err != nil {
		return nil, fmt.Errorf("imap search %s: %w", folder, err)
	}
	stuck = data.AllUIDs()
	if len(stuck) > 0 {
		c.log.Warn("imap server holds messages it did not deliver; retrying at the next sync", "folder", folder, "uids", stuck)
	}
	return stuck, nil
}

// fetchInto fetches uids and appends their items to res; missing lists the
// uids that yielded no message.
func (c *Connector) fetchInto(cl *imapclient.Client, folder string, uids []imap.UID, res *SyncResult) (missing []imap.UID, err error) {
	body := &imap.FetchItemBodySection{Peek: true, Partial: &imap.SectionPartial{Offset: 0, Size: c.cfg.MaxMessageBytes}}
	cmd := cl.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{
		UID: true, RFC822Size: true, InternalDate: true, BodySection: []*imap.FetchItemBodySection{body},
	})
	defer cmd.Close()
	got := make(map[imap.UID]bool, len(uids))
	for {
		msg := cmd.Next()
		if msg == nil {
			break
		}
		buf, err := msg.Collect()
		if err != nil {
			return nil, fmt.Errorf("imap fetch %s: %w", folder, err)
		}
		raw := buf.FindBodySection(body)
		if raw == nil || buf.UID == 0 || got[buf.UID] {
			// A flag update the server pushed meanwhile, or an empty answer:
			// not a message, and the uid stays missing unless it answers.
			continue
		}
		got[buf.UID] = true
		it := parse(raw, c.cfg.From, c.cfg.AllowRemoteImages).item
		// SentAt stays the sender's claim (zero when unreadable); ingest
		// falls back to when the server received the message.
		it.ReceivedAt = buf.InternalDate.UTC()
		if buf.RFC822Size > c.cfg.MaxMessageBytes {
			it.Flags = append(it.Flags, inbox.FlagTruncated)
		}
		res.Items = append(res.Items, it)
		res.Progress.Fetched++
	}
	if err := cmd.Close(); err != nil {
		return nil, fmt.Errorf("imap fetch %s: %w", folder, err)
	}
	for _, u := range uids {
		if !got[u] {
			missing = append(missing, u)
		}
	}
	return missing, nil
}

// flagChanges reads flags changed since the cursor's HIGHESTMODSEQ on
// messages already synced, with their ids.
func (c *Connector) flagChanges(cl *imapclient.Client, folder string, fc FolderCursor) ([]FlagChange, error) {
	hdr := &imap.FetchItemBodySection{Peek: true, Specifier: imap.PartSpecifierHeader}
	set := imap.UIDSet{imap.UIDRange{Start: 1, Stop: imap.UID(fc.LastUID)}}
	bufs, err := cl.Fetch(set, &imap.FetchOptions{UID: true, Flags: true, ModSeq: true, ChangedSince: fc.HighestModSeq, BodySection: []*imap.FetchItemBodySection{hdr}}).Collect()
	if err != nil {
		return nil, fmt.Errorf("imap fetch flag changes %s: %w", folder, err)
	}
	var out []FlagChange
	var needBody []imap.UID
	for _, b := range bufs {
		fl := make([]string, 0, len(b.Flags))
		for _, f := range b.Flags {
			fl = append(fl, string(f))
		}
		ch := FlagChange{Folder: folder, UID: uint32(b.UID), Flags: fl}
		p := parse(b.FindBodySection(hdr), "", true)
		if p.messageID != "" {
			ch.ExternalID = p.messageID
		} else {
			needBody = append(needBody, b.UID)
		}
		out = append(out, ch)
	}
	if len(needBody) > 0 {
		// Without a Message-ID the id is a hash over the body: fetch those few whole.
		body := &imap.FetchItemBodySection{Peek: true, Partial: &imap.SectionPartial{Size: c.cfg.MaxMessageBytes}}
		bufs, err := cl.Fetch(imap.UIDSetNum(needBody...), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{body}}).Collect()
		if err != nil {
			return nil, fmt.Errorf("imap fetch %s: %w", folder, err)
		}
		ids := map[uint32]string{}
		for _, b := range bufs {
			ids[uint32(b.UID)] = parse(b.FindBodySection(body), "", true).item.ExternalID
		}
		for i := range out {
			if out[i].ExternalID == "" {
				out[i].ExternalID = ids[out[i].UID]
			}
		}
	}
	return out, nil
}
