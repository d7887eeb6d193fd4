package listening

import (
	"slices"
	"time"
)

// Watermark is how far a source has read a newest-first listing whose time
// filter is inclusive (YouTube's publishedAfter, VK's start_time): the newest
// time given and the ids given at exactly that time, so the next pass can ask
// from that time again without repeating those items or losing others of the
// same second. It is stored in a source's cursor.
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
