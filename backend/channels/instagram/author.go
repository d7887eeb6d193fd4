package instagram

import (
	"context"
	"fmt"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/graph"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

var _ channels.AuthorLookup = (*Connector)(nil)

// LookupAuthor names the person with Instagram-scoped id igsid through the
// User Profile API, the way Fetch names a conversation's participant.
func (c *Connector) LookupAuthor(ctx context.Context, igsid string) (inbox.Author, error) {
	tok, _, err := c.session(ctx)
	if err != nil {
		return inbox.Author{}, fmt.Errorf("instagram profile %s: %w", igsid, err)
	}
	p, err := c.profile(ctx, tok, igsid)
	if err != nil {
		return inbox.Author{}, fmt.Errorf("instagram profile %s: %w", igsid, c.page.Forget(err))
	}
	person := graph.Participant{ID: igsid, Name: p.Name, Username: p.Username}
	handle := ""
	if p.Username != "" {
		handle = "@" + p.Username
	}
	return inbox.Author{Channel: inbox.ChannelInstagram, ExternalID: igsid, Handle: handle, DisplayName: person.Label()}, nil
}
