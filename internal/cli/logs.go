package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/release"
	"github.com/shipshape/shipshape/internal/release/docker"
	"github.com/shipshape/shipshape/internal/release/kube"
)

type logsCommand struct {
	cmd  *cobra.Command
	opts release.LogOptions
	kube kubeFlags
	host hostFlags
}

// Validate checks the flags before anything connects.
func (l *logsCommand) Validate() error {
	if l.opts.Tail < 0 {
		return usageErrorf("--tail %d: a number of lines, or 0 for all", l.opts.Tail)
	}
	if _, err := l.opts.SinceTime(time.Now()); err != nil {
		return usageErrorf("%v", err)
	}
	if k8s, _ := l.kube.kubernetes(); k8s && l.opts.Previous {
		return usageErrorf("--previous is for one Docker host; on Kubernetes, the current revision's pods are shown")
	}
	return l.kube.Validate()
}

func newLogsCommand() *logsCommand {
	verb := &logsCommand{}
	verb.cmd = &cobra.Command{
		Use:         "logs SERVICE",
		Annotations: map[string]string{noCleanup: "true"},
		Short:       "Show the output of a service's active release on this Docker host (and the one before it), or of its pods on Kubernetes",
		Long: `logs writes the output (stdout and stderr, as written) of the service's
active release: the newest running release deploy started. A release of
several replicas (--replicas) shows every replica's output, one after the
other, each line prefixed with its container. With --previous it first
shows the release before it, the one a rollback would bring back, each line
prefixed with that release. --follow keeps streaming every replica of the
active release at once until interrupted.

With --target kubernetes, SERVICE is a Deployment: logs shows the output of
the pods of its current revision (through the API server), each line
prefixed with its pod when there are several.`,
		Example: `  shipshape logs shop --tail 100
  shipshape logs shop --follow --since 10m
  shipshape logs shop --previous
  shipshape logs shop --target kubernetes -n shop --follow`,
		Args: argsBetween(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := verb.Validate(); err != nil {
				return err
			}
			if k8s, _ := verb.kube.kubernetes(); k8s {
				kc, err := verb.kube.connect(cmd)
				if err != nil {
					return err
				}
				if err := kube.Logs(cmd.Context(), kc, verb.kube.namespace, args[0], verb.opts, cmd.OutOrStdout()); err != nil {
					return &exitError{code: exitFindings, err: err}
				}
				return nil
			}
			c, err := connectEngine(cmd)
			if err != nil {
				return err
			}
			defer c.Close()
			return docker.Logs(cmd.Context(), c, args[0], verb.opts, cmd.OutOrStdout())
		},
	}
	f := verb.cmd.Flags()
	f.BoolVar(&verb.opts.Follow, "follow", false, "keep streaming the output of every replica of the active release (no -f: it is --file in every verb)")
	f.StringVar(&verb.opts.Since, "since", "", "only output since this long ago (10m) or this time (2026-11-30T10:00:00)")
	f.IntVar(&verb.opts.Tail, "tail", 0, "only the last lines of each release (0: all)")
	f.BoolVar(&verb.opts.Previous, "previous", false, "also the release before the active one, first, each line prefixed")
	verb.kube.register(verb.cmd, false)
	verb.host.register(verb.cmd)
	return verb
}
