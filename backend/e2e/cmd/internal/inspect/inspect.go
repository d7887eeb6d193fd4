// Package inspect is what the test fakes' commands (fakeapi, wafake) share:
// serving their inspection endpoints beside the fake until they are stopped.
package inspect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Serve serves mux on ln, prints line (with "inspect" set to ln's address)
// as one JSON line for the test that started the command, and returns when
// ctx ends (after shutting down) or the server fails.
func Serve(ctx context.Context, ln net.Listener, mux http.Handler, line map[string]string) error {
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	line["inspect"] = "http://" + ln.Addr().String()
	b, err := json.Marshal(line)
	if err != nil {
		return err
	}
	fmt.Println(string(b))

	select {
	case <-ctx.Done():
	case err := <-served:
		return fmt.Errorf("inspection server: %w", err)
	}
	sctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
