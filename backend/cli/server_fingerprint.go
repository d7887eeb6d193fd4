package cli

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/stormdesk/stormdesk/backend/teamclient"
)

// runServerFingerprint is `stormdesk server fingerprint --tls-cert F`: it
// prints the SHA-256 fingerprint of the certificate's leaf, the one a desktop
// shows when it joins the team, so an admin can hand it to the members to
// compare (docs/team.md, "Join").
func runServerFingerprint(env Env, args []string) int {
	fs := newFlagSet(env, "server fingerprint", "--tls-cert FILE")
	certFile := fs.String("tls-cert", os.Getenv("STORMDESK_TLS_CERT"), "TLS certificate file (PEM) the server is started with")
	pos, err := parseInterspersed(fs, args)
	if err == nil {
		pos = slices.DeleteFunc(pos, func(a string) bool { return a == "fingerprint" })
		switch {
		case len(pos) > 0:
			err = fmt.Errorf("unexpected argument %q", pos[0])
		case *certFile == "":
			err = errors.New("--tls-cert FILE is required")
		}
	}
	if err != nil {
		return usageError(env, fs, err)
	}
	fp, err := certFingerprint(*certFile)
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk server fingerprint: %v\n", err)
		return ExitFailure
	}
	fmt.Fprintln(env.Stdout, fp)
	return ExitOK
}

// certFingerprint reads the first certificate of a PEM file (the leaf; the
// chain follows it).
func certFingerprint(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read certificate: %w", err)
	}
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return "", fmt.Errorf("certificate %s: no PEM CERTIFICATE block", path)
		}
		if block.Type == "CERTIFICATE" {
			if _, err := x509.ParseCertificate(block.Bytes); err != nil {
				return "", fmt.Errorf("certificate %s: %w", path, err)
			}
			return teamclient.Fingerprint(block.Bytes), nil
		}
	}
}
