// Package apifake holds what the listening sources' fake servers share: a
// queue of injected failures per path (429 with the platform's rate-limit
// headers, cut-off answers, 5xx), a record of the calls received, and JSON
// answers. Each fake keeps its own documented endpoints and shapes.
package apifake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"sync"
)

// Call is one request a fake received.
type Call struct {
	Method, Path string
	Query        url.Values
	Header       http.Header
}

// Fault is one answer to give instead of the real one.
type Fault struct {
	Status int
	Body   string
	Header http.Header
}

// Kit records calls and serves injected faults; the zero value is ready.
type Kit struct {
	mu     sync.Mutex
	calls  []Call
	faults map[string][]Fault
}

// Record notes r as received.
func (k *Kit) Record(r *http.Request) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.calls = append(k.calls, Call{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone()})
}

// Calls returns the requests to path ("" = all), in order.
func (k *Kit) Calls(path string) []Call {
	k.mu.Lock()
	defer k.mu.Unlock()
	var out []Call
	for _, c := range k.calls {
		if path == "" || c.Path == path {
			out = append(out, c)
		}
	}
	return out
}

// Fail makes the next n requests to path answer f.
func (k *Kit) Fail(path string, n int, f Fault) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.faults == nil {
		k.faults = map[string][]Fault{}
	}
	for range n {
		k.faults[path] = append(k.faults[path], f)
	}
}

// Serve answers r with the next fault queued for its path and reports
// whether it did.
func (k *Kit) Serve(w http.ResponseWriter, r *http.Request) bool {
	k.mu.Lock()
	fs := k.faults[r.URL.Path]
	if len(fs) == 0 {
		k.mu.Unlock()
		return false
	}
	f := fs[0]
	k.faults[r.URL.Path] = fs[1:]
	k.mu.Unlock()
	for name, v := range f.Header {
		w.Header()[name] = v
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(f.Status)
	_, _ = io.WriteString(w, f.Body)
	return true
}

// WriteJSON answers v as JSON with status code.
func WriteJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
