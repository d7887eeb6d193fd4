package imap

import (
	"errors"

	"github.com/stormdesk/stormdesk/backend/channels"
)

func errorsIsAuth(err error) bool { return errors.Is(err, channels.ErrAuth) }
