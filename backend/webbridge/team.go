package webbridge

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Member is whom a request's token belongs to: a team member on the team
// server, "local" under serve.
type Member struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Role string `json:"role"`
}

// ErrRefused is what an Authorizer answers for a token that lets nobody in
// (unknown, expired or revoked), and a Login for a wrong name or password.
var ErrRefused = errors.New("access token refused")

// ErrDisabled is what an Authorizer or a Login answers (wrapped) for a
// disabled member: the request is refused with 403 and a coded
// member-disabled error, and the member's open event streams are closed.
var ErrDisabled = errors.New("member disabled")

// Call is one bound call as the team's Permit sees it: the service and
// method and the decoded arguments.
type Call struct {
	Service, Method string
	Args            []any
}

// Authorizer tells whose a member access token is (the team server's
// database). It answers ErrRefused for a token that must not get in; any
// other error is a failure to decide, and the request is refused too.
type Authorizer interface {
	Authorize(ctx context.Context, token string) (Member, error)
}

// TeamOptions configures the bridge as the team server.
type TeamOptions struct {
	Auth Authorizer
	// Ready answers /readyz: nil when this instance can serve, else a short
	// reason shown to the load balancer (nothing secret: it needs no token).
	Ready func(ctx context.Context) error
	// HTTPS says browsers reach the server over HTTPS (TLS here, or at a load
	// balancer in front): the session cookie is then Secure and pages from an
	// https origin are accepted.
	HTTPS bool
	// Log receives refused tokens' causes when the database could not decide.
	Log interface {
		Warn(msg string, args ...any)
	}
	// Permit decides whether m may make a call, before it runs; a refusal is
	// answered 403 with the error's text (a coded error: apperr.Encode).
	// Without Permit every member may make every call.
	Permit func(ctx context.Context, m Member, c Call) error
	// ServicesFor returns the bound services acting as m from page (the
	// calling page's PageHeader id, "" without one): values of the same types
	// New was given, so what a call records (an audit entry, a note's author)
	// names the member who made it, and the events only the calling page needs
	// can be emitted with WithPage(ctx, page). Without it calls run on the
	// services New was given.
	ServicesFor func(m Member, page string) []any
	// Login exchanges a member's name and password for a session token
	// (POST /login); it answers ErrRefused for a wrong name or password and
	// ErrDisabled for a disabled member. Without it /login is 404.
	Login func(ctx context.Context, name, password string) (LoginResult, error)
	// LoginLimit bounds login attempts per member name and per client
	// address, and invitation codes per address (nil: DefaultLoginLimit, in
	// this process's memory; the team server counts in its database).
	LoginLimit *LoginLimit
	// TrustForwardedFor takes a login's client address from the last
	// X-Forwarded-For entry (a load balancer in front adds it) instead of the
	// connection's, which would be the balancer's for everyone.
	TrustForwardedFor bool
	// Join redeems an invitation for a new member and their access token
	// (POST /join). Without it /join is 404.
	Join Joiner
	// StreamRecheck is how often an open event stream checks its token again,
	// so a disabled member's or a revoked token's stream ends (0: 2 s).
	StreamRecheck time.Duration
}

// LoginResult is what a successful login returns to the client.
type LoginResult struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
	Member    Member    `json:"member"`
}

// Team serves the bridge to a team: members' tokens instead of the run's
// token, any host name (the server faces a network), and health endpoints a
// load balancer may call without a token.
type Team struct {
	b      *Bridge
	opts   TeamOptions
	g      gate
	logins *LoginLimit
}

// readyTimeout bounds one readiness probe: a load balancer must hear "not
// ready" rather than wait on a hung database.
const readyTimeout = 3 * time.Second

// Team returns b served in team mode with opts.
func (b *Bridge) Team(opts TeamOptions) *Team {
	t := &Team{b: b, opts: opts, logins: opts.LoginLimit}
	if t.logins == nil {
		t.logins = DefaultLoginLimit()
	}
	if t.opts.StreamRecheck <= 0 {
		t.opts.StreamRecheck = 2 * time.Second
	}
	t.g = gate{
		check: func(ctx context.Context, tok string) (Member, error) {
			if tok == "" || opts.Auth == nil {
				return Member{}, ErrRefused
			}
			m, err := opts.Auth.Authorize(ctx, tok)
			if err != nil && !errors.Is(err, ErrRefused) && !errors.Is(err, ErrDisabled) && opts.Log != nil {
				opts.Log.Warn("webbridge: token not checked", "err", err)
			}
			return m, err
		},
		secure: opts.HTTPS,
		coded:  true,
		hint:   "missing or wrong access token: open the address with ?token=… that `stormdesk server init` (or your admin) gave you, or send Authorization: Bearer",
	}
	return t
}

// ServeHTTP answers /healthz and /readyz to anyone, and everything else, as
// the bridge does, to members only.
func (t *Team) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/healthz":
		// Alive: the process serves HTTP. Nothing else is checked, so a
		// database outage does not get every instance restarted.
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
		return
	case "/readyz":
		t.serveReady(w, r)
		return
	}
	schemes := []string{"http", "https"}
	if t.opts.HTTPS {
		schemes = []string{"https"}
	}
	if o := r.Header.Get("Origin"); !allowedOrigin(o, r.Host, schemes...) {
		writeError(w, http.StatusForbidden, fmt.Sprintf("cross-origin request from %q refused", o))
		return
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	if r.URL.Path == "/login" {
		t.serveLogin(w, r) // needs no token: it hands one out
		return
	}
	if r.URL.Path == "/join" {
		t.serveJoin(w, r) // needs no token either: it makes a member
		return
	}
	m, tok, ok := t.g.authorizeToken(w, r)
	if !ok {
		return
	}
	if r.URL.Path == "/bridge/events" {
		// The stream outlives the check that let it in: it ends when its
		// token stops letting its member in (disabled, revoked, expired).
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		go t.watchStream(ctx, cancel, tok)
		r = r.WithContext(ctx)
	}
	t.b.route(w, r.WithContext(withCaller(r.Context(), t.callerFor(m, pageID(r.Header.Get(PageHeader))))))
}

// watchStream checks tok every StreamRecheck and ends the stream (cancel)
// once it is refused. A check that cannot decide (the database is down)
// leaves the stream open: its member was let in, and nothing says otherwise.
func (t *Team) watchStream(ctx context.Context, cancel context.CancelFunc, tok string) {
	tick := time.NewTicker(t.opts.StreamRecheck)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			_, err := t.g.check(ctx, tok)
			if errors.Is(err, ErrRefused) || errors.Is(err, ErrDisabled) {
				cancel()
				return
			}
		}
	}
}

func (t *Team) serveReady(w http.ResponseWriter, r *http.Request) {
	if t.opts.Ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		if err := t.opts.Ready(ctx); err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": err.Error()})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// Close ends every open event stream (see Bridge.Close).
func (t *Team) Close() { t.b.Close() }
