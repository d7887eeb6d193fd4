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
// (unknown, or its member is disabled).
var ErrRefused = errors.New("access token refused")

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
}

// Team serves the bridge to a team: members' tokens instead of the run's
// token, any host name (the server faces a network), and health endpoints a
// load balancer may call without a token.
type Team struct {
	b    *Bridge
	opts TeamOptions
	g    gate
}

// readyTimeout bounds one readiness probe: a load balancer must hear "not
// ready" rather than wait on a hung database.
const readyTimeout = 3 * time.Second

// Team returns b served in team mode with opts.
func (b *Bridge) Team(opts TeamOptions) *Team {
	t := &Team{b: b, opts: opts}
	t.g = gate{
		check: func(ctx context.Context, tok string) (Member, bool) {
			if tok == "" || opts.Auth == nil {
				return Member{}, false
			}
			m, err := opts.Auth.Authorize(ctx, tok)
			if err != nil {
				if !errors.Is(err, ErrRefused) && opts.Log != nil {
					opts.Log.Warn("webbridge: token not checked", "err", err)
				}
				return Member{}, false
			}
			return m, true
		},
		secure: opts.HTTPS,
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
	// Who the member is decides nothing yet: roles are enforced by the
	// membership work (issue 17), which will hand m to the services.
	if _, ok := t.g.authorize(w, r); !ok {
		return
	}
	t.b.route(w, r)
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
