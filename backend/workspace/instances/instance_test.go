package instances

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/secrets/sealed"
	"github.com/stormdesk/stormdesk/backend/testutil/pgtest"
	"github.com/stormdesk/stormdesk/backend/testutil/proctest"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// The child's settings, passed in its environment.
const (
	envRole  = "STORMDESK_INSTANCE_ROLE" // "instance" in a child
	envDSN   = "STORMDESK_INSTANCE_DSN"
	envKey   = "STORMDESK_INSTANCE_KEY"   // the sealed secrets key file
	envLease = "STORMDESK_INSTANCE_LEASE" // the outbox lease, a time.Duration
)

// Short hand-over timing, so takeovers happen within the tests' time.
var testTiming = workspace.Timing{LockRetry: 300 * time.Millisecond, LockCheck: 300 * time.Millisecond, PollInterval: time.Second}

// runningMark is what an instance logs once its loops are started.
const runningMark = "instance running"

// TestHelperInstance is not a test: run as a child process with
// STORMDESK_INSTANCE_ROLE=instance, it is one server instance. It opens the
// workspace on the shared database with sealed secrets and runs the loops the
// server runs (sync, outbox, SLA sweep, snooze waker) until SIGTERM.
func TestHelperInstance(t *testing.T) {
	if os.Getenv(envRole) != "instance" {
		t.Skip("a child process of the multi-instance tests")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	lease, err := time.ParseDuration(os.Getenv(envLease))
	if err != nil {
		t.Fatalf("%s: %v", envLease, err)
	}
	ws, err := workspace.Open(ctx, os.Getenv(envDSN), log)
	if err != nil {
		t.Fatal(err)
	}
	key, err := sealed.LoadKey(os.Getenv(envKey))
	if err != nil {
		t.Fatal(err)
	}
	sec := sealed.NewStore(key, ws.Store)
	ws.Timing = testTiming
	composer := ws.NewComposer(sec)
	o := composer.Outbox()
	o.Lease, o.Interval, o.Batch = lease, 100*time.Millisecond, 20
	loops := workspace.Loops{Sync: ws.NewSyncer(sec, nil), Outbox: composer,
		SLA: &workspace.SLASweep{Every: time.Second}, Snooze: &workspace.SnoozeWaker{}}
	if err := ws.Run(ctx, loops); err != nil {
		t.Fatal(err)
	}
	log.Info(runningMark, "pid", os.Getpid())
	<-ctx.Done()
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
}

// instance is one child process.
type instance struct {
	t    *testing.T
	name string
	cmd  *exec.Cmd
	logs *syncBuffer
	done chan struct{}
}

// fleet starts numbered instances on one database.
type fleet struct {
	t            *testing.T
	dsn, keyFile string
	n            int
}

func (f *fleet) start() *instance {
	f.n++
	return startInstance(f.t, fmt.Sprintf("instance-%d", f.n), f.dsn, f.keyFile, outboxLease)
}

// startInstance runs this test binary again as a server instance.
func startInstance(t *testing.T, name, dsn, keyFile string, lease time.Duration) *instance {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperInstance$", "-test.count=1", "-test.v=false")
	cmd.Env = append(os.Environ(), envRole+"=instance", envDSN+"="+dsn, envKey+"="+keyFile, envLease+"="+lease.String())
	logs := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start instance %s: %v", name, err)
	}
	p := &instance{t: t, name: name, cmd: cmd, logs: logs, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(p.done) }()
	t.Cleanup(p.kill)
	return p
}

// waitRunning waits until the instance has started its loops.
func (p *instance) waitRunning() {
	p.t.Helper()
	if !waitFor(30*time.Second, func() bool { return strings.Contains(p.logs.String(), runningMark) }) {
		p.kill()
		p.t.Fatalf("instance %s did not start:\n%s", p.name, p.logs.String())
	}
}

// kill sends SIGKILL and waits until the process is gone.
func (p *instance) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// stop ends the instance with SIGTERM, as a service manager does.
func (p *instance) stop() {
	p.t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		p.kill()
		p.t.Errorf("instance %s ignored SIGTERM:\n%s", p.name, p.logs.String())
		return
	}
	if code := p.cmd.ProcessState.ExitCode(); code != 0 || strings.Contains(p.logs.String(), "DATA RACE") {
		p.t.Errorf("instance %s exited %d after SIGTERM:\n%s", p.name, code, p.tail())
	}
}

func (p *instance) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// requireCluster skips without PostgreSQL (outside CI) and in -short runs:
// these tests start processes and take a minute or two.
func requireCluster(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("multi-instance tests run processes for minutes; skipped with -short")
	}
	pgtest.Require(t)
}

// newKeyFile creates a sealed secrets key for the instances to share.
func newKeyFile(t *testing.T) (string, *sealed.Key) {
	t.Helper()
	path := t.TempDir() + "/secrets.key"
	if err := sealed.NewKeyFile(path); err != nil {
		t.Fatal(err)
	}
	key, err := sealed.LoadKey(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, key
}

func waitFor(limit time.Duration, ok func() bool) bool { return proctest.WaitFor(limit, ok) }

type syncBuffer = proctest.Buffer

// tail is the end of an instance's log, for failure messages.
func (p *instance) tail() string {
	s := p.logs.String()
	if len(s) > 4000 {
		s = s[len(s)-4000:]
	}
	return fmt.Sprintf("--- %s ---\n%s", p.name, s)
}
