package main

import (
	"bufio"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const (
	unitFile       = "build/linux/stormdesk-server.service"
	unitEnvExample = "build/linux/server.env.example"
)

// unitEntry is one Key=Value line of a systemd unit, in file order.
type unitEntry struct {
	section, key, value string
	line                int
}

// readUnit parses the subset of the unit file syntax the shipped unit uses:
// sections, Key=Value lines and comments (no line continuations, which the
// test refuses rather than misreads).
func readUnit(t *testing.T, path string) []unitEntry {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []unitEntry
	section := ""
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
			continue
		case strings.HasSuffix(line, `\`):
			t.Fatalf("%s:%d: line continuation: extend readUnit before using one", path, i+1)
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = line[1 : len(line)-1]
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("%s:%d: not Key=Value: %q", path, i+1, line)
		}
		out = append(out, unitEntry{section: section, key: strings.TrimSpace(k), value: strings.TrimSpace(v), line: i + 1})
	}
	return out
}

// serverEnvNames is every environment variable `stormdesk server` reads a flag from.
func serverEnvNames() map[string]bool {
	var c serverConfig
	names := map[string]bool{}
	serverFlagSet(&c, io.Discard).VisitAll(func(f *flag.Flag) { names[envName(f.Name)] = true })
	return names
}

// envAssignment matches a variable the example sets or shows commented out:
// "STORMDESK_DB=..." or "#STORMDESK_DEMO=true".
var envAssignment = regexp.MustCompile(`^#?\s*(STORMDESK_[A-Z0-9_]+)=(.*)$`)

// TestSystemdUnitStartsTheServer checks that what the unit runs is a command
// line `stormdesk server` accepts: its ExecStart flags, its Environment= and the
// variables of the example EnvironmentFile are all the server's own, so a
// renamed flag cannot leave the packaged unit starting a server that refuses
// its configuration (or silently ignores a variable).
func TestSystemdUnitStartsTheServer(t *testing.T) {
	entries := readUnit(t, unitFile)
	known := serverEnvNames()
	credDir := t.TempDir() // what systemd passes as %d

	var execStart []string
	env := map[string]string{}
	for _, e := range entries {
		if e.section != "Service" {
			continue
		}
		switch e.key {
		case "ExecStart":
			if execStart != nil {
				t.Fatalf("%s:%d: a second ExecStart", unitFile, e.line)
			}
			execStart = strings.Fields(e.value)
		case "Environment":
			for _, kv := range strings.Fields(e.value) {
				k, v, _ := strings.Cut(kv, "=")
				if !known[k] {
					t.Errorf("%s:%d: Environment=%s is no flag of stormdesk server", unitFile, e.line, k)
				}
				env[k] = strings.ReplaceAll(v, "%d", credDir)
			}
		case "EnvironmentFile":
			if strings.TrimPrefix(e.value, "-") != "/etc/stormdesk/server.env" {
				t.Errorf("%s:%d: EnvironmentFile=%s; the example (%s) and docs/team.md name /etc/stormdesk/server.env", unitFile, e.line, e.value, unitEnvExample)
			}
		}
	}
	if len(execStart) < 2 || execStart[0] != "/usr/bin/stormdesk" || execStart[1] != "server" {
		t.Fatalf("ExecStart %q: want /usr/bin/stormdesk server [flags] (the .deb installs the binary there)", execStart)
	}

	// The example file: every variable it sets, or shows commented out, must
	// be one the server reads.
	f, err := os.Open(unitEnvExample)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	example := map[string]string{}   // set as shipped
	commented := map[string]string{} // shown commented out, with the example's value
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		m := envAssignment.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		if !known[m[1]] {
			t.Errorf("%s:%d: %s is no flag of stormdesk server (known: %v)", unitEnvExample, n, m[1], known)
		}
		if strings.HasPrefix(sc.Text(), "#") {
			commented[m[1]] = m[2]
		} else {
			example[m[1]] = m[2]
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, must := range []string{"STORMDESK_DB", "STORMDESK_ADDR"} {
		if example[must] == "" {
			t.Errorf("%s sets no %s", unitEnvExample, must)
		}
	}

	// The server started as the unit starts it, with the example as shipped
	// plus the one choice it asks for (TLS or a proxy in front), must accept
	// its configuration; as shipped, with neither, it must refuse plain HTTP
	// on the network, as the example's comment says.
	cases := []struct {
		name  string
		extra map[string]string
		want  string // "": accepted
	}{
		{"as shipped: plain HTTP on 0.0.0.0 refused", nil, "not a loopback address"},
		{"with TLS", map[string]string{"STORMDESK_TLS_CERT": filepath.Join(credDir, "tls.crt"), "STORMDESK_TLS_KEY": filepath.Join(credDir, "tls.key")}, ""},
		{"behind a TLS proxy", map[string]string{"STORMDESK_BEHIND_TLS_PROXY": commented["STORMDESK_BEHIND_TLS_PROXY"]}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			vars := map[string]string{}
			for _, m := range []map[string]string{example, env, tc.extra} {
				for k, v := range m {
					vars[k] = v
				}
			}
			c, err := parseServerFlags(execStart[2:], func(k string) string { return vars[k] }, io.Discard)
			if tc.want != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("error %v; want one saying %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("stormdesk server refuses the unit's configuration: %v", err)
			}
			if c.db != example["STORMDESK_DB"] || c.addr != example["STORMDESK_ADDR"] {
				t.Errorf("db %q addr %q; want the example's", c.db, c.addr)
			}
			if c.secretsKey != filepath.Join(credDir, "secrets.key") {
				t.Errorf("secrets key %q; want the credential the unit loads (%%d/secrets.key)", c.secretsKey)
			}
		})
	}
}

// TestSystemdUnitVerifies runs systemd's own checker on the unit: unknown
// keys, bad values and sandboxing options this systemd does not know are
// reported there, not by the Go parser above.
func TestSystemdUnitVerifies(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed (Debian package systemd): the unit is not verified")
	}
	data, err := os.ReadFile(unitFile)
	if err != nil {
		t.Fatal(err)
	}
	// verify insists the ExecStart binary exists; the .deb's /usr/bin/stormdesk
	// is not installed here, so the unit points at this test's own executable.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "ExecStart=/usr/bin/stormdesk ") {
		t.Fatal("ExecStart does not run /usr/bin/stormdesk")
	}
	unit := strings.Replace(string(data), "ExecStart=/usr/bin/stormdesk ", "ExecStart="+self+" ", 1)
	path := filepath.Join(t.TempDir(), "stormdesk-server.service")
	if err := os.WriteFile(path, []byte(unit), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), analyze, "verify", "--man=no", path)
	out, err := cmd.CombinedOutput()
	t.Logf("systemd-analyze verify: %s", out)
	if err != nil {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
	// Warnings (an unknown key, a misspelt option) do not change the exit
	// status; any line about this unit is one.
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "stormdesk-server.service") {
			t.Errorf("systemd-analyze verify warns: %s", line)
		}
	}
}
