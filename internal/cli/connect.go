package cli

import (
	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/engine"
)

// connectEngine connects to the container engine; when none answers, the
// one-sentence error is a usage error (exit 2).
func connectEngine(cmd *cobra.Command) (*engine.Client, error) {
	c, err := engine.Connect(cmd.Context())
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	return c, nil
}
