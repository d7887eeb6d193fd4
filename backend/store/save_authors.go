package store

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// authorFacts are what SLA rules match on about an author.
type authorFacts struct {
	reach int64
	vip   bool
}

// authorKey is the author's stable id on the channel: the platform id, else the handle.
func authorKey(a *inbox.Author) string {
	if a.ExternalID != "" {
		return a.ExternalID
	}
	return a.Handle
}

func (b *batch) saveAuthors(fr []fresh) error {
	type profile struct {
		key          string
		handle, name string
		reach        int64
		seen         int64
	}
	profiles := map[string]*profile{}
	var list []*profile
	for i := range fr {
		a, t := &fr[i].it.Author, fr[i].t
		key := authorKey(a)
		if key == "" {
			continue
		}
		p, ok := profiles[key]
		if !ok {
			p = &profile{key: key, seen: t}
			profiles[key] = p
			list = append(list, p)
		}
		newer := t >= p.seen
		if newer {
			p.seen = t
		}
		if a.Handle != "" && (newer || p.handle == "") {
			p.handle = a.Handle
		}
		if a.DisplayName != "" && (newer || p.name == "") {
			p.name = a.DisplayName
		}
		if a.Reach > 0 && (newer || p.reach == 0) {
			p.reach = a.Reach
		}
	}
	// An author is one row per channel, so saves of two accounts of a channel
	// (the team server syncs them at once) upsert the same rows; in the order
	// each batch met them, PostgreSQL saw one take x then wait for y while the
	// other held y and waited for x, and aborted one (deadlock). Upserted in
	// key order, the rows are locked in one order by every batch.
	slices.SortFunc(list, func(x, y *profile) int { return strings.Compare(x.key, y.key) })
	err := chunks(len(list), chunkAuthors, func(lo, hi int) error {
		st, err := b.multi(sqlUpsertAuthors, hi-lo, 6)
		if err != nil {
			return err
		}
		args := make([]any, 0, 6*(hi-lo))
		for _, p := range list[lo:hi] {
			args = append(args, b.channel, p.key, p.handle, p.name, p.reach, p.seen)
		}
		rows, err := st.QueryContext(b.ctx, args...)
		if err != nil {
			return fmt.Errorf("authors: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id, reach int64
			var key string
			var vip bool
			if err := rows.Scan(&id, &key, &reach, &vip); err != nil {
				return fmt.Errorf("authors: %w", err)
			}
			b.authors[key] = id
			b.facts[id] = authorFacts{reach: reach, vip: vip}
		}
		return rows.Err()
	})
	if err != nil {
		return err
	}
	for i := range fr {
		if key := authorKey(&fr[i].it.Author); key != "" {
			id, ok := b.authors[key]
			if !ok {
				return fmt.Errorf("author %q: no id returned", key)
			}
			fr[i].authorID = id
		}
	}
	return nil
}
