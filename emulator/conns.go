package emulator

import (
	"net"
	"net/http"
	"sync"
)

// freshConns tracks connections that have not sent a request yet. net/http's Shutdown counts such a
// connection as busy for its first 5 seconds, so a client that dialled a spare connection (the Go
// transport does this under concurrency) would make Close wait that long for nothing.
type freshConns struct {
	mu      sync.Mutex
	conns   map[net.Conn]struct{}
	closing bool
}

// track is the http.Server ConnState hook.
func (f *freshConns) track(c net.Conn, st http.ConnState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case st == http.StateNew && f.closing:
		c.Close()
	case st == http.StateNew:
		if f.conns == nil {
			f.conns = map[net.Conn]struct{}{}
		}
		f.conns[c] = struct{}{}
	default:
		delete(f.conns, c)
	}
}

// closeAll closes every connection without a request, now and from now on; requests in flight are
// left to Shutdown.
func (f *freshConns) closeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closing = true
	for c := range f.conns {
		c.Close()
	}
	clear(f.conns)
}
