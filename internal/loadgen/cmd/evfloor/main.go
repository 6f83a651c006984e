// Command evfloor is a measurement, not a proxy anyone should run: the
// least a reverse proxy written in Go can cost per request when it is
// built as nginx is built, one thread around epoll, rather than as the
// shipshape proxy is (a goroutine per connection on Go's poller). It
// forwards HTTP/1.1 GET requests without a body to two backends in turn over kept
// connections, writing the request head as nginx's benchmark
// configuration does (Connection dropped, X-Forwarded-For, -Host and
// -Proto added) and the backend's answer back as it came, when its
// Content-Length says it is whole. Nothing else: no routes, no timeouts,
// no headers but those, no body, no chunked answers; a request or answer
// of another shape, or a write the socket does not take whole, stops it
// with an error, so that a figure measured on it is never of less work
// than it claims. docs/performance.md ("The floor of the design") says
// what it showed; scripts/bench-proxy-cpu.sh runs it beside nginx as
// `floor`.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"net"
	"runtime"
	"strconv"
	"syscall"
	"unsafe"
)

type conn struct {
	fd      int
	backend bool
	buf     []byte
	n       int
	addr    []byte // a client's IP address, for X-Forwarded-For
	peer    *conn  // a backend's client while its request is out
	busy    bool   // a client's request is out
	closed  bool   // a client that left (its answer, if one is out, is dropped)
	idx     int    // a backend connection's backend
}

type loop struct {
	epfd  int
	conns map[int]*conn
	idle  [2][]*conn
	addrs [2]syscall.SockaddrInet4
	next  int
	out   []byte
}

const edge = 1 << 31 // EPOLLET, which package syscall types as a negative int

func main() {
	listen := flag.String("listen", "127.0.0.1:18100", "address")
	b1 := flag.String("backend", "127.0.0.1:18001", "first backend")
	b2 := flag.String("backend2", "127.0.0.1:18002", "second backend")
	flag.Parse()
	runtime.LockOSThread()
	l := &loop{conns: map[int]*conn{}, out: make([]byte, 0, 4096)}
	for i, a := range []string{*b1, *b2} {
		ap, err := net.ResolveTCPAddr("tcp4", a)
		if err != nil {
			log.Fatal(err)
		}
		l.addrs[i] = syscall.SockaddrInet4{Port: ap.Port}
		copy(l.addrs[i].Addr[:], ap.IP.To4())
	}
	ln, err := net.Listen("tcp4", *listen)
	if err != nil {
		log.Fatal(err)
	}
	f, err := ln.(*net.TCPListener).File()
	if err != nil {
		log.Fatal(err)
	}
	lfd := int(f.Fd())
	must(syscall.SetNonblock(lfd, true))
	if l.epfd, err = syscall.EpollCreate1(0); err != nil {
		log.Fatal(err)
	}
	must(syscall.EpollCtl(l.epfd, syscall.EPOLL_CTL_ADD, lfd, &syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(lfd)}))
	events := make([]syscall.EpollEvent, 128)
	for {
		n, err := epollWait(l.epfd, events)
		if err == syscall.EINTR {
			continue
		}
		must(err)
		for _, ev := range events[:n] {
			fd := int(ev.Fd)
			switch c := l.conns[fd]; {
			case fd == lfd:
				l.accept(lfd)
			case c == nil:
			case c.backend:
				l.answer(c)
			default:
				if l.fill(c) {
					l.request(c)
				}
			}
		}
	}
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func (l *loop) accept(lfd int) {
	for {
		fd, sa, err := syscall.Accept4(lfd, syscall.SOCK_NONBLOCK)
		if err != nil {
			return
		}
		must(syscall.SetsockoptInt(fd, syscall.IPPROTO_TCP, syscall.TCP_NODELAY, 1))
		c := &conn{fd: fd, buf: make([]byte, 4096)}
		if a, ok := sa.(*syscall.SockaddrInet4); ok {
			c.addr = fmt.Appendf(nil, "%d.%d.%d.%d", a.Addr[0], a.Addr[1], a.Addr[2], a.Addr[3])
		}
		l.add(c)
	}
}

func (l *loop) add(c *conn) {
	l.conns[c.fd] = c
	must(syscall.EpollCtl(l.epfd, syscall.EPOLL_CTL_ADD, c.fd, &syscall.EpollEvent{Events: syscall.EPOLLIN | syscall.EPOLLRDHUP | edge, Fd: int32(c.fd)}))
}

// fill reads what c has (edge-triggered: until a read finds less than
// room, as nginx does, not until one finds nothing) and reports whether c
// is still open.
func (l *loop) fill(c *conn) bool {
	for {
		room := len(c.buf) - c.n
		if room == 0 {
			log.Fatalf("evfloor: a head longer than %d bytes", len(c.buf))
		}
		m, err := rawRead(c.fd, c.buf[c.n:])
		switch {
		case m > 0:
			c.n += m
			if m < room {
				return true
			}
		case err == syscall.EAGAIN:
			return true
		default:
			syscall.Close(c.fd)
			delete(l.conns, c.fd)
			c.closed = true
			return false
		}
	}
}

func write(fd int, b []byte) {
	n, err := rawWrite(fd, b)
	if err != nil || n != len(b) {
		log.Fatalf("evfloor: a write the socket did not take whole (%d of %d): %v", n, len(b), err)
	}
}

// rawRead and rawWrite call read(2) and write(2) without telling Go's
// scheduler (the sockets are non-blocking: neither waits), as the
// shipshape proxy's rawIO does.
func rawRead(fd int, b []byte) (int, error) {
	n, _, e := syscall.RawSyscall(syscall.SYS_READ, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	if e != 0 {
		return -1, e
	}
	return int(n), nil
}

func rawWrite(fd int, b []byte) (int, error) {
	n, _, e := syscall.RawSyscall(syscall.SYS_WRITE, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	if e != 0 {
		return -1, e
	}
	return int(n), nil
}

// epollWait waits without telling Go's scheduler either: this thread is
// the loop's, and nothing else is waiting for it (a signal, such as the
// runtime's preemption, ends the wait with EINTR).
func epollWait(epfd int, events []syscall.EpollEvent) (int, error) {
	n, _, e := syscall.RawSyscall6(syscall.SYS_EPOLL_WAIT, uintptr(epfd), uintptr(unsafe.Pointer(&events[0])), uintptr(len(events)), ^uintptr(0), 0, 0)
	if e != 0 {
		return 0, e
	}
	return int(n), nil
}

var crlf2 = []byte("\r\n\r\n")

// request sends c's next request, if it is all there and none is out.
func (l *loop) request(c *conn) {
	if c.busy {
		return
	}
	end := bytes.Index(c.buf[:c.n], crlf2)
	if end < 0 {
		return
	}
	head := c.buf[:end+2]
	line := bytes.Index(head, []byte("\r\n"))
	if !bytes.HasPrefix(head, []byte("GET ")) || !bytes.HasSuffix(head[:line], []byte(" HTTP/1.1")) {
		log.Fatalf("evfloor: a request other than an HTTP/1.1 GET: %q", head[:line])
	}
	out := append(l.out[:0], head[:line+2]...)
	var host []byte
	for rest := head[line+2:]; len(rest) > 0; {
		e := bytes.Index(rest, []byte("\r\n"))
		field := rest[:e]
		rest = rest[e+2:]
		k, v, ok := bytes.Cut(field, []byte(":"))
		switch {
		case !ok:
			log.Fatalf("evfloor: a header line without a colon: %q", field)
		case bytes.EqualFold(k, []byte("Connection")):
			if !bytes.EqualFold(bytes.TrimSpace(v), []byte("keep-alive")) {
				log.Fatalf("evfloor: Connection: %s (only kept connections are served)", bytes.TrimSpace(v))
			}
			continue
		case bytes.EqualFold(k, []byte("Content-Length")), bytes.EqualFold(k, []byte("Transfer-Encoding")):
			log.Fatalf("evfloor: a request with a body")
		case bytes.EqualFold(k, []byte("Host")):
			host = bytes.TrimSpace(v)
		}
		out = append(append(out, field...), "\r\n"...)
	}
	out = append(append(out, "X-Forwarded-For: "...), c.addr...)
	out = append(append(out, "\r\nX-Forwarded-Host: "...), host...)
	out = append(out, "\r\nX-Forwarded-Proto: http\r\n\r\n"...)
	l.out = out
	c.n = copy(c.buf, c.buf[end+4:c.n])

	l.next ^= 1
	b := l.backendConn(l.next)
	write(b.fd, out)
	b.peer, c.busy = c, true
}

func (l *loop) backendConn(i int) *conn {
	if n := len(l.idle[i]); n > 0 {
		b := l.idle[i][n-1]
		l.idle[i] = l.idle[i][:n-1]
		return b
	}
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	must(err)
	must(syscall.Connect(fd, &l.addrs[i])) // loopback: at once
	must(syscall.SetNonblock(fd, true))
	must(syscall.SetsockoptInt(fd, syscall.IPPROTO_TCP, syscall.TCP_NODELAY, 1))
	b := &conn{fd: fd, backend: true, buf: make([]byte, 4096), idx: i}
	l.add(b)
	return b
}

// answer passes b's answer to its client once it is whole.
func (l *loop) answer(b *conn) {
	if !l.fill(b) {
		log.Fatal("evfloor: a backend closed its connection")
	}
	end := bytes.Index(b.buf[:b.n], crlf2)
	if end < 0 {
		return
	}
	head := b.buf[:end+2]
	i := bytes.Index(head, []byte("\r\nContent-Length: "))
	if i < 0 || bytes.Contains(head, []byte("\r\nTransfer-Encoding:")) {
		log.Fatalf("evfloor: an answer without a Content-Length")
	}
	v := head[i+len("\r\nContent-Length: "):]
	v = v[:bytes.IndexByte(v, '\r')]
	length, err := strconv.Atoi(string(v))
	must(err)
	if length < 0 {
		log.Fatalf("evfloor: Content-Length %d", length)
	}
	whole := end + 4 + length
	if b.n < whole {
		return
	}
	c := b.peer
	b.peer, c.busy = nil, false
	if !c.closed {
		write(c.fd, b.buf[:whole])
	}
	b.n = copy(b.buf, b.buf[whole:b.n])
	l.idle[b.idx] = append(l.idle[b.idx], b)
	if !c.closed {
		l.request(c)
	}
}
