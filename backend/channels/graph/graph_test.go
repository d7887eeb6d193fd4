package graph_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/channels/graph"
	"github.com/stormdesk/stormdesk/backend/channels/graph/graphfake"
)

const userToken = "user-token"

type thing struct {
	ID string `json:"id"`
}

// setup starts a fake with one user token and an edge "1/things" of n items.
func setup(t *testing.T, n int) (*graph.Client, *graphfake.Base, *channeltest.Sleeps) {
	t.Helper()
	fake := graphfake.New()
	t.Cleanup(fake.Close)
	fake.AddToken(userToken, graphfake.Token{User: "u1", Perms: []string{"pages_show_list", "pages_messaging"}, Declined: []string{"pages_manage_engagement"}})
	fake.Handle(func(q *graphfake.Request) bool {
		if q.ID != "1" || q.Edge != "things" {
			return false
		}
		items := make([]thing, n)
		for i := range items {
			items[i] = thing{fmt.Sprint(i)}
		}
		graphfake.WritePage(q, items)
		return true
	})
	fake.Handle(fake.ServeAccount(map[string][2]string{"1001": {"Acme", "page-token"}, "1002": {"Other", "other-token"}}))
	sl := &channeltest.Sleeps{}
	cl := graph.New(graph.Options{Platform: "facebook", HTTPClient: fake.Client(), BaseURL: fake.URL(), Retry: channels.Retry{Sleep: sl.Sleep}})
	return cl, fake, sl
}

func things(t *testing.T, cl *graph.Client) ([]string, error) {
	var got []string
	err := graph.List(context.Background(), cl, userToken, "1/things", nil, 2, 0, "", func(ts []thing) bool {
		for _, x := range ts {
			got = append(got, x.ID)
		}
		return true
	})
	return got, err
}

func TestListFollowsCursorsToTheEnd(t *testing.T) {
	cl, fake, _ := setup(t, 5)
	got, err := things(t, cl)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "0,1,2,3,4" {
		t.Fatalf("items = %v", got)
	}
	if n := len(fake.Calls()); n != 3 {
		t.Errorf("%d calls for 5 items in pages of 2, want 3", n)
	}
}

func TestErrorsMapToWhatThePersonCanDo(t *testing.T) {
	cases := []struct {
		name      string
		fail      graphfake.Failure
		wantWait  time.Duration // a RateLimitError with this wait (0 = not a rate limit)
		wantKind  channels.ErrorKind
		wantIn    string // in the error text
		retried   bool   // the fake's next answer (success) is reached
		permisson string
	}{
		{name: "app limit 4 names no wait", fail: graphfake.Failure{Code: 4}, wantWait: graph.DefaultRateWait, wantIn: "slow down"},
		{name: "user limit 17", fail: graphfake.Failure{Code: 17}, wantWait: graph.DefaultRateWait},
		{name: "page limit 32 with Retry-After", fail: graphfake.Failure{Code: 32, RetryAfter: "7"}, wantWait: 7 * time.Second, retried: true},
		{name: "613 with regain estimate", fail: graphfake.Failure{Code: 613, RegainMinutes: 3}, wantWait: 3 * time.Minute},
		{name: "BUC 80001 with regain estimate", fail: graphfake.Failure{Code: 80001, RegainMinutes: 12}, wantWait: 12 * time.Minute},
		{name: "HTTP 429 with Retry-After", fail: graphfake.Failure{HTTPStatus: 429, RetryAfter: "2"}, wantWait: 2 * time.Second, retried: true},
		{name: "unknown error 1 retries", fail: graphfake.Failure{Code: 1}, retried: true},
		{name: "service error 2 retries", fail: graphfake.Failure{Code: 2}, retried: true},
		{name: "transient flag retries", fail: graphfake.Failure{Code: 100, Transient: true}, retried: true},
		{name: "permission 10 named in text", fail: graphfake.Failure{Code: 10, Message: "(#10) Requires pages_read_engagement permission to manage the object"}, wantKind: channels.Forbidden, wantIn: "lacks the pages_read_engagement permission", permisson: "pages_read_engagement"},
		{name: "permission 230 named by the endpoint", fail: graphfake.Failure{Code: 230, Message: "(#230) Requires pages_messaging_subscriptions"}, wantKind: channels.Forbidden, wantIn: "lacks the pages_messaging_subscriptions", permisson: "pages_messaging_subscriptions"},
		{name: "permission 200 unnamed falls back to the endpoint's", fail: graphfake.Failure{Code: 200, Message: "(#200) Permissions error"}, wantKind: channels.Forbidden, wantIn: "lacks the pages_show_list permission", permisson: "pages_show_list"},
		{name: "expired token", fail: graphfake.Failure{Code: 190, Subcode: 463, Message: "Error validating access token: Session has expired"}, wantKind: channels.Auth, wantIn: "the token expired; reconnect this account"},
		{name: "password changed", fail: graphfake.Failure{Code: 190, Subcode: 460}, wantKind: channels.Auth, wantIn: "the password was changed; reconnect this account"},
		{name: "policy block 368 as it is", fail: graphfake.Failure{Code: 368}, wantKind: channels.Permanent, wantIn: "deemed abusive"},
		{name: "duplicate 506 as it is", fail: graphfake.Failure{Code: 506}, wantKind: channels.Permanent, wantIn: "Duplicate status message"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cl, fake, sl := setup(t, 1)
			fake.Fail("GET things", tc.fail)
			var p graph.Page[thing]
			err := cl.Get(context.Background(), userToken, "1/things", url.Values{}, "pages_show_list", &p)
			if tc.retried {
				if err != nil {
					t.Fatalf("err = %v, want the retry to succeed", err)
				}
				if len(sl.Waits()) == 0 {
					t.Errorf("retried without waiting")
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			if tc.wantIn != "" && !strings.Contains(err.Error(), tc.wantIn) {
				t.Errorf("error %q lacks %q", err, tc.wantIn)
			}
			var ge *graph.Error
			if !errors.As(err, &ge) || ge.FBTraceID == "" || ge.Code != tc.fail.Code {
				t.Errorf("graph.Error = %+v", ge)
			}
			if tc.permisson != "" && ge.Permission != tc.permisson {
				t.Errorf("Permission = %q, want %q", ge.Permission, tc.permisson)
			}
			var rl *channels.RateLimitError
			if tc.wantWait != 0 {
				if !errors.As(err, &rl) || rl.RetryAfter != tc.wantWait {
					t.Fatalf("err = %v, want a rate limit of %s", err, tc.wantWait)
				}
				// A wait longer than Retry.Max goes back to the scheduler, and
				// the pacer refuses calls meanwhile without asking Meta.
				before := len(fake.Calls())
				if err := cl.Get(context.Background(), userToken, "1/things", nil, "", &p); !errors.As(err, &rl) {
					t.Errorf("call during the wait: %v", err)
				}
				if len(fake.Calls()) != before {
					t.Errorf("called Meta while it asked to wait")
				}
				return
			}
			var api *channels.APIError
			if !errors.As(err, &api) || api.Kind != tc.wantKind {
				t.Errorf("APIError = %+v, want kind %v", api, tc.wantKind)
			}
			if errors.Is(err, channels.ErrAuth) != (tc.wantKind == channels.Auth) {
				t.Errorf("errors.Is(ErrAuth) = %v", errors.Is(err, channels.ErrAuth))
			}
			if len(fake.Calls()) != 1 {
				t.Errorf("calls = %v, a permanent error is not retried", fake.Calls())
			}
		})
	}
}

func TestExpiredTokenFromTheFake(t *testing.T) {
	cl, fake, _ := setup(t, 1)
	fake.Expire(userToken)
	_, err := things(t, cl)
	var ge *graph.Error
	if !errors.Is(err, channels.ErrAuth) || !errors.As(err, &ge) || ge.Code != 190 || ge.Subcode != 463 {
		t.Fatalf("err = %v", err)
	}
}

func TestPacerSlowsDownBeforeTheLimit(t *testing.T) {
	cases := []struct {
		app, business int
		wantSlow      bool
	}{
		{10, 20, false},
		{50, 74, false},
		{90, 10, true},
		{10, 95, true},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("app %d business %d", tc.app, tc.business), func(t *testing.T) {
			cl, fake, sl := setup(t, 1)
			fake.SetUsage(tc.app, tc.business)
			for range 2 {
				if _, err := things(t, cl); err != nil {
					t.Fatal(err)
				}
			}
			slowed := len(sl.Waits()) > 0
			if slowed != tc.wantSlow {
				t.Errorf("slowed = %v (waits %v), want %v", slowed, sl.Waits(), tc.wantSlow)
			}
		})
	}
}

func TestReadUsage(t *testing.T) {
	h := http.Header{}
	h.Set("X-App-Usage", `{"call_count":12,"total_time":40,"total_cputime":3}`)
	h.Set("X-Business-Use-Case-Usage", `{"42":[{"type":"pages","call_count":100,"total_time":5,"total_cputime":5,"estimated_time_to_regain_access":9}]}`)
	u, ok := graph.ReadUsage(h)
	if !ok || u.Percent != 100 || u.Regain != 9*time.Minute {
		t.Fatalf("usage = %+v, %v", u, ok)
	}
	if _, ok := graph.ReadUsage(http.Header{}); ok {
		t.Error("no headers read as usage")
	}
}

func TestPermissionsAndPageToken(t *testing.T) {
	cl, _, _ := setup(t, 1)
	g, err := cl.Permissions(context.Background(), userToken, []string{"pages_messaging", "pages_manage_engagement", "pages_read_engagement"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(g.Granted, ",") != "pages_messaging,pages_show_list" || strings.Join(g.Missing, ",") != "pages_manage_engagement,pages_read_engagement" {
		t.Errorf("grants = %+v", g)
	}
	p, err := cl.PageToken(context.Background(), userToken, "1002")
	if err != nil || p.AccessToken != "other-token" {
		t.Fatalf("page = %+v, %v", p, err)
	}
	if _, err := cl.PageToken(context.Background(), userToken, "9"); err == nil || !strings.Contains(err.Error(), "Acme (1001)") {
		t.Errorf("unknown page: %v", err)
	}
}

func TestWindow(t *testing.T) {
	last := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		after        time.Duration
		humanAgent   bool
		open, tagged bool
		closes       time.Duration
	}{
		{time.Hour, true, true, false, 24 * time.Hour},
		{24*time.Hour - time.Second, true, true, false, 24 * time.Hour},
		{24 * time.Hour, true, false, true, 7 * 24 * time.Hour},
		{6 * 24 * time.Hour, true, false, true, 7 * 24 * time.Hour},
		{7 * 24 * time.Hour, true, false, false, 7 * 24 * time.Hour},
		{25 * time.Hour, false, false, false, 24 * time.Hour},
	}
	for _, tc := range cases {
		w := graph.Window(last, last.Add(tc.after), tc.humanAgent)
		if w.Open != tc.open || w.HumanAgent != tc.tagged || !w.ClosesAt.Equal(last.Add(tc.closes)) {
			t.Errorf("after %s (human agent %v): %+v", tc.after, tc.humanAgent, w)
		}
	}
}

func TestTimeForms(t *testing.T) {
	want := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	for _, in := range []string{`"2026-12-03T12:00:00+0000"`, `"2026-12-03T13:00:00+01:00"`, `1796299200`, `"1796299200"`} {
		var tm graph.Time
		if err := tm.UnmarshalJSON([]byte(in)); err != nil || !tm.Equal(want) {
			t.Errorf("%s = %v, %v", in, tm.Time, err)
		}
	}
}
