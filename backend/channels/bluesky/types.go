package bluesky

import (
	"time"
)

// Collection is the record collection of posts.
const Collection = "app.bsky.feed.post"

// StrongRef points at one version of a record (com.atproto.repo.strongRef).
type StrongRef struct {
	URI string `json:"uri"`
	CID string `json:"cid"`
}

// ReplyRef is a post record's place in a thread.
type ReplyRef struct {
	Root   StrongRef `json:"root"`
	Parent StrongRef `json:"parent"`
}

// PostRecord is an app.bsky.feed.post record, as far as the inbox reads it.
type PostRecord struct {
	Type      string    `json:"$type,omitempty"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"createdAt"`
	Langs     []string  `json:"langs,omitempty"`
	Reply     *ReplyRef `json:"reply,omitempty"`
}

// Author is a profile view.
type Author struct {
	DID         string `json:"did"`
	Handle      string `json:"handle"`
	DisplayName string `json:"displayName"`
}

// Notification is one app.bsky.notification.listNotifications entry; its
// record is the notifying post itself for mentions, replies and quotes.
type Notification struct {
	URI       string     `json:"uri"`
	CID       string     `json:"cid"`
	Author    Author     `json:"author"`
	Reason    string     `json:"reason"`
	Record    PostRecord `json:"record"`
	IndexedAt time.Time  `json:"indexedAt"`
}

type notificationsAnswer struct {
	Cursor        string          `json:"cursor"`
	Notifications *[]Notification `json:"notifications"`
}

// PostView is a post as app.bsky.feed.getPosts answers it.
type PostView struct {
	URI    string     `json:"uri"`
	CID    string     `json:"cid"`
	Author Author     `json:"author"`
	Record PostRecord `json:"record"`
}

type postsAnswer struct {
	Posts []PostView `json:"posts"`
}

type createAnswer struct {
	URI string `json:"uri"`
	CID string `json:"cid"`
}

type recordAnswer struct {
	URI   string     `json:"uri"`
	CID   string     `json:"cid"`
	Value PostRecord `json:"value"`
}

// cursor is the connector's position in the notifications: Mark is the
// newest indexedAt delivered and Seen the URIs delivered at exactly Mark
// (several notifications can share a time). While a catch-up larger than a
// Fetch is under way, Next is listNotifications' cursor to go on from, and
// Top/TopSeen the newest notification of that catch-up, which becomes the
// mark once it reaches the old one.
type cursor struct {
	Mark    time.Time `json:"m,omitzero"`
	Seen    []string  `json:"s,omitempty"`
	Next    string    `json:"n,omitempty"`
	Top     time.Time `json:"t,omitzero"`
	TopSeen []string  `json:"ts,omitempty"`
}
