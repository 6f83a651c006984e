package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/proxy"
)

// proxyToggle is a verb that changes one service in the running proxy
// through its admin API (maintenance, pause, resume): the same flags, the
// same output.
type proxyToggle struct {
	cmd    *cobra.Command
	socket string
	format string
	host   hostFlags
}

// Validate checks the flags before anything connects.
func (p *proxyToggle) Validate() error { return validateTextOrJSON(p.format) }

// run calls the proxy and prints the service as it now is.
func (p *proxyToggle) run(cmd *cobra.Command, service string, call func(context.Context, *proxy.Client) (proxy.State, error)) error {
	if err := p.Validate(); err != nil {
		return err
	}
	st, err := call(cmd.Context(), proxy.NewClient(p.socket))
	if err != nil {
		return &exitError{code: exitUsage, err: sshFirst(err)}
	}
	for _, s := range st.Services {
		if s.Name != service {
			continue
		}
		if p.format == "json" {
			return writeJSON(cmd.OutOrStdout(), s)
		}
		state := "serving"
		switch {
		case s.Maintenance:
			state = "in maintenance (503 with Retry-After)"
		case s.Paused:
			state = "paused (requests held until resume)"
		}
		fmt.Fprintf(cmd.OutOrStdout(), "%s: %s\n", service, state)
	}
	return nil
}

func (p *proxyToggle) register() {
	p.cmd.Annotations = map[string]string{noCleanup: "true"}
	p.cmd.Flags().StringVar(&p.socket, "proxy", "/run/shipshape/proxy.sock", "admin socket of the running shipshape proxy")
	p.cmd.Flags().StringVar(&p.format, "format", "text", "text or json")
	p.host.register(p.cmd)
}
