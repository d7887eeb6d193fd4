package main

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels/metahook"
	"github.com/stormdesk/stormdesk/backend/cli"
	"github.com/stormdesk/stormdesk/backend/secrets/sealed"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/team"
	"github.com/stormdesk/stormdesk/backend/teamclient"
	"github.com/stormdesk/stormdesk/backend/teamevents"
	"github.com/stormdesk/stormdesk/backend/webbridge"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// serverEnv is what `stormdesk server` may touch, so tests run it in-process.
type serverEnv struct {
	Getenv func(string) string
	Stderr io.Writer // usage errors; the structured log goes here too
	// Stdout, when set, is told the TLS certificate's fingerprint, which
	// desktops joining the team compare (docs/team.md, "Join").
	Stdout io.Writer
	Build  cli.BuildInfo
	Assets fs.FS // the built frontend (frontend/dist)
	// Listening, when set, is told the address the server listens on.
	Listening func(addr string)
}

// serverConfig is the command line of `stormdesk server`.
type serverConfig struct {
	db, addr, tlsCert, tlsKey, secretsKey string
	publicURL                             string
	demo, behindTLSProxy                  bool
}

// envPrefix names the environment variables flags may also come from
// (--tls-cert: STORMDESK_TLS_CERT), so a systemd EnvironmentFile configures
// the server; a flag on the command line wins.
const envPrefix = "STORMDESK_"

func envName(flagName string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// serverFlagSet defines the flags of `stormdesk server` into c; the systemd
// unit's test reads their names to check what the unit and its example set.
func serverFlagSet(c *serverConfig, stderr io.Writer) *flag.FlagSet {
	fset := flag.NewFlagSet("stormdesk server", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.StringVar(&c.db, "db", "", "PostgreSQL database URL (postgres://user:password@host:5432/db)")
	fset.StringVar(&c.addr, "addr", "127.0.0.1:8443", "address to listen on, HOST:PORT")
	fset.StringVar(&c.tlsCert, "tls-cert", "", "TLS certificate file (PEM, with its chain)")
	fset.StringVar(&c.tlsKey, "tls-key", "", "TLS private key file (PEM)")
	fset.StringVar(&c.secretsKey, "secrets-key", "", "file with the key channel secrets are sealed under (stormdesk server init --secrets-key)")
	fset.StringVar(&c.publicURL, "public-url", "", "the address members reach the server at (https://team.example.com), for invitation links; default: the listening address unless it is a wildcard")
	fset.BoolVar(&c.demo, "demo", false, "store the demo data set if the database has no account")
	fset.BoolVar(&c.behindTLSProxy, "behind-tls-proxy", false, "serve plain HTTP on a non-loopback address because a load balancer in front terminates TLS")
	fset.Usage = func() {
		fmt.Fprintf(stderr, "Usage: stormdesk server --db postgres://... --secrets-key FILE [--addr HOST:PORT] [--tls-cert F --tls-key F] [--behind-tls-proxy] [--demo]\n")
		fmt.Fprintf(stderr, "       stormdesk server init --db postgres://... --admin NAME [--secrets-key FILE]\n\n")
		fmt.Fprintf(stderr, "Every flag may also come from the environment: --db from %s, --tls-cert from %s, and so on.\n\nFlags:\n", envName("db"), envName("tls-cert"))
		fset.PrintDefaults()
	}
	return fset
}

// parseServerFlags reads and checks the command line; it refuses what would
// run insecurely or on the wrong engine.
func parseServerFlags(args []string, getenv func(string) string, stderr io.Writer) (serverConfig, error) {
	var c serverConfig
	fset := serverFlagSet(&c, stderr)
	var envErr error
	fset.VisitAll(func(f *flag.Flag) {
		if v := getenv(envName(f.Name)); v != "" && envErr == nil {
			if err := fset.Set(f.Name, v); err != nil {
				envErr = fmt.Errorf("%s: %w", envName(f.Name), err)
			}
		}
	})
	if envErr != nil {
		return c, envErr
	}
	if err := fset.Parse(args); err != nil {
		return c, err
	}
	switch {
	case fset.NArg() > 0:
		return c, fmt.Errorf("unexpected argument %q (the subcommand is `stormdesk server init`)", fset.Arg(0))
	case c.db == "":
		return c, fmt.Errorf("--db is required (or %s)", envName("db"))
	case !store.IsPostgresDSN(c.db):
		// The value is not echoed: it may be a connection string with a password.
		return c, errors.New("--db must be a PostgreSQL URL (postgres://...): the team server runs on PostgreSQL only; one person's inbox on a SQLite file is the window (run stormdesk without arguments)")
	case c.secretsKey == "":
		return c, fmt.Errorf("--secrets-key is required (or %s); create one with stormdesk server init --secrets-key FILE", envName("secrets-key"))
	case (c.tlsCert == "") != (c.tlsKey == ""):
		return c, errors.New("--tls-cert and --tls-key go together")
	case c.tlsCert != "" && c.behindTLSProxy:
		return c, errors.New("--behind-tls-proxy is for plain HTTP behind a load balancer; it does not go with --tls-cert")
	}
	if _, _, err := net.SplitHostPort(c.addr); err != nil {
		return c, fmt.Errorf("--addr %q: %w", c.addr, err)
	}
	if c.tlsCert == "" && !c.behindTLSProxy && !webbridge.IsLoopbackAddr(c.addr) {
		return c, fmt.Errorf("--addr %s is not a loopback address: plain HTTP would carry access tokens over the network; give --tls-cert and --tls-key, or --behind-tls-proxy when a load balancer in front terminates TLS", c.addr)
	}
	return c, nil
}

// runServer is `stormdesk server`: the App headless on PostgreSQL with sealed
// secrets, every background loop running, its services served to members'
// browsers through the web bridge. It returns when ctx ends (SIGTERM, SIGINT),
// after a graceful shutdown.
func runServer(ctx context.Context, env serverEnv, args []string) int {
	c, err := parseServerFlags(args, env.Getenv, env.Stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return cli.ExitOK
		}
		fmt.Fprintf(env.Stderr, "stormdesk server: %v (stormdesk server -h lists the flags)\n", err)
		return cli.ExitUsage
	}
	log := slog.New(slog.NewJSONHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if err := serveTeam(ctx, log, env, c); err != nil {
		log.Error("server stopped", "err", err)
		return cli.ExitFailure
	}
	return cli.ExitOK
}

func serveTeam(ctx context.Context, log *slog.Logger, env serverEnv, c serverConfig) error {
	key, err := sealed.LoadKey(c.secretsKey)
	if err != nil {
		return err
	}
	var tlsCfg *tls.Config
	var fingerprint string
	if c.tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(c.tlsCert, c.tlsKey)
		if err != nil {
			return fmt.Errorf("TLS certificate %s and key %s: %w", c.tlsCert, c.tlsKey, err)
		}
		tlsCfg = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		fingerprint = teamclient.Fingerprint(cert.Certificate[0])
	}
	log.Info("starting", "version", env.Build.Version, "db", redactDSN(c.db), "addr", c.addr, "tls", tlsCfg != nil,
		"behind_tls_proxy", c.behindTLSProxy, "secrets_key", key.ID())

	app := newHeadlessApp(log, env.Build, c.db, c.demo, nil)
	app.secrets = sealed.NewStore(key, workspaceRows{app})
	bridge := webbridge.New(app.services(), env.Assets, log)
	events := &teamEvents{}
	app.emit = events.publish
	app.startup(ctx)
	defer app.shutdown(context.Background())
	ws, err := app.workspace()
	if err != nil {
		return err // a database that cannot be opened, or one from a newer Stormdesk
	}
	stopEvents, err := events.start(ctx, log, ws.Store, c.db, bridge)
	if err != nil {
		return err
	}
	// Deferred after shutdown, so it runs first: the hub stops before the store closes.
	defer stopEvents()

	team := bridge.Team(webbridge.TeamOptions{
		Auth:              memberAuth{app},
		Ready:             app.readiness,
		HTTPS:             tlsCfg != nil || c.behindTLSProxy,
		Log:               log,
		Permit:            app.permit,
		ServicesFor:       app.servicesFor,
		Login:             memberAuth{app}.Login,
		Join:              memberAuth{app}.Join,
		LoginLimit:        loginLimit(ws.Store),
		TrustForwardedFor: c.behindTLSProxy,
	})
	ln, err := webbridge.ListenNetwork(ctx, c.addr)
	if err != nil {
		return err
	}
	scheme := "http"
	if tlsCfg != nil {
		ln = tls.NewListener(ln, tlsCfg)
		scheme = "https"
	}
	// Meta's webhooks reach the server without a member's login: each is
	// authenticated by its signature (backend/channels/metahook).
	hooks := &metahook.Handler{Log: log, Sink: workspace.WebhookSink{W: ws, Secrets: app.secrets, Changed: app.emitInboxChanged,
		Authors: &workspace.WebhookAuthors{Log: log}}}
	mux := http.NewServeMux()
	mux.Handle(metahook.Prefix, hooks)
	mux.Handle("/", team)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, TLSConfig: tlsCfg,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	// Open event streams never end by themselves; closing them lets Shutdown finish.
	srv.RegisterOnShutdown(team.Close)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	addr := ln.Addr().String()
	app.mu.Lock()
	app.publicURL = publicURL(c.publicURL, scheme, addr)
	app.mu.Unlock()
	if u := publicURL(c.publicURL, scheme, addr); u != "" {
		// `server invite add` runs without the server's flags; it names this address in its links.
		if err := ws.Store.PutSetting(ctx, workspace.SettingPublicURL, u); err != nil {
			log.Warn("public address not recorded for invitation links", "err", err)
		}
	}
	if fingerprint != "" {
		log.Info("listening", "addr", addr, "url", scheme+"://"+addr+"/", "fingerprint", fingerprint)
		if env.Stdout != nil {
			fmt.Fprintf(env.Stdout, "Stormdesk team server at %s\nCertificate fingerprint (SHA-256): %s\n", scheme+"://"+addr+"/", fingerprint)
		}
	} else {
		log.Info("listening", "addr", addr, "url", scheme+"://"+addr+"/")
	}
	if env.Listening != nil {
		env.Listening(addr)
	}

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// loginLimit counts login and join attempts in the team's database, so the
// instances behind a load balancer draw from one budget instead of each
// giving a guesser a budget of its own.
func loginLimit(st *store.Store) *webbridge.LoginLimit {
	return &webbridge.LoginLimit{
		ByName:    &store.AttemptLimit{Store: st, Burst: webbridge.LoginBurstPerName, Refill: webbridge.LoginRefillPerName},
		ByAddress: &store.AttemptLimit{Store: st, Burst: webbridge.LoginBurstPerAddress, Refill: webbridge.LoginRefillPerAddress},
	}
}

// teamEvents carries the app's events through the team event hub
// (backend/teamevents): each is appended to the database's events table, and
// every instance's hub forwards every event, in order, to the pages it serves,
// which catch up from the table after a reconnect. Events only the page that
// asked needs (pageLocalEvent) stay on this instance.
type teamEvents struct {
	bridge atomic.Pointer[webbridge.Bridge]
}

// publish is the app's emit. Until the hub runs (the store opens in startup)
// an event is dropped: no page is served before then.
func (e *teamEvents) publish(ctx context.Context, name string, data ...any) {
	b := e.bridge.Load()
	switch {
	case b == nil:
	case pageLocalEvent(name):
		b.EmitLocal(ctx, name, data...)
	default:
		b.Emit(ctx, name, data...) // through the hub: the bridge uses it as its journal
	}
}

// start runs the hub on the open store and makes it the bridge's journal,
// before the bridge serves its first request; stop ends the hub and waits.
func (e *teamEvents) start(ctx context.Context, log *slog.Logger, st *store.Store, dsn string, bridge *webbridge.Bridge) (stop func(), err error) {
	hub, err := teamevents.New(ctx, st, teamevents.Options{DSN: dsn, Log: log})
	if err != nil {
		return nil, fmt.Errorf("team events: %w", err)
	}
	bridge.UseJournal(hub)
	hctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := hub.Run(hctx); err != nil && hctx.Err() == nil {
			log.Error("events hub stopped", "err", err)
		}
	}()
	e.bridge.Store(bridge)
	return func() { cancel(); <-done }, nil
}

// readiness answers the readiness probe: the database answers and has the schema
// this Stormdesk writes. The reason is short and holds nothing secret (the
// probe needs no token); the detail goes to the log.
func (a *App) readiness(ctx context.Context) error {
	ws, err := a.workspace()
	if err != nil {
		return errors.New("database not open")
	}
	if err := ws.Store.CheckReady(ctx); err != nil {
		a.log.Warn("not ready", "err", err)
		reason, _, _ := strings.Cut(err.Error(), ":")
		return errors.New(reason)
	}
	return nil
}

// workspaceRows gives the sealed secrets store the open workspace's
// database, which exists only once the app has started.
type workspaceRows struct{ app *App }

func (r workspaceRows) store() (*store.Store, error) {
	ws, err := r.app.workspace()
	if err != nil {
		return nil, err
	}
	return ws.Store, nil
}

func (r workspaceRows) SealedSecret(ctx context.Context, name string) ([]byte, error) {
	s, err := r.store()
	if err != nil {
		return nil, err
	}
	return s.SealedSecret(ctx, name)
}

func (r workspaceRows) PutSealedSecret(ctx context.Context, name string, v []byte) error {
	s, err := r.store()
	if err != nil {
		return err
	}
	return s.PutSealedSecret(ctx, name, v)
}

func (r workspaceRows) DeleteSealedSecret(ctx context.Context, name string) error {
	s, err := r.store()
	if err != nil {
		return err
	}
	return s.DeleteSealedSecret(ctx, name)
}

// memberAuth checks access tokens against the members table.
type memberAuth struct{ app *App }

func (m memberAuth) Authorize(ctx context.Context, token string) (webbridge.Member, error) {
	ws, err := m.app.workspace()
	if err != nil {
		return webbridge.Member{}, err
	}
	mem, err := ws.Store.MemberByToken(ctx, token)
	switch {
	case errors.Is(err, store.ErrMemberDisabled):
		return webbridge.Member{}, fmt.Errorf("%w: %w", webbridge.ErrDisabled, err)
	case errors.Is(err, store.ErrNotFound):
		return webbridge.Member{}, webbridge.ErrRefused
	case err != nil:
		return webbridge.Member{}, err
	}
	return webbridge.Member{ID: mem.ID, Name: mem.Name, Role: string(mem.Role)}, nil
}

// sessionTTL is how long a password login's session token lasts.
const sessionTTL = 12 * time.Hour

// Login checks a member's password (argon2id) and issues a session token.
// A wrong name and a wrong password are one answer, so the answer does not
// tell which names exist; a name without a password still costs a hash, for
// the same reason.
func (m memberAuth) Login(ctx context.Context, name, password string) (webbridge.LoginResult, error) {
	ws, err := m.app.workspace()
	if err != nil {
		return webbridge.LoginResult{}, err
	}
	mem, hash, err := ws.Store.MemberPassword(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		hash = decoyHash()
	} else if err != nil {
		return webbridge.LoginResult{}, err
	}
	if err := team.VerifyPassword(hash, password); err != nil || mem.ID == 0 {
		if err != nil && !errors.Is(err, team.ErrWrongPassword) {
			return webbridge.LoginResult{}, fmt.Errorf("member %q: %w", name, err)
		}
		return webbridge.LoginResult{}, webbridge.ErrRefused
	}
	if mem.Disabled {
		return webbridge.LoginResult{}, fmt.Errorf("%s: %w", mem.Name, webbridge.ErrDisabled)
	}
	tok, exp, err := ws.Store.IssueSessionToken(ctx, mem.ID, sessionTTL)
	if errors.Is(err, store.ErrMemberDisabled) {
		return webbridge.LoginResult{}, fmt.Errorf("%s: %w", mem.Name, webbridge.ErrDisabled)
	}
	if err != nil {
		return webbridge.LoginResult{}, err
	}
	return webbridge.LoginResult{Token: tok, ExpiresAt: exp, Member: webbridge.Member{ID: mem.ID, Name: mem.Name, Role: string(mem.Role)}}, nil
}

// Join redeems an invitation (POST /join): a new member with the
// invitation's role and an access token.
func (m memberAuth) Join(ctx context.Context, in webbridge.JoinRequest) (webbridge.JoinResult, error) {
	ws, err := m.app.workspace()
	if err != nil {
		return webbridge.JoinResult{}, err
	}
	mem, tok, err := ws.RedeemInvite(ctx, in.Code, in.Name, in.Password, team.DefaultParams)
	if err != nil {
		return webbridge.JoinResult{}, err
	}
	m.app.emitMembersChanged(ctx)
	return webbridge.JoinResult{Token: tok, Member: webbridge.Member{ID: mem.ID, Name: mem.Name, Role: string(mem.Role)}}, nil
}

// publicURL is the address invitation links name: --public-url, else the
// address listened on, unless that is a wildcard no member could dial.
func publicURL(flagValue, scheme, addr string) string {
	if flagValue != "" {
		return strings.TrimRight(flagValue, "/")
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host == "" || net.ParseIP(host) != nil && net.ParseIP(host).IsUnspecified() {
		return ""
	}
	return scheme + "://" + addr
}

// decoyHash is checked for a name with no password, so that answer takes as
// long as a wrong password. No password matches it: it is a hash of random
// bytes, made at the first such login (not at start: the window never needs it).
var decoyHash = sync.OnceValue(func() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	h, _ := team.HashPassword(hex.EncodeToString(b), team.DefaultParams)
	return h
})

// redactDSN is a database address fit for logs and the UI: a PostgreSQL URL
// without its password (in the user part or as a query parameter); a file
// path as it is.
func redactDSN(dsn string) string {
	if !store.IsPostgresDSN(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres database (unparsable URL)"
	}
	q := u.Query()
	for k := range q {
		if strings.Contains(strings.ToLower(k), "password") {
			q.Set(k, "xxxxx")
		}
	}
	u.RawQuery = q.Encode()
	return u.Redacted()
}
