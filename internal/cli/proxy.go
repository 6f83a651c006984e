package cli

import (
	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/cli/proxycmd"
)

// proxyCommand is `shipshape proxy`: the verb itself is proxycmd's (which
// cmd/shipshape-proxy, the binary of the proxy's image, runs alone), with
// install and upgrade, which only shipshape has, below it.
type proxyCommand struct {
	cmd  *cobra.Command
	verb *proxycmd.Command
}

func newProxyCommand() *proxyCommand {
	verb := proxycmd.New("shipshape proxy", Version())
	verb.Cmd.Args = argsBetween(0, 0)
	verb.Cmd.AddCommand(newProxyInstallCommand().cmd, newProxyUpgradeCommand().cmd)
	return &proxyCommand{cmd: verb.Cmd, verb: verb}
}

// validateACME checks the TLS flags as the proxy will check them: proxy
// install's check of the command line it gives the proxy it starts.
func (c *proxyCommand) validateACME() error {
	if err := c.verb.ValidateTLS(); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	return nil
}
