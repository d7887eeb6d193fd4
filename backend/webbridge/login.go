package webbridge

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/team"
)

// LoginLimit bounds password logins and invitation codes: per member name
// (a guesser aiming at one person from many addresses) and per client
// address (one guesser trying many names or codes).
type LoginLimit struct {
	ByName, ByAddress Limiter
}

// Limiter bounds attempts per key. The team server counts in its database
// (store.AttemptLimit), so every instance behind a load balancer draws from
// one budget; MemoryLimit counts in this process only.
type Limiter interface {
	// Allow takes one attempt for key, or answers false and how long until
	// one is allowed; an error is a count that could not be read.
	Allow(ctx context.Context, key string) (bool, time.Duration, error)
	// Reset forgives key's attempts.
	Reset(ctx context.Context, key string) error
}

// MemoryLimit is a Limiter in this process's memory.
type MemoryLimit struct{ L *team.Limiter }

func (m MemoryLimit) Allow(_ context.Context, key string) (bool, time.Duration, error) {
	ok, wait := m.L.Allow(key)
	return ok, wait, nil
}

func (m MemoryLimit) Reset(_ context.Context, key string) error {
	m.L.Reset(key)
	return nil
}

// Sizes of the login limit: 5 attempts per name and 20 per address at once,
// then one more per name each minute and one per address every 15 seconds.
const (
	LoginBurstPerName     = 5
	LoginRefillPerName    = time.Minute
	LoginBurstPerAddress  = 20
	LoginRefillPerAddress = 15 * time.Second
)

// DefaultLoginLimit is the login limit in this process's memory (a single
// instance, the tests); the team server counts in its database instead.
func DefaultLoginLimit() *LoginLimit {
	return &LoginLimit{ByName: MemoryLimit{team.NewLimiter(LoginBurstPerName, LoginRefillPerName)},
		ByAddress: MemoryLimit{team.NewLimiter(LoginBurstPerAddress, LoginRefillPerAddress)}}
}

// maxLoginBody bounds a login request: a name and a password.
const maxLoginBody = 16 << 10

// serveLogin is POST /login {"name", "password"}: a session token for the
// member (also set as the session cookie, so a browser page may log in),
// 401 login-failed for a wrong name or password, 403 member-disabled, 429
// login-limited with Retry-After when the name or the address has tried too
// often. Attempts count whether they succeed or not, so the limit also
// bounds the CPU argon2id spends on a flood.
func (t *Team) serveLogin(w http.ResponseWriter, r *http.Request) {
	if t.opts.Login == nil {
		writeError(w, http.StatusNotFound, "password login is not enabled on this server")
		return
	}
	if !postJSON(w, r, "login") {
		return
	}
	var in struct {
		Name     string `json:"name"`
		Password string `json:"password"`
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxLoginBody))
	if err == nil {
		err = json.Unmarshal(body, &in)
	}
	if err != nil || strings.TrimSpace(in.Name) == "" || in.Password == "" {
		writeError(w, http.StatusBadRequest, apperr.Encode(apperr.InvalidInput("login", errors.New(`want {"name": ..., "password": ...}`))).Error())
		return
	}
	name := strings.ToLower(strings.TrimSpace(in.Name))
	if !t.allow(w, r, t.logins.ByAddress, "addr:"+t.clientAddress(r)) || !t.allow(w, r, t.logins.ByName, "name:"+name) {
		return
	}
	res, err := t.opts.Login(r.Context(), strings.TrimSpace(in.Name), in.Password)
	switch {
	case errors.Is(err, ErrDisabled):
		writeError(w, http.StatusForbidden, apperr.Encode(apperr.MemberDisabled(err)).Error())
		return
	case errors.Is(err, ErrRefused):
		writeError(w, http.StatusUnauthorized, apperr.Encode(apperr.LoginFailed(errors.New("wrong name or password"))).Error())
		return
	case err != nil:
		if t.opts.Log != nil {
			t.opts.Log.Warn("webbridge: login not checked", "err", err)
		}
		writeError(w, http.StatusServiceUnavailable, apperr.Encode(apperr.Unreachable(errors.New("the login could not be checked; try again"))).Error())
		return
	}
	if err := t.logins.ByName.Reset(r.Context(), "name:"+name); err != nil && t.opts.Log != nil {
		t.opts.Log.Warn("webbridge: a login's earlier misses not forgiven", "err", err)
	}
	http.SetCookie(w, &http.Cookie{
		Name: cookieName(r.Host), Value: res.Token, Path: "/", Expires: res.ExpiresAt,
		HttpOnly: true, Secure: t.g.secure, SameSite: http.SameSiteStrictMode,
	})
	writeJSON(w, http.StatusOK, res)
}

// allow takes one attempt for key from l and, when it is refused, answers
// the request: 429 login-limited with Retry-After, or 503 when the count
// could not be read (a guesser must not get past a limit the database hides).
func (t *Team) allow(w http.ResponseWriter, r *http.Request, l Limiter, key string) bool {
	ok, wait, err := l.Allow(r.Context(), key)
	if err != nil {
		if t.opts.Log != nil {
			t.opts.Log.Warn("webbridge: attempts not counted", "err", err)
		}
		writeError(w, http.StatusServiceUnavailable, apperr.Encode(apperr.Unreachable(errors.New("the attempt could not be checked; try again"))).Error())
		return false
	}
	if !ok {
		t.tooMany(w, wait)
	}
	return ok
}

func (t *Team) tooMany(w http.ResponseWriter, wait time.Duration) {
	secs := int64((wait + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
	writeError(w, http.StatusTooManyRequests, apperr.Encode(apperr.LoginLimited(wait, errors.New("too many login attempts"))).Error())
}

// clientAddress is the login's client: the connection's address, or behind
// a load balancer the last X-Forwarded-For entry (the one the balancer added;
// earlier ones are the client's to invent).
func (t *Team) clientAddress(r *http.Request) string {
	if t.opts.TrustForwardedFor {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if a := strings.TrimSpace(parts[len(parts)-1]); a != "" {
				return a
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
