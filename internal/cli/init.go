package cli

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/pmezard/go-difflib/difflib"
	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
)

type initCommand struct {
	cmd    *cobra.Command
	opts   generate.Options
	stack  string
	dryRun bool
	force  bool
}

func newInitCommand() *initCommand {
	c := &initCommand{}
	c.cmd = &cobra.Command{
		Use:   "init [DIR]",
		Short: "Detect the stack and write a hardened Dockerfile, compose, Kubernetes, proxy and CI files",
		Long: `init reads DIR (default: the current directory), prints the stack it found
with the evidence (file and line), and writes:

  Dockerfile, .dockerignore      multi-stage, pinned, non-root, health-checked
  compose.yaml, .env.example     the app behind nginx, its databases, named volumes
  deploy/k8s/                    kustomize base and production overlay (or --helm:
                                 deploy/helm/NAME, a chart)
  deploy/proxy/                  nginx.conf and Caddyfile
  .github/workflows/container.yml test, build, scan, push by git SHA, deploy, smoke

Everything it writes passes 'shipshape check --profile production'. It writes
all files or none, and never overwrites a file that differs without --force;
--dry-run prints the new files and the differences instead.`,
		Example: `  shipshape init --dry-run            # what would be written, and diffs
  shipshape init                      # write it
  shipshape init --helm --hpa --ingress api.example.com services/api
  shipshape init --stack python --entrypoint app.main:app --port 8000 --health-path /healthz`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			return c.run(cmd.OutOrStdout(), dir)
		},
	}
	f := c.cmd.Flags()
	f.StringVar(&c.stack, "stack", "", "the stack, when detection is wrong or finds none: "+strings.Join(detect.Languages, ", "))
	f.IntVar(&c.opts.Port, "port", 0, "the port the app listens on (default: detected, else the framework's)")
	f.StringVar(&c.opts.HealthPath, "health-path", "", "the health route (default: detected, else /)")
	f.StringVar(&c.opts.Entrypoint, "entrypoint", "", "what runs: Go package, Python module:object or script, Node file, Rust binary")
	f.StringVar(&c.opts.Name, "name", "", "project and image name (default: the directory's name)")
	f.StringVar(&c.opts.Image, "image", "", "registry image CI pushes, e.g. ghcr.io/acme/api (default: ghcr.io/<repository> in CI)")
	f.BoolVar(&c.opts.Helm, "helm", false, "write a Helm chart instead of kustomize manifests")
	f.BoolVar(&c.opts.HPA, "hpa", false, "add a HorizontalPodAutoscaler")
	f.StringVar(&c.opts.Ingress, "ingress", "", "add an Ingress (with TLS) for this host")
	f.BoolVar(&c.opts.NetworkPolicy, "network-policy", false, "add a NetworkPolicy that admits only the app's port")
	f.BoolVar(&c.dryRun, "dry-run", false, "print what would be written (new files in full, changed ones as diffs); write nothing")
	f.BoolVar(&c.force, "force", false, "overwrite files that exist and differ")
	_ = c.cmd.RegisterFlagCompletionFunc("stack", fixedCompletion(detect.Languages...))
	return c
}

func (c *initCommand) run(out io.Writer, dir string) error {
	var (
		s   *detect.Stack
		err error
	)
	if c.stack != "" {
		s, err = detect.DetectAs(dir, c.stack)
	} else {
		s, err = detect.Detect(dir)
	}
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if c.opts.Name == "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return err
		}
		c.opts.Name = filepath.Base(abs)
	}
	plan, err := generate.Resolve(s, c.opts)
	if err != nil {
		return usageErrorf("%s: %v", dir, err)
	}
	files, err := generate.Project(plan)
	if err != nil {
		return usageErrorf("%s: %v", dir, err)
	}
	changes, err := generate.Changes(dir, files, c.force)
	if err != nil {
		return err
	}
	printStack(out, dir, s)
	fmt.Fprintf(out, "\nPlan: image %s, port %d, health %s, user %d", plan.Image, plan.Port, plan.HealthPath, plan.UID)
	if plan.DataDir != "" {
		fmt.Fprintf(out, ", SQLite on a volume at %s", plan.DataDir)
	}
	fmt.Fprintln(out)
	if c.dryRun {
		return printDryRun(out, changes)
	}
	if err := generate.Write(dir, changes); err != nil {
		if errors.Is(err, generate.ErrConflict) {
			return usageErrorf("%s: %v", dir, err)
		}
		return fmt.Errorf("%s: %w", dir, err)
	}
	fmt.Fprintln(out, "\nFiles:")
	for _, ch := range changes {
		status := string(ch.Status)
		if ch.Status == generate.Create {
			status = "wrote"
		}
		fmt.Fprintf(out, "  %-10s %s\n", status, ch.Path)
	}
	if len(plan.Notes) > 0 {
		fmt.Fprintln(out, "\nNotes:")
		for _, n := range plan.Notes {
			fmt.Fprintf(out, "  - %s\n", n)
		}
	}
	fmt.Fprintf(out, `
Next:
  shipshape check --profile production %[1]s
  shipshape build %[1]s                  # prints %[2]s:<commit>
  shipshape verify %[2]s:<commit>
  cp %[1]s/.env.example %[1]s/.env        # and fill in the secrets
  GIT_SHA=<commit> docker compose --project-directory %[1]s up -d --wait
`, dir, plan.Image)
	return nil
}

func printStack(out io.Writer, dir string, s *detect.Stack) {
	fmt.Fprintf(out, "Detected in %s:\n", dir)
	row := func(what string, e *detect.Evidence, value string) {
		if e == nil {
			return
		}
		if value == "" {
			value = e.Value
		}
		where := e.File
		if e.Line > 0 {
			where = fmt.Sprintf("%s:%d", e.File, e.Line)
		}
		fmt.Fprintf(out, "  %-12s %-28s %s\n", what, value, where)
	}
	lang := s.Language
	if s.Version != nil {
		lang += " " + s.Version.Value
		row("language", s.Version, lang)
	} else {
		fmt.Fprintf(out, "  %-12s %-28s %s\n", "language", lang, "(no version declared: the generator's default)")
	}
	row("packages", s.PackageManager, "")
	row("framework", s.Framework, "")
	row("server", s.Server, "")
	row("typescript", s.TypeScript, "yes")
	for i := range s.Entrypoints {
		row("entrypoint", &s.Entrypoints[i], "")
	}
	row("port", s.Port, "")
	row("health", s.HealthPath, "")
	for i := range s.Databases {
		row("database", &s.Databases[i], "")
	}
	row("templates", s.Templates, "")
	row("migrations", s.Migrations, "")
}

func printDryRun(out io.Writer, changes []generate.Change) error {
	for _, ch := range changes {
		switch ch.Status {
		case generate.Unchanged:
			fmt.Fprintf(out, "\n=== %s (unchanged)\n", ch.Path)
		case generate.Create:
			fmt.Fprintf(out, "\n=== %s (new)\n%s", ch.Path, ch.Content)
		default:
			note := "would overwrite"
			if ch.Status == generate.Conflict {
				note = "exists and differs: kept unless --force"
			}
			fmt.Fprintf(out, "\n=== %s (%s)\n", ch.Path, note)
			diff, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
				A: difflib.SplitLines(ch.Old), B: difflib.SplitLines(ch.Content),
				FromFile: "a/" + ch.Path, ToFile: "b/" + ch.Path, Context: 3,
			})
			if err != nil {
				return err
			}
			fmt.Fprint(out, diff)
		}
	}
	fmt.Fprintln(out, "\n(dry run: nothing written)")
	return nil
}
