package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/stormdesk/stormdesk/backend/cli"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/teamclient"
	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
	"github.com/stormdesk/stormdesk/backend/testutil/tlscert"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

func TestServerFlags(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "secrets.key")
	pg := "postgres://u:pw@db.example:5432/team"
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string // "" : accepted
	}{
		{"no db", []string{"--secrets-key", key}, nil, "--db is required"},
		{"SQLite file refused", []string{"--db", filepath.Join(dir, "stormdesk.db"), "--secrets-key", key}, nil, "must be a PostgreSQL URL"},
		{"SQLite from the environment refused", []string{"--secrets-key", key}, map[string]string{"STORMDESK_DB": "stormdesk.db"}, "must be a PostgreSQL URL"},
		{"no secrets key", []string{"--db", pg}, nil, "--secrets-key is required"},
		{"cert without key", []string{"--db", pg, "--secrets-key", key, "--tls-cert", "c.pem"}, nil, "go together"},
		{"plain HTTP on the network", []string{"--db", pg, "--secrets-key", key, "--addr", "0.0.0.0:8443"}, nil, "not a loopback address"},
		{"proxy flag with TLS", []string{"--db", pg, "--secrets-key", key, "--addr", "0.0.0.0:8443", "--tls-cert", "c", "--tls-key", "k", "--behind-tls-proxy"}, nil, "does not go with"},
		{"bad address", []string{"--db", pg, "--secrets-key", key, "--addr", "8443"}, nil, "--addr"},
		{"stray argument", []string{"--db", pg, "--secrets-key", key, "start"}, nil, "unexpected argument"},
		{"bad boolean in the environment", []string{"--db", pg, "--secrets-key", key}, map[string]string{"STORMDESK_DEMO": "maybe"}, "STORMDESK_DEMO"},

		{"loopback plain HTTP", []string{"--db", pg, "--secrets-key", key, "--addr", "127.0.0.1:0"}, nil, ""},
		{"network with TLS", []string{"--db", pg, "--secrets-key", key, "--addr", ":8443", "--tls-cert", "c", "--tls-key", "k"}, nil, ""},
		{"network behind a TLS proxy", []string{"--db", pg, "--secrets-key", key, "--addr", "0.0.0.0:8080", "--behind-tls-proxy"}, nil, ""},
		{"everything from the environment", nil, map[string]string{"STORMDESK_DB": pg, "STORMDESK_SECRETS_KEY": key, "STORMDESK_ADDR": "0.0.0.0:8080", "STORMDESK_BEHIND_TLS_PROXY": "true"}, ""},
		{"flag beats environment", []string{"--addr", "127.0.0.1:9"}, map[string]string{"STORMDESK_DB": pg, "STORMDESK_SECRETS_KEY": key, "STORMDESK_ADDR": "0.0.0.0:8080"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			c, err := parseServerFlags(tt.args, func(k string) string { return tt.env[k] }, &stderr)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if c.db != pg || c.secretsKey != key {
					t.Fatalf("config %+v", c)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v; want one saying %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "pw@") {
				t.Fatalf("the error shows the database password: %v", err)
			}
		})
	}
	c, err := parseServerFlags([]string{"--addr", "127.0.0.1:9"}, func(k string) string {
		return map[string]string{"STORMDESK_DB": pg, "STORMDESK_SECRETS_KEY": key, "STORMDESK_ADDR": "0.0.0.0:8080"}[k]
	}, io.Discard)
	if err != nil || c.addr != "127.0.0.1:9" {
		t.Fatalf("flag and environment: addr %q, %v; want the flag's", c.addr, err)
	}
}

func TestRedactDSN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://team:s3cret@db:5432/stormdesk?sslmode=require", "postgres://team:xxxxx@db:5432/stormdesk?sslmode=require"},
		{"postgresql://team@db/stormdesk?password=s3cret", "postgresql://team@db/stormdesk?password=xxxxx"},
		{"postgres://db/stormdesk", "postgres://db/stormdesk"},
		{"/home/ann/stormdesk.db", "/home/ann/stormdesk.db"},
	}
	for _, tt := range tests {
		if got := redactDSN(tt.in); got != tt.want {
			t.Errorf("redactDSN(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// serverLog is the server's log in a file: writes to an *os.File are safe
// while the test reads it.
type serverLog struct{ f *os.File }

func (l serverLog) String() string {
	b, _ := os.ReadFile(l.f.Name())
	return string(b)
}

// withPassword puts a password into a test DSN (the test cluster trusts
// every connection, so any password works): the logs must not show it.
func withPassword(t *testing.T, dsn, pw string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), pw)
	return u.String()
}

var tokenRE = regexp.MustCompile(`\b[0-9a-f]{64}\b`)

// initServer runs `stormdesk server init` and returns the admin's token.
func initServer(t *testing.T, dsn, keyPath string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), cli.Env{Stdout: &out, Stderr: &errOut}, []string{"server", "init", "--db", dsn, "--admin", "Ada", "--secrets-key", keyPath})
	if code != cli.ExitOK {
		t.Fatalf("server init: exit %d\n%s%s", code, out.String(), errOut.String())
	}
	token := tokenRE.FindString(out.String())
	if token == "" || !strings.Contains(out.String(), "shown this once") {
		t.Fatalf("server init printed no token:\n%s", out.String())
	}
	return token
}

// startServer runs the server in-process until the test ends and returns
// its address and log.
func startServer(t *testing.T, args ...string) (string, serverLog) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	f, err := os.Create(filepath.Join(t.TempDir(), "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	logs := serverLog{f}
	addrc := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- runServer(ctx, serverEnv{Getenv: func(string) string { return "" }, Stderr: f, Listening: func(a string) { addrc <- a }}, args)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != cli.ExitOK {
				t.Errorf("server exit %d after shutdown\n%s", code, logs.String())
			}
		case <-time.After(30 * time.Second):
			t.Errorf("server did not stop\n%s", logs.String())
		}
	})
	select {
	case a := <-addrc:
		return a, logs
	case code := <-done:
		t.Fatalf("server exited with %d before listening\n%s", code, logs.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("server not listening\n%s", logs.String())
	}
	return "", serverLog{}
}

func TestServerInitAndServe(t *testing.T) {
	pgtest.Require(t)
	const pw = "pg-sekret-7"
	dsn := withPassword(t, pgtest.NewDatabase(t), pw)
	keyPath := filepath.Join(t.TempDir(), "secrets.key")
	token := initServer(t, dsn, keyPath)

	// A second init creates nothing and prints no token.
	var out, errOut bytes.Buffer
	if code := cli.Run(context.Background(), cli.Env{Stdout: &out, Stderr: &errOut}, []string{"server", "init", "--db", dsn, "--admin", "Bob", "--secrets-key", keyPath}); code != cli.ExitOK {
		t.Fatalf("second init: exit %d\n%s%s", code, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "has an admin already (Ada)") || tokenRE.MatchString(out.String()) {
		t.Fatalf("second init:\n%s", out.String())
	}
	if strings.Contains(out.String(), pw) {
		t.Fatalf("init printed the database password:\n%s", out.String())
	}

	addr, logs := startServer(t, "--db", dsn, "--secrets-key", keyPath, "--addr", "127.0.0.1:0")
	base := "http://" + addr
	// `server invite add` names this address in its links without being told it.
	if s, err := store.Open(context.Background(), dsn); err != nil {
		t.Fatal(err)
	} else {
		got, err := s.Setting(context.Background(), workspace.SettingPublicURL)
		s.Close()
		if err != nil || got != base {
			t.Fatalf("recorded public address %q, %v; want %q", got, err, base)
		}
	}
	get := func(path, auth string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader("[]"))
		if strings.HasPrefix(path, "/healthz") || strings.HasPrefix(path, "/readyz") {
			req.Method = http.MethodGet
		}
		req.Header.Set("Content-Type", "application/json")
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	tests := []struct {
		name, path, auth string
		status           int
	}{
		{"alive without a token", "/healthz", "", 200},
		{"ready without a token", "/readyz", "", 200},
		{"no token", "/bridge/call/AppService/Info", "", 401},
		{"wrong token", "/bridge/call/AppService/Info", "Bearer " + strings.Repeat("0", 64), 401},
		{"a token one character short", "/bridge/call/AppService/Info", "Bearer " + token[:63], 401},
		{"admin's token", "/bridge/call/AppService/Info", "Bearer " + token, 200},
	}
	for _, tt := range tests {
		status, body := get(tt.path, tt.auth)
		if status != tt.status {
			t.Errorf("%s: %s = %d %s; want %d", tt.name, tt.path, status, body, tt.status)
		}
		if tt.path == "/bridge/call/AppService/Info" && status == 200 {
			var info struct {
				Result AppInfo `json:"result"`
			}
			if err := json.Unmarshal([]byte(body), &info); err != nil || !strings.Contains(info.Result.DBPath, "postgres://") || strings.Contains(body, pw) {
				t.Errorf("Info over the server: %s (%v); want the database without its password", body, err)
			}
		}
	}

	// A channel token saved through the server is sealed in the database, never plain.
	const channelToken = "mastodon-tok-4c1d"
	save := `[{"name":"acme-masto","channel":"mastodon","brand":"Acme","handle":"","settings":"{\"baseUrl\":\"http://127.0.0.1:1\"}","secrets":{"token":"` + channelToken + `"}}]`
	req, _ := http.NewRequest(http.MethodPost, base+"/bridge/call/AccountsService/Save", strings.NewReader(save))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	saved, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("save an account through the server: %d %s", resp.StatusCode, saved)
	}
	assertSealed(t, dsn, channelToken)

	// The database goes away: the instance is alive but not ready.
	dropDatabase(t, dsn)
	status, body := get("/readyz", "")
	if status != http.StatusServiceUnavailable || !strings.Contains(body, `"reason":"database unreachable"`) {
		t.Fatalf("readyz without a database: %d %s; want 503, database unreachable", status, body)
	}
	if status, _ := get("/healthz", ""); status != 200 {
		t.Fatalf("healthz without a database: %d; want 200", status)
	}
	if strings.Contains(body, pw) || strings.Contains(body, "127.0.0.1") {
		t.Fatalf("readyz tells too much: %s", body)
	}
	t.Cleanup(func() {
		// After shutdown: no log line, JSON each, shows the password.
		for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
			if !json.Valid([]byte(line)) {
				t.Errorf("log line is not JSON: %s", line)
			}
			if strings.Contains(line, pw) {
				t.Errorf("log line shows the database password: %s", line)
			}
		}
	})
}

// assertSealed checks that the database holds exactly one sealed secret and
// that no stored secret, nor the accounts' settings, contains plain.
func assertSealed(t *testing.T, dsn, plain string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	var leaks int
	if err := conn.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE position($1::bytea IN sealed) > 0) FROM sealed_secrets`, []byte(plain)).Scan(&n, &leaks); err != nil {
		t.Fatal(err)
	}
	if n != 1 || leaks != 0 {
		t.Fatalf("sealed_secrets: %d rows, %d holding the token in plain; want 1 sealed row", n, leaks)
	}
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM accounts WHERE position($1 IN config) > 0`, plain).Scan(&leaks); err != nil || leaks != 0 {
		t.Fatalf("accounts holding the token in their settings: %d, %v", leaks, err)
	}
}

// dropDatabase removes the database under a running server.
func dropDatabase(t *testing.T, dsn string) {
	t.Helper()
	u, _ := url.Parse(dsn)
	name := strings.TrimPrefix(u.Path, "/")
	u.Path = "/postgres"
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP DATABASE "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		t.Fatal(err)
	}
}

// startTLSServer runs `server init` and `stormdesk server` on a fresh database
// with a self-signed certificate; it answers the server's address and log, the
// first admin's token and the certificate.
func startTLSServer(t *testing.T) (addr string, logs serverLog, token string, cert tlscert.Cert) {
	t.Helper()
	pgtest.Require(t)
	dsn := pgtest.NewDatabase(t)
	dir := t.TempDir()
	keyPath := filepath.Join(dir, "secrets.key")
	token = initServer(t, dsn, keyPath)
	cert = tlscert.New(t)
	certFile, keyFile := cert.WriteFiles(t, dir)
	addr, logs = startServer(t, "--db", dsn, "--secrets-key", keyPath, "--addr", "127.0.0.1:0", "--tls-cert", certFile, "--tls-key", keyFile)
	return addr, logs, token, cert
}

func TestServerTLS(t *testing.T) {
	addr, logs, token, cert := startTLSServer(t)
	pool := cert.Pool()
	// Desktops joining compare this fingerprint with the one they are shown.
	if fp := teamclient.Fingerprint(cert.Leaf.Raw); !strings.Contains(logs.String(), `"fingerprint":"`+fp+`"`) {
		t.Errorf("the start log does not name the certificate's fingerprint %s:\n%s", fp, logs.String())
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	// The browser flow: the token in the URL becomes a Secure cookie.
	resp, err := client.Get("https://" + addr + "/?token=" + token)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cookies := resp.Cookies()
	if resp.StatusCode != http.StatusSeeOther || len(cookies) != 1 || !cookies[0].Secure || !cookies[0].HttpOnly || cookies[0].Value != token {
		t.Fatalf("start URL: %d, cookies %+v; want a redirect setting a Secure HttpOnly cookie", resp.StatusCode, cookies)
	}
	req, _ := http.NewRequest(http.MethodPost, "https://"+addr+"/bridge/call/AppService/Info", strings.NewReader("[]"))
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(cookies[0])
	resp, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("call with the cookie over TLS: %d", resp.StatusCode)
	}
	// Plain HTTP to the TLS port gets nowhere.
	if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == 200 {
			t.Fatal("plain HTTP was served on the TLS port")
		}
	}
}

// A database a newer Stormdesk migrated is refused at start, before listening.
func TestServerRefusesNewerSchema(t *testing.T) {
	pgtest.Require(t)
	dsn := pgtest.NewDatabase(t)
	keyPath := filepath.Join(t.TempDir(), "secrets.key")
	initServer(t, dsn, keyPath)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `UPDATE schema_version SET version = version + 1`); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	logFile := filepath.Join(t.TempDir(), "server.log")
	f, err := os.Create(logFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	listened := false
	code := runServer(ctx, serverEnv{Getenv: func(string) string { return "" }, Stderr: f, Listening: func(string) { listened = true }},
		[]string{"--db", dsn, "--secrets-key", keyPath, "--addr", "127.0.0.1:0"})
	logs, _ := os.ReadFile(logFile)
	if code != cli.ExitFailure || listened || !strings.Contains(string(logs), "newer than this Stormdesk") {
		t.Fatalf("exit %d, listened %v; want a failure before listening, saying the schema is newer:\n%s", code, listened, logs)
	}
}
