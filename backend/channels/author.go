package channels

import (
	"context"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// AuthorLookup is implemented by connectors that can name a person from the
// id alone. Meta's Messenger and Instagram webhooks carry only the sender's
// page-scoped id; the team server asks the platform for the name when the
// webhook arrives instead of showing a number until the next poll.
type AuthorLookup interface {
	// LookupAuthor returns the author the connector's poll would give the
	// person with this platform id.
	LookupAuthor(ctx context.Context, personID string) (inbox.Author, error)
}
