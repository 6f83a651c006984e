package cli

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/moby/moby/client"
	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/build"
	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/engine"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/verify"
)

// addVerifyFlag adds --verify to init, which --dry-run excludes.
func (c *initCommand) addVerifyFlag() {
	c.cmd.Flags().BoolVar(&c.verify, "verify", false, "then build the image and verify it on the engine; when the diagnosis names the port or health path, fix the files and verify again")
	prev := c.cmd.PreRunE
	c.cmd.PreRunE = func(cmd *cobra.Command, args []string) error {
		if c.verify && c.dryRun {
			return usageErrorf("--verify builds and runs what init writes, and --dry-run writes nothing: pass one of them")
		}
		if prev != nil {
			return prev(cmd, args)
		}
		return nil
	}
}

// verifyWritten is init --verify: it builds each service's image from the
// files init just wrote and verifies it on the engine. When verify fails
// and its diagnosis names one change of port or health path, init makes
// the change through the same generator, says what it changed and why,
// rebuilds and verifies once more. A failure that remains stops init
// (exit 1) with the diagnosis; the files stay written, for the user to fix.
func (c *initCommand) verifyWritten(out io.Writer, dir string, set *generate.Set, changes []generate.Change) error {
	ctx := c.cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	progress := c.cmd.ErrOrStderr()
	eng, err := engine.Connect(ctx)
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("--verify: %v; the files init wrote stay in place", err)}
	}
	defer eng.Close()
	written := map[string]string{}
	for _, ch := range changes {
		written[ch.Path] = ch.Content
	}
	var failed []string
	for i := range set.Services {
		svc := &set.Services[i]
		ok, err := c.verifyService(ctx, eng, out, progress, dir, set, svc, written)
		if err != nil {
			return err
		}
		if !ok {
			failed = append(failed, filepath.Join(dir, svc.Dir))
		}
	}
	if len(failed) > 0 {
		return &exitError{code: exitFindings, err: fmt.Errorf("init --verify: the image of %s did not pass verify (the diagnosis is above); the files init wrote stay in place, for you to fix",
			strings.Join(failed, ", "))}
	}
	return nil
}

// verifyService builds and verifies one service, and retries once with
// the diagnosis's fix. It reports whether the image passed in the end.
func (c *initCommand) verifyService(ctx context.Context, eng *client.Client, out, progress io.Writer, dir string, set *generate.Set, svc *generate.Service, written map[string]string) (bool, error) {
	svcDir := filepath.Join(dir, svc.Dir)
	rep, ref, err := c.buildAndVerify(ctx, eng, out, progress, svcDir, svc.Plan, "Verifying")
	if err != nil {
		return false, err
	}
	if rep.Passed() {
		passed(out, ref, rep, "")
		return true, nil
	}
	change, refused := planChangeFor(svc.Plan.Options, c.opts, rep.Diagnosis)
	if refused != "" {
		fmt.Fprintf(out, "\n%s\n", refused)
	}
	if change == nil {
		stopped(out, svcDir, ref, rep, svc.Plan, nil)
		return false, nil
	}

	plan, err := generate.Resolve(svc.Plan.Stack, change.opts)
	if err != nil {
		return false, usageErrorf("%s: %s: %v", svcDir, change.flags, err)
	}
	old := svc.Plan
	svc.Plan = plan
	rewritten, err := rewrite(dir, set, written)
	if err != nil {
		svc.Plan = old
		return false, fmt.Errorf("%s: rewriting the files with %s: %w", dir, change.flags, err)
	}
	fmt.Fprintf(out, "\nChanged: %s, because %s.\n", change.describe(old.Options), change.why)
	for _, p := range rewritten {
		fmt.Fprintf(out, "  %-10s %s\n", "rewrote", p)
	}
	if len(rewritten) == 0 {
		fmt.Fprintln(out, "  (no file changed)")
	}
	again, ref2, err := c.buildAndVerify(ctx, eng, out, progress, svcDir, plan, "Verifying again")
	if err != nil {
		return false, err
	}
	if id := rep.ID; id != again.ID {
		// The first image had the wrong port or route; nothing refers to it.
		_, _ = eng.ImageRemove(ctx, id, client.ImageRemoveOptions{PruneChildren: true})
	}
	if again.Passed() {
		passed(out, ref2, again, fmt.Sprintf(" after the change (next time, pass %s)", change.flags))
		return true, nil
	}
	stopped(out, svcDir, ref2, again, plan, change)
	return false, nil
}

// buildAndVerify builds the service in dir as name:<commit> (name:unversioned
// outside git) and verifies the image as shipshape verify would.
func (c *initCommand) buildAndVerify(ctx context.Context, eng *client.Client, out, progress io.Writer, dir string, plan *generate.Plan, step string) (*verify.Report, string, error) {
	name := plan.Image
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, "", usageErrorf("%s: %v", dir, err)
	}
	name, err = build.ImageName(name, abs)
	if err != nil {
		return nil, "", usageErrorf("%v", err)
	}
	rev, err := build.GitRevision(ctx, abs)
	if err != nil {
		rev = build.Unversioned
	}
	fmt.Fprintf(out, "\n%s: building %s:%s from %s (build output on stderr)\n", step, name, rev.Tag, dir)
	img, err := buildImage(ctx, progress, build.Options{Dir: abs, File: filepath.Join(abs, "Dockerfile"), Name: name, Revision: rev, BuildArgs: c.buildArgs, Network: c.network})
	if err != nil {
		return nil, "", fmt.Errorf("init --verify: %w; the files init wrote stay in place: fix them, then run shipshape build %s", err, dir)
	}
	env, from, err := exampleEnv(abs)
	if err != nil {
		return nil, "", usageErrorf("%v", err)
	}
	if from != "" {
		fmt.Fprintf(out, "The run gets the %d variables of %s (the values the repository documents).\n", len(env), from)
	}
	opts := verify.Options{Timeout: 60 * time.Second, Grace: 10 * time.Second, Env: env}
	if plan != nil {
		deps, depEnv := generate.Dependencies(plan, verify.RandomSecret())
		if len(deps) > 0 {
			var list []verify.Accessory
			var names []string
			for _, d := range deps {
				list = append(list, verify.Accessory{Alias: d.Alias, Image: d.Image, Env: d.Env, Health: d.Health})
				names = append(names, d.Alias+" ("+d.Image+")")
			}
			fmt.Fprintf(out, "The app talks to %s: started for the run on a network of its own, as compose.yaml runs them.\n", strings.Join(names, ", "))
			acc, err := verify.StartAccessories(ctx, eng, list, 90*time.Second)
			if err != nil {
				fmt.Fprintf(out, "  not started: %v; the run goes on without them.\n", err)
			} else {
				defer acc.Stop()
				opts.Network = acc.Network
				// compose's environment wins over an env_file's: the example
				// file's DATABASE_URL (localhost, usually) is dropped, not
				// left to the engine's order of equal names.
				opts.Env = append(withoutNames(opts.Env, depEnv), depEnv...)
			}
		}
	}
	rep, err := verify.Image(ctx, eng, img.Ref, opts)
	if err != nil {
		return nil, "", &exitError{code: exitUsage, err: fmt.Errorf("init --verify: %v", err)}
	}
	printReport(out, img.Ref, rep)
	return rep, img.Ref, nil
}

// planChange is what init --verify changes in a plan after a failed run.
type planChange struct {
	opts  generate.Options // the plan's options with the change made
	flags string           // the flags that make it: --port 5000
	why   string
}

func (ch *planChange) describe(was generate.Options) string {
	var parts []string
	if ch.opts.Port != was.Port {
		parts = append(parts, fmt.Sprintf("--port %d (was %d)", ch.opts.Port, was.Port))
	}
	if ch.opts.HealthPath != was.HealthPath {
		parts = append(parts, fmt.Sprintf("--health-path %s (was %s)", ch.opts.HealthPath, was.HealthPath))
	}
	return strings.Join(parts, " and ")
}

// planChangeFor decides what init --verify changes after verify failed
// with diagnosis d: the diagnosis's fix, made to plan (the resolved
// options), unless it changes nothing or overrides what the user chose
// with a flag (user), which init never does: then refused says so.
func planChangeFor(plan, user generate.Options, d *verify.Diagnosis) (change *planChange, refused string) {
	if d == nil || d.Fix == nil {
		return nil, ""
	}
	fix := *d.Fix
	var kept []string
	if fix.Port != 0 && user.Port != 0 && user.Port != fix.Port {
		kept = append(kept, fmt.Sprintf("--port %d", user.Port))
		fix.Port = 0
	}
	if fix.HealthPath != "" && user.HealthPath != "" && user.HealthPath != fix.HealthPath {
		kept = append(kept, "--health-path "+user.HealthPath)
		fix.HealthPath = ""
	}
	if len(kept) > 0 {
		refused = fmt.Sprintf("Not changed: you passed %s; the evidence says %s (%s). Rerun init with that if it is right.",
			strings.Join(kept, " and "), d.Fix.Flags(), d.Fix.Why)
	}
	opts := plan
	if fix.Port != 0 {
		opts.Port = fix.Port
	}
	if fix.HealthPath != "" {
		opts.HealthPath = fix.HealthPath
	}
	if opts.Port == plan.Port && opts.HealthPath == plan.HealthPath {
		return nil, refused
	}
	var flags []string
	if opts.Port != plan.Port {
		flags = append(flags, fmt.Sprintf("--port %d", opts.Port))
	}
	if opts.HealthPath != plan.HealthPath {
		flags = append(flags, "--health-path "+opts.HealthPath)
	}
	return &planChange{opts: opts, flags: strings.Join(flags, " "), why: fix.Why}, refused
}

// rewrite regenerates the set's files and writes again those init wrote in
// this run, overwriting each only while it still holds what init wrote.
// It returns the paths it changed.
func rewrite(dir string, set *generate.Set, written map[string]string) ([]string, error) {
	files, err := generate.ProjectSet(set)
	if err != nil {
		return nil, err
	}
	var mine []generate.File
	for _, f := range files {
		if _, ok := written[f.Path]; ok {
			mine = append(mine, f)
		}
	}
	changes, err := generate.Changes(dir, mine, false)
	if err != nil {
		return nil, err
	}
	var paths []string
	for i := range changes {
		ch := &changes[i]
		if ch.Status == generate.Conflict && ch.Old == written[ch.Path] {
			ch.Status = generate.Overwrite
		}
		if ch.Status != generate.Unchanged {
			paths = append(paths, ch.Path)
		}
	}
	if err := generate.Write(dir, changes); err != nil {
		return nil, err
	}
	for _, ch := range changes {
		written[ch.Path] = ch.Content
	}
	return paths, nil
}

func passed(out io.Writer, ref string, rep *verify.Report, after string) {
	fmt.Fprintf(out, "\n%s passed verify%s: it started, turned healthy in %v, served its health route, ran as non-root and stopped cleanly.\n",
		ref, after, time.Duration(rep.StartupMS)*time.Millisecond)
}

// stopped says why init --verify gives up on an image and what would fix
// it; applied is the change init already made, which a rerun must repeat.
func stopped(out io.Writer, dir, ref string, rep *verify.Report, plan *generate.Plan, applied *planChange) {
	fmt.Fprintf(out, "\n%s did not pass verify.", ref)
	if rep.Diagnosis == nil {
		var failed []string
		for _, ch := range rep.Checks {
			if !ch.Passed && !ch.Warning {
				failed = append(failed, ch.Name)
			}
		}
		fmt.Fprintf(out, " Failed: %s (see above).", strings.Join(failed, ", "))
	}
	fmt.Fprintf(out, " The files init wrote stay in place: they are yours to fix.\n")
	if flags := rerunFlags(rep.Diagnosis, applied); flags != "" {
		fmt.Fprintf(out, "Flags that would fix it: shipshape init --force --verify %s %s\n", flags, dir)
		return
	}
	if rep.Diagnosis != nil {
		fmt.Fprintf(out, "No init flag fixes this (the plan has port %d, health %s): fix the app or its environment as the diagnosis says, then run shipshape init --verify %s again.\n",
			plan.Port, plan.HealthPath, dir)
	}
}

// rerunFlags are the init flags a rerun needs: the change init already
// made, with what the diagnosis points at on top. Only flags the diagnosis
// names count: the change alone fixed nothing.
func rerunFlags(d *verify.Diagnosis, applied *planChange) string {
	named := fixFlags(d)
	if named == "" || d.Fix == nil || applied == nil {
		return named
	}
	var port int
	var path string
	if strings.Contains(applied.flags, "--port") {
		port = applied.opts.Port
	}
	if strings.Contains(applied.flags, "--health-path") {
		path = applied.opts.HealthPath
	}
	if d.Fix.Port != 0 {
		port = d.Fix.Port
	}
	if d.Fix.HealthPath != "" {
		path = d.Fix.HealthPath
	}
	return verify.Fix{Port: port, HealthPath: path}.Flags()
}

// fixFlags are the init flags the diagnosis points at: its fix, or
// --entrypoint when the image runs the wrong program, or --port when the
// app binds a privileged one.
func fixFlags(d *verify.Diagnosis) string {
	if d == nil {
		return ""
	}
	if d.Fix != nil {
		return d.Fix.Flags()
	}
	for _, c := range d.Causes {
		switch {
		case c.Kind == verify.BadEntrypoint, c.Kind == verify.MissingFile && strings.Contains(c.Advice, "--entrypoint"):
			return "--entrypoint <what runs>"
		case c.Kind == verify.PrivilegedPort:
			return "--port <the port above 1024 the app listens on>"
		}
	}
	return ""
}

// exampleEnv is the environment a repository documents in its example env
// file (the first with a value set; a committed .env or dev.env last, as
// compose would read it), and that file's name; none when it has none.
func exampleEnv(dir string) ([]string, string, error) {
	for _, name := range detect.ExampleEnvFiles {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			continue
		}
		env, err := readEnvFile(filepath.Join(dir, name))
		if err != nil || len(env) > 0 {
			return env, name, err
		}
	}
	return nil, "", nil
}

// readEnvFile reads KEY=VALUE lines as compose reads .env (quotes, export,
// comments), without expanding from this process's environment; empty
// values are dropped: an empty variable is no better than none.
func readEnvFile(file string) ([]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	vars, err := dotenv.ParseWithLookup(io.LimitReader(f, 1<<20), func(string) (string, bool) { return "", false })
	if err != nil {
		return nil, fmt.Errorf("%s: %v; fix the file", file, err)
	}
	var env []string
	for _, k := range slices.Sorted(maps.Keys(vars)) {
		if vars[k] != "" {
			env = append(env, k+"="+vars[k])
		}
	}
	return env, nil
}

// withoutNames drops from env the variables that over sets.
func withoutNames(env, over []string) []string {
	set := map[string]bool{}
	for _, kv := range over {
		k, _, _ := strings.Cut(kv, "=")
		set[k] = true
	}
	var out []string
	for _, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); !set[k] {
			out = append(out, kv)
		}
	}
	return out
}
