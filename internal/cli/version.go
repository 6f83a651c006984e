package cli

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/buildinfo"
)

// version is set at build time: -ldflags "-X github.com/shipshape/shipshape/internal/cli.version=v1.2.3".
var version = ""

// Version returns the build's version: the ldflags value, the module version
// for `go install ...@v1.2.3`, or the VCS revision of a local build.
func Version() string { return buildinfo.Version(version) }

type versionCommand struct {
	cmd *cobra.Command
}

func newVersionCommand() *versionCommand {
	c := &versionCommand{}
	c.cmd = &cobra.Command{
		Use:     "version",
		Short:   "Print shipshape's version",
		Example: "  shipshape version",
		Args:    argsBetween(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprint(cmd.OutOrStdout(), versionLine())
			return err
		},
	}
	return c
}

// versionLine is what `shipshape version` and `shipshape --version` print.
func versionLine() string {
	return fmt.Sprintf("shipshape %s (%s, %s/%s)\n", Version(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
