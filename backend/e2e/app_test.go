//go:build e2e

package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// app is the built binary running with a window on an Xvfb display.
type app struct {
	logs    *markWriter
	started time.Time
	stop    func()
}

// startApp runs the binary with args on display, in its own process group with
// its data under dir, and stops it (SIGTERM, then SIGKILL) when the test ends.
// env adds variables; logs notes when "frontend ready" first appears.
func startApp(t *testing.T, display, dir string, env []string, args ...string) *app {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display, "XDG_DATA_HOME="+dir, "STORMDESK_AGENT=e2e",
		"XDG_RUNTIME_DIR="+dir, "NO_AT_BRIDGE=1")
	cmd.Env = append(cmd.Env, env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	logs := &markWriter{mark: "frontend ready"}
	cmd.Stdout, cmd.Stderr = logs, logs
	a := &app{logs: logs, started: time.Now()}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start app: %v", err)
	}
	a.stop = groupStopper(cmd, 10*time.Second)
	t.Cleanup(a.stop)
	return a
}

// groupStopper returns a function that stops the started cmd's process
// group: SIGTERM, then SIGKILL after grace. Calling it again does nothing.
func groupStopper(cmd *exec.Cmd, grace time.Duration) func() {
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var once sync.Once
	return func() {
		once.Do(func() {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
			select {
			case <-exited:
			case <-time.After(grace):
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
				<-exited
			}
		})
	}
}

// markWriter collects output and notes when mark first appeared.
type markWriter struct {
	mark string
	mu   sync.Mutex
	b    bytes.Buffer
	at   time.Time
}

func (w *markWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.b.Write(p)
	if w.at.IsZero() && strings.Contains(w.b.String(), w.mark) {
		w.at = time.Now()
	}
	return len(p), nil
}

func (w *markWriter) markedAt() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.at
}

func (w *markWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}
