// Package dovecot starts a real Dovecot IMAP server for tests: one per test,
// in a temporary directory, listening on loopback high ports, with a
// throwaway self-signed certificate for IMAPS.
package dovecot

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/stormdesk/stormdesk/backend/testutil/tlscert"
)

// Server is one Dovecot instance owned by a test.
type Server struct {
	t        testing.TB
	Dir      string // the temporary root: config, run, state, log, home
	Home     string // the mail user's home; the maildir is Home/Maildir
	Host     string
	Port     int // plain IMAP (STARTTLS offered)
	TLSPort  int // IMAPS
	User     string
	Password string
	// RootCAs trusts the throwaway certificate, for IMAPS and STARTTLS clients.
	RootCAs *x509.CertPool

	cmd *exec.Cmd
	seq atomic.Int64
}

// Require skips the test when Dovecot cannot run here (not root, not installed),
// except under CI (CI=true), where a missing server is a failure.
func Require(t testing.TB) {
	t.Helper()
	reason := ""
	if os.Geteuid() != 0 {
		reason = "dovecot tests need root (dovecot runs as nobody via setpriv)"
	} else if _, err := exec.LookPath("dovecot"); err != nil {
		reason = "dovecot not installed (apt-get install dovecot-imapd)"
	} else if _, err := exec.LookPath("setpriv"); err != nil {
		reason = "setpriv not installed (util-linux)"
	}
	if reason == "" {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s; CI=true requires it", reason)
	}
	t.Skip(reason)
}

// New prepares a server (config, certificate, maildir) without starting it,
// so that messages can be written into the maildir first. Stop runs at cleanup.
func New(t testing.TB) *Server {
	t.Helper()
	Require(t)
	dir, err := os.MkdirTemp("", "dovecot-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	// nobody must be able to reach the directory.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s := &Server{t: t, Dir: dir, Home: filepath.Join(dir, "home"), Host: "127.0.0.1", User: "support@example.test", Password: "s3cret-pass"}
	// Each probe closes its listener, so the kernel may hand out the same port twice.
	s.Port, s.TLSPort = freePort(t), freePort(t)
	for s.TLSPort == s.Port {
		s.TLSPort = freePort(t)
	}
	for _, d := range []string{"run", "state", "home/Maildir/cur", "home/Maildir/new", "home/Maildir/tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	s.writeCert()
	passwd := fmt.Sprintf("%s:{PLAIN}%s:65534:65534::%s::\n", s.User, s.Password, s.Home)
	s.writeFile("passwd", passwd)
	s.writeFile("dovecot.conf", s.config())
	t.Cleanup(s.Stop)
	return s
}

// Start prepares and starts a server with empty mailboxes.
func Start(t testing.TB) *Server {
	s := New(t)
	s.Start()
	return s
}

func (s *Server) writeFile(name, content string) {
	if err := os.WriteFile(filepath.Join(s.Dir, name), []byte(content), 0o644); err != nil {
		s.t.Fatal(err)
	}
}

func (s *Server) config() string {
	d := s.Dir
	return fmt.Sprintf(`base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
info_log_path = %[1]s/dovecot.log
protocols = imap
listen = 127.0.0.1
default_internal_user = nobody
default_internal_group = nogroup
default_login_user = nobody
first_valid_uid = 65534
mail_uid = 65534
mail_gid = 65534
disable_plaintext_auth = no
auth_mechanisms = plain login
ssl = yes
ssl_cert = <%[1]s/cert.pem
ssl_key = <%[1]s/key.pem
mail_location = maildir:~/Maildir
mail_max_userip_connections = 200
passdb {
  driver = passwd-file
  args = scheme=PLAIN %[1]s/passwd
}
userdb {
  driver = passwd-file
  args = %[1]s/passwd
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = %[2]d
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = %[3]d
    ssl = yes
  }
}
service anvil {
  chroot =
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \Sent
    auto = subscribe
  }
  mailbox Junk {
    special_use = \Junk
    auto = subscribe
  }
  mailbox Trash {
    special_use = \Trash
    auto = subscribe
  }
  mailbox Drafts {
    special_use = \Drafts
    auto = subscribe
  }
}
`, d, s.Port, s.TLSPort)
}

// Start runs dovecot as nobody and waits for the IMAP greeting on both ports.
func (s *Server) Start() {
	s.t.Helper()
	if s.cmd != nil {
		s.t.Fatal("dovecot already running")
	}
	if out, err := exec.Command("chown", "-R", "nobody:nogroup", s.Dir).CombinedOutput(); err != nil {
		s.t.Fatalf("chown: %v: %s", err, out)
	}
	cmd := exec.Command("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
		"dovecot", "-F", "-c", filepath.Join(s.Dir, "dovecot.conf"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := os.Create(filepath.Join(s.Dir, "stdout.log"))
	if err != nil {
		s.t.Fatal(err)
	}
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("start dovecot: %v", err)
	}
	s.cmd = cmd
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	deadline := time.Now().Add(10 * time.Second)
	for _, port := range []int{s.Port, s.TLSPort} {
		for {
			err := s.greeting(port, port == s.TLSPort)
			if err == nil {
				break
			}
			select {
			case <-exited:
				s.t.Fatalf("dovecot exited: %s", s.Logs())
			default:
			}
			if time.Now().After(deadline) {
				s.t.Fatalf("dovecot not ready on port %d: %v\n%s", port, err, s.Logs())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// greeting proves the server answers IMAP: a TCP connect alone is not enough.
func (s *Server) greeting(port int, useTLS bool) error {
	addr := net.JoinHostPort(s.Host, strconv.Itoa(port))
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(2 * time.Second))
	if useTLS {
		tc := tls.Client(conn, s.TLSConfig())
		if err := tc.Handshake(); err != nil {
			return err
		}
		conn = tc
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "* OK") {
		return fmt.Errorf("unexpected greeting %q", line)
	}
	return nil
}

// Stop kills dovecot's process group and waits until its ports are free.
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	for i := 0; i < 200; i++ {
		if err := syscall.Kill(-s.cmd.Process.Pid, 0); err != nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.cmd = nil
}

// Restart stops and starts the server on the same ports and mail store.
func (s *Server) Restart() {
	s.t.Helper()
	s.Stop()
	s.Start()
}

// KillIMAPProcesses kills the imap processes serving logged-in clients, which
// drops every client connection the way a crashed server or a network cut does.
// It returns how many processes it killed.
func (s *Server) KillIMAPProcesses() int {
	s.t.Helper()
	if s.cmd == nil {
		return 0
	}
	pgid := s.cmd.Process.Pid
	entries, _ := os.ReadDir("/proc")
	n := 0
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		comm, err := os.ReadFile(filepath.Join("/proc", e.Name(), "comm"))
		if err != nil || strings.TrimSpace(string(comm)) != "imap" {
			continue
		}
		if g, err := syscall.Getpgid(pid); err == nil && g == pgid {
			if syscall.Kill(pid, syscall.SIGKILL) == nil {
				n++
			}
		}
	}
	return n
}

// Logs returns dovecot's log, for failure messages.
func (s *Server) Logs() string {
	a, _ := os.ReadFile(filepath.Join(s.Dir, "dovecot.log"))
	b, _ := os.ReadFile(filepath.Join(s.Dir, "stdout.log"))
	return string(a) + string(b)
}

// Addr is the plain IMAP address (host:port).
func (s *Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// TLSAddr is the IMAPS address (host:port).
func (s *Server) TLSAddr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.TLSPort)) }

// TLSConfig trusts the server's throwaway certificate.
func (s *Server) TLSConfig() *tls.Config {
	return &tls.Config{RootCAs: s.RootCAs, ServerName: s.Host}
}

func (s *Server) maildir(folder string) string {
	if folder == "" || strings.EqualFold(folder, "INBOX") {
		return filepath.Join(s.Home, "Maildir")
	}
	// Maildir++ layout: one dot-prefixed directory per folder.
	return filepath.Join(s.Home, "Maildir", "."+strings.ReplaceAll(folder, "/", "."))
}

// WriteMessages writes raw messages straight into a folder's maildir, which is
// how a large corpus is loaded fast before Start. A leading mbox "From " line
// is dropped.
func (s *Server) WriteMessages(folder string, raws ...[]byte) {
	s.t.Helper()
	dir := s.maildir(folder)
	for _, d := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			s.t.Fatal(err)
		}
	}
	for _, raw := range raws {
		if strings.HasPrefix(string(raw[:min(5, len(raw))]), "From ") {
			if i := strings.IndexByte(string(raw), '\n'); i >= 0 {
				raw = raw[i+1:]
			}
		}
		n := s.seq.Add(1)
		name := fmt.Sprintf("%d.M%dP%d.stormdesk:2,", time.Now().Unix(), n, os.Getpid())
		if err := os.WriteFile(filepath.Join(dir, "cur", name), raw, 0o644); err != nil {
			s.t.Fatal(err)
		}
	}
	if s.cmd != nil {
		exec.Command("chown", "-R", "nobody:nogroup", dir).Run()
	}
}

// ResetUIDValidity makes the server hand out a new UIDVALIDITY for folder, as
// happens when a mailbox is recreated or restored: dovecot's uidlist and index
// are deleted and the server restarted.
func (s *Server) ResetUIDValidity(folder string) {
	s.t.Helper()
	running := s.cmd != nil
	s.Stop()
	dir := s.maildir(folder)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "dovecot") {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
	// UIDVALIDITY is derived from the time; make sure it differs.
	time.Sleep(1100 * time.Millisecond)
	if running {
		s.Start()
	}
}

// Client logs in over plain IMAP on loopback, for test set-up and checks.
func (s *Server) Client(opts *imapclient.Options) *imapclient.Client {
	s.t.Helper()
	c, err := imapclient.DialInsecure(s.Addr(), opts)
	if err != nil {
		s.t.Fatalf("dial dovecot: %v", err)
	}
	if err := c.Login(s.User, s.Password).Wait(); err != nil {
		c.Close()
		s.t.Fatalf("login dovecot: %v", err)
	}
	return c
}

// Append adds a message to folder through IMAP and returns its UID.
func (s *Server) Append(folder string, raw []byte, flags ...imap.Flag) imap.UID {
	s.t.Helper()
	c := s.Client(nil)
	defer c.Close()
	cmd := c.Append(folder, int64(len(raw)), &imap.AppendOptions{Flags: flags})
	if _, err := cmd.Write(raw); err != nil {
		s.t.Fatalf("append: %v", err)
	}
	if err := cmd.Close(); err != nil {
		s.t.Fatalf("append: %v", err)
	}
	data, err := cmd.Wait()
	if err != nil {
		s.t.Fatalf("append: %v", err)
	}
	return data.UID
}

// Count returns the number of messages in folder.
func (s *Server) Count(folder string) int {
	s.t.Helper()
	c := s.Client(nil)
	defer c.Close()
	st, err := c.Status(folder, &imap.StatusOptions{NumMessages: true}).Wait()
	if err != nil {
		s.t.Fatalf("status %s: %v", folder, err)
	}
	return int(*st.NumMessages)
}

// Expunge deletes the messages with the given UIDs from folder.
func (s *Server) Expunge(folder string, uids ...imap.UID) {
	s.t.Helper()
	c := s.Client(nil)
	defer c.Close()
	if _, err := c.Select(folder, nil).Wait(); err != nil {
		s.t.Fatal(err)
	}
	set := imap.UIDSetNum(uids...)
	if err := c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close(); err != nil {
		s.t.Fatal(err)
	}
	if err := c.UIDExpunge(set).Close(); err != nil {
		s.t.Fatal(err)
	}
}

// SetFlags adds flags to the messages with the given UIDs in folder.
func (s *Server) SetFlags(folder string, flags []imap.Flag, uids ...imap.UID) {
	s.t.Helper()
	c := s.Client(nil)
	defer c.Close()
	if _, err := c.Select(folder, nil).Wait(); err != nil {
		s.t.Fatal(err)
	}
	if err := c.Store(imap.UIDSetNum(uids...), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: flags}, nil).Close(); err != nil {
		s.t.Fatal(err)
	}
}

func (s *Server) writeCert() {
	cert := tlscert.New(s.t)
	s.writeFile("cert.pem", string(cert.CertPEM))
	s.writeFile("key.pem", string(cert.KeyPEM))
	s.RootCAs = cert.Pool()
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
