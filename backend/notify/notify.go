// Package notify shows desktop notifications through the freedesktop.org
// Notifications service on the D-Bus session bus (GNOME, KDE, Xfce, most
// Linux desktops).
//
// The Wails window cannot rely on the Web Notifications API: WebKitGTK denies
// its permission request unless the embedding application grants it, and Wails
// v2 does not. So SLA breaches, crisis alerts and approval requests reach the
// desktop from Go; the frontend falls back to the web API only where this
// package reports ErrUnavailable (no session bus or no notification daemon).
package notify

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/godbus/dbus/v5"
)

// The documented names of the Desktop Notifications Specification.
const (
	busName    = "org.freedesktop.Notifications"
	objectPath = dbus.ObjectPath("/org/freedesktop/Notifications")
	methodName = busName + ".Notify"
	capsMethod = busName + ".GetCapabilities"
)

// ErrUnavailable means there is nobody to show notifications: no session bus,
// or no notification daemon on it.
var ErrUnavailable = errors.New("desktop notifications are unavailable")

// Notification is one message for the desktop.
type Notification struct {
	// Tag identifies what the notification is about (e.g. "sla:42"); a second
	// notification with the same tag replaces the first instead of stacking.
	Tag   string
	Title string
	Body  string
	// Urgent asks the daemon to keep it visible (critical urgency), for
	// breaches and crisis alerts.
	Urgent bool
}

// Notifier sends notifications to one bus. The zero value is not usable: use New.
type Notifier struct {
	app     string
	address string // "" means the user's session bus

	mu   sync.Mutex
	conn *dbus.Conn
	ids  map[string]uint32 // tag -> the daemon's id, for replaces_id
	// markup: the daemon reads the body as markup (capability "body-markup",
	// GNOME Shell and KDE do), asked once per connection.
	markup, asked bool
}

// markupEscaper escapes what the specification's body markup reads: a body
// is customers' text (a name such as "Ann <ann@example.com>", a subject with
// "<b>" or "&"), which must show as typed, never as bold, a link or an image.
var markupEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// New returns a notifier that names itself app. address is a D-Bus address;
// empty means the session bus. The connection is made on the first Notify.
func New(app, address string) *Notifier {
	return &Notifier{app: app, address: address, ids: map[string]uint32{}}
}

// Notify shows n. It returns ErrUnavailable (wrapped) when no daemon can show it.
func (n *Notifier) Notify(ctx context.Context, msg Notification) error {
	if msg.Title == "" {
		return errors.New("notify: a notification needs a title")
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	conn, err := n.connect(ctx)
	if err != nil {
		return err
	}
	urgency := byte(1) // normal
	if msg.Urgent {
		urgency = 2
	}
	hints := map[string]dbus.Variant{"urgency": dbus.MakeVariant(urgency)}
	// D-Bus strings must be UTF-8, or the call fails and nothing shows.
	title, body := strings.ToValidUTF8(msg.Title, "\uFFFD"), strings.ToValidUTF8(msg.Body, "\uFFFD")
	if n.bodyMarkup(ctx, conn) {
		body = markupEscaper.Replace(body)
	}
	var id uint32
	call := conn.Object(busName, objectPath).CallWithContext(ctx, methodName, 0,
		n.app, n.ids[msg.Tag], "", title, body, []string{}, hints, int32(-1))
	if err := call.Store(&id); err != nil {
		var de dbus.Error
		if errors.As(err, &de) && de.Name == "org.freedesktop.DBus.Error.ServiceUnknown" {
			return fmt.Errorf("notify %q: %w: no notification daemon on the session bus", msg.Tag, ErrUnavailable)
		}
		if errors.Is(err, dbus.ErrClosed) {
			n.conn = nil // reconnect next time
		}
		return fmt.Errorf("notify %q: %w", msg.Tag, err)
	}
	if msg.Tag != "" {
		n.ids[msg.Tag] = id
	}
	return nil
}

// bodyMarkup reports whether the daemon reads bodies as markup. A daemon
// that does not answer is taken to read it: escaped text on a plain daemon
// shows "&amp;", raw text on a markup one can show a link. Called with n.mu
// held.
func (n *Notifier) bodyMarkup(ctx context.Context, conn *dbus.Conn) bool {
	if n.asked {
		return n.markup
	}
	var caps []string
	if err := conn.Object(busName, objectPath).CallWithContext(ctx, capsMethod, 0).Store(&caps); err != nil {
		return true // not remembered: asked again with the next notification
	}
	n.markup, n.asked = slices.Contains(caps, "body-markup"), true
	return n.markup
}

// connect opens the bus connection once. Called with n.mu held.
func (n *Notifier) connect(ctx context.Context) (*dbus.Conn, error) {
	if n.conn != nil && n.conn.Connected() {
		return n.conn, nil
	}
	var (
		conn *dbus.Conn
		err  error
	)
	if n.address == "" {
		conn, err = dbus.ConnectSessionBus(dbus.WithContext(ctx))
	} else {
		conn, err = dbus.Connect(n.address, dbus.WithContext(ctx))
	}
	if err != nil {
		return nil, fmt.Errorf("notify: connect to the session bus: %w: %v", ErrUnavailable, err)
	}
	n.conn, n.asked = conn, false // another daemon may answer on a new connection
	return conn, nil
}

// Close closes the bus connection.
func (n *Notifier) Close() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.conn == nil {
		return nil
	}
	err := n.conn.Close()
	n.conn = nil
	return err
}
