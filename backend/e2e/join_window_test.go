//go:build e2e

package e2e

import (
	"bytes"
	"encoding/json"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/stormdesk/stormdesk/backend/notify/notifytest"
	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
	"github.com/stormdesk/stormdesk/backend/testutil/tlscert"
)

// TestWindowJoinsTeam: a real PostgreSQL and `stormdesk server` with a
// self-signed certificate; the built binary under Xvfb, started without
// --db, shows the first screen, joins with an access token through the Join
// screen (comparing the fingerprint the server printed), and shows the
// team's inbox through its proxy. A second start goes straight in; after the
// server's certificate is replaced the desktop refuses to show it.
func TestWindowJoinsTeam(t *testing.T) {
	if _, err := exec.LookPath("xdotool"); err != nil {
		t.Fatal("xdotool drives the window's keyboard: install it (make deps-apt-test)")
	}
	if _, err := exec.LookPath("gnome-keyring-daemon"); err != nil {
		t.Fatal("gnome-keyring-daemon keeps the member's token: install gnome-keyring")
	}
	dsn, keyPath, token := initTeamDB(t, "teamjoin")
	first := tlscert.New(t)
	srv := startTeamServer(t, dsn, keyPath, first, t.TempDir(), "127.0.0.1:0")

	bus := notifytest.StartBus(t)
	startKeyring(t, bus)
	display := startXvfb(t)
	home := t.TempDir()
	env := []string{"DBUS_SESSION_BUS_ADDRESS=" + bus, "XDG_CONFIG_HOME=" + filepath.Join(home, "config")}
	x := xdo{t: t, display: display}

	// First start: no choice recorded, no --db: the first screen.
	a := startApp(t, display, home, env)
	if !waitFor(90*time.Second, func() bool { return strings.Contains(a.logs.String(), "offer=true") }) {
		t.Fatalf("the first screen was not offered; app output:\n%s", a.logs.String())
	}
	settled(t, display)
	// "Work alone" has the focus; Tab to "Join a team", then the form: the
	// address has the focus, Tab to the code/token choice, Right picks the
	// token, Tab to its field, Enter continues.
	x.keys("Tab", "Return")
	settled(t, display)
	x.run("type", "--delay", "30", srv.addr)
	x.keys("Tab", "Right", "Tab")
	x.run("type", "--delay", "10", token)
	x.keys("Return")
	if !waitFor(60*time.Second, func() bool { return strings.Contains(a.logs.String(), "probed team server") }) {
		t.Fatalf("the server was not probed; app output:\n%s", a.logs.String())
	}
	if !strings.Contains(a.logs.String(), "fingerprint="+srv.fingerprint) || !strings.Contains(a.logs.String(), "trusted=false") {
		t.Fatalf("the probe did not show the printed fingerprint %s as untrusted; app output:\n%s", srv.fingerprint, a.logs.String())
	}
	settled(t, display)
	if dir := os.Getenv("STORMDESK_SCREENSHOT_DIR"); dir != "" {
		savePNG(t, screenshot(t, display), filepath.Join(dir, "join.png"))
	}
	// Comparing: "Back" has the focus, so Enter alone never vouches; Tab to "They match: join".
	x.keys("Tab", "Return")
	if !waitFor(60*time.Second, func() bool {
		l := a.logs.String()
		return strings.Contains(l, "joined a team") && strings.Contains(l, "team page served")
	}) {
		failShot(t, display)
		t.Fatalf("the window did not join and open the team's page; app output:\n%s", a.logs.String())
	}
	// The page called the server with the member's token: its first Info marks it ready.
	if !waitFor(60*time.Second, func() bool { return strings.Contains(srv.logs.String(), "frontend ready") }) {
		t.Fatalf("the team's page never called the server; server output:\n%s", srv.logs.String())
	}
	requireRendered(t, display)

	raw := readFile(t, filepath.Join(home, "config", "stormdesk", "team.json"))
	var profile struct{ Mode, Server, Fingerprint, Member string }
	if err := json.Unmarshal([]byte(raw), &profile); err != nil {
		t.Fatalf("team.json: %v\n%s", err, raw)
	}
	if profile.Mode != "team" || profile.Server != "https://"+srv.addr || profile.Fingerprint != srv.fingerprint || profile.Member != "Ada" {
		t.Errorf("team.json = %+v", profile)
	}
	if strings.Contains(raw, token) || strings.Contains(a.logs.String(), token) {
		t.Error("the access token is on disk or in the log")
	}
	a.stop()

	// Second start: straight to the team's page, no first screen.
	b := startApp(t, display, home, env)
	if !waitFor(90*time.Second, func() bool { return strings.Contains(b.logs.String(), "team page served") }) {
		t.Fatalf("the second start did not open the team's page; app output:\n%s", b.logs.String())
	}
	if strings.Contains(b.logs.String(), "offer=true") {
		t.Error("the second start offered the first screen again")
	}
	b.stop()

	// The server comes back on the same address with another certificate.
	srv.stop()
	startTeamServer(t, dsn, keyPath, tlscert.New(t), t.TempDir(), srv.addr)
	c := startApp(t, display, home, env)
	if !waitFor(90*time.Second, func() bool { return strings.Contains(c.logs.String(), "team page not shown") }) {
		t.Fatalf("a changed certificate was not refused; app output:\n%s", c.logs.String())
	}
	if !strings.Contains(c.logs.String(), "code=server-cert-changed") || strings.Contains(c.logs.String(), "team page served") {
		t.Fatalf("want the page refused as server-cert-changed; app output:\n%s", c.logs.String())
	}
	for _, l := range []string{a.logs.String(), b.logs.String(), c.logs.String()} {
		if strings.Contains(l, "level=ERROR") {
			t.Errorf("the app logged errors:\n%s", l)
		}
	}
}

// initTeamDB starts a PostgreSQL of its own (stopped when the test ends) and runs
// `server init` on it with the first admin Ada; it returns the DSN, the secrets key's
// path and the admin's access token.
func initTeamDB(t *testing.T, name string) (dsn, keyPath, token string) {
	t.Helper()
	dsn, stopPG, err := pgtest.Standalone(name)
	if err != nil {
		t.Fatalf("PostgreSQL: %v", err)
	}
	t.Cleanup(stopPG)
	keyPath = filepath.Join(t.TempDir(), "secrets.key")
	out, errOut, code := runCLI(t, nil, "server", "init", "--db", dsn, "--admin", "Ada", "--secrets-key", keyPath)
	token = regexp.MustCompile(`\b[0-9a-f]{64}\b`).FindString(out)
	if code != 0 || token == "" {
		t.Fatalf("server init: exit %d, no token\n%s%s", code, out, errOut)
	}
	return dsn, keyPath, token
}

type teamServer struct {
	addr, fingerprint string
	logs              *syncBuffer
	stop              func()
}

var serverAtRE = regexp.MustCompile(`Stormdesk team server at https://([^/\s]+)/\s+Certificate fingerprint \(SHA-256\): ([0-9A-F:]+)`)

// startTeamServer runs `stormdesk server` with the demo data over TLS with
// cert, and reads its address and fingerprint from what it prints.
func startTeamServer(t *testing.T, dsn, keyPath string, cert tlscert.Cert, dir, addr string) *teamServer {
	t.Helper()
	certFile, keyFile := cert.WriteFiles(t, dir)
	cmd := exec.Command(binary(t), "server", "--db", dsn, "--secrets-key", keyPath, "--addr", addr,
		"--tls-cert", certFile, "--tls-key", keyFile, "--demo")
	logs := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start server: %v", err)
	}
	s := &teamServer{logs: logs, stop: groupStopper(cmd, 30*time.Second)}
	t.Cleanup(s.stop)
	var m []string
	if !waitFor(90*time.Second, func() bool { m = serverAtRE.FindStringSubmatch(logs.String()); return m != nil }) {
		t.Fatalf("the server printed no address and fingerprint:\n%s", logs.String())
	}
	s.addr, s.fingerprint = m[1], m[2]
	return s
}

// startKeyring runs a Secret Service (gnome-keyring, unlocked) on bus and
// waits until it owns its name.
func startKeyring(t *testing.T, bus string) {
	t.Helper()
	cmd := exec.Command("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	cmd.Env = append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+bus, "XDG_DATA_HOME="+t.TempDir(), "XDG_RUNTIME_DIR="+t.TempDir())
	cmd.Stdin = strings.NewReader("x")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start gnome-keyring-daemon: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	conn, err := dbus.Connect(bus)
	if err != nil {
		t.Fatalf("connect to the test bus: %v", err)
	}
	defer conn.Close()
	if !waitFor(30*time.Second, func() bool {
		var has bool
		err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.freedesktop.secrets").Store(&has)
		return err == nil && has
	}) {
		t.Fatal("the Secret Service did not come up on the test bus")
	}
}

// settled waits until the window shows something and stops changing, so
// keys go to what the screen shows.
func settled(t *testing.T, display string) {
	t.Helper()
	var prev image.Image
	if !waitFor(30*time.Second, func() bool {
		img := screenshot(t, display)
		distinct, _ := colourStats(img)
		same := prev != nil && sameImage(prev, img)
		prev = img
		if same && distinct > 20 {
			return true
		}
		time.Sleep(250 * time.Millisecond)
		return false
	}) {
		t.Fatal("the window did not settle")
	}
}

func sameImage(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y += 3 {
		for x := r.Min.X; x < r.Max.X; x += 3 {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}

// requireRendered waits for a varied screen: the team's inbox, not a blank
// page or an error text.
func requireRendered(t *testing.T, display string) {
	t.Helper()
	var distinct int
	var dominant float64
	if !waitFor(60*time.Second, func() bool {
		distinct, dominant = colourStats(screenshot(t, display))
		return distinct > 400 && dominant < 0.9
	}) {
		savePNG(t, screenshot(t, display), filepath.Join(t.TempDir(), "failed.png"))
		t.Fatalf("the team's page looks blank: %d colours, dominant %.0f%%", distinct, dominant*100)
	}
}

// failShot keeps what the window showed when a step failed, where
// STORMDESK_SCREENSHOT_DIR says.
func failShot(t *testing.T, display string) {
	if dir := os.Getenv("STORMDESK_SCREENSHOT_DIR"); dir != "" {
		savePNG(t, screenshot(t, display), filepath.Join(dir, t.Name()+"-failed.png"))
	}
}
