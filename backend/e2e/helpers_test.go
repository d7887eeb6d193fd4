//go:build e2e || dist

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/testutil/proctest"
)

func binary(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("STORMDESK_BIN")
	if bin == "" {
		t.Fatal("STORMDESK_BIN is not set: run `make test-e2e`")
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("built binary: %v", err)
	}
	return bin
}

// runCLI runs a headless command of the binary and returns its output and exit code.
func runCLI(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), errb.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return out.String(), errb.String(), 0
}

// startXvfb starts a virtual X server on a free display and returns its DISPLAY value.
func startXvfb(t *testing.T) string {
	t.Helper()
	for n := 90; n < 140; n++ {
		if !displayFree(n) {
			continue
		}
		display := fmt.Sprintf(":%d", n)
		cmd := exec.Command("Xvfb", display, "-screen", "0", "1400x900x24", "-nolisten", "tcp")
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := cmd.Start(); err != nil {
			t.Fatalf("start Xvfb: %v", err)
		}
		// SIGTERM lets Xvfb remove its lock file and socket; SIGKILL would leave them behind.
		t.Cleanup(func() {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
			done := make(chan struct{})
			go func() { _ = cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
				<-done
			}
		})
		sock := fmt.Sprintf("/tmp/.X11-unix/X%d", n)
		if waitFor(10*time.Second, func() bool { _, err := os.Stat(sock); return err == nil }) {
			return display
		}
		t.Fatalf("Xvfb %s did not come up", display)
	}
	t.Fatal("no free X display")
	return ""
}

// displayFree reports whether X display n can be used. A lock file whose
// server is gone (a killed test run) is stale: it and the socket are removed.
func displayFree(n int) bool {
	lock := fmt.Sprintf("/tmp/.X%d-lock", n)
	sock := fmt.Sprintf("/tmp/.X11-unix/X%d", n)
	b, err := os.ReadFile(lock)
	if os.IsNotExist(err) {
		_, err := os.Stat(sock)
		return os.IsNotExist(err)
	}
	if err != nil {
		return false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 || syscall.Kill(pid, 0) != syscall.ESRCH {
		return false // unreadable, or its server still runs
	}
	return os.Remove(lock) == nil && (os.Remove(sock) == nil || !fileExists(sock))
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func waitFor(limit time.Duration, ok func() bool) bool { return proctest.WaitFor(limit, ok) }

// syncBuffer collects a process's output while tests read it.
type syncBuffer = proctest.Buffer

// screenshot grabs the whole X screen.
func screenshot(t *testing.T, display string) image.Image {
	t.Helper()
	cmd := exec.Command("import", "-display", display, "-window", "root", "png:-")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("decode screenshot: %v", err)
	}
	return img
}

// colourStats counts distinct colours and the share of the most common one.
func colourStats(img image.Image) (distinct int, dominantShare float64) {
	counts := map[uint32]int{}
	b := img.Bounds()
	total := 0
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			counts[(r>>8)<<16|(g>>8)<<8|bl>>8]++
			total++
		}
	}
	max := 0
	for _, c := range counts {
		if c > max {
			max = c
		}
	}
	return len(counts), float64(max) / float64(total)
}

func savePNG(t *testing.T, img image.Image, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// importRows writes rows (a header line first: id, account, time, author,
// sentiment, text) to a CSV in dir and imports it into db with `stormdesk import`.
func importRows(t *testing.T, dir, db, channel string, rows []string) {
	t.Helper()
	csv := filepath.Join(dir, "import.csv")
	writeFile(t, csv, strings.Join(rows, "\n")+"\n")
	out, errOut, code := runCLI(t, nil, "import", "--db", db, "--channel", channel, "--account-column", "account",
		"--time-column", "time", "--author-column", "author", "--sentiment-column", "sentiment", csv)
	if code != 0 {
		t.Fatalf("import exit %d: %s%s", code, out, errOut)
	}
}
