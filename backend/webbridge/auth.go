package webbridge

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/stormdesk/stormdesk/backend/apperr"
)

// tokenBytes is the size of the per-run secret: 256 bits, beyond guessing even
// for a local process that can try thousands of requests a second.
const tokenBytes = 32

// cookiePrefix names the session cookie; the port is appended because browsers
// share cookies across ports of one host, and two servers must not overwrite
// each other's cookie.
const cookiePrefix = "stormdesk_session"

// newToken returns a fresh random token. crypto/rand.Read does not fail (it
// aborts the program if the OS has no randomness), so there is no error path.
func newToken() string {
	b := make([]byte, tokenBytes)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Token is this run's secret: requests must carry it (URL once, then the
// cookie; or an Authorization: Bearer header).
func (b *Bridge) Token() string { return b.token }

// StartURL is the address to open in a browser: it carries the token, which
// the server swaps for a cookie on the first request.
func (b *Bridge) StartURL(addr string) string {
	return "http://" + addr + "/?token=" + url.QueryEscape(b.token)
}

func (b *Bridge) validToken(got string) bool {
	// Constant time, so response timing does not reveal how much of a guess was right.
	return subtle.ConstantTimeCompare([]byte(got), []byte(b.token)) == 1
}

func cookieName(host string) string {
	if _, port, err := net.SplitHostPort(host); err == nil && port != "" {
		return cookiePrefix + "_" + port
	}
	return cookiePrefix
}

// gate is how a request proves who sent it: a token, checked by check, in
// the URL once (swapped for a cookie), then in the cookie, or in an
// Authorization: Bearer header. serve uses the run's token; the team server
// asks the database (see Team).
type gate struct {
	// check answers nil for a token that may in; ErrDisabled for a disabled
	// member's token (answered 403 with a coded error); anything else is 401.
	check  func(ctx context.Context, token string) (Member, error)
	secure bool   // the cookie is Secure: the browser reaches us over HTTPS
	hint   string // what a refused request is told to do
	// coded makes the refusal of a token that was sent a coded token-refused,
	// so a page that was let in before (a member whose token an admin revoked)
	// says so in the user's language instead of showing the hint's English.
	coded bool
}

// runGate accepts this run's token only.
func (b *Bridge) runGate() gate {
	return gate{
		check: func(_ context.Context, tok string) (Member, error) {
			if !b.validToken(tok) {
				return Member{}, ErrRefused
			}
			return Member{Name: "local"}, nil
		},
		hint: "missing or wrong token: open the address `stormdesk serve` printed",
	}
}

// authorize reports whether r may proceed, and as whom. When it may not, or
// when the token came in the URL (answered with the cookie and a redirect),
// it has already written the response.
func (g gate) authorize(w http.ResponseWriter, r *http.Request) (Member, bool) {
	m, _, ok := g.authorizeToken(w, r)
	return m, ok
}

// authorizeToken is authorize that also returns the token that let r in, so
// a long request (the event stream) can check it again while it lasts.
func (g gate) authorizeToken(w http.ResponseWriter, r *http.Request) (Member, string, bool) {
	if q := r.URL.Query(); q.Has("token") {
		tok := q.Get("token")
		if _, err := g.check(r.Context(), tok); err != nil {
			g.refuse(w, err)
			return Member{}, "", false
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			// The URL form is for opening the page; a script sends the header instead.
			writeError(w, http.StatusBadRequest, "a token in the URL is only for opening the page; send Authorization: Bearer")
			return Member{}, "", false
		}
		http.SetCookie(w, &http.Cookie{
			Name:     cookieName(r.Host),
			Value:    tok,
			Path:     "/",
			HttpOnly: true,
			Secure:   g.secure,
			SameSite: http.SameSiteStrictMode,
		})
		// Redirect to the address without the token so it does not stay in the history or the address bar.
		q.Del("token")
		loc := localPath(r.URL.Path)
		if rest := q.Encode(); rest != "" {
			loc += "?" + rest
		}
		w.Header().Set("Cache-Control", "no-store")
		http.Redirect(w, r, loc, http.StatusSeeOther)
		return Member{}, "", false
	}
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") {
			g.unauthorized(w)
			return Member{}, "", false
		}
		tok = strings.TrimSpace(tok)
		m, err := g.check(r.Context(), tok)
		if err != nil {
			g.refuse(w, err)
			return Member{}, "", false
		}
		return m, tok, true
	}
	if c, err := r.Cookie(cookieName(r.Host)); err == nil {
		m, err := g.check(r.Context(), c.Value)
		if err == nil {
			return m, c.Value, true
		}
		g.refuse(w, err)
		return Member{}, "", false
	}
	g.unauthorized(w)
	return Member{}, "", false
}

// refuse answers a token check's refusal: a disabled member is told so (403,
// coded member-disabled, so a desktop says it rather than asking for a new
// token); any other refusal is 401 (coded token-refused on the team server).
func (g gate) refuse(w http.ResponseWriter, err error) {
	if errors.Is(err, ErrDisabled) {
		writeError(w, http.StatusForbidden, apperr.Encode(apperr.MemberDisabled(err)).Error())
		return
	}
	if !errors.Is(err, ErrRefused) {
		// The check itself failed (the database is down): the token may be
		// fine, so the member must not be told to join again.
		writeError(w, http.StatusServiceUnavailable, "access tokens cannot be checked right now; try again shortly")
		return
	}
	if g.coded {
		w.Header().Set("WWW-Authenticate", `Bearer realm="stormdesk"`)
		writeError(w, http.StatusUnauthorized, apperr.Encode(apperr.TokenRefused(errors.New(g.hint))).Error())
		return
	}
	g.unauthorized(w)
}

func (g gate) unauthorized(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="stormdesk"`)
	writeError(w, http.StatusUnauthorized, g.hint)
}

// localPath keeps a redirect on this server: "//host/..." or "/\host" would
// send the browser elsewhere.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	return p
}

// allowedOrigin refuses pages from elsewhere. "null" (sandboxed frames, file:
// pages, some redirects) names no origin that could be checked, so it is
// refused too. schemes are the ones this server is reached by (serve: http;
// the team server: https, or http on loopback).
func allowedOrigin(origin, host string, schemes ...string) bool {
	if origin == "" {
		return true // not a cross-origin browser request; the token still decides
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host != host {
		return false
	}
	for _, s := range schemes {
		if u.Scheme == s {
			return true
		}
	}
	return false
}
