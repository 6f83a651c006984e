//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package proxy

import (
	"net"
	"syscall"
)

// peeker tells whether the backend closed an idle connection: a FIN or a
// reset is waiting to be read. A backend stops idle connections on its own
// keep-alive timeout, and all of them when it stops; sending a request on
// one fails it.
type peeker struct {
	raw syscall.RawConn
	fn  func(fd uintptr) bool // bound once: no allocation per check
	// goneFn is peekGone, bound once.
	goneFn func(fd uintptr) bool
	ok     bool
	buf    [1]byte
}

func (k *peeker) init(c net.Conn) {
	if sc, ok := c.(syscall.Conn); ok {
		if raw, err := sc.SyscallConn(); err == nil {
			k.raw, k.fn, k.goneFn = raw, k.peek, k.peekGone
		}
	}
}

// open reports whether nothing is waiting on the connection: the one
// answer that means the backend still has it open and idle. An end of
// file, an error, or bytes the backend sent unasked all close it.
func (k *peeker) open() bool {
	if k.raw == nil {
		return true
	}
	k.ok = false
	if err := k.raw.Read(k.fn); err != nil {
		return false
	}
	return k.ok
}

func (k *peeker) peek(fd uintptr) bool {
	_, _, err := syscall.Recvfrom(int(fd), k.buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
	k.ok = err == syscall.EAGAIN || err == syscall.EWOULDBLOCK
	return true // done: never wait for the connection to turn readable
}

// gone reports whether the peer closed or reset the connection: an end of
// file, or an error, waits to be read (bytes it sent, such as a pipelined
// request, say it is there).
func (k *peeker) gone() bool {
	if k.raw == nil {
		return false
	}
	k.ok = false
	if err := k.raw.Read(k.goneFn); err != nil {
		return true
	}
	return k.ok
}

func (k *peeker) peekGone(fd uintptr) bool {
	n, _, err := syscall.Recvfrom(int(fd), k.buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
	k.ok = err == nil && n == 0 || err != nil && err != syscall.EAGAIN && err != syscall.EWOULDBLOCK && err != syscall.EINTR
	return true
}
