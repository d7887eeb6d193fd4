package channels

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"120", 2 * time.Minute, true},
		{" 0 ", 0, true},
		{"Thu, 26 Nov 2026 10:00:30 GMT", 30 * time.Second, true},
		{"Thu, 26 Nov 2026 09:59:00 GMT", 0, true}, // in the past: no wait
		{"-5", 0, false},
		{"1.5", 0, false}, // Retry-After counts whole seconds
		{"soon", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, ok := RetryAfter(tt.in, now)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("RetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

// recorded is a Retry.Sleep that spends nothing and remembers each wait.
type recorded []time.Duration

func (r *recorded) sleep(ctx context.Context, d time.Duration) error {
	*r = append(*r, d)
	return ctx.Err()
}

func TestRetryDo(t *testing.T) {
	transient := &APIError{Platform: "x", Code: 502, Kind: Transient}
	tests := []struct {
		name      string
		retry     Retry
		safe      bool
		errs      []error // what successive calls return; past the end, nil
		wantCalls int
		wantWaits []time.Duration
		wantErr   bool
	}{
		{"transient backs off doubling", Retry{}, true, []error{transient, transient}, 3, []time.Duration{time.Second, 2 * time.Second}, false},
		{"transient unsafe is not repeated", Retry{}, false, []error{transient}, 1, nil, true},
		{"transport error retried when safe", Retry{}, true, []error{fmt.Errorf("%w: reset", ErrTransport)}, 2, []time.Duration{time.Second}, false},
		{"rate limit waits its Retry-After even unsafe", Retry{}, false, []error{&RateLimitError{RetryAfter: 5 * time.Second}}, 2, []time.Duration{5 * time.Second}, false},
		{"rate limit without a wait backs off", Retry{Base: 500 * time.Millisecond}, false, []error{&RateLimitError{}}, 2, []time.Duration{500 * time.Millisecond}, false},
		{"a wait above Max goes back to the caller", Retry{}, true, []error{&RateLimitError{RetryAfter: time.Hour}}, 1, nil, true},
		{"CapWaits cuts a long wait to Max", Retry{CapWaits: true, Max: time.Minute}, true, []error{&RateLimitError{RetryAfter: time.Hour}}, 2, []time.Duration{time.Minute}, false},
		{"attempts run out", Retry{Attempts: 2}, true, []error{transient, transient, transient}, 2, []time.Duration{time.Second}, true},
		{"permanent is not repeated", Retry{}, true, []error{&APIError{Kind: Permanent}}, 1, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var waits recorded
			r := tt.retry
			r.Sleep = waits.sleep
			calls := 0
			err := r.Do(t.Context(), tt.safe, func() error {
				calls++
				if calls <= len(tt.errs) {
					return tt.errs[calls-1]
				}
				return nil
			})
			if calls != tt.wantCalls || (err != nil) != tt.wantErr || !slices.Equal(waits, tt.wantWaits) {
				t.Errorf("calls %d, waits %v, err %v; want %d calls, waits %v, error %v", calls, []time.Duration(waits), err, tt.wantCalls, tt.wantWaits, tt.wantErr)
			}
		})
	}
}

func TestRetryKeepsTheErrorWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	rl := &RateLimitError{RetryAfter: time.Second}
	err := Retry{}.Do(ctx, true, func() error { cancel(); return rl })
	var got *RateLimitError
	if !errors.As(err, &got) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want the rate limit joined with context.Canceled", err)
	}
}

func TestRetryOrKeepsTheCallersFields(t *testing.T) {
	r := Retry{Attempts: 1}.Or(Retry{Attempts: 4, Base: time.Second, CapWaits: true})
	if r.Attempts != 1 || r.Base != time.Second || !r.CapWaits {
		t.Fatalf("Or = %+v", r)
	}
}

// TestBackoffDoublesToMaxWithJitter: a push loop's reconnect wait doubles per
// failure in a row up to Max and is never less than half of that, so accounts
// spread out without reconnecting faster than the backoff allows.
func TestBackoffDoublesToMaxWithJitter(t *testing.T) {
	r := Retry{Base: 500 * time.Millisecond, Max: 5 * time.Minute}
	tests := []struct {
		fails int
		full  time.Duration
	}{
		{0, 500 * time.Millisecond},
		{1, time.Second},
		{3, 4 * time.Second},
		{9, 256 * time.Second},
		{10, 5 * time.Minute},
		{100, 5 * time.Minute},
	}
	for _, tc := range tests {
		for range 50 {
			if got := r.Backoff(tc.fails); got < tc.full/2 || got > tc.full {
				t.Fatalf("Backoff(%d) = %v, want between %v and %v", tc.fails, got, tc.full/2, tc.full)
			}
		}
	}
}
