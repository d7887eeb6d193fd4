package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/teamclient"
	"github.com/stormdesk/stormdesk/backend/testutil/tlscert"
)

func TestServerFingerprint(t *testing.T) {
	dir := t.TempDir()
	cert := tlscert.New(t)
	certFile, _ := cert.WriteFiles(t, dir)
	garbage := filepath.Join(dir, "garbage.pem")
	if err := os.WriteFile(garbage, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	want := teamclient.Fingerprint(cert.Leaf.Raw)
	tests := []struct {
		name     string
		args     []string
		code     int
		out, err string
	}{
		{"prints the leaf's fingerprint", []string{"fingerprint", "--tls-cert", certFile}, ExitOK, want + "\n", ""},
		{"flag first", []string{"--tls-cert", certFile, "fingerprint"}, ExitOK, want + "\n", ""},
		{"no certificate", []string{"fingerprint"}, ExitUsage, "", "--tls-cert FILE is required"},
		{"not PEM", []string{"fingerprint", "--tls-cert", garbage}, ExitFailure, "", "no PEM CERTIFICATE"},
		{"missing file", []string{"fingerprint", "--tls-cert", filepath.Join(dir, "none.pem")}, ExitFailure, "", "read certificate"},
		{"extra argument", []string{"fingerprint", "now", "--tls-cert", certFile}, ExitUsage, "", `unexpected argument "now"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Run(context.Background(), Env{Stdout: &out, Stderr: &errb}, append([]string{"server"}, tt.args...))
			if code != tt.code || (tt.out != "" && out.String() != tt.out) || !strings.Contains(errb.String(), tt.err) {
				t.Fatalf("exit %d (want %d)\nstdout: %q\nstderr: %s", code, tt.code, out.String(), errb.String())
			}
		})
	}
}
