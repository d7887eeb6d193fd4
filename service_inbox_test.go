package main

import (
	"reflect"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// TestTriageOf: every action the list sends becomes the store change it
// names, and the store accepts it (a status the store does not know would
// fail every bulk close at run time).
func TestTriageOf(t *testing.T) {
	me := "ann"
	until := time.Date(2030, 1, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		req     TriageRequest
		want    store.Triage
		wantErr bool
	}{
		{TriageRequest{Action: "close"}, store.Triage{Status: inbox.StatusClosed}, false},
		{TriageRequest{Action: "open"}, store.Triage{Status: inbox.StatusOpen}, false},
		{TriageRequest{Action: "pending"}, store.Triage{Status: inbox.StatusPending}, false},
		{TriageRequest{Action: "assign", Assignee: me}, store.Triage{Assignee: &me}, false},
		{TriageRequest{Action: "tag", Tag: "vip"}, store.Triage{AddTags: []string{"vip"}}, false},
		{TriageRequest{Action: "untag", Tag: "vip"}, store.Triage{RemoveTags: []string{"vip"}}, false},
		{TriageRequest{Action: "spam"}, workspace.MarkSpam(), false},
		{TriageRequest{Action: "snooze", Until: "2030-01-02T09:00:00Z"}, store.Triage{SnoozeUntil: &until}, false},
		{TriageRequest{Action: "unsnooze"}, store.Triage{SnoozeUntil: &time.Time{}}, false},
		{TriageRequest{Action: "snooze", Until: "tomorrow"}, store.Triage{}, true},
		{TriageRequest{Action: "archive"}, store.Triage{}, true},
	}
	for _, tc := range tests {
		got, err := triageOf(tc.req)
		if (err != nil) != tc.wantErr {
			t.Errorf("triageOf(%+v) error = %v, want error %v", tc.req, err, tc.wantErr)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("triageOf(%+v) = %+v, want %+v", tc.req, got, tc.want)
		}
		if got.Status != "" && !got.Status.Valid() {
			t.Errorf("triageOf(%+v) sets status %q, which the store refuses", tc.req, got.Status)
		}
	}
}
