package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/deploy"
	"github.com/shipshape/shipshape/internal/kubedeploy"
)

type releasesCommand struct {
	cmd    *cobra.Command
	format string
	kube   kubeFlags
}

// Validate checks the flags before anything connects.
func (r *releasesCommand) Validate() error {
	if err := validateTextOrJSON(r.format); err != nil {
		return err
	}
	return r.kube.Validate()
}

func newReleasesCommand() *releasesCommand {
	verb := &releasesCommand{}
	verb.cmd = &cobra.Command{
		Use:         "releases SERVICE",
		Annotations: map[string]string{noCleanup: "true"},
		Short:       "List a service's releases on this Docker host, or its Kubernetes revisions, newest first",
		Example:     `  shipshape releases shop --format json`,
		Args:        argsBetween(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := verb.Validate(); err != nil {
				return err
			}
			if k8s, _ := verb.kube.kubernetes(); k8s {
				return releasesKube(cmd, &verb.kube, args[0], verb.format)
			}
			c, err := connectEngine(cmd)
			if err != nil {
				return err
			}
			defer c.Close()
			list, err := deploy.Releases(cmd.Context(), c, args[0])
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if verb.format == "json" {
				return writeJSON(out, list)
			}
			if len(list) == 0 {
				fmt.Fprintf(out, "%s has no releases on this host\n", args[0])
			}
			printReleases(out, "", list)
			return nil
		},
	}
	verb.cmd.Flags().StringVar(&verb.format, "format", "text", "text or json")
	verb.kube.register(verb.cmd, false)
	return verb
}

// releasesKube is `shipshape releases --target kubernetes NAME`.
func releasesKube(cmd *cobra.Command, k *kubeFlags, name, format string) error {
	c, err := k.connect(cmd)
	if err != nil {
		return err
	}
	revs, sets, err := kubedeploy.Revisions(cmd.Context(), c, k.namespace, name)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	out := cmd.OutOrStdout()
	if format == "json" {
		return writeJSON(out, revs)
	}
	for i, r := range revs {
		state := ""
		if r.Current {
			state = "current"
		}
		if f := sets[i].Annotations[kubedeploy.AnnotationFailed]; f != "" {
			state = "undone: " + f
		}
		fmt.Fprintf(out, "%4d  %s  %v  %s\n", r.Number, r.Created.UTC().Format(time.RFC3339), r.Images, state)
	}
	return nil
}

// printReleases writes one line per release: id, state, image.
func printReleases(w io.Writer, indent string, list []deploy.Release) {
	for _, r := range list {
		state := "stopped"
		if r.Running {
			state = "running"
		}
		fmt.Fprintf(w, "%s%-20s %-8s %s\n", indent, r.Release, state, r.Image)
	}
}
