package proxycmd

import (
	"context"
	"fmt"
	"io"
)

// Execute runs the verb as a program of its own, shipshape-proxy, and
// returns its exit code: 0 once the proxy has stopped (a signal cancels
// ctx, and it drains), 2 for a mistake in the flags or a proxy that cannot
// serve, as `shipshape proxy` exits.
//
// args may start with the word proxy: the command line proxy install
// gives the proxy's container (`proxy --listen ...`) then runs the same on
// this binary and on shipshape, which earlier images of the proxy ran, so
// an upgrade can go from one to the other and back.
func Execute(ctx context.Context, version string, args []string, stdout, stderr io.Writer) int {
	c := New("shipshape-proxy", version)
	c.Cmd.SilenceUsage, c.Cmd.SilenceErrors = true, true
	c.Cmd.SetOut(stdout)
	c.Cmd.SetErr(stderr)
	c.Cmd.Flags().SetOutput(stderr)
	if len(args) > 0 && args[0] == "proxy" {
		args = args[1:]
	}
	// cobra reads os.Args for nil.
	c.Cmd.SetArgs(append([]string{}, args...))
	if err := c.Cmd.ExecuteContext(ctx); err != nil {
		// The messages are shipshape proxy's, whichever binary runs it.
		fmt.Fprintf(stderr, "shipshape: %v\n", err)
		return 2
	}
	return 0
}
