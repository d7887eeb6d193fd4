package imap

// What the mail channel reads and hands back beyond channels.Batch: its
// cursor (per folder: UIDVALIDITY, last UID, CONDSTORE mod-sequence) and a
// sync's progress and flag changes.

import (
	"encoding/json"
	"fmt"

	"github.com/stormdesk/stormdesk/backend/channels"
)

// Cursor is the sync position: one entry per folder.
type Cursor struct {
	Folders map[string]FolderCursor `json:"folders"`
}

// FolderCursor is where the sync of one folder stands.
type FolderCursor struct {
	UIDValidity uint32 `json:"uidValidity"`
	LastUID     uint32 `json:"lastUid"`
	// HighestModSeq is the folder's HIGHESTMODSEQ when flag changes were last
	// read (CONDSTORE); 0 when the server does not offer it.
	HighestModSeq uint64 `json:"highestModSeq,omitempty"`
	// Retry lists messages at or below LastUID that the server still holds but
	// did not deliver; every sync asks for them again. The cursor moves past
	// them so one unreadable message cannot stall the folder.
	Retry []uint32 `json:"retry,omitempty"`
}

// ParseCursor reads a cursor string; "" is the start of a first sync.
func ParseCursor(s string) (Cursor, error) {
	c := Cursor{Folders: map[string]FolderCursor{}}
	if s == "" {
		return c, nil
	}
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return c, fmt.Errorf("imap cursor: %w", err)
	}
	if c.Folders == nil {
		c.Folders = map[string]FolderCursor{}
	}
	return c, nil
}

func (c Cursor) String() string {
	b, _ := json.Marshal(c)
	return string(b)
}

// Progress tells how far a sync is: messages fetched so far and on the server.
type Progress struct {
	Fetched int `json:"fetched"`
	Total   int `json:"total"`
}

// FlagChange is a change of IMAP flags (\Seen, \Answered, \Flagged, \Deleted,
// keywords) on a message synced before, read with CONDSTORE.
type FlagChange struct {
	Folder string
	UID    uint32
	// ExternalID is the item's ExternalID (normalized Message-ID, or the
	// content hash for messages without one).
	ExternalID string
	Flags      []string
}

// SyncResult is a Batch plus what the mail channel knows beyond it.
type SyncResult struct {
	channels.Batch
	Progress    Progress
	FlagChanges []FlagChange
	// Resynced lists folders whose UIDVALIDITY changed and that are fetched
	// again from the start (items dedupe by Message-ID).
	Resynced []string
}
