package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	// Every rule area registers itself.
	_ "github.com/shipshape/shipshape/internal/lint/rules/all"
)

// Exit codes.
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
)

// exitError carries an exit code out of a command. A nil err means the
// command already said everything it had to.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageErrorf is a mistake in how shipshape was called, or in its config: exit 2.
func usageErrorf(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

func newRootCommand(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "shipshape",
		Short: "Take a web service repository to a hardened, verified container deployment",
		Long: `shipshape finds the mistakes teams make when they containerize a web service
(check), and writes files without them (init): root containers, no health
checks, unpinned base images, toolchains in production, secrets in layers, and
more. It builds and proves the image (build, verify) and releases it on one
Docker host behind its own proxy or to Kubernetes (deploy).`,
		Example: `  # Check every deployment file under the current directory
  shipshape check

  # Hold a service to the production checklist
  shipshape check --profile production services/api

  # See what a rule means
  shipshape explain DF012

  # Build tagged with the commit, then prove it runs healthy, non-root, and stops cleanly
  shipshape build --name api . && shipshape verify api:$(git rev-parse --short=12 HEAD)`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.Version = Version()
	root.SetVersionTemplate(versionLine())
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{code: exitUsage, err: err}
	})
	root.AddCommand(
		newInitCommand().cmd,
		newCheckCommand().cmd,
		newRulesCommand().cmd,
		newExplainCommand().cmd,
		newBuildCommand().cmd,
		newVerifyCommand().cmd,
		newProxyCommand().cmd,
		newDeployCommand().cmd,
		newRollbackCommand().cmd,
		newReleasesCommand().cmd,
		newStatusCommand().cmd,
		newSmokeCommand().cmd,
		newLogsCommand().cmd,
		newMaintenanceCommand().cmd,
		newPauseCommand().cmd,
		newResumeCommand().cmd,
		newVersionCommand().cmd,
	)
	for _, verb := range root.Commands() {
		// pflag's own notes (a deprecated shorthand) go to stderr, never
		// into a report on stdout.
		verb.Flags().SetOutput(stderr)
	}
	return root
}

// Execute runs the command line and returns the process exit code.
func Execute(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCommand(stdin, stdout, stderr)
	root.SetArgs(args)
	verb, _, _ := root.Find(args)
	err := runInterruptibly(ctx, func() error { return root.ExecuteContext(ctx) },
		verb != nil && verb.Annotations[noCleanup] == "true")
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(stderr, "shipshape: %v\n", ee.err)
		}
		return ee.code
	}
	fmt.Fprintf(stderr, "shipshape: %v\n", err)
	// Unknown commands and bad arguments come from cobra itself.
	return exitUsage
}

// argsBetween accepts min to max arguments; otherwise it answers with a
// sentence saying what the verb takes and its first example, where cobra
// would say "accepts 1 arg(s), received 0".
func argsBetween(min, max int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) >= min && len(args) <= max {
			return nil
		}
		usage := strings.TrimPrefix(cmd.Use, cmd.Name())
		var what string
		switch {
		case max == 0:
			what = "takes no arguments, got " + strings.Join(args, " ")
		case len(args) < min:
			what = "missing " + strings.Fields(usage)[0]
		default:
			what = "too many arguments: " + strings.Join(args[max:], " ")
		}
		msg := fmt.Sprintf("%s: %s; usage: shipshape %s%s", cmd.Name(), what, cmd.Name(), usage)
		if ex := firstExample(cmd.Name(), cmd.Example); ex != "" {
			msg += "\nfor example: " + ex
		}
		return &exitError{code: exitUsage, err: errors.New(msg)}
	}
}

// firstExample is the first line of an Example text that runs the verb.
func firstExample(verb, example string) string {
	for _, line := range strings.Split(example, "\n") {
		if line = strings.TrimSpace(line); strings.HasPrefix(line, "shipshape "+verb) {
			return line
		}
	}
	return ""
}
