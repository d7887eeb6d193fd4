// Package webbridge serves the Wails-bound services and the built frontend over
// plain HTTP, so the real UI can be driven in an ordinary browser (end-to-end
// tests, screenshots) against the real Go backend.
//
// The frontend keeps calling the generated wailsjs bindings unchanged: a small
// script, injected into index.html before the app bundle, defines window.go and
// the subset of window.runtime the UI uses, backed by fetch and EventSource.
package webbridge

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	// maxBody bounds one call's arguments; the UI sends small JSON queries.
	maxBody = 4 << 20
	// replaySize is how many recent events a new event stream can catch up on.
	replaySize = 256
	// subscriberBuffer is how far a slow event stream may lag before it is dropped;
	// the browser's EventSource then reconnects and replays from its last id.
	subscriberBuffer = 64
	keepAlive        = 20 * time.Second
	// maxPendingLocal bounds the page-local events held back until the
	// journal has delivered what this bridge published before them (EmitLocal);
	// past it they are sent at once rather than kept without end.
	maxPendingLocal = 1024

	// ResetEvent is sent, with no data, to a page resuming from an event the
	// journal has pruned: what it missed cannot be replayed, so it must reload
	// everything it shows. Its id is the stream's position at that moment.
	ResetEvent = "events:reset"
)

var errorType = reflect.TypeOf((*error)(nil)).Elem()

// method is one bound method. recv and idx (the service's type and fn's
// index in its method set) let a team call run it on the member's own
// service value.
type method struct {
	fn   reflect.Value
	recv reflect.Type
	idx  int
	in   []reflect.Type
	out  []reflect.Type // at most one non-error result, optionally followed by error
}

type service struct {
	pkg     string
	methods map[string]method
}

type event struct {
	id   uint64
	data []byte // JSON {"name":..., "data":[...]}
	// local marks an event of this instance's pages only (EmitLocal): it is
	// sent without an id, so a page's Last-Event-ID stays the journal's
	// number, and it is neither kept in the ring nor replayed.
	local bool
	// page, on a local event, is the page that asked for the work (the
	// PageHeader of its call): only that page's streams get it. Empty: every page.
	page string
}

// PageHeader names the page a call comes from: the shim gives each page
// load a random id, sends it with every call and opens its event stream with
// it (?page=), so an event only that page needs (streamed draft text, an
// import's progress) goes to it alone.
const PageHeader = "X-Stormdesk-Page"

// maxPageID bounds a page id; the shim's are 32 hex digits.
const maxPageID = 64

type pageKey struct{}

// WithPage returns ctx carrying the id of the page a call comes from; a
// local event emitted with it (EmitLocal) reaches that page only.
func WithPage(ctx context.Context, page string) context.Context {
	return context.WithValue(ctx, pageKey{}, page)
}

// PageOf is the page id ctx carries ("" when none).
func PageOf(ctx context.Context) string {
	p, _ := ctx.Value(pageKey{}).(string)
	return p
}

// pageID is the page id of a call or a stream: the header or query value
// when it is a plausible id, else "" (every page).
func pageID(v string) string {
	if len(v) == 0 || len(v) > maxPageID {
		return ""
	}
	for _, c := range v {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_') {
			return ""
		}
	}
	return v
}

// pendingLocal is a page-local event waiting for the journal to deliver
// event after, which this bridge published before it.
type pendingLocal struct {
	after uint64
	ev    event
}

// Bridge is an http.Handler exposing bound services, an event stream and the frontend.
type Bridge struct {
	log      *slog.Logger
	assets   fs.FS
	token    string
	services map[string]service
	shim     []byte

	mu     sync.Mutex
	seq    uint64
	recent []event               // ring of the last replaySize events, oldest first
	subs   map[chan event]string // each stream's page id ("" when it gave none)
	closed chan struct{}
	once   sync.Once
	// journal, when set (UseJournal), numbers the events and keeps them
	// beyond the ring; floor is then the id below which the ring may lack
	// events (the last one it dropped, or where the journal started feeding).
	journal Journal
	floor   uint64
	// published is the largest number the journal gave an event this bridge
	// published; pending holds the local events emitted after it was
	// published and before the journal delivered it, in order.
	published uint64
	pending   []pendingLocal
}

// New binds the exported methods of services (pointers to structs, as given to
// Wails' Bind) and serves the frontend from assets, the root of a built dist.
// Services are named by their Go type name, as the Wails bindings name them.
// Each Bridge makes its own random token (see Token and StartURL).
func New(services []any, assets fs.FS, log *slog.Logger) *Bridge {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	b := &Bridge{
		log:      log,
		assets:   assets,
		token:    newToken(),
		services: map[string]service{},
		subs:     map[chan event]string{},
		closed:   make(chan struct{}),
	}
	for _, s := range services {
		v := reflect.ValueOf(s)
		t := v.Type()
		named := t
		if named.Kind() == reflect.Pointer {
			named = named.Elem()
		}
		pkg := path.Base(named.PkgPath())
		svc := service{pkg: pkg, methods: map[string]method{}}
		for i := 0; i < t.NumMethod(); i++ {
			m := t.Method(i)
			fn := v.Method(i)
			ft := fn.Type()
			if !validResults(ft) {
				log.Warn("webbridge: method not bound, its results are not (T, error), error or T", "method", named.Name()+"."+m.Name)
				continue
			}
			mm := method{fn: fn, recv: t, idx: i}
			for j := 0; j < ft.NumIn(); j++ {
				mm.in = append(mm.in, ft.In(j))
			}
			for j := 0; j < ft.NumOut(); j++ {
				mm.out = append(mm.out, ft.Out(j))
			}
			svc.methods[m.Name] = mm
		}
		b.services[named.Name()] = svc
	}
	b.shim = b.buildShim()
	return b
}

func validResults(ft reflect.Type) bool {
	if ft.IsVariadic() {
		return false
	}
	switch ft.NumOut() {
	case 0, 1:
		return true
	case 2:
		return ft.Out(1) == errorType && ft.Out(0) != errorType
	}
	return false
}

// Methods lists the bound methods as "pkg.Service.Method", sorted.
func (b *Bridge) Methods() []string {
	out := []string{}
	for name, s := range b.services {
		for m := range s.methods {
			out = append(out, s.pkg+"."+name+"."+m)
		}
	}
	sort.Strings(out)
	return out
}

// ServeHTTP checks the Host, the Origin and the token, then routes bridge calls,
// the event stream, the shim and the frontend.
func (b *Bridge) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !loopbackHost(r.Host) {
		// A page elsewhere that resolves its own name to 127.0.0.1 (DNS rebinding) must not reach the inbox.
		writeError(w, http.StatusForbidden, fmt.Sprintf("host %q is not a loopback address", r.Host))
		return
	}
	if o := r.Header.Get("Origin"); !allowedOrigin(o, r.Host, "http") {
		writeError(w, http.StatusForbidden, fmt.Sprintf("cross-origin request from %q refused", o))
		return
	}
	// Keep the token URL out of the Referer of anything the page loads or links to.
	w.Header().Set("Referrer-Policy", "no-referrer")
	// Everything, the page included, needs the token: another user on this machine
	// can reach a loopback port as easily as the owner can.
	if _, ok := b.runGate().authorize(w, r); !ok {
		return
	}
	b.route(w, r)
}

// route serves an authorized request: bridge calls, the event stream, the
// shim and the frontend.
func (b *Bridge) route(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/bridge/call/"):
		b.serveCall(w, r, strings.TrimPrefix(p, "/bridge/call/"))
	case p == "/bridge/events":
		b.serveEvents(w, r)
	case p == "/bridge/methods":
		writeJSON(w, http.StatusOK, b.Methods())
	case p == "/bridge/wails-shim.js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(b.shim)
	case strings.HasPrefix(p, "/bridge/"):
		writeError(w, http.StatusNotFound, "no such bridge endpoint: "+p)
	default:
		b.serveAsset(w, r)
	}
}

func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// postJSON refuses (and answers) a request that is not a POST of JSON; what
// names the endpoint in the refusal.
func postJSON(w http.ResponseWriter, r *http.Request, what string) bool {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, what+" must be POST")
		return false
	}
	// A JSON content type forces a CORS preflight on cross-site pages, which this server never grants.
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		writeError(w, http.StatusUnsupportedMediaType, fmt.Sprintf("content type %q: want application/json", ct))
		return false
	}
	return true
}

func (b *Bridge) serveCall(w http.ResponseWriter, r *http.Request, rest string) {
	if !postJSON(w, r, "bridge calls") {
		return
	}
	svcName, methName, ok := strings.Cut(rest, "/")
	if !ok || svcName == "" || methName == "" || strings.Contains(methName, "/") {
		writeError(w, http.StatusNotFound, "call path must be /bridge/call/{Service}/{Method}")
		return
	}
	svc, ok := b.services[svcName]
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("unknown service %q", svcName))
		return
	}
	m, ok := svc.methods[methName]
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("unknown method %s.%s", svcName, methName))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("%s.%s: read arguments: %v", svcName, methName, err))
		return
	}
	args, err := decodeArgs(body, m.in)
	if err != nil {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("%s.%s: %v", svcName, methName, err))
		return
	}
	if c := callerFrom(r.Context()); c != nil {
		if m, err = c.bind(r.Context(), svcName, methName, m, args); err != nil {
			// The member may not: refused before anything ran, in the app's coded shape.
			writeError(w, http.StatusForbidden, err.Error())
			return
		}
	}
	result, callErr := b.invoke(svcName+"."+methName, m, args)
	if callErr != nil {
		// Like Wails, the promise rejects with the Go error text.
		writeError(w, http.StatusInternalServerError, callErr.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"result": result})
}

func decodeArgs(body []byte, in []reflect.Type) ([]reflect.Value, error) {
	var raw []json.RawMessage
	if len(bytes.TrimSpace(body)) == 0 {
		raw = nil
	} else if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("arguments must be a JSON array: %w", err)
	}
	if len(raw) != len(in) {
		return nil, fmt.Errorf("got %d arguments, want %d", len(raw), len(in))
	}
	args := make([]reflect.Value, len(in))
	for i, t := range in {
		p := reflect.New(t)
		if err := json.Unmarshal(raw[i], p.Interface()); err != nil {
			return nil, fmt.Errorf("argument %d (%s): %w", i+1, t, err)
		}
		args[i] = p.Elem()
	}
	return args, nil
}

// invoke calls m, turning a panic into an error so one bad call does not stop the server.
func (b *Bridge) invoke(name string, m method, args []reflect.Value) (result any, err error) {
	defer func() {
		if p := recover(); p != nil {
			b.log.Error("webbridge: method panicked", "method", name, "panic", p)
			result, err = nil, fmt.Errorf("%s panicked: %v", name, p)
		}
	}()
	out := m.fn.Call(args)
	for i, t := range m.out {
		if t == errorType {
			if e, _ := out[i].Interface().(error); e != nil {
				return nil, e
			}
			continue
		}
		result = out[i].Interface()
	}
	return result, nil
}

// Journal is a durable, numbered event log shared by every server instance
// (teamevents.Hub). A Bridge using one numbers its event stream with the
// log's sequence numbers, so a page's Last-Event-ID means the same on every
// instance, and replays a page that reconnects after more than the ring holds
// from the log, so a desktop that slept catches up without loss.
type Journal interface {
	// Append records an event and returns its number; it comes back through
	// Follow's deliver.
	Append(ctx context.Context, name string, data ...any) (int64, error)
	// Follow calls deliver with every event after from, in order, once each,
	// from one goroutine; deliver must not block.
	Follow(deliver func(seq int64, name string, data []byte)) (from int64, stop func())
	// Replay passes the stored events numbered in (after, upTo] to send, in order.
	Replay(ctx context.Context, after, upTo int64, send func(seq int64, name string, data []byte) error) error
	// Pruned returns the largest number pruned from the log: a page that
	// last saw an event below it missed events no Replay can give.
	Pruned(ctx context.Context) (int64, error)
}

// UseJournal makes j the source of the bridge's events: Emit publishes to it,
// the stream's ids are its sequence numbers, and a page resuming from before
// the ring is replayed from it. Call it before serving; the bridge follows j
// until Close.
func (b *Bridge) UseJournal(j Journal) {
	b.mu.Lock()
	b.journal = j
	b.recent = nil
	b.seq = 0
	b.mu.Unlock()
	// Follow may deliver before it returns; deliver only ever raises seq.
	from, stop := j.Follow(b.deliver)
	b.mu.Lock()
	b.floor = uint64(from)
	b.seq = max(b.seq, uint64(from))
	b.mu.Unlock()
	go func() {
		<-b.closed
		stop()
	}()
}

// Emit broadcasts an event to every connected page, like runtime.EventsEmit in
// the window. Its signature matches App.emit. With a journal the event is
// published there and reaches the pages when the journal delivers it.
func (b *Bridge) Emit(ctx context.Context, name string, data ...any) {
	if j := b.currentJournal(); j != nil {
		seq, err := j.Append(ctx, name, data...)
		if err != nil {
			return // the journal logged it; the change happened either way
		}
		b.mu.Lock()
		b.published = max(b.published, uint64(seq))
		b.mu.Unlock()
		return
	}
	b.emitHere(name, data, "", false)
}

// EmitLocal sends an event only the pages this bridge serves need (streamed
// draft text, a file import's progress): with a journal it does not go
// through the log, so it neither fills the table nor reaches other
// instances. It is sent without an id (a reconnecting page does not get it
// again) and after every event this bridge published before it, so a page
// sees events in the order they were emitted. When ctx names a page
// (WithPage) only that page's streams get it. Without a journal it is Emit.
func (b *Bridge) EmitLocal(ctx context.Context, name string, data ...any) {
	if b.currentJournal() == nil {
		b.Emit(ctx, name, data...)
		return
	}
	b.emitHere(name, data, PageOf(ctx), true)
}

func (b *Bridge) currentJournal() Journal {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.journal
}

// emitHere sends an event that does not go through a journal: numbered by
// the bridge (no journal), or page-local (held behind what this bridge
// published and the journal has not delivered yet).
func (b *Bridge) emitHere(name string, data []any, page string, local bool) {
	payload, ok := b.encode(name, data)
	if !ok {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !local {
		b.push(event{id: b.seq + 1, data: payload})
		return
	}
	ev := event{data: payload, local: true, page: page}
	if len(b.pending) == 0 && b.seq >= b.published {
		b.broadcast(ev)
		return
	}
	b.pending = append(b.pending, pendingLocal{after: b.published, ev: ev})
	if len(b.pending) > maxPendingLocal {
		// The journal is not delivering (its database is away): better out
		// of order than held without end.
		b.log.Warn("webbridge: page-local events sent before the journal delivered earlier ones", "held", len(b.pending))
		for _, p := range b.pending {
			b.broadcast(p.ev)
		}
		b.pending = nil
	}
}

// encode is the stream's JSON for an event.
func (b *Bridge) encode(name string, data []any) ([]byte, bool) {
	if data == nil {
		data = []any{}
	}
	payload, err := json.Marshal(struct {
		Name string `json:"name"`
		Data []any  `json:"data"`
	}{name, data})
	if err != nil {
		b.log.Error("webbridge: event not sent, its data is not JSON", "event", name, "err", err)
		return nil, false
	}
	return payload, true
}

// deliver takes an event the journal numbered (data is its JSON array).
func (b *Bridge) deliver(seq int64, name string, data []byte) {
	ev, err := journalEvent(seq, name, data)
	if err != nil {
		b.log.Error("webbridge: journal event not sent", "seq", seq, "event", name, "err", err)
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if ev.id <= b.seq {
		return // delivered already (Follow racing UseJournal)
	}
	b.push(ev)
	for len(b.pending) > 0 && b.pending[0].after <= b.seq {
		b.broadcast(b.pending[0].ev)
		b.pending = b.pending[1:]
	}
}

func journalEvent(seq int64, name string, data []byte) (event, error) {
	if len(data) == 0 {
		data = []byte("[]")
	}
	payload, err := json.Marshal(struct {
		Name string          `json:"name"`
		Data json.RawMessage `json:"data"`
	}{name, data})
	return event{id: uint64(seq), data: payload}, err
}

// push records ev as the latest event and sends it to every stream; b.mu is held.
func (b *Bridge) push(ev event) {
	b.seq = ev.id
	b.recent = append(b.recent, ev)
	if len(b.recent) > replaySize {
		drop := len(b.recent) - replaySize
		b.floor = b.recent[drop-1].id
		b.recent = b.recent[drop:]
	}
	b.broadcast(ev)
}

// broadcast sends ev to every stream (a page's event to that page's
// streams only); b.mu is held.
func (b *Bridge) broadcast(ev event) {
	for ch, page := range b.subs {
		if ev.page != "" && ev.page != page {
			continue
		}
		select {
		case ch <- ev:
		default:
			// Too far behind: end its stream; EventSource reconnects with Last-Event-ID and replays.
			delete(b.subs, ch)
			close(ch)
		}
	}
}

// Close ends every open event stream, so an http.Server can shut down promptly.
func (b *Bridge) Close() {
	b.once.Do(func() { close(b.closed) })
}

// resume is where a new stream starts: replay from the journal (after, upTo]
// when the ring no longer reaches back to since, then the ring's events.
type resume struct {
	journal     Journal
	since       uint64 // the stream's start; with a journal, nothing at or below it is sent
	after, upTo uint64 // journal replay range; empty when after >= upTo
	head        uint64 // the last event the bridge had when the stream started
}

// subscribe registers a stream and returns the buffered events after since.
// fromNow (no since given) starts a journal stream at the latest event.
func (b *Bridge) subscribe(since uint64, fromNow bool, page string) (chan event, []event, resume) {
	ch := make(chan event, subscriberBuffer)
	b.mu.Lock()
	defer b.mu.Unlock()
	res := resume{journal: b.journal, since: since, head: b.seq}
	if b.journal != nil {
		if fromNow {
			since = b.seq
		}
		res.since = since
		if since < b.floor {
			res.after, res.upTo = since, b.floor
		}
	}
	var missed []event
	for _, ev := range b.recent {
		if ev.id > since {
			missed = append(missed, ev)
		}
	}
	b.subs[ch] = page
	return ch, missed, res
}

func (b *Bridge) unsubscribe(ch chan event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.subs[ch]; ok {
		delete(b.subs, ch)
		close(ch)
	}
}

func (b *Bridge) lastID() uint64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.seq
}

func (b *Bridge) serveEvents(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, "the event stream is GET")
		return
	}
	rc := http.NewResponseController(w)
	// Resume point: EventSource's Last-Event-ID on reconnect, else the id the page was served at,
	// so an event emitted between loading index.html and connecting is not lost.
	lastID, sinceParam := r.Header.Get("Last-Event-ID"), r.URL.Query().Get("since")
	since, _ := strconv.ParseUint(lastID, 10, 64)
	if since == 0 {
		since, _ = strconv.ParseUint(sinceParam, 10, 64)
	}
	ch, missed, res := b.subscribe(since, lastID == "" && sinceParam == "", pageID(r.URL.Query().Get("page")))
	defer b.unsubscribe(ch)

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if _, err := io.WriteString(w, ": connected\n\n"); err != nil {
		return
	}
	// With a journal, ids are the log's: a page may come back with an id from
	// another instance that is ahead of this one, and replayed events overlap
	// the live ones, so nothing at or below the last id sent is sent again.
	last := res.since
	send := func(ev event) error {
		if res.journal != nil && !ev.local {
			if ev.id <= last {
				return nil
			}
			last = ev.id
		}
		return writeEvent(w, ev)
	}
	if res.after < res.upTo {
		if err := b.replay(r.Context(), res, send); err != nil {
			if r.Context().Err() == nil {
				b.log.Warn("webbridge: replay from the journal failed; the page reconnects and tries again", "after", res.after, "err", err)
			}
			return
		}
	}
	for _, ev := range missed {
		if send(ev) != nil {
			return
		}
	}
	if rc.Flush() != nil {
		return
	}
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-b.closed:
			return
		case ev, ok := <-ch:
			if !ok {
				return
			}
			if send(ev) != nil || rc.Flush() != nil {
				return
			}
		case <-tick.C:
			if _, err := io.WriteString(w, ": ping\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		}
	}
}

// replay sends a stream resuming from before the ring the journal's events
// it missed. When the journal has pruned some of them (before the replay, or
// while it ran) the page gets ResetEvent instead, numbered with the stream's
// starting position, so it reloads what it shows and resumes from there; the
// events it missed are then older than what the reload reads, and are skipped.
func (b *Bridge) replay(ctx context.Context, res resume, send func(event) error) error {
	pruned := func() (bool, error) {
		through, err := res.journal.Pruned(ctx)
		if err != nil {
			return false, err
		}
		return uint64(through) > res.since, nil
	}
	reset := func() error {
		ev, err := journalEvent(int64(res.head), ResetEvent, nil)
		if err != nil {
			return err
		}
		b.log.Info("webbridge: a page resumed from before the pruned events; it reloads", "since", res.since, "at", res.head)
		return send(ev)
	}
	gone, err := pruned()
	if err != nil {
		return err
	}
	if gone {
		return reset()
	}
	err = res.journal.Replay(ctx, int64(res.after), int64(res.upTo), func(seq int64, name string, data []byte) error {
		ev, err := journalEvent(seq, name, data)
		if err != nil {
			return err
		}
		return send(ev)
	})
	if err != nil {
		return err
	}
	// A prune that ran during the replay may have taken events before the
	// replay read them.
	if gone, err = pruned(); err != nil || !gone {
		return err
	}
	return reset()
}

func writeEvent(w io.Writer, ev event) error {
	if ev.local {
		_, err := fmt.Fprintf(w, "data: %s\n\n", ev.data)
		return err
	}
	_, err := fmt.Fprintf(w, "id: %d\ndata: %s\n\n", ev.id, ev.data)
	return err
}

func (b *Bridge) serveAsset(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeError(w, http.StatusMethodNotAllowed, "assets are GET")
		return
	}
	if b.assets == nil {
		http.NotFound(w, r)
		return
	}
	if r.URL.Path == "/" || r.URL.Path == "/index.html" {
		b.serveIndex(w)
		return
	}
	if r.URL.Path == "/favicon.ico" {
		if _, err := fs.Stat(b.assets, "favicon.ico"); err != nil {
			// Browsers ask for it; the window never does, so the build has none. Not an error.
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	http.FileServerFS(b.assets).ServeHTTP(w, r)
}

func (b *Bridge) serveIndex(w http.ResponseWriter) {
	page, err := fs.ReadFile(b.assets, "index.html")
	if err != nil {
		msg := "the frontend is not built (index.html missing); run the frontend build first"
		if !errors.Is(err, fs.ErrNotExist) {
			msg = "read index.html: " + err.Error()
		}
		writeError(w, http.StatusNotFound, msg)
		return
	}
	out, err := InjectShim(page, b.lastID())
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(out)
}

// InjectShim puts the bridge script into page before its first script, so
// window.go and window.runtime exist when the app bundle runs. since is the
// last event id at serving time; the page's event stream resumes after it.
func InjectShim(page []byte, since uint64) ([]byte, error) {
	tag := fmt.Sprintf(`<script src="/bridge/wails-shim.js?since=%d"></script>`, since)
	lower := bytes.ToLower(page)
	at := bytes.Index(lower, []byte("<script"))
	if at < 0 {
		at = bytes.Index(lower, []byte("</head>"))
	}
	if at < 0 {
		return nil, errors.New("index.html has neither a <script> nor a </head> to put the bridge before")
	}
	out := make([]byte, 0, len(page)+len(tag)+1)
	out = append(out, page[:at]...)
	out = append(out, tag...)
	out = append(out, '\n')
	out = append(out, page[at:]...)
	return out, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body, _ = json.Marshal(map[string]string{"error": "encode result: " + err.Error()})
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
