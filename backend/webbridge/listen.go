package webbridge

import (
	"context"
	"fmt"
	"net"
	"strings"
)

// Listen opens a TCP listener on a loopback address only: the bridge exposes
// the whole inbox behind one token sent over plain HTTP, so it must never face
// a network.
// "localhost" means 127.0.0.1; port 0 picks a free port.
func Listen(ctx context.Context, addr string) (net.Listener, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("listen address %q: %w", addr, err)
	}
	if strings.EqualFold(host, "localhost") {
		host = "127.0.0.1"
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("listen address %q: only a loopback address (127.0.0.1, ::1, localhost) is allowed", addr)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", net.JoinHostPort(ip.String(), port))
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}

// ListenNetwork opens a TCP listener on any address, for the team server,
// which authorizes every request with a member's token and serves HTTPS (or
// sits behind a load balancer that does).
func ListenNetwork(ctx context.Context, addr string) (net.Listener, error) {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return nil, fmt.Errorf("listen address %q: %w", addr, err)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}

// IsLoopbackAddr reports whether addr (host:port) names a loopback address
// only ("localhost", 127.0.0.0/8, ::1); an empty host means every interface.
func IsLoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
