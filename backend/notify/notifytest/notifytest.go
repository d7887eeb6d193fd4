// Package notifytest runs a private D-Bus session bus (the real dbus-daemon) and a
// notification daemon on it that implements the Desktop Notifications
// Specification's Notify, GetCapabilities and GetServerInformation and records
// what it is asked to show, for tests of the notify package and of the built
// app.
package notifytest

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// StartBus runs a private dbus-daemon for the test and returns its address.
func StartBus(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("dbus-daemon is missing: install the dbus package")
		}
		t.Skip("dbus-daemon is not installed")
	}
	sock := filepath.Join(t.TempDir(), "bus")
	cmd := exec.Command("dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1", "--address=unix:path="+sock)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start dbus-daemon: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("read the bus address: %v", err)
	}
	return strings.TrimSpace(line)
}

// Call is one Notify call as the daemon received it.
type Call struct {
	App, Summary, Body string
	Replaces           uint32
	Urgency            byte
	Timeout            int32
}

// Daemon is the notification daemon.
type Daemon struct {
	mu    sync.Mutex
	calls []Call
	next  uint32
	caps  []string
}

// Serve owns org.freedesktop.Notifications on the bus at addr, with the
// capabilities of GNOME Shell's and KDE's daemons: a body with markup.
func Serve(t testing.TB, addr string) *Daemon {
	t.Helper()
	return ServeCaps(t, addr, "body", "body-markup", "persistence")
}

// ServeCaps is Serve with the daemon's capabilities given.
func ServeCaps(t testing.TB, addr string, caps ...string) *Daemon {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	d := &Daemon{caps: caps}
	if err := conn.Export(daemonObject{d}, "/org/freedesktop/Notifications", "org.freedesktop.Notifications"); err != nil {
		t.Fatal(err)
	}
	reply, err := conn.RequestName("org.freedesktop.Notifications", dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own org.freedesktop.Notifications: %v (%v)", reply, err)
	}
	return d
}

// Calls returns what the daemon was asked to show so far.
func (d *Daemon) Calls() []Call {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]Call(nil), d.calls...)
}

// WaitFor waits up to limit for a call ok accepts.
func (d *Daemon) WaitFor(limit time.Duration, ok func(Call) bool) (Call, bool) {
	deadline := time.Now().Add(limit)
	for {
		for _, c := range d.Calls() {
			if ok(c) {
				return c, true
			}
		}
		if time.Now().After(deadline) {
			return Call{}, false
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// daemonObject holds only the exported D-Bus methods, so Calls and WaitFor
// are not offered on the bus.
type daemonObject struct{ d *Daemon }

func (o daemonObject) Notify(app string, replaces uint32, icon, summary, body string, actions []string,
	hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	d := o.d
	d.mu.Lock()
	defer d.mu.Unlock()
	var urgency byte
	if v, ok := hints["urgency"]; ok {
		urgency, _ = v.Value().(byte)
	}
	d.calls = append(d.calls, Call{App: app, Summary: summary, Body: body, Replaces: replaces, Urgency: urgency, Timeout: timeout})
	if replaces != 0 {
		return replaces, nil
	}
	d.next++
	return d.next, nil
}

func (o daemonObject) GetCapabilities() ([]string, *dbus.Error) {
	return append([]string{}, o.d.caps...), nil
}

func (o daemonObject) GetServerInformation() (string, string, string, string, *dbus.Error) {
	return "notifytest", "stormdesk", "1", "1.2", nil
}
