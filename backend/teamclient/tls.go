package teamclient

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
)

// dialTimeout bounds reaching the server: an unreachable team server must be
// told to the page quickly, not after the OS's TCP timeout.
const dialTimeout = 10 * time.Second

// Fingerprint is the SHA-256 of a certificate's DER bytes as colon-separated
// upper-case hex pairs, the form `stormdesk server` prints.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// NormalizeFingerprint accepts a fingerprint as a person may paste it (any
// case, with colons, spaces or nothing between the pairs) and returns the
// canonical form, or an error when it is not 32 hex bytes.
func NormalizeFingerprint(s string) (string, error) {
	clean := strings.Map(func(r rune) rune {
		switch r {
		case ':', ' ', '-', '\t':
			return -1
		}
		return r
	}, s)
	raw, err := hex.DecodeString(clean)
	if err != nil || len(raw) != sha256.Size {
		return "", fmt.Errorf("fingerprint %q: want 32 bytes of hex (SHA-256)", s)
	}
	h := strings.ToUpper(hex.EncodeToString(raw))
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String(), nil
}

// CertChangedError is a TLS handshake refused because the server's leaf
// certificate is not the pinned one.
type CertChangedError struct {
	Pinned, Got string
}

func (e *CertChangedError) Error() string {
	return fmt.Sprintf("the team server's certificate changed: pinned %s, got %s", e.Pinned, e.Got)
}

// Trust says how the server's certificate is checked: by a pinned
// fingerprint of its leaf (self-signed servers), or else by Roots (nil: the
// system's roots).
type Trust struct {
	Fingerprint string
	Roots       *x509.CertPool
}

// tlsConfig checks the server as t says. With a pin the chain is not
// verified at all: the person compared the fingerprint, which names exactly
// one certificate, and a self-signed one has no chain to verify.
func (t Trust) tlsConfig(serverName string) *tls.Config {
	if t.Fingerprint == "" {
		return &tls.Config{ServerName: serverName, RootCAs: t.Roots, MinVersion: tls.VersionTLS12}
	}
	pinned := t.Fingerprint
	return &tls.Config{
		ServerName:         serverName,
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, // replaced by the pin check below
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return &CertChangedError{Pinned: pinned, Got: "none"}
			}
			got := Fingerprint(cs.PeerCertificates[0].Raw)
			if got != pinned {
				return &CertChangedError{Pinned: pinned, Got: got}
			}
			return nil
		},
	}
}

// Transport returns an HTTP transport that reaches the server at base with
// t's trust. Plain http is allowed for a loopback server only (a test, or a
// server on this machine); anything over a network must be https.
func (t Trust) Transport(base *url.URL) *http.Transport {
	d := &net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         d.DialContext,
		TLSClientConfig:     t.tlsConfig(base.Hostname()),
		TLSHandshakeTimeout: dialTimeout,
		ForceAttemptHTTP2:   true,
		MaxIdleConnsPerHost: 8,
		IdleConnTimeout:     90 * time.Second,
	}
}

// ParseServer reads the address a person typed: "host", "host:port" or a
// full URL. No scheme means https; http is accepted for loopback only.
func ParseServer(address string) (*url.URL, error) {
	a := strings.TrimSpace(address)
	if a == "" {
		return nil, apperr.InvalidInput("server", errors.New("server address is empty"))
	}
	if !strings.Contains(a, "://") {
		a = "https://" + a
	}
	u, err := url.Parse(a)
	if err != nil || u.Host == "" {
		return nil, apperr.InvalidInput("server", fmt.Errorf("server address %q: not a host or URL", address))
	}
	switch u.Scheme {
	case "https":
	case "http":
		if ip := net.ParseIP(u.Hostname()); !(strings.EqualFold(u.Hostname(), "localhost") || (ip != nil && ip.IsLoopback())) {
			return nil, apperr.InvalidInput("server", fmt.Errorf("server address %q: use https (plain http only for a server on this computer)", address))
		}
	default:
		return nil, apperr.InvalidInput("server", fmt.Errorf("server address %q: scheme %q, want https", address, u.Scheme))
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host, Path: strings.TrimSuffix(u.Path, "/")}, nil
}

// ProbeResult is what the person is shown before joining.
type ProbeResult struct {
	// URL is the server's normalized address.
	URL string `json:"url"`
	// Fingerprint is the SHA-256 of the leaf certificate ("" over plain http).
	Fingerprint string `json:"fingerprint"`
	// Trusted says the system's roots verify the certificate for this host:
	// nothing needs comparing.
	Trusted bool `json:"trusted"`
	// Subject and NotAfter describe the certificate, to help recognise it.
	Subject string `json:"subject"`
	// NotAfter is nil over plain http (no certificate).
	NotAfter *time.Time `json:"notAfter"`
}

// Probe connects to the server at address and reports its certificate,
// verified against roots (nil: the system's). It does not trust anything:
// a certificate that fails verification is reported (Trusted false) so the
// person can compare its fingerprint.
func Probe(ctx context.Context, address string, roots *x509.CertPool) (ProbeResult, error) {
	u, err := ParseServer(address)
	if err != nil {
		return ProbeResult{}, err
	}
	res := ProbeResult{URL: u.String()}
	if u.Scheme == "http" {
		return res, nil
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "443")
	}
	d := tls.Dialer{
		NetDialer: &net.Dialer{Timeout: dialTimeout},
		// Verified by hand below, so an untrusted certificate is still shown.
		Config: &tls.Config{ServerName: u.Hostname(), InsecureSkipVerify: true, MinVersion: tls.VersionTLS12},
	}
	conn, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return ProbeResult{}, apperr.ServerUnreachable(fmt.Errorf("probe %s: %w", u, err))
	}
	defer conn.Close()
	cs := conn.(*tls.Conn).ConnectionState()
	if len(cs.PeerCertificates) == 0 {
		return ProbeResult{}, apperr.ServerUnreachable(fmt.Errorf("probe %s: no certificate", u))
	}
	leaf := cs.PeerCertificates[0]
	res.Fingerprint = Fingerprint(leaf.Raw)
	res.Subject = leaf.Subject.String()
	notAfter := leaf.NotAfter.UTC()
	res.NotAfter = &notAfter
	inter := x509.NewCertPool()
	for _, c := range cs.PeerCertificates[1:] {
		inter.AddCert(c)
	}
	_, verr := leaf.Verify(x509.VerifyOptions{DNSName: u.Hostname(), Roots: roots, Intermediates: inter})
	res.Trusted = verr == nil
	return res, nil
}

// classify turns a failure to reach the server into the coded error the page
// is shown.
func classify(err error) error {
	var changed *CertChangedError
	if errors.As(err, &changed) {
		return apperr.ServerCertChanged(changed.Pinned, changed.Got, err)
	}
	var unknown x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verr *tls.CertificateVerificationError
	if errors.As(err, &unknown) || errors.As(err, &hostErr) || errors.As(err, &invalid) || errors.As(err, &verr) {
		return apperr.ServerUntrusted("", err)
	}
	return apperr.ServerUnreachable(err)
}
