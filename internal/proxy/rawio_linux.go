//go:build linux

package proxy

import (
	"io"
	"net"
	"os"
	"syscall"
	"unsafe"
)

// rawIO reads and writes a socket with raw system calls inside the
// runtime's wait for it (syscall.RawConn), instead of through net.Conn.
//
// Why: a read or write of a non-blocking socket returns at once, but on
// loopback a write delivers the segment to its reader within the call, so
// it can take tens of microseconds. net.Conn's calls tell the scheduler
// they may block, and the runtime's monitor takes the P of a call that ran
// past its 20 µs tick and hands it to another thread when goroutines wait;
// under load a proxy is always in such a call with goroutines waiting, so
// the monitor ran every 20 µs and threads were handed Ps and woken for
// calls that were about to return (perf: 8% of the proxy's CPU in the
// monitor's sleeps alone). A raw call keeps its P, as a call that cannot
// block may.
//
// Deadlines and closing work as with net.Conn (the wait is the same);
// errors are *net.OpError with the net.Conn's op and addresses.
type rawIO struct {
	nc  net.Conn
	raw syscall.RawConn
	// Each direction's call: its arguments and result, and the function
	// the wait calls, bound once (no allocation per call). A read and a
	// write may run at the same time.
	r, w rawCall
}

type rawCall struct {
	p     []byte
	n     int
	errno syscall.Errno
	fn    func(fd uintptr) bool
}

func newRawIO(nc net.Conn) *rawIO {
	r := &rawIO{nc: nc}
	if sc, ok := nc.(syscall.Conn); ok {
		if raw, err := sc.SyscallConn(); err == nil {
			r.raw = raw
			r.r.fn, r.w.fn = r.r.read, r.w.write
		}
	}
	return r
}

func (r *rawIO) Read(p []byte) (int, error) {
	if r.raw == nil || len(p) == 0 {
		return r.nc.Read(p)
	}
	c := &r.r
	c.p, c.n, c.errno = p, 0, 0
	err := r.raw.Read(c.fn)
	c.p = nil
	switch {
	case err != nil:
		return 0, r.opError("read", err)
	case c.errno != 0:
		return 0, r.opError("read", os.NewSyscallError("read", c.errno))
	case c.n == 0:
		return 0, io.EOF
	}
	return c.n, nil
}

func (r *rawCall) read(fd uintptr) bool {
	for {
		n, _, e := syscall.RawSyscall(syscall.SYS_READ, fd, uintptr(unsafe.Pointer(&r.p[0])), uintptr(len(r.p)))
		switch e {
		case 0:
			r.n = int(n)
			return true
		case syscall.EINTR:
			continue
		case syscall.EAGAIN:
			return false // wait until it is readable
		}
		r.errno = e
		return true
	}
}

func (r *rawIO) Write(p []byte) (int, error) {
	if r.raw == nil || len(p) == 0 {
		return r.nc.Write(p)
	}
	c := &r.w
	c.p, c.n, c.errno = p, 0, 0
	err := r.raw.Write(c.fn)
	n := c.n
	c.p = nil
	switch {
	case err != nil:
		return n, r.opError("write", err)
	case c.errno != 0:
		return n, r.opError("write", os.NewSyscallError("write", c.errno))
	}
	return n, nil
}

func (r *rawCall) write(fd uintptr) bool {
	for r.n < len(r.p) {
		rest := r.p[r.n:]
		n, _, e := syscall.RawSyscall(syscall.SYS_WRITE, fd, uintptr(unsafe.Pointer(&rest[0])), uintptr(len(rest)))
		switch e {
		case 0:
			r.n += int(n)
			continue
		case syscall.EINTR:
			continue
		case syscall.EAGAIN:
			return false // wait until it is writable, then go on
		}
		r.errno = e
		return true
	}
	return true
}

// opError wraps err as net.Conn's calls do; an error the wait returned
// (a deadline, a closed connection) is already one, with op "raw-read" or
// "raw-write", and gets the plain op.
func (r *rawIO) opError(op string, err error) error {
	if oe, ok := err.(*net.OpError); ok {
		err = oe.Err
	}
	return &net.OpError{Op: op, Net: r.nc.LocalAddr().Network(), Source: r.nc.LocalAddr(), Addr: r.nc.RemoteAddr(), Err: err}
}
