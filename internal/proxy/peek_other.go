//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package proxy

import "net"

// peeker cannot look at a connection without reading it here: a pooled
// connection the backend closed is found when a request fails on it, and
// the request is sent again on a new one.
type peeker struct{}

func (k *peeker) init(net.Conn) {}

func (k *peeker) open() bool { return true }

func (k *peeker) gone() bool { return false }
