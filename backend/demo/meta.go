package demo

import (
	"hash/fnv"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// instagramRequest is the flag the Instagram connector gives a message from
// someone who does not follow the account (instagram.FlagMessageRequest; not
// imported, so the demo stays free of connector packages).
const instagramRequest = "message-request"

// markRequests flags the customer's messages of about a third of the
// Instagram conversations nobody answered as message requests, as the
// connector does for senders who do not follow the account. Which ones is
// decided by the thread key, so the data stays the same for a seed.
func markRequests(items []inbox.Item) {
	answered := map[string]bool{}
	for _, it := range items {
		if it.Direction == inbox.DirectionOut {
			answered[it.ThreadKey] = true
		}
	}
	for i, it := range items {
		if it.Direction != inbox.DirectionIn || answered[it.ThreadKey] {
			continue
		}
		h := fnv.New32a()
		h.Write([]byte(it.ThreadKey))
		if h.Sum32()%3 == 0 {
			items[i].Flags = append(items[i].Flags, instagramRequest)
		}
	}
}
