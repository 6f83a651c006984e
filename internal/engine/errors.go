package engine

import (
	"errors"
	"io"
	"syscall"

	"github.com/moby/moby/client"
)

// Unreachable: the engine cannot be reached, or the connection to it
// broke mid-call (a daemon that stopped).
func Unreachable(err error) bool {
	return client.IsErrConnectionFailed(err) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE)
}
