package cli

import (
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/release"
	"github.com/shipshape/shipshape/internal/release/docker"
	"github.com/shipshape/shipshape/internal/release/kube"
)

type rollbackCommand struct {
	cmd  *cobra.Command
	opts releaseOptions
}

func newRollbackCommand() *rollbackCommand {
	verb := &rollbackCommand{}
	d := &verb.opts
	verb.cmd = &cobra.Command{
		Use:   "rollback [RELEASE] --service NAME",
		Short: "Deploy the previous release's image again (or the named release's), or undo a Kubernetes rollout",
		Long: `rollback takes the image of the release before the running one (or of
RELEASE, as shipshape releases lists them) and deploys it like deploy does:
as a new release that must turn healthy before the proxy switches to it.`,
		Example: `  shipshape rollback --service shop
  shipshape rollback --service shop 20261122-041218755`,
		Args: argsBetween(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := d.Validate(); err != nil {
				return err
			}
			d.opts.Routes = d.routes()
			release := ""
			if len(args) == 1 {
				release = args[0]
			}
			if k8s, _ := d.kube.kubernetes(); k8s {
				return d.rollbackKube(cmd, release)
			}
			c, err := d.engine(cmd)
			if err != nil {
				return err
			}
			defer c.Close()
			res, err := docker.Rollback(cmd.Context(), c, d.opts, release, d.progress(cmd))
			return d.report(cmd, res, err)
		},
	}
	d.register(verb.cmd, false)
	return verb
}

// rollbackKube is `shipshape rollback --target kubernetes [REVISION]`.
func (d *releaseOptions) rollbackKube(cmd *cobra.Command, rev string) error {
	to := int64(0)
	if rev != "" {
		n, err := strconv.ParseInt(rev, 10, 64)
		if err != nil {
			return usageErrorf("revision %q: a number, as shipshape releases --target kubernetes lists them", rev)
		}
		to = n
	}
	c, err := d.kube.connect(cmd)
	if err != nil {
		return err
	}
	t := time.Now()
	restored, err := kube.Undo(cmd.Context(), c, d.kube.namespace, d.opts.Service, to)
	if err != nil {
		return &exitError{code: exitFindings, err: err}
	}
	progress := d.progress(cmd)
	err = kube.WaitRestored(cmd.Context(), c, d.kube.namespace, d.opts.Service, func(msg string) {
		if progress != nil {
			progress(release.Step{Name: "rollout", Took: time.Since(t), Detail: msg})
		}
	})
	if err != nil {
		return &exitError{code: exitFindings, err: fmt.Errorf("restored revision %d of %s, but it did not roll out: %v", restored, d.opts.Service, err)}
	}
	fmt.Fprintf(cmd.OutOrStdout(), "rolled %s back to revision %d's pod template\n", d.opts.Service, restored)
	return nil
}
