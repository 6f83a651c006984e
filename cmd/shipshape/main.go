// Command shipshape takes a web service repository to a hardened, verified
// container deployment. See the README.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/shipshape/shipshape/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Execute(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
