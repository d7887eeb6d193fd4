// Package smtptest serves a go-smtp backend on a loopback port for tests.
package smtptest

import (
	"crypto/tls"
	"io"
	"log"
	"net"
	"testing"

	"github.com/emersion/go-smtp"
)

// Serve starts be on 127.0.0.1 and returns its port; the server closes at
// cleanup. With tlsConf the server offers STARTTLS and AUTH only after it;
// without, AUTH is allowed in plaintext (loopback). Connection errors are not
// logged: tests that drop connections on purpose would only make noise.
func Serve(t testing.TB, be smtp.Backend, tlsConf *tls.Config) int {
	t.Helper()
	srv := smtp.NewServer(be)
	srv.Domain = "localhost"
	srv.TLSConfig = tlsConf
	srv.AllowInsecureAuth = tlsConf == nil
	srv.ErrorLog = log.New(io.Discard, "", 0)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return l.Addr().(*net.TCPAddr).Port
}
