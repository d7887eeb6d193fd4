package listening

import (
	"slices"
	"time"
)

// Watermark is a position in a newest-first listing: everything published
// before At, and the items with IDs published exactly at At. As how far a
// source has read a listing whose time filter is inclusive (YouTube's
// publishedAfter, VK's start_time, a sweep's last delivered post), the next
// pass can ask from that time again without repeating those items or losing
// others of the same second. It is stored in sources' cursors (the one type
// for YouTube's, VK's and webapi's sweeps).
type Watermark struct {
	At  time.Time `json:"at,omitzero"`
	IDs []string  `json:"ids,omitempty"`
}

// Covers reports whether an item published at at with id was given already.
func (w Watermark) Covers(at time.Time, id string) bool {
	return at.Before(w.At) || (at.Equal(w.At) && slices.Contains(w.IDs, id))
}

// Add moves the mark on with an item given now.
func (w *Watermark) Add(at time.Time, id string) {
	switch {
	case at.After(w.At):
		w.At, w.IDs = at, []string{id}
	case at.Equal(w.At) && !slices.Contains(w.IDs, id):
		w.IDs = append(w.IDs, id)
	}
}

// Clone is a copy that shares no ids with w.
func (w Watermark) Clone() Watermark { return Watermark{At: w.At, IDs: slices.Clone(w.IDs)} }

// Reaches reports whether the item at at with id is at or above w.
func (w Watermark) Reaches(at time.Time, id string) bool {
	return at.After(w.At) || (at.Equal(w.At) && slices.Contains(w.IDs, id))
}

// Lower moves the mark down to the item at at with id when that is older
// (a zero mark takes any item): the floor of what a sweep delivered.
func (w *Watermark) Lower(at time.Time, id string) {
	switch {
	case w.At.IsZero() || at.Before(w.At):
		w.At, w.IDs = at, []string{id}
	case at.Equal(w.At) && !slices.Contains(w.IDs, id):
		w.IDs = append(w.IDs, id)
	}
}

// Merge is the later of two marks; at the same time their ids join.
func (w Watermark) Merge(b Watermark) Watermark {
	switch {
	case b.At.After(w.At):
		return b
	case w.At.After(b.At):
		return w
	}
	out := w.Clone()
	for _, id := range b.IDs {
		if id != "" && !slices.Contains(out.IDs, id) {
			out.IDs = append(out.IDs, id)
		}
	}
	return out
}
