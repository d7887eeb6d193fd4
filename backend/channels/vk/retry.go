package vk

import "github.com/stormdesk/stormdesk/backend/channels"

// Backoff bounds how a failed call is retried (see channels.Backoff).
type Backoff = channels.Backoff
