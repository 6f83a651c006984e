package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/engine"
	"github.com/shipshape/shipshape/internal/release"
	"github.com/shipshape/shipshape/internal/verify"
)

// checkSecrets is verify's secrets scan on the images a deploy releases,
// before anything starts: an image that ships a private key or a token
// (a file a later layer deleted included) is refused, unless --allow-secret
// or the image's dev.shipshape.allow-secret label allows it.
func checkSecrets(cmd *cobra.Command, c *engine.Client, images []string, allow []string, progress func(release.Step)) error {
	seen := map[string]bool{}
	for _, ref := range images {
		if seen[ref] {
			continue
		}
		seen[ref] = true
		t := time.Now()
		scan, err := verify.Secrets(cmd.Context(), c, ref, allow)
		if err != nil {
			return &exitError{code: exitFindings, err: fmt.Errorf("scanning %s for secrets: %v", ref, err)}
		}
		if scan.Failing > 0 {
			var found []string
			for _, s := range scan.Secrets {
				if s.AllowedBy == "" {
					found = append(found, s.String())
				}
			}
			return &exitError{code: exitFindings, err: fmt.Errorf("%s ships %d secret(s) in its layers, nothing was released:\n  %s\nrebuild without them (a later RUN rm does not remove a file from the layer that added it), or --allow-secret GLOB if they are meant to ship",
				ref, scan.Failing, strings.Join(found, "\n  "))}
		}
		if progress != nil {
			detail := fmt.Sprintf("%s: none in %d files", ref, scan.Files)
			if scan.Incomplete != "" {
				detail += " (scan incomplete: " + scan.Incomplete + ")"
			}
			progress(release.Step{Name: "secrets", Took: time.Since(t), Detail: detail})
		}
	}
	return nil
}

// registerAllowSecret adds deploy's --allow-secret.
func registerAllowSecret(cmd *cobra.Command, allow *[]string) {
	cmd.Flags().StringArrayVar(allow, "allow-secret", nil, "path glob in the image whose secrets do not stop the deploy (as verify's, repeatable)")
}

// validateAllowSecret checks --allow-secret globs before anything connects.
func validateAllowSecret(allow []string) error {
	for _, g := range allow {
		if err := verify.ValidateAllowSecret(g); err != nil {
			return usageErrorf("--allow-secret %v", err)
		}
	}
	return nil
}
