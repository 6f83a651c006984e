package hostnet

import (
	"context"
	"io"
	"net"
	"net/url"
	"sync"
)

// Forward makes the http:// base URL target, an address on the engine's
// host, reachable from this machine, for a program shipshape runs here (a
// deploy's hooks): when the engine runs on another host, a listener on
// 127.0.0.1 whose connections go to target's host:port over the engine's
// connection, as ssh -L would, and its URL; when the engine runs here,
// target itself. stop closes the listener and the connections it carries.
func Forward(ctx context.Context, target string) (local string, stop func(), err error) {
	dial, ok := ctx.Value(dialKey{}).(Dial)
	if !ok {
		return target, func() {}, nil
	}
	u, err := url.Parse(target)
	if err != nil || u.Host == "" {
		return "", nil, &url.Error{Op: "forward", URL: target, Err: err}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	var mu sync.Mutex
	open := map[net.Conn]bool{}
	track := func(c net.Conn, on bool) {
		mu.Lock()
		defer mu.Unlock()
		if on {
			open[c] = true
		} else {
			delete(open, c)
		}
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			in, err := l.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer in.Close()
				track(in, true)
				defer track(in, false)
				out, err := dial(ctx, "tcp", u.Host)
				if err != nil {
					return
				}
				defer out.Close()
				track(out, true)
				defer track(out, false)
				if ctx.Err() != nil {
					return // stopped while dialling: not closed by stop
				}
				done := make(chan struct{}, 2)
				go func() { _, _ = io.Copy(out, in); done <- struct{}{} }()
				go func() { _, _ = io.Copy(in, out); done <- struct{}{} }()
				<-done
			}()
		}
	}()
	stop = func() {
		cancel()
		l.Close()
		mu.Lock()
		for c := range open {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	}
	fwd := *u
	fwd.Host = l.Addr().String()
	return fwd.String(), stop, nil
}
