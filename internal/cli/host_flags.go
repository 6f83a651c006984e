package cli

import (
	"errors"
	"os"
	"strings"

	"github.com/moby/moby/client"
	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/engine"
	"github.com/shipshape/shipshape/internal/hostnet"
	"github.com/shipshape/shipshape/internal/proxy"
)

// hostFlags is --host-ssh, for the verbs that work on a Docker host: the
// host to work on, over SSH. It is DOCKER_HOST=ssh://user@host:port said
// on the command line, and works the same way: the engine's API, the
// docker CLI that build runs and the proxy's admin socket (--proxy, a
// path on that host) are all reached over SSH.
type hostFlags struct {
	ssh string
}

func (h *hostFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&h.ssh, "host-ssh", "", "work on this Docker host over SSH: user@host[:port], as DOCKER_HOST=ssh://user@host:port (the engine, and the proxy's socket there)")
	prev := cmd.PreRunE
	cmd.PreRunE = func(cmd *cobra.Command, args []string) error {
		if prev != nil {
			if err := prev(cmd, args); err != nil {
				return err
			}
		}
		return h.apply(cmd)
	}
}

// apply sets DOCKER_HOST from --host-ssh and, when the engine's host is
// reached over SSH (the flag, DOCKER_HOST or the docker context), has the
// proxy's admin API reached over the same connection. Nothing connects
// here: the first call on the host does.
func (h *hostFlags) apply(cmd *cobra.Command) error {
	if t, _ := cmd.Flags().GetString("target"); t == "kubernetes" {
		if h.ssh != "" {
			return usageErrorf("--host-ssh names a Docker host; with --target kubernetes the kubeconfig says where the cluster is")
		}
		return nil
	}
	if h.ssh != "" {
		host, err := engine.ParseSSHHost("ssh://" + strings.TrimPrefix(h.ssh, "ssh://"))
		if err != nil {
			return usageErrorf("--host-ssh %q: %v (user@host[:port])", h.ssh, err)
		}
		// The docker CLI that build and compose run reads it too.
		if err := os.Setenv(client.EnvOverrideHost, host.String()); err != nil {
			return usageErrorf("--host-ssh: %v", err)
		}
	}
	dial, _, ok, err := engine.SSHDial()
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if ok {
		ctx := proxy.ContextWithDialer(cmd.Context(), proxy.Dialer(dial))
		cmd.SetContext(hostnet.WithDial(ctx, hostnet.Dial(dial)))
	}
	return nil
}

// sshFirst is err, or the SSH host's own error when that is what err
// comes from: an unknown host key says what to run, not that the proxy
// does not answer.
func sshFirst(err error) error {
	var ce *engine.ConnectError
	if errors.As(err, &ce) {
		return ce
	}
	return err
}
