// Package teamclient is the desktop's side of a team: the profile that says
// which server it joined, the member token in the OS keyring, the TLS trust
// (system roots or a pinned fingerprint) and the loopback proxy through which
// the window shows the server's page.
//
// The window cannot add an Authorization header to what its page loads, and
// the token must not sit in a cookie jar on disk, so the desktop process
// serves the page itself on 127.0.0.1 behind a per-run secret (as `serve`
// does) and forwards every request to the server with the member's token.
package teamclient

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/notify"
	"github.com/stormdesk/stormdesk/backend/webbridge"
)

// cookieName names the proxy's session cookie; the port is appended because
// cookies are shared across ports of one host.
const cookieName = "stormdesk_team"

// notifyPath is the bound call the proxy answers itself: a notification the
// server's page asks for must reach this desktop, not the server's.
const notifyPath = "/bridge/call/AppService/Notify"

// maxNotifyBody bounds a notification call's arguments.
const maxNotifyBody = 64 << 10

// Options configures a Proxy.
type Options struct {
	// Server is the team server's base URL.
	Server *url.URL
	Trust  Trust
	// Token is the member's access token, added to every forwarded request.
	Token string
	// Notify shows a desktop notification; it answers false when the desktop
	// has none (the page then notifies itself). Nil: never shown here.
	Notify func(ctx context.Context, n notify.Notification) (bool, error)
	Log    *slog.Logger
	// Local answers these paths on the desktop instead of the server (the
	// desktop's own calls the team's page makes, e.g. leaving the team).
	Local map[string]http.HandlerFunc
}

// Proxy forwards the window's requests to the team server.
type Proxy struct {
	opts   Options
	secret string
	rp     *httputil.ReverseProxy
	tr     *http.Transport
}

// New returns a proxy to opts.Server with a fresh secret.
func New(opts Options) *Proxy {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read does not fail
	p := &Proxy{opts: opts, secret: hex.EncodeToString(b), tr: opts.Trust.Transport(opts.Server)}
	base := opts.Server
	p.rp = &httputil.ReverseProxy{
		Transport: p.tr,
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(base)
			out := pr.Out
			// The proxy's own cookie is not the server's business, and the
			// page's origin (127.0.0.1) would be refused there as foreign:
			// the member's token is what the server checks.
			out.Header.Del("Cookie")
			out.Header.Del("Origin")
			out.Header.Del("Referer")
			out.Header.Set("Authorization", "Bearer "+opts.Token)
		},
		// Event streams must reach the page as they come.
		FlushInterval: -1,
		ModifyResponse: func(res *http.Response) error {
			// A server session cookie would only duplicate the token, and
			// must not end up in the window's cookie store.
			res.Header.Del("Set-Cookie")
			if err := accessRefused(res); err != nil {
				return err // answered by upstreamError, which says so
			}
			if res.Request.URL.Path == "/" && res.StatusCode == http.StatusOK {
				p.opts.Log.Info("team page served", "server", base.Host)
			}
			return nil
		},
		ErrorHandler: p.upstreamError,
	}
	return p
}

// Close drops idle connections to the server.
func (p *Proxy) Close() { p.tr.CloseIdleConnections() }

// StartURL is the address the window opens: it carries the secret once,
// swapped for a cookie on the first request.
func (p *Proxy) StartURL(addr string) string {
	return "http://" + addr + "/?secret=" + url.QueryEscape(p.secret)
}

// ServeHTTP checks that the request comes from this run's window and
// forwards it.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !webbridge.IsLoopbackAddr(r.Host) {
		// A page elsewhere that resolves its name to 127.0.0.1 (DNS rebinding) must not get the member's rights.
		writeError(w, http.StatusForbidden, fmt.Sprintf("host %q is not a loopback address", r.Host))
		return
	}
	if o := r.Header.Get("Origin"); o != "" && o != "http://"+r.Host {
		writeError(w, http.StatusForbidden, fmt.Sprintf("cross-origin request from %q refused", o))
		return
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	if !p.authorize(w, r) {
		return
	}
	if r.URL.Path == notifyPath {
		p.serveNotify(w, r)
		return
	}
	if h, ok := p.opts.Local[r.URL.Path]; ok {
		h(w, r)
		return
	}
	p.rp.ServeHTTP(w, r)
}

func (p *Proxy) validSecret(got string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(p.secret)) == 1
}

// DesktopCookie (with "_" and the port appended) marks a page shown through
// the desktop's proxy; frontend/src/lib/api/join.ts reads it.
const DesktopCookie = "stormdesk_desktop"

func portOf(host string) string {
	if _, port, err := net.SplitHostPort(host); err == nil {
		return port
	}
	return ""
}

func portCookie(host string) string {
	if port := portOf(host); port != "" {
		return cookieName + "_" + port
	}
	return cookieName
}

// authorize lets in the request carrying the secret: in the URL once (for a
// GET, answered with the cookie and a redirect), then in the cookie. Another
// user of this computer can reach a loopback port as easily as the owner.
func (p *Proxy) authorize(w http.ResponseWriter, r *http.Request) bool {
	if q := r.URL.Query(); q.Has("secret") {
		if !p.validSecret(q.Get("secret")) || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			writeError(w, http.StatusUnauthorized, "missing or wrong secret")
			return false
		}
		// Lax, not Strict: the window's own page (wails://) opens this address,
		// a cross-site navigation, and a Strict cookie would not come along on
		// the redirect that follows. Lax still keeps it off other sites' posts.
		http.SetCookie(w, &http.Cookie{Name: portCookie(r.Host), Value: p.secret, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
		// A marker the page may read (it carries nothing secret): the team's
		// page asks the desktop for its join state only where there is one,
		// so a plain browser never makes a call the server refuses.
		http.SetCookie(w, &http.Cookie{Name: DesktopCookie + "_" + portOf(r.Host), Value: "1", Path: "/", SameSite: http.SameSiteLaxMode})
		q.Del("secret")
		loc := "/"
		if strings.HasPrefix(r.URL.Path, "/") && !strings.HasPrefix(r.URL.Path, "//") && !strings.HasPrefix(r.URL.Path, "/\\") {
			loc = r.URL.Path
		}
		if rest := q.Encode(); rest != "" {
			loc += "?" + rest
		}
		w.Header().Set("Cache-Control", "no-store")
		http.Redirect(w, r, loc, http.StatusSeeOther)
		return false
	}
	if c, err := r.Cookie(portCookie(r.Host)); err == nil && p.validSecret(c.Value) {
		return true
	}
	writeError(w, http.StatusUnauthorized, "missing or wrong secret: only this Stormdesk window may use the address")
	return false
}

// notification is AppService.Notify's argument as the page sends it.
type notification struct {
	Tag    string `json:"tag"`
	Title  string `json:"title"`
	Body   string `json:"body"`
	Urgent bool   `json:"urgent"`
}

func (p *Proxy) serveNotify(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, "bridge calls must be POST")
		return
	}
	var args []notification
	if err := json.NewDecoder(io.LimitReader(r.Body, maxNotifyBody)).Decode(&args); err != nil || len(args) != 1 {
		writeError(w, http.StatusBadRequest, "AppService.Notify: want one notification argument")
		return
	}
	shown := false
	if p.opts.Notify != nil {
		n := args[0]
		ok, err := p.opts.Notify(r.Context(), notify.Notification{Tag: n.Tag, Title: n.Title, Body: n.Body, Urgent: n.Urgent})
		if err != nil {
			writeError(w, http.StatusInternalServerError, apperr.Encode(fmt.Errorf("desktop notification: %w", err)).Error())
			return
		}
		shown = ok
	}
	writeJSON(w, http.StatusOK, map[string]any{"result": shown})
}

// upstreamError answers a request the server could not be asked: 502 with
// a coded error, so the page says "server unreachable" (and keeps drafts)
// or "certificate changed" rather than a bare network failure.
func (p *Proxy) upstreamError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return // the page went away; nobody reads an answer
	}
	var lost *accessError
	if errors.As(err, &lost) {
		p.opts.Log.Warn("team access refused", "path", r.URL.Path, "code", lost.coded.Code, "err", lost.coded.Err)
		if wantsPage(r) {
			writeOfflinePage(w, lost.status, lost.coded)
			return
		}
		writeError(w, lost.status, apperr.Encode(lost.coded).Error())
		return
	}
	coded := classify(err)
	p.opts.Log.Warn("team server request failed", "path", r.URL.Path, "err", err)
	if wantsPage(r) {
		writeOfflinePage(w, http.StatusBadGateway, apperr.Classify(coded))
		return
	}
	writeError(w, http.StatusBadGateway, apperr.Encode(fmt.Errorf("team server %s: %w", p.opts.Server.Host, coded)).Error())
}

// accessError is the server refusing the member rather than one action: its
// token was revoked or expired (401), or an admin disabled the member (403
// member-disabled). The page must offer to join again, not retry.
type accessError struct {
	status int
	coded  *apperr.Error
}

func (e *accessError) Error() string { return e.coded.Error() }

// accessRefused reads a 401, or a 403 coded member-disabled, into an
// accessError; any other answer passes unchanged (a 403 role-required is a
// refusal of one action, which the page shows where it was asked).
func accessRefused(res *http.Response) error {
	if res.StatusCode != http.StatusUnauthorized && res.StatusCode != http.StatusForbidden {
		return nil
	}
	data, err := io.ReadAll(io.LimitReader(res.Body, maxAnswer))
	_ = res.Body.Close()
	if err != nil {
		return fmt.Errorf("read the server's refusal: %w", err)
	}
	refusal := answerError(res, data)
	if res.StatusCode == http.StatusUnauthorized {
		return &accessError{status: res.StatusCode, coded: apperr.TokenRefused(refusal)}
	}
	if apperr.Is(refusal, apperr.CodeMemberDisabled) {
		return &accessError{status: res.StatusCode, coded: apperr.MemberDisabled(refusal)}
	}
	// Passed on as it came.
	res.Body = io.NopCloser(bytes.NewReader(data))
	res.ContentLength = int64(len(data))
	res.Header.Set("Content-Length", strconv.Itoa(len(data)))
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
