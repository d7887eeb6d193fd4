package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stormdesk/stormdesk/backend/cli"
	"github.com/stormdesk/stormdesk/backend/webbridge"
)

// TestServicesMatchGeneratedBindings: the window binds services() and serve
// hands the same list to the web bridge; both must offer exactly what the
// frontend's generated bindings call, with the same number of arguments.
func TestServicesMatchGeneratedBindings(t *testing.T) {
	a := NewApp(slog.New(slog.DiscardHandler), cli.BuildInfo{}, "", false)

	files, err := filepath.Glob(filepath.Join("frontend", "wailsjs", "go", "main", "*.d.ts"))
	if err != nil || len(files) == 0 {
		t.Fatalf("generated bindings: %v, %v", files, err)
	}
	fn := regexp.MustCompile(`export function (\w+)\((.*)\):`)
	arg := regexp.MustCompile(`arg\d+:`)
	var want []string
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		svc := strings.TrimSuffix(filepath.Base(f), ".d.ts")
		for _, m := range fn.FindAllStringSubmatch(string(src), -1) {
			want = append(want, svc+"."+m[1]+"/"+string(rune('0'+len(arg.FindAllString(m[2], -1)))))
		}
	}
	slices.Sort(want)

	var bound, names []string
	for _, s := range a.services() {
		ty := reflect.TypeOf(s)
		for i := range ty.NumMethod() {
			m := ty.Method(i)
			bound = append(bound, ty.Elem().Name()+"."+m.Name+"/"+string(rune('0'+m.Type.NumIn()-1)))
			names = append(names, ty.Elem().Name()+"."+m.Name)
		}
	}
	// The window binds JoinService besides services(); serve and the team server do not.
	for _, s := range []any{&JoinService{}} {
		ty := reflect.TypeOf(s)
		for i := range ty.NumMethod() {
			m := ty.Method(i)
			bound = append(bound, ty.Elem().Name()+"."+m.Name+"/"+string(rune('0'+m.Type.NumIn()-1)))
		}
	}
	slices.Sort(bound)
	if !slices.Equal(bound, want) {
		t.Errorf("services() binds\n%v\nthe generated bindings call\n%v", bound, want)
	}

	// The bridge prefixes the package as the binary names it ("main"); under
	// test the main package is named by its import path, so compare the rest.
	var bridged []string
	for _, m := range webbridge.New(a.services(), fstest.MapFS{}, nil).Methods() {
		_, rest, _ := strings.Cut(m, ".")
		bridged = append(bridged, rest)
	}
	slices.Sort(bridged)
	slices.Sort(names)
	if !slices.Equal(bridged, names) {
		t.Errorf("the web bridge serves\n%v\nthe window binds\n%v", bridged, names)
	}
}

// TestBoundCallsDuringStartup calls the methods that use what startup
// publishes (syncer, composer, monitor, classifier) while it runs, as the
// page may; under -race it fails if any is published without the lock.
func TestBoundCallsDuringStartup(t *testing.T) {
	a := NewApp(slog.New(slog.DiscardHandler), cli.BuildInfo{}, filepath.Join(t.TempDir(), "stormdesk.db"), false)
	a.emit = func(context.Context, string, ...any) {}
	accounts, compose := &AccountsService{app: a}, &ComposeService{app: a}
	crisisSvc, classify := &CrisisService{app: a}, &ClassifyService{app: a}

	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			_ = accounts.SyncNow("nobody")
			_, _ = crisisSvc.Alerts()
			_, _ = classify.Status()
			compose.Cancel(1)
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	a.startup(ctx)
	close(stop)
	<-done

	// Once startup is done nothing is "starting": the only complaint left is
	// the unknown account.
	err := accounts.SyncNow("nobody")
	if err == nil || strings.Contains(err.Error(), "starting") || strings.Contains(err.Error(), "opening") {
		t.Errorf("SyncNow after startup = %v; want the unknown account's error", err)
	}
	cancel()
	a.shutdown(context.Background())
}
