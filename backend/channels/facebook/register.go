package facebook

import (
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/graph"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Kind is the channel this package connects.
const Kind = inbox.ChannelFacebook

// Secrets lists the secrets a Facebook Page needs: the user token.
func Secrets() []channels.Secret { return graph.UserTokenSecrets() }

// Open builds the connector of one account (settings graph.PageSettings) for the registry.
func Open(s channels.Setup) (channels.Connector, error) {
	pc, err := graph.PageSetup(s)
	if err != nil {
		return nil, err
	}
	return s.Opened(New(Config{PageConfig: pc}))
}
