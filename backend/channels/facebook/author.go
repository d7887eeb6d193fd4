package facebook

import (
	"context"
	"fmt"
	"net/url"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/graph"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

var _ channels.AuthorLookup = (*Connector)(nil)

// UserProfile is what Messenger's User Profile API gives of a person who
// wrote to the Page (GET /{PSID}?fields=name,first_name,last_name).
type UserProfile struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
}

// LookupAuthor names the person with page-scoped id psid the way Fetch
// names a conversation's participant.
func (c *Connector) LookupAuthor(ctx context.Context, psid string) (inbox.Author, error) {
	tok, err := c.pageToken(ctx)
	if err != nil {
		return inbox.Author{}, fmt.Errorf("facebook profile %s: %w", psid, err)
	}
	var p UserProfile
	q := url.Values{"fields": {"name,first_name,last_name"}}
	if err := c.api.Get(ctx, tok, psid, q, PermMessaging, &p); err != nil {
		return inbox.Author{}, fmt.Errorf("facebook profile %s: %w", psid, c.forget(err))
	}
	name := p.Name
	if name == "" {
		name = graph.Participant{ID: psid, Name: joinName(p.FirstName, p.LastName)}.Label()
	}
	return inbox.Author{Channel: inbox.ChannelFacebook, ExternalID: psid, DisplayName: name, Handle: name}, nil
}

func joinName(first, last string) string {
	switch {
	case first == "":
		return last
	case last == "":
		return first
	}
	return first + " " + last
}
