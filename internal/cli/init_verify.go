package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/client"
	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/build"
	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/engine"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/runtimes"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
	"github.com/shipshape/shipshape/internal/verify"
)

// addVerifyFlag adds --verify to init, which --dry-run excludes.
func (c *initCommand) addVerifyFlag() {
	c.cmd.Flags().BoolVar(&c.verify, "verify", false, "then build the image and verify it on the engine; when the diagnosis names the port or health path, fix the files and verify again")
	c.cmd.Flags().StringArrayVar(&c.verifyImage, "verify-image", nil, "with --verify: NAME=IMAGE runs the service compose.yaml names NAME (an image, with or without its tag) from IMAGE for the verification only, e.g. mysql=mariadb:10.11.14 where the engine lacks mysql; the files keep NAME (repeatable)")
	prev := c.cmd.PreRunE
	c.cmd.PreRunE = func(cmd *cobra.Command, args []string) error {
		if c.verify && c.dryRun {
			return usageErrorf("--verify builds and runs what init writes, and --dry-run writes nothing: pass one of them")
		}
		if len(c.verifyImage) > 0 && !c.verify {
			return usageErrorf("--verify-image substitutes an image in init --verify's run: pass --verify with it")
		}
		images, err := parseVerifyImages(c.verifyImage)
		if err != nil {
			return err
		}
		c.images = images
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
	removeOrphans(ctx, progress, eng)
	written := map[string]string{}
	for _, ch := range changes {
		written[ch.Path] = ch.Content
	}
	var failed []string
	for i := range set.Services {
		svc := &set.Services[i]
		c.placeheld, c.absent, c.standins, c.migrateFailed = nil, nil, nil, ""
		ok, err := c.verifyService(ctx, eng, out, progress, dir, set, svc, written)
		if err != nil {
			return err
		}
		if !ok {
			failed = append(failed, filepath.Join(dir, svc.Dir))
		}
	}
	c.images.sayUnused(out)
	if len(failed) > 0 {
		return &exitError{code: exitFindings, err: fmt.Errorf("init --verify: the image of %s did not pass (the diagnosis is above); the files init wrote stay in place, for you to fix",
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
		return passed(out, ref, rep, "", svc.Plan, c.placeheld, c.standins, c.migrateFailed), nil
	}
	change, refused := planChangeFor(svc.Plan.Options, c.opts, rep.Diagnosis)
	if refused != "" {
		fmt.Fprintf(out, "\n%s\n", refused)
	}
	if change == nil {
		stopped(out, svcDir, ref, rep, svc.Plan, nil, c.absent)
		return false, nil
	}

	plan, err := generate.Resolve(svc.Plan.Stack, change.opts)
	if err != nil {
		return false, usageErrorf("%s: %s: %v", svcDir, change.flags, err)
	}
	if kept := svc.Plan.ComposeKept; kept != "" {
		plan.KeepComposeOf(kept)
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
		return passed(out, ref2, again, fmt.Sprintf(" after the change (next time, pass %s)", change.flags), plan, c.placeheld, c.standins, c.migrateFailed), nil
	}
	stopped(out, svcDir, ref2, again, plan, change, c.absent)
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
	tail := &lineTail{max: 400}
	img, err := buildImage(ctx, io.MultiWriter(progress, tail), build.Options{Dir: abs, File: filepath.Join(abs, "Dockerfile"), Name: name, Revision: rev, BuildArgs: c.buildArgs, Network: c.network})
	if err != nil {
		if why := buildFailure(tail.lines()); why != "" {
			fmt.Fprintf(out, "\nThe build failed: %s%s%s\n", why, baseImageArgs(filepath.Join(abs, "Dockerfile"), why), newerGo(plan, c.buildArgs, tail.lines())+cgoLeftOut(plan, tail.lines()))
		}
		return nil, "", fmt.Errorf("init --verify: %w; the files init wrote stay in place: fix them, then run shipshape build %s", err, dir)
	}
	var own string
	if plan != nil && plan.Stack != nil {
		own = plan.Stack.ExampleEnvFile
	}
	env, from, err := exampleEnv(abs, own)
	if err != nil {
		return nil, "", usageErrorf("%v", err)
	}
	if from != "" {
		fmt.Fprintf(out, "The run gets the %d variables of %s (the values the repository documents).\n", len(env), from)
	}
	if plan != nil && plan.Stack != nil {
		// What the image sets (its port variable, NODE_ENV) stays the
		// image's: the run proves what is deployed.
		env = withComposeEnv(out, env, plan.Stack.ComposeEnv, imageEnvKeys(filepath.Join(abs, "Dockerfile")))
	}
	env = c.runEnv(out, env, plan, imageEnvKeys(filepath.Join(abs, "Dockerfile")))
	opts := verify.Options{Timeout: 60 * time.Second, Grace: 10 * time.Second, Env: env}
	migrated := false // the migrations ran on a database server the run started
	if plan != nil {
		if opts.Cmd = plan.Command(); len(opts.Cmd) > 0 {
			fmt.Fprintf(out, "The run passes %s, as compose.yaml does (the flag's default is loopback).\n", strings.Join(opts.Cmd, " "))
		}
		if pg := stackPage(plan); pg != nil && plan.HealthPath != pg.Value {
			// A health route answers where the page's templates or front
			// end are missing (echoip's html/ left out): the run asks for both.
			opts.Pages = []string{pg.Value}
			fmt.Fprintf(out, "The run requests %s too, the page the code serves (%s), besides the health route %s.\n", pg.Value, pg.Where(), plan.HealthPath)
		}
		deps, depEnv := generate.Dependencies(plan, verify.RandomSecret())
		for _, s := range c.images.substituteDependencies(out, deps) {
			c.standins = appendNew(c.standins, s)
		}
		var list []verify.Accessory
		var names, absent []string
		for _, d := range deps {
			if _, err := eng.ImageInspect(ctx, d.Image); err != nil {
				absent = append(absent, d.Alias+" ("+d.Image+")")
				continue
			}
			acc := verify.Accessory{Alias: d.Alias, Names: d.Names, Image: d.Image, Env: d.Env, Health: d.Health, Root: abs}
			var files []string
			for _, f := range d.Files {
				acc.Files = append(acc.Files, verify.AccessoryFile{Source: filepath.Join(abs, filepath.FromSlash(f.Source)), Target: f.Target})
				files = append(files, f.Source)
			}
			if len(files) > 0 {
				fmt.Fprintf(out, "%s gets the repository's set-up files %s at %s, as compose.yaml mounts them: the image runs them once on its empty database.\n",
					d.Alias, strings.Join(files, ", "), path.Dir(d.Files[0].Target))
			}
			list = append(list, acc)
			names = append(names, d.Alias+" ("+d.Image+")")
		}
		var brokers []string
		if plan.Stack != nil {
			for _, b := range plan.Stack.Brokers {
				if generate.StartsBroker(b.Value) {
					continue // among deps, started above
				}
				brokers = append(brokers, fmt.Sprintf("%s (%s:%d)", b.Value, b.File, b.Line))
			}
		}
		if len(brokers) > 0 {
			fmt.Fprintf(out, "The app talks to %s, which init does not start: the run goes without, and proves nothing that needs it.\n", strings.Join(brokers, ", "))
			for _, b := range brokers {
				c.absent = appendNew(c.absent, b)
			}
		}
		if len(absent) > 0 {
			fmt.Fprintf(out, "The app talks to %s, whose image the engine does not have (verify pulls nothing): the run goes without, and proves nothing that needs it (--verify-image NAME=IMAGE runs an image the engine has in its place).\n", strings.Join(absent, ", "))
			c.absent = append(c.absent, absent...)
		}
		if len(list) > 0 {
			fmt.Fprintf(out, "The app talks to %s: started for the run on a network of its own, as a compose project runs the services beside an app.\n", strings.Join(names, ", "))
			// compose's environment wins over an env_file's: the example
			// file's DATABASE_URL (localhost, usually) is dropped, not
			// left to the engine's order of equal names. Said with the
			// variables the run sets (docmost's example DATABASE_URL at
			// localhost, replaced: the note said no variable reached db).
			withDeps := append(withoutNames(opts.Env, depEnv), depEnv...)
			if login := runLogin(list, withDeps); login != "" {
				// An app that logs in with its own user (listmonk's
				// LISTMONK_db__user) is refused: the user can see why.
				fmt.Fprintf(out, "%s\n", login)
			}
			acc, err := verify.StartAccessories(ctx, eng, list, 90*time.Second)
			if err != nil {
				fmt.Fprintf(out, "  not started: %v; the run goes on without them.\n", err)
			} else {
				defer acc.Stop()
				opts.Network = acc.Network
				opts.Services = acc.Services(ctx)
				opts.Env = withDeps
				c.migrate(ctx, out, eng, img.Ref, plan, opts)
				migrated = true
			}
		}
	}
	if plan != nil && plan.Stack != nil && !migrated && plan.Stack.Has("sqlite") && generate.MigrateCommand(plan) != nil {
		// A SQLite database's migrations run too, on the volume the app
		// then mounts (flask-todolist passed on a page that reads no
		// table while its migrations had nowhere to write).
		if done := dataVolume(ctx, eng, plan, &opts); done != nil {
			defer done()
		}
		c.migrate(ctx, out, eng, img.Ref, plan, opts)
	}
	if plan != nil && plan.Stack != nil {
		if done := c.setUp(ctx, out, eng, img.Ref, plan, &opts); done != nil {
			defer done()
		}
	}
	opts.PagesUnproven = c.pagesUnproven()
	rep, err := verify.Image(ctx, eng, img.Ref, opts)
	if err != nil {
		return nil, "", &exitError{code: exitUsage, err: fmt.Errorf("init --verify: %v", err)}
	}
	// An app that stops for want of a variable nothing here sets runs
	// again, the same image, with a placeholder for it.
	for try := 0; try < maxPlaceholderRuns && !rep.Passed(); try++ {
		names, why := wantedVars(rep.Diagnosis, plan, opts.Env)
		if len(names) == 0 {
			break
		}
		fmt.Fprintf(out, "The app stopped for want of %s (%s): verifying the same image again with a generated placeholder for each, passed to this run only.\n",
			strings.Join(names, ", "), why)
		for _, n := range names {
			opts.Env = append(opts.Env, n+"="+placeholderFor(n, plan))
			c.placeheld = appendNew(c.placeheld, n)
		}
		opts.PagesUnproven = c.pagesUnproven()
		if rep, err = verify.Image(ctx, eng, img.Ref, opts); err != nil {
			return nil, "", &exitError{code: exitUsage, err: fmt.Errorf("init --verify: %v", err)}
		}
	}
	printReport(out, img.Ref, rep)
	return rep, img.Ref, nil
}

// migrate applies the app's migrations to the run's new database before
// the app starts, as compose's app-migrate service and the Kubernetes Job
// do before theirs (miniflux exits "the database schema is not up to
// date" otherwise). A failure is said, and the run goes on: verify's
// diagnosis then names what the app makes of it, and a pass is none
// (compose.yaml's app waits for the step to succeed).
func (c *initCommand) migrate(ctx context.Context, out io.Writer, eng *client.Client, ref string, plan *generate.Plan, opts verify.Options) {
	if plan == nil || plan.Stack == nil {
		return
	}
	cmd := generate.MigrateCommand(plan)
	if cmd == nil {
		return
	}
	as := "as compose.yaml's migrate service does"
	if plan.ComposeKept != "" {
		as = "as a release does (" + plan.ComposeKept + " has no service that does)"
	}
	fmt.Fprintf(out, "The run applies the migrations first, %s: %s (%s).\n", as, strings.Join(cmd, " "), plan.Stack.Migrate.Where())
	// Its $(NAME) references, as Kubernetes resolves them, from the run's
	// environment; printed as references, without the password.
	c.migrateFailed = ""
	if err := verify.RunStep(ctx, eng, ref, generate.ExpandRefs(cmd, opts.Env), opts, 2*time.Minute); err != nil {
		fmt.Fprintf(out, "  the migrations failed: %v\n", err)
		c.migrateFailed = strings.Join(cmd, " ")
	}
}

// setUp runs the command the project declares to create a new database
// (flaskr's `flask init-db`) before the app starts: the run's database is
// new, and without its tables every page but a constant one fails ("no
// such table: post"). A SQLite database is on a named volume at the
// image's data directory, which the run then mounts; a database server
// is one the run started, on its network. A failure is said, and the run
// goes on. done removes the volume; nil when there is none.
func (c *initCommand) setUp(ctx context.Context, out io.Writer, eng *client.Client, ref string, plan *generate.Plan, opts *verify.Options) (done func()) {
	cmd := generate.SetupCommand(plan)
	if cmd == nil {
		return nil
	}
	done = dataVolume(ctx, eng, plan, opts)
	e := plan.Stack.SetupCommand
	fmt.Fprintf(out, "The run's database is new: it runs the set-up command the app declares first (%s), as a new deployment does once: %s.\n", e.Where(), strings.Join(cmd, " "))
	if err := verify.RunStep(ctx, eng, ref, cmd, *opts, 2*time.Minute); err != nil {
		fmt.Fprintf(out, "  the set-up failed: %v\n", err)
	}
	return done
}

// dataVolume mounts a named volume at the image's data directory for the
// run's steps and the app, where none is mounted yet; done removes it
// (nil when none was mounted).
func dataVolume(ctx context.Context, eng *client.Client, plan *generate.Plan, opts *verify.Options) (done func()) {
	if plan.DataDir == "" || slices.ContainsFunc(opts.Mounts, func(m mount.Mount) bool { return m.Target == plan.DataDir }) {
		return nil
	}
	volume := "shipshape-verify-" + verify.RandomSecret()
	opts.Mounts = append(opts.Mounts, mount.Mount{Type: mount.TypeVolume, Source: volume, Target: plan.DataDir})
	return func() {
		_, _ = eng.VolumeRemove(context.WithoutCancel(ctx), volume, client.VolumeRemoveOptions{Force: true})
	}
}

// imageEnvKeys are the variables the final stage of the Dockerfile at
// path sets with ENV; none when it cannot be read.
func imageEnvKeys(path string) map[string]bool {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	f, err := dockerfile.Parse(src, dockerfile.Options{Path: path})
	if err != nil || f.FinalStage() == nil {
		return nil
	}
	return f.FinalStage().EnvKeys()
}

// maxPlaceholderRuns bounds the runs again for variables a log names:
// each costs a start of the image (and its wait for health).
const maxPlaceholderRuns = 3

// runLogin says with which user and database the run's SQL database is
// made (not its password, made for this run alone, which stays out of
// logs), and the variables of env that point the app at it; "" when the
// run starts none.
func runLogin(list []verify.Accessory, env []string) string {
	for _, a := range list {
		get := func(keys ...string) string {
			for _, kv := range a.Env {
				for _, k := range keys {
					if v, ok := strings.CutPrefix(kv, k+"="); ok {
						return v
					}
				}
			}
			return ""
		}
		if pw := get("POSTGRES_PASSWORD", "MYSQL_PASSWORD", "MYSQL_ROOT_PASSWORD"); pw != "" {
			user := get("POSTGRES_USER", "MYSQL_USER")
			if user == "" {
				user = "root"
			}
			var through []string
			for _, kv := range env {
				k, v, _ := strings.Cut(kv, "=")
				for _, n := range append([]string{a.Alias}, a.Names...) {
					// db, db:5432, postgres://u:p@db:5432/x, go-sql-driver's
					// u:p@tcp(db:3306)/x.
					if v == n || strings.HasPrefix(v, n+":") || strings.Contains(v, "@"+n+":") || strings.Contains(v, "@"+n+"/") || strings.Contains(v, "@tcp("+n+":") {
						through = append(through, k)
						break
					}
				}
			}
			gets := "which the app gets through " + strings.Join(through, ", ")
			if len(through) == 0 {
				gets = "which the run gives the app through no variable it sets (the app finds it its own way, or not at all)"
			}
			return fmt.Sprintf("Its database %s is made with user %s, database %s and a password made for this run (compose takes them from .env), %s: an app that logs in with others is refused.",
				a.Alias, user, get("POSTGRES_DB", "MYSQL_DATABASE"), gets)
		}
	}
	return ""
}

// runEnv is the environment of a verify run besides the services it
// starts: the example file's values, where a secret's documented value
// is a placeholder ("random", "changethis") a generated one instead
// (apps refuse known defaults), and generated placeholders for the
// variables the app requires that nothing here sets (the example, the
// services started, or the image's own ENV, imageEnv). Nothing of it is
// written to a file; init says what it made up.
func (c *initCommand) runEnv(out io.Writer, env []string, plan *generate.Plan, imageEnv map[string]bool) []string {
	var replaced []string
	for i, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		if secretName.MatchString(k) && !secretSetting.MatchString(k) && placeholderValue(v) {
			env[i] = k + "=" + generatedSecret()
			replaced = append(replaced, k)
		}
	}
	if len(replaced) > 0 {
		fmt.Fprintf(out, "The example values of %s are placeholders, which apps refuse: the run gets generated secrets instead (not written to any file).\n", strings.Join(replaced, ", "))
	}
	if plan == nil || plan.Stack == nil {
		return env
	}
	// The address the app binds: every address, whatever the example says.
	if h := plan.Stack.HostVar; h != nil {
		for i, kv := range env {
			if k, v, _ := strings.Cut(kv, "="); k == h.Value && v != "0.0.0.0" && !strings.HasPrefix(v, "0.0.0.0:") {
				_, port, hasPort := strings.Cut(v, ":")
				env[i] = k + "=0.0.0.0"
				if hasPort {
					env[i] += ":" + port
				}
				fmt.Fprintf(out, "The example sets %s=%s, where nothing outside the container reaches the app: the run uses %s, as the image does (set it so in the .env of each host).\n", k, v, strings.TrimPrefix(env[i], k+"="))
			}
		}
	}
	// The variables the image points at its port and data volume: an
	// example's value (podgrab's committed .env, CONFIG=.) would put the
	// app's files back on the read-only root. The image's value stays.
	owned := map[string]bool{plan.PortEnv: plan.PortEnv != ""}
	for _, e := range []*detect.Evidence{plan.Stack.DataDirVar, plan.Stack.SQLiteVar} {
		if e != nil {
			owned[e.Value] = true
		}
	}
	for _, f := range plan.Stack.ServeFlags {
		owned[f.Env] = f.Env != ""
	}
	for _, d := range plan.Stack.ConfigWriteDirs {
		owned[d.Value] = true
	}
	kept := env[:0]
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		if owned[k] && imageEnv[k] {
			fmt.Fprintf(out, "The example sets %s=%s, which the image sets for the app's port or data volume: the run keeps the image's value (leave %s out of the .env of each host, where it would override the image too).\n", k, v, k)
			continue
		}
		if k == "NODE_ENV" && imageEnv[k] && v != "production" {
			// node-typescript-koa-rest's .example.env: NODE_ENV=development
			// passed a run whose image, as deployed, exits.
			fmt.Fprintf(out, "The example sets NODE_ENV=%s: the run keeps the image's production, what is deployed (leave NODE_ENV out of the .env of each host).\n", v)
			continue
		}
		kept = append(kept, kv)
	}
	env = kept
	// A development mode the example selects is not what production runs.
	for _, d := range plan.Stack.DevModes {
		name, _, _ := strings.Cut(d.Value, "=")
		for i, kv := range env {
			if k, v, _ := strings.Cut(kv, "="); k == name {
				env[i] = d.Value
				fmt.Fprintf(out, "The example sets %s=%s, a development mode %s tests: the run uses %s, as production should (set it in the .env of each host you deploy to).\n", name, v, d.Where(), d.Value)
			}
		}
	}
	set := map[string]bool{}
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		set[k] = true
	}
	if plan.PortEnv != "" {
		set[plan.PortEnv] = true // the image sets it
	}
	for k := range imageEnv {
		set[k] = true // NODE_ENV=production: the image's value is what it runs with
	}
	_, depEnv := generate.Dependencies(plan, "")
	for _, kv := range depEnv {
		k, _, _ := strings.Cut(kv, "=")
		set[k] = true
	}
	var made []string
	for _, e := range plan.Stack.Required {
		if !set[e.Value] {
			set[e.Value] = true
			env = append(env, e.Value+"="+placeholderFor(e.Value, plan))
			made = append(made, e.Value+" ("+e.Where()+")")
			c.placeheld = appendNew(c.placeheld, e.Value)
		}
	}
	for _, n := range c.placeheld {
		if !set[n] {
			set[n] = true
			env = append(env, n+"="+placeholderFor(n, plan))
			made = append(made, n+" (named by the last run)")
		}
	}
	if len(made) > 0 {
		fmt.Fprintf(out, "The app requires variables nothing here sets: the run gets generated placeholders for %s (not written to any file).\n", strings.Join(made, ", "))
	}
	// The app's own signing keys that .env.example lists for the user to
	// fill in: the run fills them in as a deployment would (gorsk panics
	// on an empty JWT_SECRET, "jwt secret length is 0", a log that names
	// no variable). A third party's credentials stay unset: set, they
	// switch on what they belong to.
	var filled []string
	for _, n := range generate.DotenvSecrets(plan) {
		base := n
		if b := plan.Stack.EnvBase[n]; b != "" {
			base = b // SHIORI_HTTP_SECRET_KEY, under its config's prefix
		}
		if !set[n] && appSecret.MatchString(base) && !thirdPartySecret.MatchString(n) {
			set[n] = true
			env = append(env, n+"="+generatedSecret())
			filled = append(filled, n)
		}
	}
	if len(filled) > 0 {
		fmt.Fprintf(out, "The run gets generated values for %s, which .env.example lists for you to fill in (not written to any file).\n", strings.Join(filled, ", "))
	}
	return env
}

// generatedSecret is a secret for one run: 96 hex characters (gorsk
// refuses a JWT secret under 64).
func generatedSecret() string {
	return strings.Repeat(verify.RandomSecret(), 4)
}

// appSecret is a secret the app signs or encrypts with, of its own
// making: JWT_SECRET, SECRET_KEY, SESSION_SECRET, ACCESS_SECRET,
// AUTH_JWT_SECRET, APP_KEY, and shiori's HTTP_SECRET_KEY under its
// config's prefix; only these words before it (MINIO_SECRET_KEY,
// RECAPTCHA_SECRET, SCALEWAY_SECRET_KEY are another service's).
var appSecret = regexp.MustCompile(`^(?:(?:JWT|SESSION|COOKIE|SIGNING|ENCRYPTION|APP|AUTH|ACCESS|REFRESH|TOKEN|HTTP|API_JWT)_)*(?:SECRET|SECRET_KEY)$|` +
	`^(?:(?:JWT|SESSION|COOKIE|SIGNING|ENCRYPTION|APP|AUTH)_)+KEY$`)

// thirdPartySecret is a credential another service issues (a client
// secret, an API key, a mail or cloud password).
var thirdPartySecret = regexp.MustCompile(`(?i)client|api|oauth|smtp|mail|aws|s3|pass|private|webhook|facebook|google|github|twitter|stripe|sendgrid|slack|sentry`)

// secretName is a variable that holds a secret of the app's own, which a
// generated value serves as well as any.
var secretName = regexp.MustCompile(`(?i)secret|password|passwd|(?:^|_)pass$|(?:^|_)salt$|(?:^|_)(?:app|session|sign|signing|encryption|private|cookie|secret|auth|jwt|hmac|master)_?key$`)

// secretSetting is a setting about a secret, not the secret
// (JWT_SECRET_KEY_EXPIRE_MINUTES_COUNT=15, PASSWORD_MIN_LENGTH=8): a
// generated string in its place would not parse.
var secretSetting = regexp.MustCompile(`(?i)_(?:count|minutes?|hours?|seconds?|days?|ttl|expire[sd]?|expiry|expiration|timeout|length|len|size|rounds|cost|algorithm|alg|min|max|file|path|dir)$`)

// placeholderValue reports whether a documented value is a stand-in for
// a real secret: a word that says so, or too short to be one.
func placeholderValue(v string) bool {
	l := strings.ToLower(v)
	for _, w := range []string{"random", "change", "secret", "example", "replace", "your", "xxx", "todo", "placeholder", "dummy", "insecure", "default", "<", "..."} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return len(v) < 8
}

// placeholderFor is a value of the shape a variable's name asks for: a
// host that resolves nowhere for an address, an address routed nowhere
// for an IP, a URL to it, UTC for TZ,
// false for a switch, a duration for a timeout, else a random secret.
func placeholderFor(name string, plan *generate.Plan) string {
	n := strings.ToUpper(name)
	has := func(suffixes ...string) bool {
		for _, s := range suffixes {
			if strings.HasSuffix(n, s) {
				return true
			}
		}
		return false
	}
	switch {
	case n == "TZ":
		return "UTC"
	case has("_URL", "_URI", "_DSN", "_ENDPOINT"):
		return "http://placeholder.invalid"
	case has("_IP"):
		return "192.0.2.1" // TEST-NET-1: documentation's, routed nowhere
	case has("_ADDR", "_ADDRESS"):
		return "placeholder.invalid:1"
	case has("_HOST", "_HOSTNAME", "_SERVER", "_DOMAIN"):
		return "placeholder.invalid"
	case has("PORT"):
		return "1"
	case has("_EMAIL", "_FROM"):
		return "placeholder@example.invalid"
	case n == "DEBUG" || has("_DEBUG", "_ENABLED") || strings.HasPrefix(n, "ENABLE_"):
		return "false"
	case strings.Contains(n, "TIMEOUT") || has("_DURATION", "_TTL", "_INTERVAL"):
		if plan != nil && plan.Stack != nil && plan.Stack.Language == "go" {
			return "30s"
		}
		return "30"
	}
	return verify.RandomSecret() + verify.RandomSecret()
}

// wantedVars are the variables a failed run stopped for that it did not
// set: those verify's diagnosis names, and those the code reads that the
// log's last lines name. why is the evidence, for the user.
func wantedVars(d *verify.Diagnosis, plan *generate.Plan, env []string) (names []string, why string) {
	if d == nil || (d.Failure != verify.Exited && d.Failure != verify.ExitedServing) {
		return nil, ""
	}
	set := map[string]bool{}
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		set[k] = true
	}
	for _, c := range d.Causes {
		if c.Kind == verify.MissingEnv && c.Subject != "" && !set[c.Subject] {
			set[c.Subject] = true
			names = append(names, c.Subject)
			why = "its log: " + c.Line
		}
	}
	for i := len(d.Logs) - 1; i >= 0 && i >= len(d.Logs)-5 && len(names) == 0; i-- {
		for _, m := range logRequires.FindAllStringSubmatch(d.Logs[i], -1) {
			if n := m[1] + m[2]; !set[n] {
				set[n] = true
				names = append(names, n)
				why = "its log: " + clipLine(d.Logs[i])
			}
		}
	}
	if len(names) > 0 || plan == nil || plan.Stack == nil {
		return names, why
	}
	for _, e := range plan.Stack.Env {
		if set[e.Value] || len(e.Value) < 4 || !strings.Contains(e.Value, "_") {
			continue
		}
		word := regexp.MustCompile(`\b` + regexp.QuoteMeta(e.Value) + `\b`)
		for i := len(d.Logs) - 1; i >= 0 && i >= len(d.Logs)-5; i-- {
			if word.MatchString(d.Logs[i]) {
				set[e.Value] = true
				names = append(names, e.Value)
				why = "its log names it, and the code reads it at " + e.Where() + ": " + clipLine(d.Logs[i])
				break
			}
		}
	}
	return names, why
}

// logRequires is a log line saying a variable must be set, where verify's
// causes do not name it: env-schema's "must have required property
// 'COOKIE_SECRET'", "X is required".
var logRequires = regexp.MustCompile(`(?i:required property|missing (?:required )?(?:property|key|variable)|must (?:be )?set)\W+([A-Z][A-Z0-9]*_[A-Z0-9_]+)\b|\b([A-Z][A-Z0-9]*_[A-Z0-9_]+)(?: or [A-Z][A-Z0-9_]+)*\W+(?i:is required|must be (?:set|provided|defined))`)

func clipLine(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 160 {
		return s[:160] + "…"
	}
	return s
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
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

// passed says what a passing image proved, and what it did not. It is
// false when the app's log says it could not use the database the run
// started (verify's "log" warning), or when the app's own code or
// configuration puts that database on the loopback interface
// (LoopbackConfig): the image passed,
// but the app cannot reach that database in any container, and a health
// route that reads no table hid it (romihakiem's Sequelize HOST:
// "localhost", every API call refused while verify passed on /).
func passed(out io.Writer, ref string, rep *verify.Report, after string, plan *generate.Plan, placeheld, standins []string, migrateFailed string) bool {
	// What the checks could not see, and which makes the pass none.
	var but []string
	if migrateFailed != "" {
		// The Calender app's SQLite file on the read-only root: its
		// release step failed, the app started anyway, and compose's
		// app-migrate then stopped `docker compose up`.
		but = append(but, fmt.Sprintf("But its release step failed (%s, above): compose.yaml starts the app only once its migrate service succeeds, and a Kubernetes release waits on the migrate Job, so neither would start it. Fix what the step's output names and run shipshape init --verify again.", migrateFailed))
	}
	if deps, _ := generate.Dependencies(plan, ""); len(deps) > 0 {
		// The run's database was up before the app started: a log that
		// says the app could not use it is no retry at start.
		for _, ch := range rep.Checks {
			if ch.Name == "log" && ch.Warning {
				but = append(but, fmt.Sprintf("But it could not use the database the run started: %s. Its health route does not use the database, so the other checks could not see it; fix what the log names and run shipshape init --verify again.", ch.Detail))
			}
		}
	}
	for _, e := range loopbackConfig(plan) {
		if !plan.Has(e.Value) {
			continue
		}
		but = append(but, fmt.Sprintf("But it cannot reach its %s: %s:%d puts it at %s (the note above), which in the container is the container itself; the run's %s was at %s, and where it is deployed it will be elsewhere too. Its health route does not use the database, so the checks could not see it. Change that line to %s (or make the code read the address from a variable) and run shipshape init --verify again.",
			e.Value, e.File, e.Line, e.Why, e.Value, generate.ComposeAddress(e.Value, e.Why), generate.ComposeAddress(e.Value, e.Why)))
	}
	served := "its health route"
	if len(rep.Pages) > 0 {
		served += " and its page " + strings.Join(rep.Pages, ", ")
	}
	verdict := "passed verify"
	if len(but) > 0 {
		verdict = "passed verify's checks" // and yet does not pass: said below
	}
	fmt.Fprintf(out, "\n%s %s%s: it started, turned healthy in %v, served %s, ran as non-root and stopped cleanly.\n",
		ref, verdict, after, time.Duration(rep.StartupMS)*time.Millisecond, served)
	if len(standins) > 0 {
		fmt.Fprintf(out, "Verified with %s (--verify-image, this run only): the files keep the images they name, which this run did not start.\n", strings.Join(standins, ", "))
	}
	if note := generate.UnappliedMigrations(plan); note != "" {
		fmt.Fprintf(out, "Its database started without %s: its health route passing does not prove the app works with them.\n", note)
	}
	if len(placeheld) > 0 {
		fmt.Fprintf(out, "It ran with generated placeholder values for %s: set real ones where it runs (.env for compose, the Kubernetes Secret). A placeholder address reaches nothing: what the app does with the service it names was not proven.\n",
			strings.Join(placeheld, ", "))
	}
	for _, ch := range rep.Checks {
		if ch.Name == "connects" && ch.Warning {
			fmt.Fprintf(out, "That it can use the services the run started beside it was not proven: %s.\n", ch.Detail)
		}
	}
	for _, b := range but {
		fmt.Fprintln(out, b)
	}
	return len(but) == 0
}

func loopbackConfig(plan *generate.Plan) []detect.Evidence {
	if plan == nil || plan.Stack == nil {
		return nil
	}
	return plan.LoopbackConfig()
}

// stopped says why init --verify gives up on an image and what would fix
// it; applied is the change init already made, which a rerun must repeat.
func stopped(out io.Writer, dir, ref string, rep *verify.Report, plan *generate.Plan, applied *planChange, absent []string) {
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
	switch {
	case len(absent) > 0 && imageCause(rep.Diagnosis):
		// A module the image lacks stops it before any connection
		// (your_spotify's ERR_MODULE_NOT_FOUND): the services come after.
		fmt.Fprintf(out, "The services it talks to were not started either (%s): the cause above comes first.\n", strings.Join(absent, ", "))
	case len(absent) > 0:
		fmt.Fprintf(out, "The services it talks to that were not started (%s) are the likely cause: run it where they are (docker compose up), or let it start without them and report them on its health route.\n", strings.Join(absent, ", "))
	}
	if plan != nil && plan.Stack != nil {
		for _, e := range plan.LoopbackConfig() {
			if otherCause(rep.Diagnosis) {
				// ezbookkeeping stopped on its missing public/, beside a
				// fallback constant that names 127.0.0.1:3306.
				fmt.Fprintf(out, "%s:%d puts %s at %s (the note above), and the run's %s is at %s: once the cause above is fixed, that may stop it too.\n", e.File, e.Line, e.Value, e.Why, e.Value, generate.ComposeAddress(e.Value, e.Why))
				continue
			}
			fmt.Fprintf(out, "%s:%d puts %s at %s (the note above), but the run's %s is at %s: that is the likely cause.\n", e.File, e.Line, e.Value, e.Why, e.Value, generate.ComposeAddress(e.Value, e.Why))
		}
		shippedSecrets(out, rep, plan.Stack)
	}
	if flags := rerunFlags(rep.Diagnosis, applied); flags != "" {
		fmt.Fprintf(out, "Flags that would fix it: shipshape init --force --verify %s %s\n", flags, dir)
		return
	}
	if rep.Diagnosis != nil {
		args := ""
		if plan.Stack != nil && argsRefused(plan.Stack, plan.Entrypoint) == "" {
			// webhook exits without -verbose or a hooks file, which its
			// log says.
			args = ", or --args with the arguments it needs (a log that names a flag or a file asks for them)"
		}
		fmt.Fprintf(out, "No port or health route fixes this (the plan runs %s, port %d, health %s): fix the app or its environment as the diagnosis says, or pass --entrypoint if that is not the server%s, then run shipshape init --verify %s again.\n",
			plan.Entrypoint, plan.Port, plan.HealthPath, args, dir)
	}
}

// shippedSecrets says, of each secret verify found in a file the image
// carries because the code reads it (viper's app.env: wpcodevo/golang-
// gorm-postgres's base64 RSA signing keys), why the file is there and what
// to do: the file's settings may ship, its secrets may not.
func shippedSecrets(out io.Writer, rep *verify.Report, s *detect.Stack) {
	for _, sec := range rep.Secrets {
		if sec.AllowedBy != "" {
			continue
		}
		for _, f := range s.RuntimeFiles {
			if !strings.HasSuffix(sec.Path, "/"+f.Value) && !strings.Contains(sec.Path, "/"+f.Value+"/") {
				continue // not this file, nor in this directory
			}
			fmt.Fprintf(out, "%s holds a secret (%s) and is in the image because %s (%s:%d): keep the secret out of the file the image carries (leave its value empty there and set it where the app runs: .env for compose, the Kubernetes Secret; a loader that reads the environment, as viper's AutomaticEnv does, takes it from there), then run shipshape init --verify again.\n",
				f.Value, sec.What, f.Why, f.File, f.Line)
		}
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
// compose would read it; else own, its framework's configuration file
// that detection names), and that file's name; none when it has none.
func exampleEnv(dir, own string) ([]string, string, error) {
	names := detect.ExampleEnvFiles
	if own != "" {
		names = append(slices.Clip(names), own)
	}
	for _, name := range names {
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

// withComposeEnv adds to env what the repository's own compose gives the
// app (detect.Stack.ComposeEnv) for the variables env does not set: its
// REDIS_DB "2", which go-url-shortener exits without.
func withComposeEnv(out io.Writer, env []string, compose []detect.Evidence, imageEnv map[string]bool) []string {
	set := maps.Clone(imageEnv)
	if set == nil {
		set = map[string]bool{}
	}
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		set[k] = true
	}
	var added []string
	for _, e := range compose {
		if !set[e.Value] {
			set[e.Value] = true
			env = append(env, e.Why)
			added = append(added, fmt.Sprintf("%s (%s)", e.Why, e.Where()))
		}
	}
	if len(added) > 0 {
		fmt.Fprintf(out, "The run gets what the repository's compose gives the app: %s.\n", strings.Join(added, ", "))
	}
	return env
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

// lineTail keeps the last lines written to it (the build's progress).
type lineTail struct {
	max  int
	buf  []string
	part []byte
}

func (t *lineTail) Write(p []byte) (int, error) {
	t.part = append(t.part, p...)
	for {
		i := bytes.IndexByte(t.part, '\n')
		if i < 0 {
			break
		}
		t.buf = append(t.buf, string(t.part[:i]))
		t.part = t.part[i+1:]
		if len(t.buf) > t.max {
			t.buf = t.buf[len(t.buf)-t.max:]
		}
	}
	if len(t.part) > 64<<10 {
		t.part = t.part[len(t.part)-64<<10:] // one endless line
	}
	return len(p), nil
}

func (t *lineTail) lines() []string { return append(t.buf, string(t.part)) }

var (
	unreachableBase = regexp.MustCompile(`^the base image (\S+) is not on the engine`)
	dockerfileArg   = regexp.MustCompile(`^\s*ARG\s+(\w+)=["']?([^\s"']+)`)
)

// baseImageArgs names the Dockerfile's ARGs whose default is the base
// image the build could not pull, as the --build-arg flags that replace
// it: a build stage and a runtime stage often both name it (BooksAPI's
// PYTHON_IMAGE and RUNTIME_IMAGE), and replacing one alone fails the same
// way. "" when why is another failure or no ARG holds the image.
func baseImageArgs(dockerfile, why string) string {
	m := unreachableBase.FindStringSubmatch(why)
	if m == nil {
		return ""
	}
	data, err := os.ReadFile(dockerfile)
	if err != nil {
		return ""
	}
	var flags []string
	for _, line := range strings.Split(string(data), "\n") {
		a := dockerfileArg.FindStringSubmatch(line)
		if a != nil && strings.TrimPrefix(strings.TrimPrefix(a[2], "docker.io/"), "library/") == m[1] {
			flags = append(flags, "--build-arg "+a[1]+"=IMAGE")
		}
	}
	if len(flags) == 0 {
		return ""
	}
	what := "argument names it"
	if len(flags) > 1 {
		what = "arguments name it: replace each"
	}
	return fmt.Sprintf(" (the Dockerfile's %s: %s)", what, strings.Join(flags, " "))
}

// goQualifiedUndefined is a compile error in the app's own code on a
// name of a package it imports: "controllers/file.go:51:22: undefined:
// gosseract.NewClient".
var goQualifiedUndefined = regexp.MustCompile(`^(?:#\d+ [\d.]+ )?[\w./-]+\.go:\d+:\d+: undefined: (\w+)\.\w+$`)

// cgoLeftOut says, when a Go build without cgo failed on a name of a
// package the app imports, that the package may define it only in files
// that import "C", which CGO_ENABLED=0 leaves out (otiai10/ocrserver's
// gosseract.NewClient, whose files link tesseract): init knows the C
// libraries of a few such packages (detect's goCLibraries), not all.
func cgoLeftOut(plan *generate.Plan, lines []string) string {
	if plan == nil || plan.Stack == nil || plan.Stack.Language != "go" || plan.Stack.CGO != nil {
		return ""
	}
	for _, l := range lines {
		if m := goQualifiedUndefined.FindStringSubmatch(l); m != nil {
			return fmt.Sprintf(". If package %s defines it only in files that import \"C\", the image's CGO_ENABLED=0 leaves them out: build with CGO_ENABLED=1, the development files of the C library it links in the build stage, and the library in a Debian runtime", m[1])
		}
	}
	return ""
}

// goDependencyUndefined is a compile error in a module the build
// downloaded: "/go/pkg/mod/google.golang.org/grpc@v1.81.1/...: undefined:
// http2.TrailerPrefix".
var goDependencyUndefined = regexp.MustCompile(`/pkg/mod/(\S+?@[^/\s]+)/\S+: undefined: (\S+)`)

// newerGo says, when a Go build failed on a name a dependency no longer
// finds and the image builds with a newer Go than go.mod's own line, that
// the newer Go may be why, and how to build with go.mod's line: init
// builds with the newest Go that satisfies go.mod (a minimum), and a
// dependency can drop a file under a newer release by a build constraint
// (TwiN/gatus: golang.org/x/net's http2 server under go1.27, which grpc
// still calls).
func newerGo(plan *generate.Plan, buildArgs []string, lines []string) string {
	if plan == nil || plan.Stack == nil || plan.Stack.Language != "go" || plan.Stack.Version == nil {
		return ""
	}
	for _, a := range buildArgs {
		if strings.HasPrefix(a, "GO_IMAGE=") {
			return "" // the user chose the Go image already
		}
	}
	var m []string
	for _, l := range lines {
		if m = goDependencyUndefined.FindStringSubmatch(l); m != nil {
			break
		}
	}
	if m == nil {
		return ""
	}
	res, err := generate.Runtime(plan.Stack)
	declared := plan.Stack.Version.Value
	line := declared // go.mod's go line: 1.26 or 1.26.3
	if parts := strings.Split(declared, "."); len(parts) > 2 {
		line = parts[0] + "." + parts[1]
	}
	if err != nil || !runtimes.Older(line, res.Release.Line) {
		return ""
	}
	image := "golang:" + line + "-bookworm"
	for _, r := range runtimes.Today().Releases(runtimes.Go) {
		if r.Line == line {
			image = "golang:" + r.Newest + "-bookworm"
		}
	}
	cgo := ""
	if plan.Stack.CGO == nil {
		// bimg's files that call libvips import "C": CGO_ENABLED=0
		// leaves them out, and its other files name what they define.
		cgo = fmt.Sprintf(". Or %s needs cgo, which the image builds without (CGO_ENABLED=0): if its files import \"C\", build with CGO_ENABLED=1, the development files of the C library it links in the build stage, and the library in a Debian runtime", m[1])
	}
	return fmt.Sprintf(". The image builds with Go %s, the newest release go.mod's go %s allows, and %s may not build with it: a dependency can leave out a file under a newer Go by a build constraint. If so, go.mod's own line builds it: --build-arg GO_IMAGE=%s (or update %s)%s",
		res.Version, declared, m[1], image, m[1], cgo)
}

var (
	// BuildKit's plain progress: "#11 1.235 go: ..." is a step's output.
	buildStep = regexp.MustCompile(`^#\d+ (?:\d+\.\d+(?: |$))?`)
	// What a failed build says, most telling first.
	buildCauses = []struct {
		re  *regexp.Regexp
		say func(m []string) string
	}{
		{regexp.MustCompile(`^go: (\S+@\S+): reading (https?://[^/\s]+)\S*: (\d{3} [\w ]+)`), func(m []string) string {
			return fmt.Sprintf("the Go module proxy %s answers %s for %s: the module is not downloadable from here; vendor it (go mod vendor), or build where a proxy serves it", m[2], m[3], m[1])
		}},
		// akhilrex/podgrab's go.sum (go 1.15) lacks golang.org/x/sys's
		// own hash, which go-isatty needs: Go since 1.16 will not add it
		// during a build.
		{regexp.MustCompile(`missing go\.sum entry for module providing package (\S+)(?: \(imported by ([^)\s]+)\))?`), func(m []string) string {
			by := ""
			if m[2] != "" {
				by = ", which " + m[2] + " imports"
			}
			return fmt.Sprintf("the repository's go.sum lacks the checksum of the module that provides %s%s: run go mod tidy and commit go.mod and go.sum (Go 1.16 and later do not add checksums during a build)", m[1], by)
		}},
		// eliyahukoren/monorepo's build script runs pnpm, which an npm
		// image does not have: "sh: 1: pnpm: not found", exit 127.
		{regexp.MustCompile(`^(?:/bin/)?(?:sh|bash): (?:\d+: |line \d+: )?([\w.+-]+): (?:not found|command not found)$`), func(m []string) string {
			return fmt.Sprintf("a build step runs %s, which its stage does not have: install it in the stage, or run the step with the program the repository uses", m[1])
		}},
		// A cgo package of a C library the builder lacks (bimg's libvips
		// on a Go image with the C compiler alone).
		// Its link, when the compiled package came from the build cache.
		{regexp.MustCompile(`Package (\S+) was not found in the pkg-config search path|fatal error: ([\w./+-]+\.h): No such file or directory|/ld: cannot find -l([\w.+-]+)`), func(m []string) string {
			what := "pkg-config's " + m[1]
			switch {
			case m[2] != "":
				what = "the header " + m[2]
			case m[3] != "":
				what = "lib" + m[3]
			}
			return fmt.Sprintf("the build compiles C code that needs the development files of a C library of the system (%s), which the build image lacks: install its Debian package in the build stage (its -dev package: apt-cache search finds it) and the library in a Debian runtime", what)
		}},
		{regexp.MustCompile(`pattern (\S+): no matching files found`), func(m []string) string {
			return fmt.Sprintf("a //go:embed pattern (%s) names files the repository does not hold: generate or commit them before the build", m[1])
		}},
		{regexp.MustCompile(`/v2/(?:library/)?([\w./-]+)/manifests/([\w.-]+)`), func(m []string) string {
			return fmt.Sprintf("the base image %s:%s is not on the engine and its registry is not reachable: pull or build it, or pass --build-arg with an image the engine has", m[1], m[2])
		}},
		{regexp.MustCompile(`(?:getaddrinfo (?:ENOTFOUND|EAI_AGAIN)|Could not resolve host:?|dial tcp: lookup|Temporary failure in name resolution[^\n]*host|Failed to establish a new connection[^\n]*host=')\s*'?([\w.-]+\.[a-z]{2,})`), func(m []string) string {
			return fmt.Sprintf("the build downloads from %s, which the build network cannot reach", m[1])
		}},
		// pip retries an index it cannot reach, then says "No matching
		// distribution": the index was never asked (miguelgrinberg/
		// microblog-api's first try, pypi.org unresolvable).
		{regexp.MustCompile(`Retrying .*Failed to establish a new connection: \[Errno -?\d+\] ([^'"]+?)'[^/]*(/\S*)`), func(m []string) string {
			return fmt.Sprintf("pip could not reach its package index (%s, asking for %s): the build network does not reach it; pass --build-arg PIP_INDEX_URL=... with an index it reaches", m[1], m[2])
		}},
		{regexp.MustCompile(`No matching distribution found for (\S+)`), func(m []string) string {
			return fmt.Sprintf("the package index has no release of %s that satisfies the requirement (pass --build-arg PIP_INDEX_URL=... for another index)", m[1])
		}},
		{regexp.MustCompile(`(?:failed to resolve source metadata for|pull access denied for|manifest for) (\S+?):? (?:not found|manifest unknown|repository does not exist)|failed to resolve source metadata for (\S+)`), func(m []string) string {
			return fmt.Sprintf("the base image %s is not on the engine and cannot be pulled: pull or build it, or pass --build-arg with another image", m[1]+m[2])
		}},
		// yarn refuses a dependency whose engines exclude the Node it
		// runs on (posquit0/koa-rest-api-boilerplate's elastic-apm-node
		// 3.14.0: ^8.6.0 || 10 || 12 || 13 || 14, on Node 24).
		{regexp.MustCompile(`error (\S+@\S+): The engine "node" is incompatible with this module\. Expected version "([^"]+)"\. Got "([^"]+)"`), func(m []string) string {
			say := fmt.Sprintf("%s supports Node %s, not %s: raise it to a release that supports Node %s", m[1], m[2], m[3], m[3])
			s := &detect.Stack{Language: "node", Version: &detect.Evidence{Value: m[2], File: "package.json"}}
			if res, err := generate.Runtime(s); err == nil {
				say += fmt.Sprintf(", or build on Node %s, the newest it supports (--build-arg NODE_IMAGE=%s", res.Release.Line, generate.BuilderImage(s))
				if res.EOL {
					say += fmt.Sprintf(", past its end of life since %s", res.Release.EOL.Format(time.DateOnly))
				}
				say += ")"
			}
			return say + "; yarn's --ignore-engines skips the check, at the risk that it fails at run time"
		}},
		// Yarn 2+ names the package it could not fetch, then the status,
		// over several YN0035 lines, and ends on "Failed with errors"
		// (mikro-orm/koa-ts-example-app: @mikro-orm/sqlite@npm:7.0.6).
		{regexp.MustCompile(`YN0035: \S* ?(\S+@npm:[^:\s]+): Package not found`), func(m []string) string {
			return fmt.Sprintf("yarn could not fetch %s: the registry the build reaches answers 404 for it (it does not serve the release the lock file pins); build where the registry serves it, or point .yarnrc.yml's npmRegistryServer at one that does", m[1])
		}},
		{regexp.MustCompile(`npm (?:ERR!|error) (?:code )?(E404|ETARGET|ENOTFOUND|ECONNREFUSED|ERESOLVE)`), func(m []string) string {
			return fmt.Sprintf("npm could not install the dependencies (%s): the lines above it say which package", m[1])
		}},
	}
)

var (
	npmFound    = regexp.MustCompile(`npm (?:ERR!|error) Found: (\S+@\S+)`)
	npmPeerLine = regexp.MustCompile(`npm (?:ERR!|error) (?:peer|peerOptional) ([^\s"]+@"[^"]*"|\S+) from (\S+@\S+)`)
)

var (
	// npm's 404 names the tarball it asked for, lines after "code E404"
	// (santiq/bulletproof-nodejs's lock file pins fs@0.0.2, unpublished).
	npm404 = regexp.MustCompile(`npm (?:ERR!|error) 404 Not Found - GET \S*?/((?:@[^/\s]+/)?[^/\s]+)/-/\S+?-(\d[^/\s]*)\.tgz`)
	// npm ci's refusal names what the lock file lacks, lines after its
	// usage-like first sentence (nasterblue's faker@4.1.0).
	npmLockMissing = regexp.MustCompile(`npm (?:ERR!|error) (?:Missing: (\S+) from lock file|Invalid: lock file's (\S+) does not satisfy (\S+))`)
)

// npmNamed is what npm's failure names lines after its first error line,
// which the line-by-line causes would stop at: the release the registry
// does not serve, or what package.json asks that the lock file lacks.
func npmNamed(lines []string) string {
	for _, raw := range lines {
		line := buildStep.ReplaceAllString(strings.TrimSpace(ansiEscape.ReplaceAllString(raw, "")), "")
		if m := npm404.FindStringSubmatch(line); m != nil {
			return fmt.Sprintf("the npm registry answers 404 for %s@%s, which the lock file pins: the release is unpublished or from another registry; move the package that requires it to a release that does not (npm ls %s says which), or build where a registry serves it (%s).",
				m[1], m[2], m[1], clipLine(line))
		}
		if m := npmLockMissing.FindStringSubmatch(line); m != nil {
			what := m[1] + " is in package.json but not in the lock file"
			if m[1] == "" {
				what = "the lock file's " + m[2] + " does not satisfy package.json's " + m[3]
			}
			return fmt.Sprintf("package.json and package-lock.json disagree (npm ci installs exactly what the lock file holds): %s; run npm install and commit the lock file it writes (%s).", what, clipLine(line))
		}
	}
	return ""
}

// npmPeerConflict names the two packages of an npm ERESOLVE: npm 7 and
// later refuse a tree where one package's peer range excludes the version
// another asks for (domain-driven-hexagon: @slonik/migrator 0.11.3 wants
// slonik 27 - 29, its package.json slonik ^31.2.4); npm 6 installed it.
func npmPeerConflict(lines []string) string {
	found, peer, from := "", "", ""
	for _, raw := range lines {
		line := buildStep.ReplaceAllString(strings.TrimSpace(ansiEscape.ReplaceAllString(raw, "")), "")
		if m := npmFound.FindStringSubmatch(line); m != nil && found == "" {
			found = m[1]
		} else if m := npmPeerLine.FindStringSubmatch(line); m != nil && found != "" && peer == "" {
			peer, from = m[1], m[2]
		}
	}
	if peer == "" {
		return ""
	}
	return fmt.Sprintf("npm refuses the dependency tree (ERESOLVE): %s asks for %s as a peer, but the project gets %s. npm 7 and later check peer ranges (npm 6 did not); "+
		"raise %s to a release whose range includes it, pin the other in package.json, or add an \"overrides\" entry, then commit the lock file npm writes",
		from, peer, found, from[:strings.LastIndex(from, "@")])
}

// nativeNAPIDownload is node-pre-gyp fetching an N-API binary (one for
// every Node release: ...-napi-v3-linux-x64-glibc.tar.gz), with its host.
var nativeNAPIDownload = regexp.MustCompile(`node-pre-gyp http GET https?://([^/\s]+)/\S*-napi-v\d`)

// nativeUnreachable is node-pre-gyp's download failing to reach its host.
var nativeUnreachable = regexp.MustCompile(`node-pre-gyp WARN Hit error ((?:getaddrinfo )?(?:ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN)\b.*?)\s*$`)

// nativePrebuilt is node-pre-gyp giving up on a native module's binary.
var nativePrebuilt = regexp.MustCompile(`Pre-built binaries not installable for (\S+) and node@(\S+)`)

// nativeModule says why a native module failed to install: node-pre-gyp
// found no binary for this Node that it could fetch (its download's
// failure, github.com unreachable, comes first in the output and is not
// the cause where none is published) and fell back to node-gyp, which
// needs python3, make and g++ (maitraysuthar/rest-api-nodejs-mongodb's
// bcrypt 3.0.6 on Node 24). "" for another failure.
func nativeModule(lines []string) string {
	gyp := false // node-gyp's compile failed too
	napi, unreachable := "", ""
	for _, raw := range lines {
		gyp = gyp || strings.Contains(raw, "gyp ERR! ")
		if m := nativeNAPIDownload.FindStringSubmatch(raw); m != nil && napi == "" {
			napi = m[1]
		}
		if m := nativeUnreachable.FindStringSubmatch(raw); m != nil && unreachable == "" {
			unreachable = m[1]
		}
	}
	for _, raw := range lines {
		m := nativePrebuilt.FindStringSubmatch(raw)
		if m != nil && gyp && napi != "" && unreachable != "" {
			// An N-API binary works on every Node: what failed is its
			// download (bcrypt 5's, from github.com, on this network).
			return fmt.Sprintf("the native module %s's prebuilt binary (N-API, for any Node release) is downloaded from %s, which the build network cannot reach (%s); compiling it from source then failed (node-gyp needs python3, make and g++, which the slim build image lacks): build where %s is reachable, or install those tools in the build stage.",
				m[1], napi, unreachable, napi)
		}
		if m != nil && gyp {
			return fmt.Sprintf("the native module %s has no prebuilt binary for Node %s that the build could fetch, and compiling it from source failed (node-gyp needs python3, make and g++, which the slim build image lacks): move %s to a release built for Node %s, or install those tools in the build stage (%s).",
				m[1], m[2], m[1], m[2], clipLine(strings.TrimSpace(buildStep.ReplaceAllString(strings.TrimSpace(raw), ""))))
		}
	}
	return ""
}

// buildFailure says why a build failed, from its last output lines: a
// cause it recognises; else the line that states the error (a compiler's
// file:line:col, npm's, yarn's, pnpm's, pip's or cargo's error line, a
// file COPY needs), in the failing step's output first; else the failing
// step and the line before it. The last line is often a hint ("go get
// ...", yarn's "info Visit https://yarnpkg.com/..."), not the error.
func buildFailure(lines []string) string {
	if why := npmPeerConflict(lines); why != "" {
		return why
	}
	if why := npmNamed(lines); why != "" {
		return why
	}
	if why := nativeModule(lines); why != "" {
		return why
	}
	for _, raw := range lines {
		line := buildStep.ReplaceAllString(strings.TrimSpace(ansiEscape.ReplaceAllString(raw, "")), "")
		for _, c := range buildCauses {
			if m := c.re.FindStringSubmatch(line); m != nil {
				return c.say(m) + " (" + clipLine(line) + ")."
			}
		}
	}
	failed, step := "", ""
	for i := len(lines) - 1; i >= 0; i-- {
		line := strings.TrimSpace(lines[i])
		if m := failedStep.FindStringSubmatch(line); m != nil {
			failed, step = m[1], m[2]
			if m[3] != "" {
				step = clipLine(step) + " failed (exit code " + m[3] + ")"
			} else {
				step = clipLine(step) + " failed"
			}
			break
		}
	}
	if e, n := buildErrorLine(lines, failed); e != "" {
		more := ""
		if n > 1 {
			more = fmt.Sprintf(" (the first of %d error lines)", n)
		}
		if step == "" {
			return clipLine(e) + more
		}
		return fmt.Sprintf("the step %s: %s%s", step, clipLine(e), more)
	}
	if step != "" {
		before := ""
		for i := len(lines) - 1; i >= 0; i-- {
			if failedStep.MatchString(strings.TrimSpace(lines[i])) {
				for j := i - 1; j >= 0; j-- {
					if b := buildStep.ReplaceAllString(strings.TrimSpace(lines[j]), ""); b != "" && !strings.HasPrefix(b, "#") {
						before = b
						break
					}
				}
				break
			}
		}
		return fmt.Sprintf("the step %s; its last line: %s", step, clipLine(before))
	}
	return ""
}

var (
	// ansiEscape is a terminal colour code (tsc colours its errors).
	ansiEscape = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)
	// failedStep is BuildKit's line for the step that failed, with its
	// number: "#13 ERROR: executor failed running [/bin/sh -c ...]: exit code: 1".
	failedStep = regexp.MustCompile(`^#(\d+) ERROR: executor failed running (.+?)(?:: exit code: (\d+))?$`)
	// stepOutput is a line a step printed: "#13 0.722 main.go:24:2: ...".
	stepOutput = regexp.MustCompile(`^#(\d+) \d+\.\d+ ?(.*)$`)
	// buildErrors are the lines that state a build's error, most precise
	// first: a compiler's position, then a tool's own error line, then a
	// tool's summary of an error stated elsewhere.
	buildErrors = []*regexp.Regexp{
		regexp.MustCompile(`^\S+\.go:\d+:\d+: \S`),                                                     // the Go compiler
		regexp.MustCompile(`^\S+\.(?:ts|tsx|mts|cts)[:(]\d+[:,]\d+\)?:? - error TS\d+|\berror TS\d+:`), // tsc
		regexp.MustCompile(`^error\[E\d+\]: `),                                                         // rustc
		regexp.MustCompile(`^npm (?:ERR!|error) \S`),
		regexp.MustCompile(`^error (?:[^C]|C[^o]|Co[^m]|Com[^m])`), // yarn 1, not its "error Command failed" summary
		regexp.MustCompile(`\bERR_PNPM_\w+`),
		// Yarn 2+'s error codes (not its info and warnings): a package it
		// could not build (YN0009: a native module, actualbudget's bcrypt
		// and better-sqlite3), an exception, a checksum, a lock file that
		// would change, a fetch.
		regexp.MustCompile(`^➤ YN00(?:01|09|18|28|35):`),
		regexp.MustCompile(`^ERROR: \S`),                                      // pip
		regexp.MustCompile(`^error: (?:[^c]|c[^o]|co[^u]|cou[^l])`),           // cargo, not "could not compile", its summary
		regexp.MustCompile(`^go: (?:[^dfe]|d[^o]|f[^i]|e[^x])`),               // go, not "go: downloading/finding/extracting"
		regexp.MustCompile(`^error Command failed|^error: could not compile`), // the summaries
	}
	// npmNoise are npm's error lines that state nothing about the error.
	npmNoise = regexp.MustCompile(`^npm (?:ERR!|error) (?:code |errno |syscall |A complete log|Log files were not written|You can rerun|\s*$)`)
	// missingCopy is BuildKit's word for a file COPY names that the
	// build context does not hold.
	missingCopy = regexp.MustCompile(`failed to (?:compute cache key|calculate checksum of ref [^:]*): "?([^"]+?)"?:? not found`)
)

// buildErrorLine is the line of the build output that states its error:
// the first that the most precise pattern matches, in the failing step's
// own output (failed, its number) when that has one, and how many lines
// that pattern matched there.
func buildErrorLine(lines []string, failed string) (string, int) {
	for _, raw := range lines {
		if m := missingCopy.FindStringSubmatch(ansiEscape.ReplaceAllString(raw, "")); m != nil {
			return fmt.Sprintf("COPY names %s, which the build context does not hold (not in the repository, or excluded by .dockerignore)", m[1]), 1
		}
	}
	for _, only := range []bool{true, false} {
		if only && failed == "" {
			continue
		}
		var out []string
		for _, raw := range lines {
			m := stepOutput.FindStringSubmatch(strings.TrimSpace(ansiEscape.ReplaceAllString(raw, "")))
			if m == nil || only && m[1] != failed {
				continue
			}
			out = append(out, strings.TrimSpace(m[2]))
		}
		for i, re := range buildErrors {
			first, n := "", 0
			for _, line := range out {
				if re.MatchString(line) && !npmNoise.MatchString(line) {
					if n == 0 {
						first = line
					}
					n++
				}
			}
			if n > 0 {
				if i > 2 {
					n = 1 // a tool's error lines are one error's; a compiler's are each one
				}
				return first, n
			}
		}
	}
	return "", 0
}

// stackPage is the page the code serves besides its health route, nil
// when init found none (or detected nothing).
func stackPage(plan *generate.Plan) *detect.Evidence {
	if plan.Stack == nil {
		return nil
	}
	return plan.Stack.Page
}

// pagesUnproven says why a page that fails in this run proves nothing
// about the image: the run gives what the page may need placeholders
// (microservices-demo's frontend renders / from 9 services, which get
// addresses that reach nothing) or goes without it. "" when the run
// lacks nothing.
func (c *initCommand) pagesUnproven() string {
	var why []string
	if len(c.placeheld) > 0 {
		why = append(why, "the run gave "+strings.Join(c.placeheld, ", ")+" placeholder values")
	}
	if len(c.absent) > 0 {
		why = append(why, "it went without "+strings.Join(c.absent, ", "))
	}
	if len(why) == 0 {
		return ""
	}
	return strings.Join(why, ", and ") + ", which the page may need"
}

// otherCause reports whether a diagnosis names a cause of its own that
// no database's address explains: a missing file, module, program or
// variable, a read-only root, an address the container lacks.
// imageCause reports whether the log names a cause in the image or its
// command (a module, a file, the entrypoint, a port, a program), which
// no service beside it explains.
func imageCause(d *verify.Diagnosis) bool {
	if d == nil {
		return false
	}
	for _, c := range d.Causes {
		switch c.Kind {
		case verify.MissingPythonModule, verify.MissingNodeModule, verify.MissingFile, verify.MissingConfig, verify.BadEntrypoint,
			verify.PrivilegedPort, verify.AddressInUse, verify.RemovedNodeAPI, verify.MissingProgram, verify.MissingFlag,
			verify.ReadOnlyFileSystem, verify.PermissionDenied:
			return true
		}
	}
	return false
}

func otherCause(d *verify.Diagnosis) bool {
	if d == nil {
		return false
	}
	for _, c := range d.Causes {
		switch c.Kind {
		case verify.DatabaseUnreachable, verify.MissingTable, verify.MissingMigration, verify.OldDatabaseDriver:
		default:
			return true
		}
	}
	return false
}
