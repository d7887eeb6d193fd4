package dovecot

import "testing"

func TestServerStartsAndServesMaildir(t *testing.T) {
	s := New(t)
	s.WriteMessages("INBOX", []byte("From a@b Thu Aug 22 12:36:23 2002\nSubject: one\nMessage-ID: <1@x>\n\nbody\n"))
	s.Start()
	if n := s.Count("INBOX"); n != 1 {
		t.Fatalf("INBOX has %d messages, want 1\n%s", n, s.Logs())
	}
	uid := s.Append("INBOX", []byte("Subject: two\r\nMessage-ID: <2@x>\r\n\r\nbody\r\n"))
	if n := s.Count("INBOX"); n != 2 {
		t.Fatalf("after append %d messages, want 2", n)
	}
	s.Expunge("INBOX", uid)
	if n := s.Count("INBOX"); n != 1 {
		t.Fatalf("after expunge %d messages, want 1", n)
	}
	if n := s.Count("Sent"); n != 0 {
		t.Fatalf("Sent has %d", n)
	}
}
