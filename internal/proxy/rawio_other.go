//go:build !linux

package proxy

import "net"

// rawIO is net.Conn's own reads and writes here.
type rawIO struct{ net.Conn }

func newRawIO(nc net.Conn) *rawIO { return &rawIO{nc} }
