//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package proxy

import (
	"io"
	"net"
	"syscall"
)

// fdReader reads a client's connection from inside the serve loop's
// wait (syscall.RawConn's Read, which hands it the descriptor): a read
// that would block says errWouldBlock, and the loop then returns to the
// wait. It reads only when the connection may hold bytes it has not read:
// after a wake-up, or when the last read filled what it was given. After
// a shorter read every byte that came since raises the poller's next
// wake-up, so that the read after an answer, which would find nothing
// yet (the client has not had the answer), is not made.
type fdReader struct {
	fd   int
	more bool // the connection may hold bytes not read
}

func (r *fdReader) Read(p []byte) (int, error) {
	if !r.more {
		return 0, errWouldBlock
	}
	for {
		n, err := syscall.Read(r.fd, p)
		switch {
		case err == syscall.EINTR:
			continue
		case err == syscall.EAGAIN:
			r.more = false
			return 0, errWouldBlock
		case err != nil:
			return 0, err
		case n == 0:
			return 0, io.EOF
		}
		r.more = n == len(p)
		return n, nil
	}
}

// rawConn is nc's syscall.RawConn, nil when it has none.
func rawConn(nc net.Conn) syscall.RawConn {
	if sc, ok := nc.(syscall.Conn); ok {
		if raw, err := sc.SyscallConn(); err == nil {
			return raw
		}
	}
	return nil
}
