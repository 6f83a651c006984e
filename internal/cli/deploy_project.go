package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/release/docker"
)

// deployProject is `shipshape deploy --compose FILE` without --service:
// every web service of the project, in dependency order, under one lock.
func (d *releaseOptions) deployProject(cmd *cobra.Command, image string, allowSecrets []string) error {
	f := cmd.Flags()
	switch {
	case image != "":
		return usageErrorf("an IMAGE names one service's release: with a whole project, each service's image: in the compose file is released")
	case f.Changed("port") || f.Changed("health-path"):
		return usageErrorf("--port and --health-path are one service's: with a whole project, they come from each service and its image")
	}
	c, err := connectEngine(cmd)
	if err != nil {
		return err
	}
	defer c.Close()
	comp, services, err := docker.FromProject(cmd.Context(), d.compose, d.project)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	for i := range services {
		o := &services[i]
		d.overlay(cmd, o)
		if d.browser.url != "" {
			o.PageCheck = checkPage(d.browser.servicePage(o.Service, o.Routes), "")
		}
	}
	var images []string
	for _, o := range services {
		images = append(images, o.Image)
	}
	if err := checkSecrets(cmd, c, images, allowSecrets, d.progress(cmd)); err != nil {
		return err
	}
	if err := d.composeUp(cmd, comp); err != nil {
		return err
	}
	results, err := docker.DeployProject(cmd.Context(), c, comp.Project, services, d.progress(cmd))
	out := cmd.OutOrStdout()
	if d.format == "json" {
		_ = writeJSON(out, results)
	}
	if err != nil {
		return &exitError{code: exitFindings, err: err}
	}
	if d.format != "json" {
		for _, r := range results {
			fmt.Fprintf(out, "released %s as %s (%s)", r.Service, r.Release, r.Target)
			if r.Previous != "" {
				fmt.Fprintf(out, "; %s stopped and kept for rollback", r.Previous)
			}
			fmt.Fprintln(out)
		}
	}
	return nil
}
