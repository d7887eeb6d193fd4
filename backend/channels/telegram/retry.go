package telegram

import "github.com/stormdesk/stormdesk/backend/channels"

// Retry bounds how often and how long a call is retried (see channels.Retry).
type Retry = channels.Retry
