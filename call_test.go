package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// Every bound call hands the page an encoded error: the code the UI words in
// the user's language, its parameters, and Go's text as the detail.
func TestCallEncodesEveryError(t *testing.T) {
	opening := &App{} // no workspace yet: the database is still opening
	failedOpen := &App{openErr: fmt.Errorf("open database: %w", store.ErrCorrupt)}
	var composer *workspace.Composer
	fromPart := func(err error) error {
		_, got := callOn(opening, func() (int, error) { return 0, err }, func(context.Context, int) (int, error) { return 1, nil })
		return got
	}
	ran := func(err error) error {
		return doOn(&App{}, func() (int, error) { return 0, nil }, func(context.Context, int) error { return err })
	}
	cases := []struct {
		name   string
		err    error
		code   string
		params map[string]string
		detail string
	}{
		{"call before the database opened", func() error {
			_, err := call(opening, func(context.Context, *workspace.Workspace) (int, error) { return 1, nil })
			return err
		}(), apperr.CodeStarting, map[string]string{"what": "database"}, "the database is still opening"},
		{"do when opening failed shows Go's text", do(failedOpen, func(context.Context, *workspace.Workspace) error { return nil }),
			apperr.CodeInternal, map[string]string{}, "open database: " + store.ErrCorrupt.Error()},
		{"a part not started yet", func() error {
			_, err := started(&App{ws: &workspace.Workspace{}}, &composer, "drafting")
			return fromPart(err)
		}(), apperr.CodeStarting, map[string]string{"what": "drafting"}, "drafting is starting"},
		{"refused connection from the work", ran(fmt.Errorf("sync acme: %w", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED})),
			apperr.CodeUnreachable, map[string]string{}, "sync acme: dial tcp: connection refused"},
		{"demo account names the account", ran(fmt.Errorf("no connector for account 4: %w", apperr.DemoAccount("aurora-air-mail", errors.New("demo data")))),
			apperr.CodeDemoAccount, map[string]string{"account": "aurora-air-mail"}, "no connector for account 4: demo data"},
		{"plain error keeps its text as the detail", ran(errors.New("tag name is too long")), apperr.CodeInternal, map[string]string{}, "tag name is too long"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, params, detail, ok := apperr.Decode(c.err.Error())
			if !ok {
				t.Fatalf("not encoded: %q", c.err)
			}
			if code != c.code || fmt.Sprint(params) != fmt.Sprint(c.params) || detail != c.detail {
				t.Errorf("got %s %v %q, want %s %v %q", code, params, detail, c.code, c.params, c.detail)
			}
		})
	}
	if err := ran(nil); err != nil {
		t.Errorf("a call without an error returned %v", err)
	}
}
