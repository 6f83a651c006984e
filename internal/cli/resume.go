package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/proxy"
)

func newResumeCommand() *proxyToggle {
	verb := &proxyToggle{}
	verb.cmd = &cobra.Command{
		Use:     "resume SERVICE",
		Short:   "Send a paused service's held requests on, and serve again",
		Example: `  shipshape resume shop`,
		Args:    argsBetween(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return verb.run(cmd, args[0], func(ctx context.Context, c *proxy.Client) (proxy.State, error) {
				return c.Resume(ctx, args[0])
			})
		},
	}
	verb.register()
	return verb
}
