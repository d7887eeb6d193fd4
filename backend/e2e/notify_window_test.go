//go:build e2e

package e2e

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/notify/notifytest"
)

// TestWindowNotifiesCrisisAlertOnTheDesktop runs the built app under Xvfb with a
// private session bus whose notification daemon records what it is asked to
// show. A complaint burst imported by another process while the window is open
// must reach the desktop: the crisis monitor notices it, Go emits the alert, the
// page in WebKitGTK calls AppService.Notify through the bindings, and Go sends
// org.freedesktop.Notifications.Notify.
func TestWindowNotifiesCrisisAlertOnTheDesktop(t *testing.T) {
	bus := notifytest.StartBus(t)
	daemon := notifytest.Serve(t, bus)
	display := startXvfb(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "stormdesk.db")
	a := startApp(t, display, dir, []string{"DBUS_SESSION_BUS_ADDRESS=" + bus}, "--db", db)
	// Alerts found while the monitor replays history are not announced: import once it watches.
	if !waitFor(90*time.Second, func() bool {
		out := a.logs.String()
		return strings.Contains(out, "frontend ready") && strings.Contains(out, "crisis monitor watching")
	}) {
		t.Fatalf("the app did not start watching; output:\n%s", a.logs.String())
	}

	const account = "nordlicht-bahn-telegram"
	now := time.Now()
	rows := []string{"id,account,time,author,sentiment,text"}
	for i := range 40 {
		at := now.Add(-15*time.Minute + time.Duration(i)*20*time.Second).UTC().Format(time.RFC3339)
		rows = append(rows, fmt.Sprintf(`burst-%d,%s,%s,@angry%d,negative,"Der Zug fällt schon wieder aus, niemand informiert uns! #%d"`, i, account, at, i, i))
	}
	importRows(t, dir, db, "telegram", rows)

	call, ok := daemon.WaitFor(60*time.Second, func(c notifytest.Call) bool { return strings.Contains(c.Body, account) })
	if !ok {
		t.Fatalf("no desktop notification for %s; the daemon got %+v; app output:\n%s", account, daemon.Calls(), a.logs.String())
	}
	if call.App != "Stormdesk" || call.Summary == "" || call.Urgency != 2 {
		t.Errorf("notification = %+v; want app Stormdesk, a title, critical urgency", call)
	}
	if strings.Contains(a.logs.String(), "level=ERROR") {
		t.Errorf("the app logged errors:\n%s", a.logs.String())
	}
}
