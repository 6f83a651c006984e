package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/proxy"
)

func newMaintenanceCommand() *proxyToggle {
	verb := &proxyToggle{}
	verb.cmd = &cobra.Command{
		Use:   "maintenance on|off SERVICE",
		Short: "Have the proxy answer a service's requests with 503 and Retry-After (on), or serve again (off)",
		Long: `maintenance on makes the running proxy answer every request for the
service with 503 Service Unavailable and a Retry-After header, without
touching its releases; maintenance off serves them again.`,
		Example: `  shipshape maintenance on shop
  shipshape maintenance off shop`,
		Args: argsBetween(2, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var on bool
			switch args[0] {
			case "on":
				on = true
			case "off":
			default:
				return usageErrorf("maintenance %q: on or off", args[0])
			}
			return verb.run(cmd, args[1], func(ctx context.Context, c *proxy.Client) (proxy.State, error) {
				return c.Maintenance(ctx, args[1], on)
			})
		},
	}
	verb.register()
	return verb
}
