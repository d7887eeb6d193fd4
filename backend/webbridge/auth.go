package webbridge

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net"
	"net/http"
	"net/url"
	"strings"
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

// authorize reports whether r may proceed. When it may not, or when the token
// came in the URL (answered with the cookie and a redirect), it has already
// written the response.
func (b *Bridge) authorize(w http.ResponseWriter, r *http.Request) bool {
	if q := r.URL.Query(); q.Has("token") {
		if !b.validToken(q.Get("token")) {
			unauthorized(w)
			return false
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			// The URL form is for opening the page; a script sends the header instead.
			writeError(w, http.StatusBadRequest, "a token in the URL is only for opening the page; send Authorization: Bearer")
			return false
		}
		http.SetCookie(w, &http.Cookie{
			Name:     cookieName(r.Host),
			Value:    b.token,
			Path:     "/",
			HttpOnly: true,
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
		return false
	}
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, _ := strings.Cut(h, " ")
		if strings.EqualFold(scheme, "Bearer") && b.validToken(strings.TrimSpace(tok)) {
			return true
		}
		unauthorized(w)
		return false
	}
	if c, err := r.Cookie(cookieName(r.Host)); err == nil && b.validToken(c.Value) {
		return true
	}
	unauthorized(w)
	return false
}

// localPath keeps a redirect on this server: "//host/..." or "/\host" would
// send the browser elsewhere.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	return p
}

func unauthorized(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="stormdesk"`)
	writeError(w, http.StatusUnauthorized, "missing or wrong token: open the address `stormdesk serve` printed")
}

// allowedOrigin refuses pages from elsewhere. "null" (sandboxed frames, file:
// pages, some redirects) names no origin that could be checked, so it is refused too.
func allowedOrigin(origin, host string) bool {
	if origin == "" {
		return true // not a cross-origin browser request; the token still decides
	}
	u, err := url.Parse(origin)
	return err == nil && u.Scheme == "http" && u.Host == host
}
