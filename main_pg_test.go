package main

import (
	"os"
	"testing"

	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
)

// TestMain stops the PostgreSQL cluster a test or benchmark of this package
// started (backend/testutil/pgtest).
func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }
