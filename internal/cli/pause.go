package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/proxy"
)

func newPauseCommand() *proxyToggle {
	verb := &proxyToggle{}
	verb.cmd = &cobra.Command{
		Use:   "pause SERVICE",
		Short: "Have the proxy hold a service's new requests (a short database switch, say) until resume",
		Long: `pause makes the running proxy hold new requests for the service instead
of sending them on; requests in flight finish. shipshape resume sends the
held requests on. Clients wait meanwhile, so keep a pause short.`,
		Example: `  shipshape pause shop && ./switch-database.sh; shipshape resume shop`,
		Args:    argsBetween(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return verb.run(cmd, args[0], func(ctx context.Context, c *proxy.Client) (proxy.State, error) {
				return c.Pause(ctx, args[0])
			})
		},
	}
	verb.register()
	return verb
}
