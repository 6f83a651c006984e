package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/proxy"
	"github.com/shipshape/shipshape/internal/release"
	"github.com/shipshape/shipshape/internal/release/docker"
)

type statusCommand struct {
	cmd    *cobra.Command
	socket string
	format string
}

// Validate checks the flags before anything connects.
func (s *statusCommand) Validate() error {
	return validateTextOrJSON(s.format)
}

func newStatusCommand() *statusCommand {
	verb := &statusCommand{}
	verb.cmd = &cobra.Command{
		Use:         "status [SERVICE]",
		Annotations: map[string]string{noCleanup: "true"},
		Short:       "What the proxy serves and which releases run, per service",
		Long: `status asks the running shipshape proxy for its services (active and
draining targets, health, pause and maintenance) and the engine for each
service's releases. Both come from where the truth is: the proxy and the
container labels.`,
		Example: `  shipshape status
  shipshape status shop --format json`,
		Args: argsBetween(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := verb.Validate(); err != nil {
				return err
			}
			st, err := proxy.NewClient(verb.socket).State(cmd.Context())
			if err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			c, err := connectEngine(cmd)
			if err != nil {
				return err
			}
			defer c.Close()
			type service struct {
				Name        string           `json:"name"`
				Active      string           `json:"active,omitempty"`
				Healthy     bool             `json:"healthy"`
				Draining    []string         `json:"draining,omitempty"`
				Paused      bool             `json:"paused,omitempty"`
				Maintenance bool             `json:"maintenance,omitempty"`
				Releases    []release.Record `json:"releases"`
			}
			var out []service
			for _, s := range st.Services {
				if len(args) == 1 && s.Name != args[0] {
					continue
				}
				rel, err := docker.Releases(cmd.Context(), c, s.Name)
				if err != nil {
					return err
				}
				out = append(out, service{s.Name, s.Active, s.Healthy, s.Draining, s.Paused, s.Maintenance, rel})
			}
			w := cmd.OutOrStdout()
			if verb.format == "json" {
				return writeJSON(w, out)
			}
			if len(out) == 0 {
				fmt.Fprintln(w, "the proxy serves no service yet")
			}
			for _, s := range out {
				health := "unhealthy"
				if s.Healthy {
					health = "healthy"
				}
				fmt.Fprintf(w, "%s: %s (%s)", s.Name, s.Active, health)
				if len(s.Draining) > 0 {
					fmt.Fprintf(w, ", draining %s", strings.Join(s.Draining, ", "))
				}
				if s.Paused {
					fmt.Fprint(w, ", paused")
				}
				if s.Maintenance {
					fmt.Fprint(w, ", in maintenance")
				}
				fmt.Fprintln(w)
				printReleases(w, "  ", s.Releases)
			}
			return nil
		},
	}
	verb.cmd.Flags().StringVar(&verb.socket, "proxy", "/run/shipshape/proxy.sock", "admin socket of the running shipshape proxy")
	verb.cmd.Flags().StringVar(&verb.format, "format", "text", "text or json")
	return verb
}
