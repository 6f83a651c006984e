package proxy

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"
)

// tcpPair returns both ends of a loopback TCP connection.
func tcpPair(t *testing.T) (client, server net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	client, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server = <-accepted
	if server == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { client.Close(); server.Close() })
	return client, server
}

// The raw path reads and writes what net.Conn would, in order, and a large
// write that fills the socket's buffer waits and goes on (EAGAIN).
func TestRawIO_LargeWriteAndRead(t *testing.T) {
	a, b := tcpPair(t)
	ra, rb := newRawIO(a), newRawIO(b)
	if ra.raw == nil || rb.raw == nil {
		t.Fatal("a TCP connection has no raw access here")
	}
	want := make([]byte, 8<<20) // far beyond the socket buffers
	_, _ = rand.Read(want)
	errc := make(chan error, 1)
	go func() {
		n, err := ra.Write(want)
		if err == nil && n != len(want) {
			err = errors.New("short write without an error")
		}
		errc <- err
		a.Close()
	}()
	time.Sleep(50 * time.Millisecond) // the writer fills the buffers and waits
	got, err := io.ReadAll(rb)        // ends at the end of file: io.EOF, not an error
	if err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("read %d bytes, not the %d written", len(got), len(want))
	}
}

// Errors are what net.Conn gives: a deadline is a timeout, a closed
// connection net.ErrClosed, a reset ECONNRESET (stale() retries on it), each
// a *net.OpError with the plain op.
func TestRawIO_ErrorsAsNetConn(t *testing.T) {
	t.Run("deadline", func(t *testing.T) {
		a, _ := tcpPair(t)
		r := newRawIO(a)
		_ = a.SetReadDeadline(time.Now().Add(30 * time.Millisecond))
		start := time.Now()
		_, err := r.Read(make([]byte, 10))
		var oe *net.OpError
		if !errors.As(err, &oe) || oe.Op != "read" || !errors.Is(err, os.ErrDeadlineExceeded) || !isTimeout(err) {
			t.Fatalf("err = %#v, want a read timeout", err)
		}
		if time.Since(start) > 5*time.Second {
			t.Fatal("the deadline did not end the wait")
		}
		_ = a.SetReadDeadline(time.Time{})
		_ = a.SetWriteDeadline(time.Now().Add(-time.Second))
		if _, err := r.Write([]byte("x")); !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("write past its deadline: %v", err)
		}
	})
	t.Run("closed while waiting", func(t *testing.T) {
		a, _ := tcpPair(t)
		r := newRawIO(a)
		go func() { time.Sleep(30 * time.Millisecond); a.Close() }()
		_, err := r.Read(make([]byte, 10))
		var oe *net.OpError
		if !errors.Is(err, net.ErrClosed) || !errors.As(err, &oe) || oe.Op != "read" {
			t.Fatalf("err = %v, want read on a closed connection", err)
		}
	})
	t.Run("reset by the peer", func(t *testing.T) {
		a, b := tcpPair(t)
		r := newRawIO(a)
		_ = b.(*net.TCPConn).SetLinger(0)
		b.Close() // sends RST
		time.Sleep(30 * time.Millisecond)
		_, err := r.Read(make([]byte, 10))
		if !errors.Is(err, syscall.ECONNRESET) || !stale(err) {
			t.Fatalf("err = %v, want ECONNRESET", err)
		}
		want := net.Conn(a).RemoteAddr().String()
		var oe *net.OpError
		if !errors.As(err, &oe) || oe.Addr == nil || oe.Addr.String() != want {
			t.Fatalf("err = %v, want the peer's address %s in it", err, want)
		}
	})
	t.Run("end of file", func(t *testing.T) {
		a, b := tcpPair(t)
		r := newRawIO(a)
		b.Close()
		if n, err := r.Read(make([]byte, 10)); n != 0 || err != io.EOF {
			t.Fatalf("read = %d, %v; want 0, io.EOF", n, err)
		}
	})
}

// A read and a write of one connection may run at once (each direction has
// its own call state); the race detector checks it.
func TestRawIO_ReadWhileWriting(t *testing.T) {
	a, b := tcpPair(t)
	ra, rb := newRawIO(a), newRawIO(b)
	const n = 2000
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { // echo b's side
		defer wg.Done()
		_, _ = io.Copy(rb, rb)
		b.Close()
	}()
	go func() {
		defer wg.Done()
		for i := 0; i < n; i++ {
			if _, err := ra.Write([]byte("0123456789")); err != nil {
				t.Error(err)
				return
			}
		}
		_ = a.(*net.TCPConn).CloseWrite()
	}()
	got, err := io.ReadAll(ra)
	wg.Wait()
	if err != nil || len(got) != 10*n {
		t.Fatalf("echoed %d bytes (%v), want %d", len(got), err, 10*n)
	}
}

// The serve loop's client connections read and write through it.
func TestRawIO_UsedByServeLoop(t *testing.T) {
	a, _ := tcpPair(t)
	l := &serveLoop{ctx: context.Background()}
	c := l.newConn(a)
	if c.io == nil || c.io.raw == nil {
		t.Fatal("the serve loop's connection does not read through rawIO")
	}
	_ = a.Close()
	if _, err := c.io.Write([]byte("x")); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("write on the closed connection: %v", err)
	}
}
