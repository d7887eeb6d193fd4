//go:build dist

package e2e

// Tests of the installable builds (`make test-dist`, tag dist): the .deb is inspected,
// installed with dpkg on this machine (root), run headless and under Xvfb, and removed;
// the Windows exe and installer are checked and signed with a throwaway certificate.
// STORMDESK_DIST_DIR names the output of `make dist` (else the test runs it) and
// STORMDESK_TESTCERT_DIR the certificate from `make dist-test-cert`.

import (
	"bytes"
	"context"
	"debug/pe"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

const installedBin = "/usr/bin/stormdesk"

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// distDir returns the folder with the `make dist` output, building it when not given.
func distDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("STORMDESK_DIST_DIR"); d != "" {
		return d
	}
	out, err := run(t, repoRoot(t), nil, "make", "dist")
	if err != nil {
		t.Fatalf("make dist: %v\n%s", err, out)
	}
	return filepath.Join(repoRoot(t), "build", "dist")
}

// run executes a command in dir and returns its combined output.
func run(t *testing.T, dir string, env []string, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func mustRun(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	out, err := run(t, dir, env, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

func debFile(t *testing.T, dir string) string {
	t.Helper()
	debs, _ := filepath.Glob(filepath.Join(dir, "stormdesk_*_amd64.deb"))
	if len(debs) != 1 {
		t.Fatalf("want exactly one stormdesk_*_amd64.deb in %s, found %v", dir, debs)
	}
	return debs[0]
}

// TestDebianVersions checks the mapping from `git describe` to Debian versions, and
// that dpkg orders the results the way releases happen.
func TestDebianVersions(t *testing.T) {
	script := filepath.Join(repoRoot(t), "build", "version.sh")
	cases := []struct{ describe, deb, win string }{
		{"v1.2.0", "1.2.0", "1.2.0"},
		{"v1.2.0-3-gabc1234", "1.2.0+3.gabc1234", "1.2.0"},
		{"v1.2.0-3-gabc1234-dirty", "1.2.0+3.gabc1234.dirty", "1.2.0"},
		{"v2.0.0-rc1", "2.0.0~rc1", "2.0.0"},
		{"v3", "3", "3.0.0"},
		{"d4b14bb-dirty", "0.0.0~git18.d4b14bb+dirty", "0.0.0"},
	}
	for _, c := range cases {
		env := []string{"GIT_COUNT=18"}
		if got := strings.TrimSpace(mustRun(t, ".", env, "sh", script, "deb", c.describe)); got != c.deb {
			t.Errorf("deb %s = %q, want %q", c.describe, got, c.deb)
		}
		if got := strings.TrimSpace(mustRun(t, ".", env, "sh", script, "win", c.describe)); got != c.win {
			t.Errorf("win %s = %q, want %q", c.describe, got, c.win)
		}
	}
	ascending := []string{"0.0.0~git18.d4b14bb", "0.0.0~git19.abc0001", "2.0.0~rc1", "2.0.0", "2.0.0+3.gabc1234", "2.0.0+3.gabc1234.dirty", "2.0.1"}
	for i := 1; i < len(ascending); i++ {
		if _, err := run(t, ".", nil, "dpkg", "--compare-versions", ascending[i-1], "lt", ascending[i]); err != nil {
			t.Errorf("dpkg does not order %s before %s", ascending[i-1], ascending[i])
		}
	}
}

// TestDebInstallRunRemove installs the package on this machine and uses the installed binary.
func TestDebInstallRunRemove(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Fatal("installing the .deb needs root (dpkg -i); run `make test-dist` as root, as CI does")
	}
	deb := debFile(t, distDir(t))

	info := mustRun(t, ".", nil, "dpkg-deb", "-I", deb)
	depends := regexp.MustCompile(`(?m)^ Depends: (.*)$`).FindStringSubmatch(info)
	if depends == nil {
		t.Fatalf("no Depends in control:\n%s", info)
	}
	for _, dep := range []string{"libwebkit2gtk-4.1-0", "libgtk-3-0", "libc6"} {
		if !regexp.MustCompile(`(^|, )` + regexp.QuoteMeta(dep) + `($|[ ,])`).MatchString(depends[1]) {
			t.Errorf("Depends %q lacks %s", depends[1], dep)
		}
	}
	// Emoji in customers' messages need a colour emoji font, or they are empty boxes.
	if rec := strings.TrimSpace(mustRun(t, ".", nil, "dpkg-deb", "-f", deb, "Recommends")); !regexp.MustCompile(`(^|, )fonts-noto-color-emoji($|[ ,])`).MatchString(rec) {
		t.Errorf("Recommends %q lacks fonts-noto-color-emoji", rec)
	}
	debVersion := strings.TrimSpace(mustRun(t, ".", nil, "dpkg-deb", "-f", deb, "Version"))

	listing := mustRun(t, ".", nil, "dpkg-deb", "-c", deb)
	want := []string{"./usr/bin/stormdesk", "./usr/share/applications/stormdesk.desktop",
		"./usr/lib/systemd/system/stormdesk-server.service", "./usr/share/stormdesk/server.env.example"}
	for _, s := range []string{"48x48", "128x128", "256x256", "512x512"} {
		want = append(want, "./usr/share/icons/hicolor/"+s+"/apps/stormdesk.png")
	}
	for _, p := range want {
		if !regexp.MustCompile(`(?m) ` + regexp.QuoteMeta(p) + `$`).MatchString(listing) {
			t.Errorf("package does not contain %s:\n%s", p, listing)
		}
	}
	if !regexp.MustCompile(`(?m)^-rwxr-xr-x root/root .* \./usr/bin/stormdesk$`).MatchString(listing) {
		t.Errorf("/usr/bin/stormdesk is not an executable owned by root:\n%s", listing)
	}

	// Removing a copy someone uses for real would be a surprise; refuse instead.
	if out, err := run(t, ".", nil, "dpkg-query", "-W", "-f", "${Status}", "stormdesk"); err == nil && strings.Contains(out, "installed") && !strings.Contains(out, "not-installed") {
		t.Fatalf("stormdesk is already installed here (%s); remove it before running this test", out)
	}
	if out, err := run(t, ".", nil, "dpkg", "-i", deb); err != nil {
		t.Logf("dpkg -i: %v\n%s\nresolving dependencies with apt-get install -f", err, out)
		mustRun(t, ".", []string{"DEBIAN_FRONTEND=noninteractive"}, "apt-get", "install", "-f", "-y", "-qq")
	}
	removed := false
	remove := func() {
		if !removed {
			removed = true
			if out, err := run(t, ".", nil, "dpkg", "-r", "stormdesk"); err != nil {
				t.Errorf("dpkg -r stormdesk: %v\n%s", err, out)
			}
			// -r keeps the package's record because it has maintainer scripts; purge forgets it.
			if out, err := run(t, ".", nil, "dpkg", "--purge", "stormdesk"); err != nil {
				t.Errorf("dpkg --purge stormdesk: %v\n%s", err, out)
			}
		}
	}
	t.Cleanup(remove)
	if st := mustRun(t, ".", nil, "dpkg-query", "-W", "-f", "${Status} ${Version}", "stormdesk"); st != "install ok installed "+debVersion {
		t.Fatalf("after dpkg -i the package status is %q, want installed %s", st, debVersion)
	}
	desktop := readFile(t, "/usr/share/applications/stormdesk.desktop")
	for _, line := range []string{"Exec=stormdesk", "Icon=stormdesk", "Type=Application"} {
		if !strings.Contains(desktop, line+"\n") {
			t.Errorf("installed .desktop file lacks %s:\n%s", line, desktop)
		}
	}
	t.Setenv("STORMDESK_BIN", installedBin)

	t.Run("version", func(t *testing.T) {
		out, errOut, code := runCLI(t, nil, "version")
		m := regexp.MustCompile(`^stormdesk (\S+) \(commit (\S+), built (\S+)\)\n$`).FindStringSubmatch(out)
		if code != 0 || m == nil {
			t.Fatalf("version: exit %d, stdout %q, stderr %q", code, out, errOut)
		}
		if m[1] == "dev" {
			t.Errorf("the installed binary has no version: %q", out)
		}
		if got := strings.TrimSpace(mustRun(t, ".", nil, "sh", filepath.Join(repoRoot(t), "build", "version.sh"), "deb", m[1])); got != debVersion {
			t.Errorf("binary version %s maps to Debian %s, but the package is %s", m[1], got, debVersion)
		}
		if head := strings.TrimSpace(mustRun(t, repoRoot(t), nil, "git", "rev-parse", "--short", "HEAD")); m[2] != head {
			t.Errorf("binary commit %s, checkout is at %s", m[2], head)
		}
		built, err := time.Parse(time.RFC3339, m[3])
		if err != nil || built.After(time.Now().Add(time.Minute)) {
			t.Errorf("build date %q is not a past RFC 3339 time (%v)", m[3], err)
		}
	})

	t.Run("import and stats", func(t *testing.T) {
		dir := t.TempDir()
		csv := filepath.Join(dir, "in.csv")
		writeFile(t, csv, "id,brand,time,text\n"+
			"1,Acme,2026-01-02 10:00:00,Where is my parcel?\n"+
			"2,Acme,2026-01-02 10:05:00,\"Quoted, with a comma\"\n"+
			"3,Beta,2026-01-02 11:00:00,Wo ist meine Bestellung?\n"+
			"4,Beta,2026-01-02 11:30:00,Где мой заказ?\n")
		db := filepath.Join(dir, "x.db")
		out, errOut, code := runCLI(t, nil, "import", csv, "--db", db, "--account-column", "brand", "--time-column", "time")
		if code != 0 || !strings.Contains(out, "4 new messages") {
			t.Fatalf("import: exit %d, stdout %q, stderr %q; want 4 new messages", code, out, errOut)
		}
		out, errOut, code = runCLI(t, nil, "stats", "--json", "--db", db)
		var st struct {
			Messages int64 `json:"messages"`
		}
		if code != 0 {
			t.Fatalf("stats: exit %d: %s", code, errOut)
		}
		if err := json.Unmarshal([]byte(out), &st); err != nil || st.Messages != 4 {
			t.Fatalf("stats = %s (%v), want 4 messages", out, err)
		}
	})

	t.Run("window under Xvfb", func(t *testing.T) {
		display := startXvfb(t)
		dir := t.TempDir()
		// Started by name through PATH, as the .desktop file's Exec= does.
		cmd := exec.Command("stormdesk", "--db", filepath.Join(dir, "stormdesk.db"))
		cmd.Env = append(os.Environ(), "PATH=/usr/bin:/bin", "DISPLAY="+display, "XDG_DATA_HOME="+dir,
			"XDG_RUNTIME_DIR="+dir, "STORMDESK_AGENT=dist", "NO_AT_BRIDGE=1")
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		var logs syncBuffer
		cmd.Stdout, cmd.Stderr = &logs, &logs
		if err := cmd.Start(); err != nil {
			t.Fatalf("start installed app: %v", err)
		}
		if cmd.Path != installedBin {
			t.Errorf("PATH resolved stormdesk to %s, want %s", cmd.Path, installedBin)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		t.Cleanup(func() {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
			select {
			case <-exited:
			case <-time.After(10 * time.Second):
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
				<-exited
			}
		})
		if !waitFor(90*time.Second, func() bool { return strings.Contains(logs.String(), "frontend ready") }) {
			t.Fatalf("the installed app's frontend never called Go; output:\n%s", logs.String())
		}
		var distinct int
		var dominant float64
		if !waitFor(30*time.Second, func() bool {
			distinct, dominant = colourStats(screenshot(t, display))
			return distinct > 400 && dominant < 0.9
		}) {
			t.Fatalf("window looks blank: %d colours, dominant colour %.0f%%; output:\n%s", distinct, dominant*100, logs.String())
		}
	})

	remove()
	if _, err := os.Stat(installedBin); !os.IsNotExist(err) {
		t.Errorf("%s still exists after dpkg -r (%v)", installedBin, err)
	}
	if _, err := os.Stat("/usr/share/icons/hicolor/512x512/apps/stormdesk.png"); !os.IsNotExist(err) {
		t.Errorf("icon still exists after dpkg -r (%v)", err)
	}
}

// TestWindowsBuild checks the cross-compiled exe and that package.sh signs the exe, the
// uninstaller and the installer with the throwaway certificate, or says they are unsigned.
func TestWindowsBuild(t *testing.T) {
	dist := distDir(t)
	exe := filepath.Join(dist, "stormdesk-windows-amd64.exe")
	for _, f := range []string{exe, filepath.Join(dist, "stormdesk-windows-amd64-setup.exe")} {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("make dist output: %v", err)
		}
	}
	f, err := pe.Open(exe)
	if err != nil {
		t.Fatalf("exe is not a PE file: %v", err)
	}
	hdr, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	f.Close()
	if !ok || f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 || hdr.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		t.Errorf("exe: machine %#x, 64-bit header %v; want an amd64 GUI program", f.Machine, ok)
	}
	body, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	// go-sqlite3 built without cgo compiles to a stub that fails at run time with this text.
	if bytes.Contains(body, []byte("Binary was compiled with 'CGO_ENABLED=0'")) || !bytes.Contains(body, []byte("SQLite format 3")) {
		t.Error("the Windows exe does not contain SQLite: it was built without cgo")
	}

	certDir := os.Getenv("STORMDESK_TESTCERT_DIR")
	if certDir == "" {
		certDir = filepath.Join(t.TempDir(), "cert")
		mustRun(t, repoRoot(t), nil, "make", "dist-test-cert", "TESTCERT_DIR="+certDir)
	}
	pkg := filepath.Join(repoRoot(t), "build", "windows", "package.sh")
	// package.sh signs whatever it gets, so it gets an unsigned copy of the exe.
	input := filepath.Join(t.TempDir(), "in.exe")
	if out, err := run(t, ".", nil, "osslsigncode", "remove-signature", "-in", exe, "-out", input); err != nil {
		// Wording differs between osslsigncode 2.5 (Debian 12) and 2.9 (backports).
		if !regexp.MustCompile(`(?i)no signature|not have any signature|unable to extract existing signature`).MatchString(out) {
			t.Fatalf("remove-signature: %v\n%s", err, out)
		}
		if err := os.WriteFile(input, body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	noSigning := []string{"STORMDESK_SIGN_CERT=", "STORMDESK_SIGN_KEY=", "STORMDESK_SIGN_PKCS12=", "STORMDESK_SIGN_PASSWORD="}
	verify := func(t *testing.T, file, ca string) (string, error) {
		return run(t, ".", nil, "osslsigncode", "verify", "-in", file, "-CAfile", ca)
	}
	cert := filepath.Join(certDir, "cert.pem")

	cases := []struct {
		name   string
		env    []string
		signed bool
	}{
		{"unsigned", noSigning, false},
		{"pem", append(noSigning, "STORMDESK_SIGN_CERT="+cert, "STORMDESK_SIGN_KEY="+filepath.Join(certDir, "key.pem")), true},
		{"pkcs12", append(noSigning, "STORMDESK_SIGN_PKCS12="+filepath.Join(certDir, "cert.p12"), "STORMDESK_SIGN_PASSWORD=stormdesk-test"), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := t.TempDir()
			log := mustRun(t, ".", c.env, "sh", pkg, input, out, "1.2.3")
			files := []string{filepath.Join(out, "stormdesk-windows-amd64.exe"), filepath.Join(out, "stormdesk-windows-amd64-setup.exe")}
			if !c.signed {
				if !strings.Contains(log, "UNSIGNED") {
					t.Errorf("an unsigned build is not reported as unsigned:\n%s", log)
				}
				for _, f := range files {
					if vout, err := verify(t, f, cert); err == nil || !strings.Contains(vout, "No signature found") {
						t.Errorf("verify %s: err %v, want no signature found\n%s", filepath.Base(f), err, vout)
					}
				}
				return
			}
			// exe, uninstaller (inside the installer) and installer.
			if n := strings.Count(log, "signed: "); n != 3 || strings.Contains(log, "UNSIGNED") {
				t.Errorf("want 3 files signed, got %d:\n%s", n, log)
			}
			for _, f := range files {
				vout, err := verify(t, f, cert)
				if err != nil || !strings.Contains(vout, "Signature verification: ok") || !strings.Contains(vout, "CN=Stormdesk Test Code Signing") {
					t.Errorf("verify %s: %v\n%s", filepath.Base(f), err, vout)
				}
				// The same file against the public roots: a self-signed certificate must not pass.
				if vout, err := verify(t, f, "/etc/ssl/certs/ca-certificates.crt"); err == nil {
					t.Errorf("%s verified against the public roots:\n%s", filepath.Base(f), vout)
				}
			}
		})
	}

	t.Run("wrong password fails without printing it", func(t *testing.T) {
		env := append(noSigning, "STORMDESK_SIGN_PKCS12="+filepath.Join(certDir, "cert.p12"), "STORMDESK_SIGN_PASSWORD=not-the-password-xyz")
		out, err := run(t, ".", env, "sh", pkg, input, t.TempDir(), "1.2.3")
		if err == nil {
			t.Fatalf("signing with a wrong password succeeded:\n%s", out)
		}
		if strings.Contains(out, "not-the-password-xyz") {
			t.Errorf("the password appears in the output:\n%s", out)
		}
	})
}
