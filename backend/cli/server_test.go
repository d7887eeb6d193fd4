package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/secrets/sealed"
)

func TestServerInit(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing.key")
	if err := os.WriteFile(existing, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
		key    string // a key file that must load after the command
	}{
		{name: "creates the key", args: []string{"server", "init", "--secrets-key", filepath.Join(dir, "secrets.key")}, code: ExitOK,
			stdout: "secrets key written to " + filepath.Join(dir, "secrets.key"), key: filepath.Join(dir, "secrets.key")},
		{name: "flag before init", args: []string{"server", "--secrets-key", filepath.Join(dir, "other.key"), "init"}, code: ExitOK,
			stdout: "separately from the database", key: filepath.Join(dir, "other.key")},
		{name: "existing file kept", args: []string{"server", "init", "--secrets-key", existing}, code: ExitFailure, stderr: "the file exists"},
		{name: "missing directory", args: []string{"server", "init", "--secrets-key", filepath.Join(dir, "no", "k")}, code: ExitFailure, stderr: "no such file or directory"},
		{name: "no flag", args: []string{"server", "init"}, code: ExitUsage, stderr: "--db with --admin, or --secrets-key, is required"},
		{name: "existing key kept", args: []string{"server", "init", "--secrets-key", filepath.Join(dir, "secrets.key")}, code: ExitOK,
			stdout: "exists (id ", key: filepath.Join(dir, "secrets.key")},
		{name: "SQLite refused", args: []string{"server", "init", "--db", filepath.Join(dir, "s.db"), "--admin", "Ada"}, code: ExitUsage, stderr: "must be a PostgreSQL URL"},
		{name: "no admin", args: []string{"server", "init", "--db", "postgres://u@127.0.0.1:1/x"}, code: ExitUsage, stderr: "--admin NAME is required"},
		{name: "admin without db", args: []string{"server", "init", "--admin", "Ada", "--secrets-key", filepath.Join(dir, "y.key")}, code: ExitUsage, stderr: "--admin needs --db"},
		{name: "no subcommand", args: []string{"server"}, code: ExitUsage, stderr: "Usage: stormdesk server [flags] init"},
		{name: "unknown subcommand", args: []string{"server", "start", "--secrets-key", filepath.Join(dir, "x.key")}, code: ExitUsage, stderr: "want: server init"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Run(context.Background(), Env{Stdout: &stdout, Stderr: &stderr}, tc.args)
			if code != tc.code || !strings.Contains(stdout.String(), tc.stdout) || !strings.Contains(stderr.String(), tc.stderr) {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout.String(), stderr.String())
			}
			if tc.key != "" {
				if _, err := sealed.LoadKey(tc.key); err != nil {
					t.Fatalf("the created key does not load: %v", err)
				}
			}
		})
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep me" {
		t.Fatalf("the existing file was changed: %q", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.key")); !os.IsNotExist(err) {
		t.Fatalf("a refused command line created a key: %v", err)
	}
}
