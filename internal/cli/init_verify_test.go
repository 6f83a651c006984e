package cli

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/verify"
)

func TestPlanChangeFor(t *testing.T) {
	plan := generate.Options{Name: "svc", Port: 8080, HealthPath: "/healthz", Entrypoint: "."}
	diag := func(fix *verify.Fix) *verify.Diagnosis { return &verify.Diagnosis{Failure: verify.Unhealthy, Fix: fix} }
	cases := []struct {
		name      string
		user      generate.Options
		d         *verify.Diagnosis
		port      int    // 0: no change
		path      string // "": unchanged
		flags     string
		refused   string // a phrase of the refusal, if any
		noChanges bool
	}{
		{name: "other port", d: diag(&verify.Fix{Port: 5000, Why: "the app listens on 5000, not 8080"}), port: 5000, path: "/healthz", flags: "--port 5000"},
		{name: "health path", d: diag(&verify.Fix{HealthPath: "/", Why: "GET /healthz answered 404"}), port: 8080, path: "/", flags: "--health-path /"},
		{name: "both", d: diag(&verify.Fix{Port: 5000, HealthPath: "/ping", Why: "w"}), port: 5000, path: "/ping", flags: "--port 5000 --health-path /ping"},
		{name: "no fix in the diagnosis", d: diag(nil), noChanges: true},
		{name: "no diagnosis", d: nil, noChanges: true},
		{name: "a fix that changes nothing", d: diag(&verify.Fix{Port: 8080, Why: "w"}), noChanges: true},
		{name: "never overrides --port", user: generate.Options{Port: 8080}, d: diag(&verify.Fix{Port: 5000, Why: "the app listens on 5000"}),
			noChanges: true, refused: "Not changed: you passed --port 8080; the evidence says --port 5000 (the app listens on 5000)"},
		{name: "--health-path given, the port still changes", user: generate.Options{HealthPath: "/healthz"}, d: diag(&verify.Fix{Port: 5000, HealthPath: "/", Why: "w"}),
			port: 5000, path: "/healthz", flags: "--port 5000", refused: "you passed --health-path /healthz"},
		{name: "the user's --port agrees", user: generate.Options{Port: 5000}, d: diag(&verify.Fix{Port: 5000, Why: "w"}), noChanges: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := plan
			if c.user.Port != 0 {
				p.Port = c.user.Port
			}
			ch, refused := planChangeFor(p, c.user, c.d)
			if c.refused == "" && refused != "" || !strings.Contains(refused, c.refused) {
				t.Errorf("refused = %q, want %q", refused, c.refused)
			}
			if c.noChanges {
				if ch != nil {
					t.Errorf("change = %+v, want none", *ch)
				}
				return
			}
			if ch == nil {
				t.Fatal("no change")
			}
			if ch.opts.Port != c.port || ch.opts.HealthPath != c.path || ch.flags != c.flags || ch.why == "" {
				t.Errorf("change = port %d path %s flags %q why %q; want %d %s %q", ch.opts.Port, ch.opts.HealthPath, ch.flags, ch.why, c.port, c.path, c.flags)
			}
			if ch.opts.Name != "svc" || ch.opts.Entrypoint != "." {
				t.Errorf("the rest of the plan changed: %+v", ch.opts)
			}
		})
	}
}

func TestFixFlags(t *testing.T) {
	cases := []struct {
		d    *verify.Diagnosis
		want string
	}{
		{nil, ""},
		{&verify.Diagnosis{Fix: &verify.Fix{Port: 5000, HealthPath: "/"}}, "--port 5000 --health-path /"},
		{&verify.Diagnosis{Causes: verify.FindCauses([]string{`ERROR: Error loading ASGI app. Could not import module "main".`}, "")}, "--entrypoint <what runs>"},
		{&verify.Diagnosis{Causes: verify.FindCauses([]string{"Error: Cannot find module '/app/server.js'"}, "")}, "--entrypoint <what runs>"},
		{&verify.Diagnosis{Causes: verify.FindCauses([]string{"listen tcp :80: bind: permission denied"}, "")}, "--port <the port above 1024 the app listens on>"},
		{&verify.Diagnosis{Causes: verify.FindCauses([]string{"KeyError: 'SECRET_KEY'"}, "")}, ""},
	}
	for _, c := range cases {
		if got := fixFlags(c.d); got != c.want {
			t.Errorf("fixFlags(%+v) = %q, want %q", c.d, got, c.want)
		}
	}
}

func TestRerunFlags(t *testing.T) {
	applied := &planChange{opts: generate.Options{Port: 5000, HealthPath: "/healthz"}, flags: "--port 5000"}
	cases := []struct {
		d       *verify.Diagnosis
		applied *planChange
		want    string
	}{
		{&verify.Diagnosis{Fix: &verify.Fix{HealthPath: "/"}}, nil, "--health-path /"},
		// The port init already changed must be passed again with the new fix.
		{&verify.Diagnosis{Fix: &verify.Fix{HealthPath: "/"}}, applied, "--port 5000 --health-path /"},
		{&verify.Diagnosis{Fix: &verify.Fix{Port: 6000}}, applied, "--port 6000"},
		{&verify.Diagnosis{}, applied, ""},
	}
	for _, c := range cases {
		if got := rerunFlags(c.d, c.applied); got != c.want {
			t.Errorf("rerunFlags(%+v, %+v) = %q, want %q", c.d.Fix, c.applied, got, c.want)
		}
	}
}

// TestRewrite: the fix goes through the generator that wrote the files,
// rewrites only what init wrote, and never a file someone changed since.
func TestRewrite(t *testing.T) {
	dir := writeTree(t, goService)
	if code, out, errOut := run(t, dir, "", "init"); code != 0 {
		t.Fatalf("init: exit %d\n%s%s", code, out, errOut)
	}
	c := newInitCommand()
	c.opts.Name = filepath.Base(dir)
	set, err := c.detect(io.Discard, dir)
	if err != nil {
		t.Fatal(err)
	}
	files, err := generate.ProjectSet(set)
	if err != nil {
		t.Fatal(err)
	}
	written := map[string]string{}
	for _, f := range files {
		if f.Path != "compose.yaml" { // as if the user's own compose file were kept
			written[f.Path] = f.Content
		}
	}
	before, _ := os.ReadFile(filepath.Join(dir, "compose.yaml"))

	opts := set.Services[0].Plan.Options
	opts.Port = 5000
	plan, err := generate.Resolve(set.Services[0].Plan.Stack, opts)
	if err != nil {
		t.Fatal(err)
	}
	set.Services[0].Plan = plan
	paths, err := rewrite(dir, set, written)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(paths, "Dockerfile") || slices.Contains(paths, "compose.yaml") || slices.Contains(paths, ".dockerignore") {
		t.Errorf("rewrote %v, want the Dockerfile and not compose.yaml (not written) or .dockerignore (unchanged)", paths)
	}
	df, _ := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if !strings.Contains(string(df), "EXPOSE 5000") || !strings.Contains(string(df), "127.0.0.1:5000/healthz") {
		t.Errorf("the Dockerfile does not use port 5000:\n%s", df)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "compose.yaml")); string(after) != string(before) {
		t.Error("compose.yaml, which init did not write in this run, changed")
	}
	if written["Dockerfile"] != string(df) {
		t.Error("written does not follow the rewrite")
	}

	// Someone edits the Dockerfile: a second fix must not overwrite it.
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), append(df, "# mine\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	opts.Port = 6000
	if set.Services[0].Plan, err = generate.Resolve(plan.Stack, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := rewrite(dir, set, written); !errors.Is(err, generate.ErrConflict) {
		t.Errorf("rewrite over an edited Dockerfile: %v, want ErrConflict", err)
	}
}

func TestInit_VerifyIsNotADryRun(t *testing.T) {
	dir := writeTree(t, goService)
	code, out, errOut := run(t, dir, "", "init", "--dry-run", "--verify")
	if code != exitUsage || !strings.Contains(errOut, "--verify builds and runs what init writes, and --dry-run writes nothing: pass one of them") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "Dockerfile")); err == nil {
		t.Error("init --dry-run --verify wrote files")
	}
}

// The databases init --verify starts win over the example file's
// variables of the same name (dhax/go-base's dev.env points DB_DSN at
// localhost).
func TestWithoutNames(t *testing.T) {
	got := withoutNames([]string{"DB_DSN=postgres://localhost/x", "AUTH_JWT_SECRET=s"}, []string{"DB_DSN=postgresql://app:p@db:5432/app"})
	if len(got) != 1 || got[0] != "AUTH_JWT_SECRET=s" {
		t.Fatalf("%v", got)
	}
}
