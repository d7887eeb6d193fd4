// Package instances holds the tests of several Stormdesk server instances on
// one PostgreSQL database: each instance is this package's test binary run
// again as a child process (TestHelperInstance), opening the workspace on the
// shared database with sealed secrets and running the server's loops, and
// the tests kill them with SIGKILL while they send and sync. See
// docs/team.md, "Several instances".
package instances
