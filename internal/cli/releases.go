package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/release"
	"github.com/shipshape/shipshape/internal/release/docker"
	"github.com/shipshape/shipshape/internal/release/kube"
)

type releasesCommand struct {
	cmd    *cobra.Command
	format string
	kube   kubeFlags
	host   hostFlags
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
			list, err := docker.Releases(cmd.Context(), c, args[0])
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
	verb.host.register(verb.cmd)
	return verb
}

// releasesKube is `shipshape releases --target kubernetes NAME`.
func releasesKube(cmd *cobra.Command, k *kubeFlags, name, format string) error {
	c, err := k.connect(cmd)
	if err != nil {
		return err
	}
	list, err := kube.Records(cmd.Context(), c, k.namespace, name)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	out := cmd.OutOrStdout()
	if format == "json" {
		return writeJSON(out, list)
	}
	printReleases(out, "", list)
	return nil
}

// printReleases writes one line per release, for both targets: the
// release (a stamp, a revision), when, its state, its image, and why it
// was undone.
func printReleases(w io.Writer, indent string, list []release.Record) {
	for _, r := range list {
		created := ""
		if !r.Created.IsZero() {
			created = r.Created.UTC().Format(time.RFC3339)
		}
		line := fmt.Sprintf("%s%-20s %-20s %-8s %s", indent, r.Release, created, r.State, r.Image)
		if r.Undone != "" {
			line += "  (undone: " + r.Undone + ")"
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
}
