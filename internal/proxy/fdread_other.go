//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package proxy

import (
	"net"
	"syscall"
)

// fdReader is not used here: the serve loop reads through net.Conn.
type fdReader struct {
	fd   int
	more bool
}

func (r *fdReader) Read([]byte) (int, error) { return 0, errWouldBlock }

func rawConn(net.Conn) syscall.RawConn { return nil }
