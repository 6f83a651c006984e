package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

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

// removeOrphans removes what runs of this host that were killed before
// they could clean up left on the engine (their databases, their app's
// container, its network) and says so on w; a failure to list or remove
// them is said too, and the run goes on.
func removeOrphans(ctx context.Context, w io.Writer, eng *engine.Client) {
	removed, err := engine.RemoveOrphans(ctx, eng)
	if len(removed) > 0 {
		names := make([]string, len(removed))
		for i, o := range removed {
			names[i] = o.String()
		}
		fmt.Fprintf(w, "Removed what an earlier run, killed before it could clean up, left on the engine: %s.\n", strings.Join(names, ", "))
	}
	if err != nil {
		fmt.Fprintf(w, "What earlier killed runs left could not be cleaned up: %v.\n", err)
	}
}
