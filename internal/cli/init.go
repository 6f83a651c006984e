package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pmezard/go-difflib/difflib"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/project"
)

type initCommand struct {
	cmd    *cobra.Command
	opts   generate.Options
	stack  string
	dryRun bool
	force  bool
	verify bool
	// placeheld are the variables init --verify ran the service with
	// generated placeholders for (reset per service).
	placeheld []string
	// absent are the services the app talks to whose images the engine
	// lacks, so the --verify run went without them.
	absent []string
	// verifyImage are the --verify-image flags, images their parse, and
	// standins what stood in for what in a service's run (reset per
	// service).
	verifyImage []string
	images      *verifyImages
	standins    []string
	// migrateFailed is why the release step of a service's --verify run
	// failed, "" when it passed or there was none (reset per service).
	migrateFailed string
	// args are what the image passes the program (--args).
	args string
	// buildArgs and network are for the build --verify runs.
	buildArgs []string
	network   string
	only      []string
	// fromImports is --requirements-from-imports, and requirements
	// what it found.
	fromImports  bool
	requirements []detect.Evidence
	in           *bufio.Reader // answers to questions; nil when not a terminal
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
		Args: argsBetween(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			if err := c.Validate(); err != nil {
				return err
			}
			if interactive(cmd.InOrStdin()) {
				c.in = bufio.NewReader(cmd.InOrStdin())
			}
			return c.run(cmd.OutOrStdout(), dir)
		},
	}
	f := c.cmd.Flags()
	f.StringVar(&c.stack, "stack", "", "the stack, when detection is wrong or finds none: "+strings.Join(detect.Languages, ", "))
	f.IntVar(&c.opts.Port, "port", 0, "the port the app listens on (default: detected, else the framework's)")
	f.StringVar(&c.opts.HealthPath, "health-path", "", "the health route (default: detected, else /)")
	f.StringVar(&c.opts.Entrypoint, "entrypoint", "", "what runs: Go package, Python module:object or script, Node file, Rust binary")
	f.StringVar(&c.args, "args", "", "the arguments the image passes the program, e.g. \"serve /data\" (default: those the repository's start command passes; \"\" for none)")
	f.StringVar(&c.opts.Name, "name", "", "project and image name (default: the directory's name)")
	f.StringVar(&c.opts.Image, "image", "", "registry image CI pushes, e.g. ghcr.io/acme/api (default: ghcr.io/<repository> in CI)")
	f.BoolVar(&c.opts.Helm, "helm", false, "write a Helm chart instead of kustomize manifests")
	f.BoolVar(&c.opts.HPA, "hpa", false, "add a HorizontalPodAutoscaler")
	f.StringVar(&c.opts.Ingress, "ingress", "", "add an Ingress (with TLS) for this host")
	f.BoolVar(&c.opts.NetworkPolicy, "network-policy", false, "add a NetworkPolicy that admits only the app's port")
	f.BoolVar(&c.dryRun, "dry-run", false, "print what would be written (new files in full, changed ones as diffs); write nothing")
	f.BoolVar(&c.force, "force", false, "overwrite files that exist and differ (.env.example is merged, never replaced)")
	f.StringArrayVar(&c.buildArgs, "build-arg", nil, "with --verify: KEY=VALUE passed to the build (repeatable), e.g. PIP_INDEX_URL=...")
	f.StringVar(&c.network, "build-network", "", "with --verify: the build's network (host reaches a package index on 127.0.0.1)")
	f.BoolVar(&c.fromImports, "requirements-from-imports", false, "Python without a manifest: write requirements.txt from the packages the code imports (unpinned)")
	f.StringSliceVar(&c.only, "only", nil, "write only these artifacts: "+strings.Join(generate.Artifacts, ", "))
	c.addVerifyFlag()
	_ = c.cmd.RegisterFlagCompletionFunc("stack", fixedCompletion(detect.Languages...))
	return c
}

// Validate checks the flags that nothing later would before init
// detects, writes or builds anything.
func (c *initCommand) Validate() error {
	for _, a := range c.buildArgs {
		if k, _, ok := strings.Cut(a, "="); !ok || k == "" {
			return usageErrorf("--build-arg %q: use KEY=VALUE", a)
		}
	}
	return nil
}

// genericDirs are directory names that name no project: init names one
// run there after the directory above.
var genericDirs = map[string]bool{"src": true, "source": true, "code": true, "app": true}

func (c *initCommand) run(out io.Writer, dir string) error {
	if c.opts.Name == "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return err
		}
		c.opts.Name = filepath.Base(abs)
		if genericDirs[strings.ToLower(c.opts.Name)] && filepath.Dir(abs) != filepath.Dir(filepath.Dir(abs)) {
			// testdriven's fastapi-crud-async keeps its service in src/:
			// an image and compose project named "src" say nothing.
			c.opts.Name = filepath.Base(filepath.Dir(abs))
		}
	}
	c.opts.Branch = defaultBranch(dir)
	if why := workspaceMemberDir(dir); why != "" {
		return usageErrorf("%s", why)
	}
	set, err := c.detect(out, dir)
	if err != nil {
		return err
	}
	files, err := generate.ProjectSet(set)
	if err != nil {
		return usageErrorf("%s: %v", dir, err)
	}
	files, kept, keptName := generate.KeepUserCompose(dir, files)
	if kept != "" {
		for i := range set.Services {
			set.Services[i].Plan.KeepComposeOf(keptName)
		}
		set.Services[0].Plan.Notes = append(set.Services[0].Plan.Notes, kept)
		// Without a compose.yaml of init's, .env.example lists no
		// password for the databases it would have run.
		for i := range files {
			if files[i].Path == ".env.example" {
				files[i] = generate.EnvExample(set)
			}
		}
	}
	if files, err = generate.Only(files, c.only); err != nil {
		return usageErrorf("%v", err)
	}
	changes, err := generate.Changes(dir, files, c.force)
	if err != nil {
		return err
	}
	fmt.Fprintln(out)
	for _, svc := range set.Services {
		p := svc.Plan
		fmt.Fprintf(out, "Plan for %s: image %s, port %d, health %s, user %d", svc.Dir, p.Image, p.Port, p.HealthPath, p.UID)
		if p.DataDir != "" {
			fmt.Fprintf(out, ", its data (%s) on a volume at %s", p.DataKind(), p.DataDir)
		}
		if len(set.Services) > 1 {
			route := "/" + svc.Name + "/"
			if svc.Dir == set.Services[0].Dir {
				route = "/"
			}
			fmt.Fprintf(out, ", served at %s through the proxy", route)
		}
		fmt.Fprintln(out)
	}
	if c.dryRun {
		if err := printDryRun(out, changes); err != nil {
			return err
		}
		printNotes(out, set)
		return nil
	}
	if ctx := c.cmd.Context(); ctx != nil && ctx.Err() != nil {
		return fmt.Errorf("nothing written: %w", context.Cause(ctx)) // a signal came while init read the repository
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
	printNotes(out, set)
	if c.verify {
		if err := c.verifyWritten(out, dir, set, changes); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "\nNext:\n  shipshape check --profile production %s\n", dir)
	for _, svc := range set.Services {
		fmt.Fprintf(out, "  shipshape build --name %s %s   # prints %s:<commit>; then shipshape verify %s:<commit>\n",
			svc.Plan.Image, filepath.Join(dir, svc.Dir), svc.Plan.Image, svc.Plan.Image)
	}
	if _, err := os.Stat(filepath.Join(dir, ".env")); err == nil {
		// The repository's own (Azure-Samples' flask-postgresql sample
		// commits one): a cp would replace it.
		fmt.Fprintf(out, "  # %s/.env exists: add what %s/.env.example has and it lacks, and fill in the secrets\n", dir, dir)
	} else {
		fmt.Fprintf(out, "  cp %[1]s/.env.example %[1]s/.env        # and fill in the secrets\n", dir)
	}
	if kept != "" {
		// The compose project is the repository's own, which init did
		// not write: compose up runs that one, as it is.
		fmt.Fprintf(out, "  # compose.yaml is the repository's own (see the notes): init wrote none to start\n")
		return nil
	}
	fmt.Fprintf(out, "  GIT_SHA=<commit> docker compose --project-directory %s up -d --wait\n", dir)
	return nil
}

// detect finds the service at dir, or the services under it, prints what
// it found, and makes a plan for each.
func (c *initCommand) detect(out io.Writer, dir string) (*generate.Set, error) {
	if err := c.inferRequirements(out, dir); err != nil {
		return nil, err
	}
	if c.stack != "" {
		s, err := detect.DetectAs(dir, c.stack, c.detectOptions()...)
		if err != nil {
			return nil, &exitError{code: exitUsage, err: err}
		}
		return c.single(out, dir, s)
	}
	s, err := detect.Detect(dir, c.detectOptions()...)
	if err == nil {
		return c.single(out, dir, s)
	}
	if !errors.Is(err, detect.ErrUnrecognised) {
		return nil, &exitError{code: exitUsage, err: err}
	}
	services, err := detect.Services(dir)
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	if len(services) == 1 {
		return nil, usageErrorf("%s: one service, in %s: run shipshape init %s", dir, services[0].Dir, filepath.Join(dir, services[0].Dir))
	}
	if c.opts.Port != 0 || c.opts.HealthPath != "" || c.opts.Entrypoint != "" || c.cmd.Flags().Changed("args") {
		return nil, usageErrorf("%s holds %d services: --port, --health-path, --entrypoint and --args describe one; run init in that service's directory to override them", dir, len(services))
	}
	set := &generate.Set{Options: c.opts}
	set.Name = generate.SanitizeName(c.opts.Name)
	seen := map[string]bool{}
	for _, svc := range services {
		name := generate.SanitizeName(path.Base(svc.Dir))
		if seen[name] || name == "proxy" || name == "db" || name == "redis" {
			return nil, usageErrorf("%s: two services would both be called %q (or it is taken by compose's proxy, db or redis): rename a directory", dir, name)
		}
		seen[name] = true
		printStack(out, filepath.Join(dir, svc.Dir), svc.Stack, nil)
		opts := c.opts
		opts.Name = set.Name + "-" + name
		opts.SharedDatabase = true
		opts.Image = ""
		if c.opts.Image != "" {
			opts.Image = strings.TrimSuffix(c.opts.Image, "/") + "/" + name
		}
		plan, err := c.resolve(out, filepath.Join(dir, svc.Dir), svc.Stack, opts)
		if err != nil {
			return nil, err
		}
		set.Services = append(set.Services, generate.Service{Name: name, Dir: svc.Dir, Plan: plan})
	}
	return set, nil
}

func (c *initCommand) single(out io.Writer, dir string, s *detect.Stack) (*generate.Set, error) {
	if c.cmd.Flags().Changed("args") {
		if cut := detect.ShellWordsCut(c.args); cut != "" {
			return nil, usageErrorf("--args %q: the words from %q on are left out (an unquoted ; & | or # ends a shell command): quote the argument that holds it, e.g. --args \"serve 'file:data.db?_fk=1&_journal=WAL'\"", c.args, cut)
		}
		if why := argsRefused(s, entryOf(s)); why != "" {
			return nil, usageErrorf("%s: %s", dir, why)
		}
	}
	if a := s.AppIn; a != nil {
		return nil, usageErrorf("%s: the app is in %s: its requirements are %s (%s), and %s is a project of its own, whose code the root's detection does not read; run shipshape init %s",
			dir, a.Value+"/", a.File, a.Why, a.Value+"/", filepath.Join(dir, a.Value))
	}
	printStack(out, dir, s, func(flag string) string {
		if f := c.cmd.Flags().Lookup(strings.TrimPrefix(flag, "--")); f != nil && f.Changed {
			return f.Value.String()
		}
		return ""
	})
	plan, err := c.resolve(out, dir, s, c.opts)
	if err != nil {
		return nil, err
	}
	return generate.Single(plan), nil
}

// argsRefused says why the image runs no program --args could be given
// to, entry being what it runs; "" when it does.
func argsRefused(s *detect.Stack, entry string) string {
	switch {
	case s.Language == "python" && strings.Contains(entry, ":") && !strings.HasPrefix(entry, "call:"):
		return "--args is for a program; the image serves " + entry + " with its server (gunicorn, uvicorn): pass --entrypoint naming a script, -m module or console script to run a program instead"
	case s.Static != nil:
		return "--args is for a program; this builds a static site, which a web server serves"
	case s.Framework != nil && s.Framework.Value == "next":
		return "--args is for a program; the image runs Next.js's standalone server.js, which takes none"
	}
	return ""
}

// entryOf is the entry point chosen, "" for none.
func entryOf(s *detect.Stack) string {
	if len(s.Entrypoints) == 0 {
		return ""
	}
	return s.Entrypoints[0].Value
}

func printStack(out io.Writer, dir string, s *detect.Stack, chosen func(flag string) string) {
	fmt.Fprintf(out, "Detected in %s:\n", dir)
	row := func(what string, e *detect.Evidence, value string) {
		if e == nil {
			return
		}
		if value == "" {
			value = e.Value
		}
		at := e.Where()
		if e.Why != "" {
			at += " (" + e.Why + ")"
		}
		fmt.Fprintf(out, "  %-12s %-28s %s\n", what, value, at)
	}
	lang := s.Language
	if s.Version != nil {
		lang += " " + s.Version.Value
		row("language", s.Version, lang)
	} else {
		fmt.Fprintf(out, "  %-12s %-28s %s\n", "language", lang, "(no version declared: the generator's default)")
	}
	row("packages", s.PackageManager, "")
	if s.Berry != nil {
		yarn := "yarn 2 or newer"
		if s.Berry.Value != "" {
			yarn = "yarn " + s.Berry.Value
		}
		row("  yarn", s.Berry, yarn)
	}
	row("framework", s.Framework, "")
	row("server", s.Server, "")
	row("worker", s.WorkerClass, "")
	if s.RunsTypeScript != nil {
		row("typescript", s.RunsTypeScript, "run by node, not compiled")
	} else {
		row("typescript", s.TypeScript, "yes")
	}
	for i := range s.Entrypoints {
		what := "entrypoint"
		if i > 0 {
			what = "  also"
		}
		row(what, &s.Entrypoints[i], "")
		if i == 0 {
			row("  runs in", s.RunDir, "")
			row("  package", s.PackageRoot, "")
		}
	}
	for _, c := range s.Ambiguous {
		if chosen != nil {
			if v := chosen(c.Flag); v != "" {
				// The user answered it: say so, not that it is open.
				fmt.Fprintf(out, "  %-12s %-28s %s\n", "chosen", c.What, c.Flag+" "+v)
				continue
			}
		}
		if len(c.Candidates) == 0 {
			fmt.Fprintf(out, "  %-12s %-28s %s\n", "unsure", c.What, "none found in the code: "+c.Flag+" chooses")
			if c.Hint != "" {
				fmt.Fprintf(out, "  %-12s %-28s %s\n", "", "", c.Hint)
			}
		} else {
			fmt.Fprintf(out, "  %-12s %-28s %s\n", "unsure", c.What, candidatesLine(len(c.Candidates), c.Flag))
		}
	}
	row("port", s.Port, "")
	if s.PortVar != nil {
		row("port from", s.PortVar, "$"+s.PortVar.Value)
	}
	if s.HostVar != nil {
		row("host from", s.HostVar, "$"+s.HostVar.Value)
	}
	row("static", s.Static, "")
	if f := s.Frontend; f != nil {
		at := f.Script
		if f.Runtime {
			at.Why += fmt.Sprintf("; served from there at run time (%s:%d, %s)", f.Embed.File, f.Embed.Line, f.Embed.Why)
		} else {
			what, rest := "it", ""
			switch {
			case f.Dest != "":
				what, rest = f.Embed.Value, ", which the build fills with it"
			case f.Embed.Value != f.Out:
				what, rest = f.Embed.Value, ", which holds it"
			}
			takes := "embeds " + what
			if f.Embed.Why != "" { // a packr or go.rice box
				takes = "takes " + what + " as " + f.Embed.Why
			}
			at.Why += fmt.Sprintf("; %s:%d %s%s", f.Embed.File, f.Embed.Line, takes, rest)
		}
		how := f.Stack.PackageManager.Value + " run " + f.Script.Value
		if f.Run != "" {
			how = f.Run
		}
		row("front end", &at, fmt.Sprintf("%s (%s)", f.Out, how))
	}
	row("arguments", s.Args, "")
	for i, f := range s.ServeFlags {
		value := "--" + f.Value
		if f.Kind == "choice" {
			value += "=" + f.Default
		}
		row("flag", &s.ServeFlags[i].Evidence, value)
	}
	for i := range s.RuntimeFiles {
		row("run-time", &s.RuntimeFiles[i], "")
	}
	for i, c := range s.CarriedFiles {
		row("carried", &s.CarriedFiles[i].Evidence, c.Value+" to "+c.Dest)
	}
	row("data", s.DataVolume, "")
	if len(s.CLibs) == 0 || s.CGO != &s.CLibs[0] {
		row("cgo", s.CGO, "")
	}
	for i := range s.CLibs {
		row("links", &s.CLibs[i], "")
	}
	row("generate", s.Generate, "")
	for i := range s.Placeholders {
		row("placeholder", &s.Placeholders[i], "")
	}
	for i := range s.Boxes {
		row("box", &s.Boxes[i], "")
	}
	row("pack boxes", s.BoxEmbed, "")
	for i := range s.BuildEnv {
		row("build env", &s.BuildEnv[i], "")
	}
	row("user", s.UserLookup, "")
	row("settings", s.DjangoSettings, "")
	row("installs", s.SelfInstall, "")
	for i := range s.Programs {
		row("runs", &s.Programs[i], "")
	}
	row("node opts", s.NodeFlags, "")
	row("signals", s.SIGTERM, "handles SIGTERM")
	row("signals", s.SIGINT, "handles SIGINT only")
	row("signals", s.ClosesOnSIGTERM, "closes its server on SIGTERM")
	row("health", s.HealthPath, "")
	row("page", s.Page, "")
	for i := range s.Databases {
		row("database", &s.Databases[i], "")
	}
	for _, h := range s.NamedHosts {
		row("db host", &detect.Evidence{Value: h.Why, File: h.File, Line: h.Line, Why: h.Value + "'s host, by the name the code gives it"}, "")
	}
	if d := s.DBSetup; d != nil {
		for _, f := range d.Files {
			row("db setup", &detect.Evidence{Value: f.Source, File: f.At.File, Line: f.At.Line, Why: "mounted into the database's " + detect.InitDir}, "")
		}
		row("db name", d.Database, "")
		for i := range d.Skipped {
			row("db setup", &d.Skipped[i], "")
		}
	}
	for i := range s.Brokers {
		row("broker", &s.Brokers[i], "")
	}
	row("templates", s.Templates, "")
	row("migrations", s.Migrations, "")
	row("migrates", s.MigratesAtStart, "")
	row("build tags", s.BuildTags, "")
	row("setup", s.SetupCommand, "")
	row("env file", s.EnvFile, "")
	for i := range s.DevModes {
		row("dev mode", &s.DevModes[i], "")
	}
	row("writes", s.WriteDir, "")
	for i, d := range s.ConfigWriteDirs {
		row("writes", &s.ConfigWriteDirs[i].Evidence, d.Dir+" from $"+d.Value)
	}
	row("home", s.HomeDir, "")
}

// defaultBranch is the repository's default branch (origin's HEAD, else
// the branch checked out), or "" outside git.
func defaultBranch(dir string) string {
	for _, args := range [][]string{{"symbolic-ref", "--short", "refs/remotes/origin/HEAD"}, {"symbolic-ref", "--short", "HEAD"}} {
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		if out, err := cmd.Output(); err == nil {
			b := strings.TrimPrefix(strings.TrimSpace(string(out)), "origin/")
			if b != "" && !strings.ContainsAny(b, " \"'[]{},:") {
				return b
			}
		}
	}
	return ""
}

// detectOptions are what the flags give detection as settled.
func (c *initCommand) detectOptions() []detect.Option {
	var opts []detect.Option
	if c.opts.Entrypoint != "" {
		opts = append(opts, detect.WithEntrypoint(c.opts.Entrypoint))
	}
	if len(c.requirements) > 0 {
		opts = append(opts, detect.WithRequirements(c.requirements))
	}
	if c.cmd.Flags().Changed("args") {
		opts = append(opts, detect.WithArgs(detect.ShellWords(c.args)))
	}
	return opts
}

// inferRequirements reads, for --requirements-from-imports, the packages
// a Python directory without a manifest imports: init writes them as its
// requirements.txt. The flag means Python; a directory that has a
// manifest is refused (the manifest is the truth).
func (c *initCommand) inferRequirements(out io.Writer, dir string) error {
	if !c.fromImports {
		return nil
	}
	if c.stack != "" && c.stack != "python" {
		return usageErrorf("--requirements-from-imports is for Python; it cannot go with --stack %s", c.stack)
	}
	if detect.HasPythonManifest(dir) && !detect.InferredRequirementsFile(dir) {
		return usageErrorf("%s already holds a Python manifest (pyproject.toml, requirements.txt, Pipfile or setup.py): drop --requirements-from-imports", dir)
	}
	reqs, err := detect.PythonRequirementsFromImports(dir)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	c.stack, c.requirements = "python", reqs
	if len(reqs) > 0 {
		fmt.Fprintf(out, "requirements.txt, from the imports (unpinned; pin what you test, then commit it):\n")
		for _, r := range reqs {
			fmt.Fprintf(out, "  %-20s %s (%s)\n", r.Value, r.Where(), r.Why)
		}
	}
	return nil
}

// printNotes prints what the user has to know or do: what is uncertain,
// what was left alone, what the code lacks.
func printNotes(out io.Writer, set *generate.Set) {
	var notes []string
	for _, svc := range set.Services {
		for _, n := range svc.Plan.Notes {
			if len(set.Services) > 1 {
				n = svc.Dir + ": " + n
			}
			notes = append(notes, n)
		}
	}
	if len(notes) > 0 {
		fmt.Fprintln(out, "\nNotes:")
		for _, n := range notes {
			fmt.Fprintf(out, "  - %s\n", n)
		}
	}
}

// resolve makes a plan, asking the user for the choices the evidence
// leaves open when init runs on a terminal; otherwise such a choice stops
// init with the candidates and the flag that chooses (exit 2).
func (c *initCommand) resolve(out io.Writer, dir string, s *detect.Stack, opts generate.Options) (*generate.Plan, error) {
	where := dir
	for {
		plan, err := generate.Resolve(s, opts)
		var amb *generate.AmbiguousError
		if !errors.As(err, &amb) {
			if err != nil {
				return nil, usageErrorf("%s: %v%s", where, err, serviceBelow(dir, s))
			}
			return plan, nil
		}
		if c.in == nil {
			also := ""
			if !c.force && ownDockerfile(dir) {
				// Said now, not on the next run (nestjs-typeorm-postgresql
				// took two stops to learn both).
				also = "; the repository has its own Dockerfile too, which init replaces only with --force (to prove it as it is instead: shipshape build, then shipshape verify)"
			}
			return nil, usageErrorf("%s: %v (init asks when run on a terminal)%s%s", where, err, also, serviceBelow(dir, s))
		}
		for _, choice := range amb.Choices {
			answer, err := ask(out, c.in, choice)
			if err != nil {
				return nil, usageErrorf("%s: %v", where, err)
			}
			switch choice.Flag {
			case "--entrypoint":
				opts.Entrypoint = answer
				// The port, health route and databases of the program
				// chosen, not of another.
				if again, err := detect.DetectAs(dir, s.Language, append(c.detectOptions(), detect.WithEntrypoint(answer))...); err == nil {
					s = again
				}
			case "--health-path":
				opts.HealthPath = answer
			}
		}
	}
}

// serviceBelow names, for a directory where no entry point was found, the
// services a directory under it holds, which init would find run there:
// pamelafox/flask-surveys-container-app keeps its app in src/ (its
// compose file builds ./src) beside a root pyproject.toml of linter
// settings, and init at the root said only "no entry point found".
func serviceBelow(dir string, s *detect.Stack) string {
	if len(s.Entrypoints) > 0 {
		return ""
	}
	services, err := detect.Services(dir)
	if err != nil || len(services) == 0 {
		return ""
	}
	var runs []string
	for _, svc := range services {
		if svc.Dir != "." && svc.Stack != nil && len(svc.Stack.Entrypoints) > 0 {
			e := svc.Stack.Entrypoints[0]
			at := path.Join(svc.Dir, e.File)
			if e.Line > 0 {
				at += fmt.Sprintf(":%d", e.Line)
			}
			runs = append(runs, fmt.Sprintf("shipshape init %s (%s, its entry point %s at %s)", filepath.Join(dir, svc.Dir), svc.Stack.Language, e.Value, at))
		}
	}
	switch len(runs) {
	case 0:
		return ""
	case 1:
		return "; a directory under it holds one: " + runs[0]
	}
	return "; directories under it hold some: " + strings.Join(runs, ", ")
}

// workspaceMemberDir says why init stops in dir, a member of a Node
// workspace a directory above declares, where dir holds no lock file of
// its own: its install needs the root's lock file and the other members'
// package.json files, which an image built from dir alone cannot see
// (init apps/api wrote npm install for a pnpm member's workspace:
// dependency). "" otherwise. Up to four directories up, and not past a
// repository's root.
func workspaceMemberDir(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil || !fileExists(filepath.Join(abs, "package.json")) {
		return ""
	}
	for _, lock := range detect.NodeLockFiles {
		if fileExists(filepath.Join(abs, lock)) {
			return ""
		}
	}
	for up, p := 0, abs; up < 4; up++ {
		if fileExists(filepath.Join(p, ".git")) {
			break // the repository's root: nothing above it is its
		}
		parent := filepath.Dir(p)
		if parent == p {
			break
		}
		p = parent
		rel, err := filepath.Rel(p, abs)
		if err != nil {
			break
		}
		members, _ := project.NewModel().Workspace(p)
		for _, m := range members {
			if m.Dir != filepath.ToSlash(rel) || !dependsOnMembers(p, m.Dir, members) {
				continue
			}
			root := p
			if cwd, err := os.Getwd(); err == nil {
				if r, err := filepath.Rel(cwd, p); err == nil {
					root = r
				}
			}
			return fmt.Sprintf("%s is a member of the Node workspace at %s (%s:%d) and depends on its other members: its install needs the workspace's lock file and their package.json, "+
				"which an image built from %s alone cannot see; run shipshape init %s, which installs the workspace and runs this member's program "+
				"(--entrypoint %s/... chooses it where the root runs several)", dir, root, filepath.Join(root, m.Entry.File), m.Entry.Line, dir, root, m.Dir)
		}
	}
	return ""
}

// dependsOnMembers reports whether member (a directory of the workspace
// at root) depends on another of its members: by a workspace: range, or
// by a member's package name. A member that needs none of them builds
// alone. Files over 1 MiB are not read.
func dependsOnMembers(root, member string, members []project.WorkspaceMember) bool {
	type pkg struct {
		Name            string            `json:"name"`
		Dependencies    map[string]string `json:"dependencies"`
		DevDependencies map[string]string `json:"devDependencies"`
	}
	read := func(dir string) pkg {
		var p pkg
		f := filepath.Join(root, filepath.FromSlash(dir), "package.json")
		if st, err := os.Stat(f); err == nil && st.Size() <= 1<<20 {
			if data, err := os.ReadFile(f); err == nil {
				_ = json.Unmarshal(data, &p)
			}
		}
		return p
	}
	names := map[string]bool{}
	for _, m := range members {
		if m.Dir != member {
			if n := read(m.Dir).Name; n != "" {
				names[n] = true
			}
		}
	}
	self := read(member)
	for _, deps := range []map[string]string{self.Dependencies, self.DevDependencies} {
		for name, v := range deps {
			if strings.HasPrefix(v, "workspace:") || names[name] {
				return true
			}
		}
	}
	return false
}

// fileExists reports whether p exists.
func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// ownDockerfile reports whether dir holds a Dockerfile init did not write.
func ownDockerfile(dir string) bool {
	f, err := os.Open(filepath.Join(dir, "Dockerfile"))
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, len(detect.GeneratedMark))
	n, _ := io.ReadFull(f, head)
	return string(head[:n]) != detect.GeneratedMark
}

// ask offers the candidates of a choice, numbered, and reads a number or
// a value typed in.
func ask(out io.Writer, in *bufio.Reader, choice detect.Choice) (string, error) {
	fmt.Fprintf(out, "\nWhich %s? (%s chooses it next time)\n", choice.What, choice.Flag)
	for i, cand := range choice.Candidates {
		fmt.Fprintf(out, "  %d) %-30s %s", i+1, cand.Value, cand.Where())
		if cand.Why != "" {
			fmt.Fprintf(out, " (%s)", cand.Why)
		}
		fmt.Fprintln(out)
	}
	if len(choice.Candidates) > 0 {
		fmt.Fprintf(out, "Number, or another value: ")
	} else {
		if choice.Hint != "" {
			fmt.Fprintf(out, "  (%s)\n", choice.Hint)
		}
		fmt.Fprintf(out, "None found in the code; type it: ")
	}
	line, err := in.ReadString('\n')
	line = strings.TrimSpace(line)
	if line == "" {
		if err != nil {
			return "", fmt.Errorf("no answer for the %s: pass %s", choice.What, choice.Flag)
		}
		return "", fmt.Errorf("an empty answer for the %s: pass %s", choice.What, choice.Flag)
	}
	if n, err := strconv.Atoi(line); err == nil && n >= 1 && n <= len(choice.Candidates) {
		return choice.Candidates[n-1].Value, nil
	}
	return line, nil
}

// interactive reports whether r is a terminal a person answers on.
func interactive(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd())) // /dev/null is a character device too
}

func printDryRun(out io.Writer, changes []generate.Change) error {
	for _, ch := range changes {
		if ch.Kept != "" {
			fmt.Fprintf(out, "\n=== %s (a copy of the repository's %s, which git cannot give back: kept)\n", ch.Path, ch.Kept)
			continue
		}
		switch ch.Status {
		case generate.Unchanged:
			fmt.Fprintf(out, "\n=== %s (unchanged)\n", ch.Path)
		case generate.Create:
			fmt.Fprintf(out, "\n=== %s (new)\n%s", ch.Path, ch.Content)
		default:
			note := "would overwrite"
			switch ch.Status {
			case generate.Conflict:
				note = "exists and differs: kept unless --force"
			case generate.Merge:
				note = "exists: the lines it lacks would be added, and every line of it kept"
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

// candidatesLine is the detected list's line for a choice init leaves
// to the user.
func candidatesLine(n int, flag string) string {
	if n == 1 {
		return "1 candidate: " + flag + " chooses"
	}
	return fmt.Sprintf("%d candidates: %s chooses", n, flag)
}
