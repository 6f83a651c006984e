// Command shipshape-proxy is `shipshape proxy` alone: the reverse proxy
// that shipshape deploy switches, with the same flags, help and behaviour,
// built without the rest of shipshape. It is the binary of the proxy's
// image (make proxy-image); see docs/proxy-service.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/shipshape/shipshape/internal/buildinfo"
	"github.com/shipshape/shipshape/internal/cli/proxycmd"
)

// version is set at build time: -ldflags "-X main.version=v1.2.3".
var version = ""

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		// The proxy drains on the first signal; a second one ends the
		// process at once, as it does shipshape.
		stop()
	}()
	os.Exit(proxycmd.Execute(ctx, buildinfo.Version(version), os.Args[1:], os.Stdout, os.Stderr))
}
