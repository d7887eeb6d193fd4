package cli

import (
	"os"
	"testing"

	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
)

// TestMain stops the PostgreSQL cluster the team-store tests start.
func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }
