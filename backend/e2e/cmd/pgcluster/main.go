// Command pgcluster starts a throwaway PostgreSQL cluster for the browser
// tests (backend/testutil/pgtest: a temporary directory, run as nobody when
// started as root), prints one JSON line
//
//	{"dsn":"postgres://stormdesk@127.0.0.1:PORT/stormdesk?sslmode=disable"}
//
// and stops the cluster, removing its files, when its stdin closes (the test
// process ended, however it ended) or on SIGINT or SIGTERM.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "pgcluster: %v\n", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	dsn, stopCluster, err := pgtest.Standalone("stormdesk")
	if err != nil {
		return err
	}
	defer stopCluster()
	line, err := json.Marshal(map[string]string{"dsn": dsn})
	if err != nil {
		return err
	}
	fmt.Println(string(line))
	stdinClosed := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		close(stdinClosed)
	}()
	select {
	case <-ctx.Done():
	case <-stdinClosed:
	}
	return nil
}
