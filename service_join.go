package main

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/notify"
	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/teamclient"
	"github.com/stormdesk/stormdesk/backend/webbridge"
	"github.com/stormdesk/stormdesk/backend/workspace"
	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

// joinTimeout bounds a probe or a join: the person waits on the first screen.
const joinTimeout = 30 * time.Second

// startCheckTimeout bounds the certificate check when a team desktop opens;
// a server that does not answer by then is shown offline by the proxy.
const startCheckTimeout = 5 * time.Second

// JoinState is what the first screen and Settings need to know.
type JoinState struct {
	// Mode is "" (nothing chosen yet), "alone" or "team".
	Mode string `json:"mode"`
	// Offer asks the window to show the first screen: nothing was chosen and
	// the window was not started with an explicit --db.
	Offer bool `json:"offer"`
	// CanJoin is false when the window was started with --db: that database
	// is what the person asked for.
	CanJoin     bool   `json:"canJoin"`
	Server      string `json:"server"`
	Fingerprint string `json:"fingerprint"`
	Member      string `json:"member"`
	Role        string `json:"role"`
	// URL is the proxy's address the window opens to show the team's page
	// ("" unless in a team and the server may be shown).
	URL string `json:"url"`
	// Error is why the team's page cannot be shown (a coded error text: a
	// changed certificate, a keyring that does not answer).
	Error string `json:"error"`
}

// JoinRequest is the first screen's "Join a team" form.
type JoinRequest struct {
	Server string `json:"server"`
	// Fingerprint is the one the person confirmed after Probe ("" when the
	// system trusts the certificate).
	Fingerprint string `json:"fingerprint"`
	// Code is an invitation; Token an access token from `server user add`.
	// Exactly one is given.
	Code     string `json:"code"`
	Name     string `json:"name"`
	Password string `json:"password"`
	Token    string `json:"token"`
}

// JoinService lets the window's first screen choose between working alone
// and joining a team, and runs the proxy the team's page is shown through.
// It is bound in the window only: the team server has no desktop to join.
type JoinService struct {
	log     *slog.Logger
	profile teamclient.ProfileFile
	tokens  teamclient.Tokens
	// explicitDB: the window was started with --db, so the first screen is
	// not offered.
	explicitDB bool
	// roots verify servers instead of the system's (tests); nil: the system's.
	roots *x509.CertPool
	// notify shows a notification the team's page asks for on this desktop.
	notify func(ctx context.Context, n notify.Notification) (bool, error)
	// reload takes the window back to its own page (after leaving a team
	// from the team's page).
	reload func()

	mu      sync.Mutex
	running *runningProxy
}

type runningProxy struct {
	proxy  *teamclient.Proxy
	srv    *http.Server
	url    string
	server string
}

func (s *JoinService) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), joinTimeout)
}

// State reports the choice and, in a team, starts the proxy the window opens.
func (s *JoinService) State() (JoinState, error) {
	if s.explicitDB {
		return JoinState{Mode: string(teamclient.ModeAlone)}, nil
	}
	p, err := s.profile.Load()
	if err != nil {
		return JoinState{}, apperr.Encode(err)
	}
	st := stateOf(p)
	if p.Mode != teamclient.ModeTeam {
		s.log.Info("join state", "mode", string(p.Mode), "offer", st.Offer)
		return st, nil
	}
	url, err := s.open(p)
	if err != nil {
		s.log.Warn("team page not shown", "server", p.Server, "code", apperr.Classify(err).Code, "err", err)
		st.Error = apperr.Encode(err).Error()
		return st, nil
	}
	st.URL = url
	return st, nil
}

func stateOf(p teamclient.Profile) JoinState {
	return JoinState{
		Mode: string(p.Mode), Offer: p.Mode == teamclient.ModeUnset, CanJoin: true,
		Server: p.Server, Fingerprint: p.Fingerprint, Member: p.Member, Role: p.Role,
	}
}

// Probe shows the server's certificate before joining, so the person can
// compare its fingerprint with the one the server printed.
func (s *JoinService) Probe(address string) (teamclient.ProbeResult, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	res, err := teamclient.Probe(ctx, address, s.roots)
	if err == nil {
		s.log.Info("probed team server", "url", res.URL, "fingerprint", res.Fingerprint, "trusted", res.Trusted)
	}
	return res, apperr.Encode(err)
}

// Join checks the server's certificate against what the person confirmed,
// redeems the invitation (or checks the access token), keeps the token in
// the OS keyring and the rest in the profile, and starts the proxy.
func (s *JoinService) Join(req JoinRequest) (JoinState, error) {
	if s.explicitDB {
		return JoinState{}, apperr.Encode(apperr.NotAllowed("explicit-db", errors.New("this window was started with --db; start it without to join a team")))
	}
	st, err := s.join(req)
	return st, apperr.Encode(err)
}

func (s *JoinService) join(req JoinRequest) (JoinState, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	switch {
	case (req.Code == "") == (req.Token == ""):
		return JoinState{}, apperr.InvalidInput("code", errors.New("give an invitation code or an access token"))
	case req.Code != "" && req.Password != "" && len([]rune(req.Password)) < 12:
		return JoinState{}, apperr.InvalidInput("password", errors.New("a password needs at least 12 characters"))
	}
	probe, err := teamclient.Probe(ctx, req.Server, s.roots)
	if err != nil {
		return JoinState{}, err
	}
	u, err := url.Parse(probe.URL)
	if err != nil {
		return JoinState{}, apperr.Internal(err)
	}
	trust, err := s.trust(u, probe, req.Fingerprint)
	if err != nil {
		return JoinState{}, err
	}
	client := teamclient.NewClient(u, trust)
	defer client.Close()
	var token string
	var member teamclient.Member
	if req.Token != "" {
		token = req.Token
		member, err = client.Check(ctx, token)
	} else {
		var res teamclient.JoinResult
		res, err = client.Redeem(ctx, req.Code, req.Name, req.Password)
		token, member = res.Token, res.Member
	}
	if err != nil {
		return JoinState{}, err
	}
	if err := s.tokens.Set(ctx, probe.URL, token); err != nil {
		return JoinState{}, err
	}
	p := teamclient.Profile{Mode: teamclient.ModeTeam, Server: probe.URL, Fingerprint: trust.Fingerprint,
		Member: member.Name, Role: member.Role, JoinedAt: time.Now().UTC()}
	if err := s.profile.Save(p); err != nil {
		return JoinState{}, err
	}
	s.log.Info("joined a team", "server", probe.URL, "member", member.Name, "role", member.Role, "pinned", trust.Fingerprint != "")
	st := stateOf(p)
	st.URL, err = s.open(p)
	if err != nil {
		return JoinState{}, err
	}
	return st, nil
}

// trust decides how the server's certificate will be checked: by the
// system's roots when they verify it, else by the fingerprint the person
// confirmed, which must be the one the server shows now.
func (s *JoinService) trust(u *url.URL, probe teamclient.ProbeResult, confirmed string) (teamclient.Trust, error) {
	if u.Scheme == "http" || probe.Trusted {
		return teamclient.Trust{Roots: s.roots}, nil
	}
	if confirmed == "" {
		return teamclient.Trust{}, apperr.ServerUntrusted(probe.Fingerprint, fmt.Errorf("the certificate of %s is not trusted by this computer", u.Host))
	}
	fp, err := teamclient.NormalizeFingerprint(confirmed)
	if err != nil {
		return teamclient.Trust{}, apperr.InvalidInput("fingerprint", err)
	}
	if fp != probe.Fingerprint {
		return teamclient.Trust{}, apperr.ServerCertChanged(fp, probe.Fingerprint, fmt.Errorf("%s shows another certificate than the one confirmed", u.Host))
	}
	return teamclient.Trust{Fingerprint: fp}, nil
}

// WorkAlone records the choice to use this computer's inbox.
func (s *JoinService) WorkAlone() (JoinState, error) {
	if s.explicitDB {
		return JoinState{Mode: string(teamclient.ModeAlone)}, nil
	}
	p := teamclient.Profile{Mode: teamclient.ModeAlone}
	if err := s.profile.Save(p); err != nil {
		return JoinState{}, apperr.Encode(err)
	}
	return stateOf(p), nil
}

// Leave forgets the team: the proxy stops, the token leaves the keyring and
// the first screen is offered again. The team keeps the member; an admin
// disables it there.
func (s *JoinService) Leave() (JoinState, error) {
	st, err := s.leave()
	s.stop()
	return st, apperr.Encode(err)
}

func (s *JoinService) leave() (JoinState, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	p, err := s.profile.Load()
	if err != nil {
		return JoinState{}, err
	}
	if p.Server != "" {
		if err := s.tokens.Delete(ctx, p.Server); err != nil {
			// Leaving must work when the keyring does not answer (that may be
			// why the team's page cannot be shown); the token stays where
			// nothing of Stormdesk reads it any more.
			s.log.Warn("team token not removed from the keyring", "server", p.Server, "err", err)
		}
	}
	if err := s.profile.Save(teamclient.Profile{}); err != nil {
		return JoinState{}, err
	}
	s.log.Info("left the team", "server", p.Server)
	return stateOf(teamclient.Profile{}), nil
}

// open starts the proxy for p (once) and returns the address the window
// opens. A certificate that changed since joining is refused here, before
// the window leaves its own page, so the first screen can say so.
func (s *JoinService) open(p teamclient.Profile) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running != nil && s.running.server == p.Server {
		return s.running.url, nil
	}
	u, err := url.Parse(p.Server)
	if err != nil {
		return "", fmt.Errorf("team profile server %q: %w", p.Server, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), startCheckTimeout)
	defer cancel()
	if u.Scheme == "https" {
		if err := s.checkCertificate(ctx, p); err != nil {
			return "", err
		}
	}
	token, err := s.tokens.Get(ctx, p.Server)
	if err != nil {
		return "", err
	}
	proxy := teamclient.New(teamclient.Options{
		Server: u, Trust: teamclient.Trust{Fingerprint: p.Fingerprint, Roots: s.roots}, Token: token,
		Notify: s.notify, Log: s.log,
		Local: map[string]http.HandlerFunc{
			"/bridge/call/JoinService/State": s.serveLocalState,
			"/bridge/call/JoinService/Leave": s.serveLocalLeave,
		},
	})
	ln, err := webbridge.Listen(context.Background(), "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: proxy, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("team proxy stopped", "err", err)
		}
	}()
	s.running = &runningProxy{proxy: proxy, srv: srv, server: p.Server, url: proxy.StartURL(ln.Addr().String())}
	s.log.Info("team proxy listening", "server", p.Server, "addr", ln.Addr().String())
	return s.running.url, nil
}

// checkCertificate refuses a server whose certificate is not the pinned
// one (or, unpinned, no longer trusted by the system). A server that does
// not answer passes: the proxy shows it offline and retries.
func (s *JoinService) checkCertificate(ctx context.Context, p teamclient.Profile) error {
	probe, err := teamclient.Probe(ctx, p.Server, s.roots)
	if err != nil {
		var ne net.Error
		if apperr.Is(err, apperr.CodeServerUnreachable) || errors.As(err, &ne) {
			s.log.Warn("team server not reachable at start", "server", p.Server, "err", err)
			return nil
		}
		return err
	}
	switch {
	case p.Fingerprint != "" && probe.Fingerprint != p.Fingerprint:
		return apperr.ServerCertChanged(p.Fingerprint, probe.Fingerprint, fmt.Errorf("the certificate of %s changed since this desktop joined", p.Server))
	case p.Fingerprint == "" && !probe.Trusted:
		return apperr.ServerUntrusted(probe.Fingerprint, fmt.Errorf("the certificate of %s is no longer trusted by this computer", p.Server))
	}
	return nil
}

func (s *JoinService) stop() {
	s.mu.Lock()
	r := s.running
	s.running = nil
	s.mu.Unlock()
	if r == nil {
		return
	}
	// Not Shutdown: event streams never end by themselves.
	_ = r.srv.Close()
	r.proxy.Close()
}

// serveLocalState answers JoinService.State for the team's page, which the
// server serves without it, so its Settings can offer "Leave team".
func (s *JoinService) serveLocalState(w http.ResponseWriter, r *http.Request) {
	st, err := s.State()
	st.URL = "" // the page asking is the team's page already
	writeLocal(w, st, err)
}

// serveLocalLeave leaves the team from the team's page, then takes the
// window back to its own page (the first screen). The proxy the request
// came through closes once the answer is sent.
func (s *JoinService) serveLocalLeave(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "must be POST", http.StatusMethodNotAllowed)
		return
	}
	st, err := s.leave()
	writeLocal(w, st, apperr.Encode(err))
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	if err != nil {
		return
	}
	if s.reload != nil {
		s.reload()
	}
	s.stop()
}

func writeLocal(w http.ResponseWriter, v any, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"result": v})
}

// newWindowJoin is the window's JoinService: the profile under the user's
// config directory, tokens in the OS keyring, notifications over the app's
// notifier.
func newWindowJoin(app *App, explicitDB bool) (*JoinService, error) {
	profile, err := teamclient.DefaultProfileFile()
	if err != nil {
		return nil, err
	}
	appService := &AppService{app: app}
	return &JoinService{
		log: app.log, profile: profile, explicitDB: explicitDB,
		tokens: teamclient.Tokens{Store: secrets.NewKeyring(workspace.KeyringService)},
		notify: func(_ context.Context, n notify.Notification) (bool, error) {
			return appService.Notify(Notification{Tag: n.Tag, Title: n.Title, Body: n.Body, Urgent: n.Urgent})
		},
		reload: func() { wruntime.WindowReloadApp(app.context()) },
	}, nil
}

// windowInTeam reports whether the window will show a team's page: then the local
// database is not filled with demo data nobody looks at.
func windowInTeam(log *slog.Logger, explicitDB bool) bool {
	if explicitDB {
		return false
	}
	f, err := teamclient.DefaultProfileFile()
	if err != nil {
		return false
	}
	p, err := f.Load()
	if err != nil {
		log.Warn("team profile not read", "err", err)
		return false
	}
	return p.Mode == teamclient.ModeTeam
}

// shutdown stops the proxy when the window closes.
func (s *JoinService) shutdown() { s.stop() }
