// Command shipshape takes a web service repository to a hardened, verified
// container deployment. See the README.
package main

import (
	"os"

	"github.com/shipshape/shipshape/internal/cli"
)

func main() {
	ctx, stop := cli.NotifyContext(os.Stderr)
	code := cli.Execute(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
