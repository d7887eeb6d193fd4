package mastodon

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

func TestSSEReader(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		want  []StreamEvent
		err   error
		lines int
	}{
		{"mastodon framing", ":)\n:thump\nevent: notification\ndata: {\"id\":\"1\"}\n\n:thump\n",
			[]StreamEvent{{"notification", `{"id":"1"}`}}, io.EOF, 6},
		{"CRLF and lone CR", "event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\r",
			[]StreamEvent{{"a", "1"}, {"b", "2"}}, io.EOF, 6},
		{"multi-line data, no space after colon", "data:x\ndata: y\n\n", []StreamEvent{{"message", "x\ny"}}, io.EOF, 3},
		{"event without data is not dispatched", "event: filters_changed\n\nevent: delete\ndata: 9\n\n",
			[]StreamEvent{{"delete", "9"}}, io.EOF, 5},
		{"unknown fields ignored", "id: 4\nretry: 10\nevent: update\ndata: s\n\n", []StreamEvent{{"update", "s"}}, io.EOF, 5},
		{"cut off mid-event", "event: notification\ndata: {\"id\":\"1\"}\n\nevent: notification\ndata: {\"id\"",
			[]StreamEvent{{"notification", `{"id":"1"}`}}, io.ErrUnexpectedEOF, 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newSSEReader(strings.NewReader(tc.in))
			alive := 0
			var got []StreamEvent
			var err error
			for {
				var ev StreamEvent
				if ev, err = r.next(func() { alive++ }); err != nil {
					break
				}
				got = append(got, ev)
			}
			if !reflect.DeepEqual(got, tc.want) || !errors.Is(err, tc.err) {
				t.Errorf("events %q, err %v; want %q, %v", got, err, tc.want, tc.err)
			}
			if r.lines != tc.lines || alive != tc.lines {
				t.Errorf("lines %d, alive calls %d; want %d", r.lines, alive, tc.lines)
			}
		})
	}
}
