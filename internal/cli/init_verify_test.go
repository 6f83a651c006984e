package cli

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
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

func TestRunEnv_PlaceholdersForSecretsAndRequiredVariables(t *testing.T) {
	s := &detect.Stack{Language: "go", Required: []detect.Evidence{
		{Value: "PRODUCT_CATALOG_SERVICE_ADDR", File: "main.go", Line: 132},
		{Value: "SESSION_SECRET", File: "main.go", Line: 140},
		{Value: "SERVER_PORT", File: "config.go", Line: 17},
	}}
	plan := &generate.Plan{Options: generate.Options{Port: 8080}, Stack: s, PortEnv: "SERVER_PORT"}
	// create-go-app/fiber-go-template: .env.example:4 STAGE_STATUS="dev",
	// which main.go:47 tests; a count named after its secret.
	s.DevModes = []detect.Evidence{{Value: "STAGE_STATUS=prod", File: "main.go", Line: 47}}
	// golang-mongodb-rest-api-starter's .env.example: SERVER_ADDR=localhost.
	s.HostVar = &detect.Evidence{Value: "SERVER_ADDR", File: ".env.example", Line: 2}
	c := &initCommand{}
	var out strings.Builder
	env := c.runEnv(&out, []string{"SESSION_SECRET=changeme", "API_TOKEN_TTL=15m", "AUTH_JWT_EXPIRY=15m", "LOG_LEVEL=debug",
		"JWT_SECRET_KEY_EXPIRE_MINUTES_COUNT=15", "STAGE_STATUS=dev", "SERVER_ADDR=localhost"}, plan, nil)
	got := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		got[k] = v
	}
	if v := got["SESSION_SECRET"]; v == "changeme" || len(v) < 32 {
		t.Errorf("SESSION_SECRET = %q: a documented placeholder is replaced by a generated secret", v)
	}
	if got["AUTH_JWT_EXPIRY"] != "15m" || got["API_TOKEN_TTL"] != "15m" || got["LOG_LEVEL"] != "debug" || got["JWT_SECRET_KEY_EXPIRE_MINUTES_COUNT"] != "15" {
		t.Errorf("values that are not secrets changed: %v", got)
	}
	if got["PRODUCT_CATALOG_SERVICE_ADDR"] != "placeholder.invalid:1" {
		t.Errorf("PRODUCT_CATALOG_SERVICE_ADDR = %q", got["PRODUCT_CATALOG_SERVICE_ADDR"])
	}
	if _, ok := got["SERVER_PORT"]; ok {
		t.Errorf("SERVER_PORT got a placeholder; the image sets it")
	}
	if got["SERVER_ADDR"] != "0.0.0.0" || !strings.Contains(out.String(), "The example sets SERVER_ADDR=localhost, where nothing outside the container reaches the app: the run uses 0.0.0.0") {
		t.Errorf("SERVER_ADDR = %q: the address the app binds is every address in the run; said:\n%s", got["SERVER_ADDR"], out.String())
	}
	if got["STAGE_STATUS"] != "prod" || !strings.Contains(out.String(), "The example sets STAGE_STATUS=dev, a development mode main.go:47 tests: the run uses STAGE_STATUS=prod") {
		t.Errorf("STAGE_STATUS = %q: the development mode the example selects is not what production runs; said:\n%s", got["STAGE_STATUS"], out.String())
	}
	if !strings.Contains(out.String(), "PRODUCT_CATALOG_SERVICE_ADDR (main.go:132)") || !strings.Contains(out.String(), "not written to any file") {
		t.Errorf("output does not say what was made up:\n%s", out.String())
	}
	if !slices.Equal(c.placeheld, []string{"PRODUCT_CATALOG_SERVICE_ADDR"}) {
		t.Errorf("placeheld = %v", c.placeheld)
	}
}

// A required variable the image's own ENV sets is not made up: the
// generated Node Dockerfile sets NODE_ENV=production, which a Joi schema
// requires to be one of production, development, test
// (node-express-boilerplate), and a placeholder would break it.
func TestRunEnv_TheImageEnvIsSet(t *testing.T) {
	dir := t.TempDir()
	df := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(df, []byte("FROM node:24 AS build\nENV BUILD_ONLY=1\nFROM node:24-slim\nENV NODE_ENV=production\nUSER 10001\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := &detect.Stack{Language: "node", Required: []detect.Evidence{
		{Value: "NODE_ENV", File: "src/config/config.js", Line: 9},
		{Value: "BUILD_ONLY", File: "src/config/config.js", Line: 10},
	}}
	c := &initCommand{}
	var out strings.Builder
	env := c.runEnv(&out, nil, &generate.Plan{Stack: s}, imageEnvKeys(df))
	if len(env) != 1 || !strings.HasPrefix(env[0], "BUILD_ONLY=") {
		t.Fatalf("env = %v, want a placeholder for BUILD_ONLY alone (a build stage's ENV is not the image's)", env)
	}
	if strings.Contains(out.String(), "NODE_ENV") {
		t.Errorf("output names NODE_ENV:\n%s", out.String())
	}
}

// A variable the image points at its data volume or port is the image's
// in the run, whatever the example says: podgrab's committed .env sets
// CONFIG=., which put its SQLite file on the read-only root (the run
// failed, the image alone worked). Another variable of the example stays.
func TestRunEnv_TheImageKeepsItsDataAndPortVariables(t *testing.T) {
	dir := t.TempDir()
	df := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(df, []byte("FROM golang AS build\nFROM gcr.io/distroless/base\nENV CONFIG=/app/data PORT=8080\nUSER 10001\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := &detect.Stack{Language: "go", DataDirVar: &detect.Evidence{Value: "CONFIG", File: "main.go", Line: 145}}
	c := &initCommand{}
	var out strings.Builder
	env := c.runEnv(&out, []string{"CONFIG=.", "PORT=3000", "CHECK_FREQUENCY=30"}, &generate.Plan{Stack: s, PortEnv: "PORT"}, imageEnvKeys(df))
	if strings.Join(env, " ") != "CHECK_FREQUENCY=30" {
		t.Errorf("env = %v, want the example's CONFIG and PORT left to the image", env)
	}
	if !strings.Contains(out.String(), "The example sets CONFIG=., which the image sets for the app's port or data volume") {
		t.Errorf("output does not say it:\n%s", out.String())
	}
}

// The app's own signing keys that .env.example lists for the user to
// fill in get generated values in the run, as a deployment would have
// them (gorsk panics on an empty JWT_SECRET with "jwt secret length is
// 0"); another service's credentials stay unset, since setting one
// switches on what it belongs to (miniflux's OAUTH2_CLIENT_SECRET).
func TestRunEnv_FillsInTheAppsOwnSecrets(t *testing.T) {
	var env []detect.Evidence
	for _, n := range []string{"JWT_SECRET", "ACCESS_SECRET", "SECRET_KEY", "SHIORI_HTTP_SECRET_KEY", "SESSION_SECRET",
		"OAUTH2_CLIENT_SECRET", "YOUTUBE_API_KEY", "ADMIN_PASSWORD", "MEDIA_PROXY_PRIVATE_KEY", "FACEBOOK_SECRET", "MAIL_PASSWORD",
		"SSL_DNS_ROUTE53_SECRET_ACCESS_KEY", "SSL_DNS_SCALEWAY_SECRET_KEY", "MAPBOX_KEY", "MINIO_SECRET_KEY", "RECAPTCHA_SECRET", "PAYPAL_SECRET", "LINE_CHANNEL_SECRET"} {
		env = append(env, detect.Evidence{Value: n, File: "main.go", Line: 1})
	}
	plan := &generate.Plan{Options: generate.Options{Name: "x", Port: 8080}, Stack: &detect.Stack{Language: "go", Env: env,
		EnvBase: map[string]string{"SHIORI_HTTP_SECRET_KEY": "HTTP_SECRET_KEY"}}}
	c := &initCommand{}
	var out strings.Builder
	got := map[string]string{}
	for _, kv := range c.runEnv(&out, []string{"SESSION_SECRET=documented-and-long-enough-value-here"}, plan, nil) {
		k, v, _ := strings.Cut(kv, "=")
		got[k] = v
	}
	for _, n := range []string{"JWT_SECRET", "ACCESS_SECRET", "SECRET_KEY", "SHIORI_HTTP_SECRET_KEY"} {
		if len(got[n]) < 64 { // gorsk refuses a JWT secret under 64
			t.Errorf("%s = %q, want a generated secret", n, got[n])
		}
	}
	if got["SESSION_SECRET"] != "documented-and-long-enough-value-here" {
		t.Errorf("SESSION_SECRET = %q: the documented value stays", got["SESSION_SECRET"])
	}
	for _, n := range []string{"OAUTH2_CLIENT_SECRET", "YOUTUBE_API_KEY", "ADMIN_PASSWORD", "MEDIA_PROXY_PRIVATE_KEY", "FACEBOOK_SECRET", "MAIL_PASSWORD",
		"SSL_DNS_ROUTE53_SECRET_ACCESS_KEY", "SSL_DNS_SCALEWAY_SECRET_KEY", "MAPBOX_KEY", "MINIO_SECRET_KEY", "RECAPTCHA_SECRET", "PAYPAL_SECRET", "LINE_CHANNEL_SECRET"} {
		if _, ok := got[n]; ok {
			t.Errorf("%s was set: another service's credential", n)
		}
	}
	if !strings.Contains(out.String(), "The run gets generated values for JWT_SECRET, ACCESS_SECRET, SECRET_KEY, SHIORI_HTTP_SECRET_KEY, which .env.example lists for you to fill in") {
		t.Errorf("not said:\n%s", out.String())
	}
}

func TestPlaceholderFor(t *testing.T) {
	goPlan := &generate.Plan{Stack: &detect.Stack{Language: "go"}}
	for name, want := range map[string]string{
		"TZ": "UTC", "AUTH_URL": "http://placeholder.invalid", "CART_SERVICE_ADDR": "placeholder.invalid:1", "SMTP_HOST": "placeholder.invalid",
		"EMAIL_FROM": "placeholder@example.invalid", "ENABLE_CORS": "false", "SERVER_DEBUG": "false", "READ_TIMEOUT": "30s", "SCREEGO_EXTERNAL_IP": "192.0.2.1",
	} {
		if got := placeholderFor(name, goPlan); got != want {
			t.Errorf("placeholderFor(%s) = %q, want %q", name, got, want)
		}
	}
	if got := placeholderFor("COOKIE_SECRET", nil); len(got) < 32 || got == placeholderFor("COOKIE_SECRET", nil) {
		t.Errorf("a secret's placeholder is random and long: %q", got)
	}
}

func TestWantedVars(t *testing.T) {
	plan := &generate.Plan{Stack: &detect.Stack{Env: []detect.Evidence{{Value: "GOOGLE_CLOUD_PROJECT", File: "main.go", Line: 47}, {Value: "PORT"}}}}
	cases := []struct {
		name string
		d    *verify.Diagnosis
		env  []string
		want []string
	}{
		{"verify names it", &verify.Diagnosis{Failure: verify.Exited, Causes: []verify.Cause{{Kind: verify.MissingEnv, Subject: "PRODUCT_CATALOG_SERVICE_ADDR", Line: "panic: ..."}}}, nil, []string{"PRODUCT_CATALOG_SERVICE_ADDR"}},
		{"already set", &verify.Diagnosis{Failure: verify.Exited, Causes: []verify.Cause{{Kind: verify.MissingEnv, Subject: "X_KEY"}}}, []string{"X_KEY=1"}, nil},
		{"env-schema's required property", &verify.Diagnosis{Failure: verify.Exited, Logs: []string{`{"message":"env must have required property 'COOKIE_SECRET'"}`}}, nil, []string{"COOKIE_SECRET"}},
		{"a variable the code reads, named by the last log line", &verify.Diagnosis{Failure: verify.Exited, Logs: []string{"listening", "unable to detect Project ID from GOOGLE_CLOUD_PROJECT or metadata server"}}, nil, []string{"GOOGLE_CLOUD_PROJECT"}},
		{"a run that did not exit", &verify.Diagnosis{Failure: verify.Unhealthy, Logs: []string{"GOOGLE_CLOUD_PROJECT is required"}}, nil, nil},
		{"no diagnosis", nil, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, why := wantedVars(c.d, plan, c.env)
			if !slices.Equal(got, c.want) || len(got) > 0 && why == "" {
				t.Errorf("wantedVars = %v (%q), want %v", got, why, c.want)
			}
		})
	}
}

func TestBuildFailure(t *testing.T) {
	cases := map[string]struct{ lines, want string }{
		"a module the proxy refuses": {"#11 1.235 go: google.golang.org/genproto/googleapis/rpc@v0.0.0-2026: reading https://proxy.golang.org/google.golang.org/genproto/googleapis/rpc/@v/v0.0.0-2026.mod: 403 Forbidden\n#11 ERROR: executor failed running [/bin/sh -c go mod download]: exit code: 1",
			"the Go module proxy https://proxy.golang.org answers 403 Forbidden for google.golang.org/genproto/googleapis/rpc@v0.0.0-2026"},
		"an embed pattern with nothing to embed": {"#13 1.125 http/assets/assets_development.go:9:12: pattern fonts: no matching files found", "a //go:embed pattern (fonts)"},
		"a host the build network cannot reach":  {"#15 3.917 Error: request to https://binaries.prisma.sh/x failed, reason: getaddrinfo ENOTFOUND binaries.prisma.sh", "downloads from binaries.prisma.sh"},
		"a pin the index lacks":                  {"#9 4.2 ERROR: No matching distribution found for Django==4.2.3", "no release of Django==4.2.3"},
		"an index pip cannot reach": {"#12 1.259 WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f99032bd6a0>: Failed to establish a new connection: [Errno -2] Name or service not known')': /simple/alchemical/\n#12 8.792 ERROR: No matching distribution found for alchemical==1.0.2",
			"pip could not reach its package index (Name or service not known, asking for /simple/alchemical/)"},
		"a base image the engine lacks":          {`#3 ERROR: failed to do request: Head "https://registry-1.docker.io/v2/library/node/manifests/18.16.1-bookworm-slim": dial tcp: lookup registry-1.docker.io`, "the base image node:18.16.1-bookworm-slim"},
		"a workspace member is not a base image": {"#11 0.988 error: failed to load manifest for workspace member `/src/crates/actions`\n#11 ERROR: executor failed running [/bin/sh -c cargo fetch]: exit code: 101", "the step [/bin/sh -c cargo fetch] failed (exit code 101): error: failed to load manifest for workspace member `/src/crates/actions`"},
		"nothing recognised":                     {"#5 0.1 all good", ""},
		// eliyahukoren/monorepo ecc09f133e15, installed with npm: its build
		// script runs pnpm (the try's log, lines 103-110).
		"a program the stage lacks": {"#17 3.979 sh: 1: pnpm: not found\n#17 3.980 \n#17 3.980 > monorepo@1.0.0 build\n#17 3.980 > pnpm -r run build\n#17 3.980 \n#17 ERROR: executor failed running [/bin/sh -c npm run build]: exit code: 127",
			"a build step runs pnpm, which its stage does not have"},
		"the last line, not a timestamp": {"#17 3.979 tool: giving up\n#17 3.980 \n#17 ERROR: executor failed running [/bin/sh -c npm run build]: exit code: 2",
			"its last line: tool: giving up"},
		// In the tools' formats, not reproduced here (no crates.io, no pnpm
		// repository in the corpus): the error line, not the summary.
		"rustc's error, not cargo's summary": {"#12 40.1 error[E0425]: cannot find value `x` in this scope\n#12 40.1   --> src/main.rs:3:5\n#12 40.2 error: could not compile `api` (bin \"api\") due to 1 previous error\n#12 ERROR: executor failed running [/bin/sh -c cargo build --release]: exit code: 101",
			"failed (exit code 101): error[E0425]: cannot find value `x` in this scope"},
		"pnpm's error code": {"#10 2.1  ERR_PNPM_OUTDATED_LOCKFILE  Cannot install with \"frozen-lockfile\" because pnpm-lock.yaml is not up to date with package.json\n#10 2.1 Note that in CI environments this setting is true by default.\n#10 ERROR: executor failed running [/bin/sh -c pnpm install --frozen-lockfile]: exit code: 1",
			"failed (exit code 1): ERR_PNPM_OUTDATED_LOCKFILE  Cannot install"},
		"pip's error, not BuildKit's": {"#9 3.1 ERROR: Could not open requirements file: [Errno 2] No such file or directory: 'requirements/prod.txt'\n#9 ERROR: executor failed running [/bin/sh -c pip install -r requirements.txt]: exit code: 1",
			"failed (exit code 1): ERROR: Could not open requirements file"},
		"an error in another step's output does not win over the failing step's": {"#7 1.0 error An unexpected error occurred: \"ESOCKETTIMEDOUT\" (a stage that was cancelled)\n#9 0.5 main.go:3:2: undefined: x\n#9 ERROR: executor failed running [/bin/sh -c go build .]: exit code: 1",
			"failed (exit code 1): main.go:3:2: undefined: x"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if got := buildFailure(strings.Split(c.lines, "\n")); c.want == "" && got != "" || !strings.Contains(got, c.want) {
				t.Errorf("buildFailure = %q, want it to say %q", got, c.want)
			}
		})
	}
	// Real builds (testdata/build-failures/README.md says how each was
	// made): the line that states the error, not the last one.
	real := map[string]string{
		"copy-missing-go-mod.log":          `COPY names /go.mod, which the build context does not hold`,
		"go-build-undefined.log":           `failed (exit code 1): ./app.go:405:9: undefined: undefinedHelper`,
		"go-build-missing-package.log":     `failed (exit code 1): main.go:24:2: no required module provides package github.com/techschool/simplebank/doc/statik; to add it:`,
		"yarn-frozen-lockfile.log":         "failed (exit code 1): error Your lockfile needs to be updated, but yarn was run with `--frozen-lockfile`.",
		"npm-ci-out-of-sync.log":           "package.json and package-lock.json disagree (npm ci installs exactly what the lock file holds): left-pad@1.3.0 is in package.json but not in the lock file",
		"tsc-type-errors.log":              `failed (exit code 1): src/app.service.ts:6:11 - error TS2322: Type 'string' is not assignable to type 'number'. (the first of 2 error lines)`,
		"yarn-berry-package-not-found.log": `yarn could not fetch @mikro-orm/sqlite@npm:7.0.6: the registry the build reaches answers 404 for it`,
		"npm-eresolve-peer.log":            `npm refuses the dependency tree (ERESOLVE): @slonik/migrator@0.11.3 asks for slonik@"27 - 29" as a peer, but the project gets slonik@31.4.2. npm 7 and later check peer ranges (npm 6 did not); raise @slonik/migrator to a release`,
		"yarn-engine-incompatible.log":     `elastic-apm-node@3.14.0 supports Node ^8.6.0 || 10 || 12 || 13 || 14, not 24.22.3: raise it to a release that supports Node 24.22.3, or build on Node 14, the newest it supports (--build-arg NODE_IMAGE=node:14.21.3-bullseye-slim, past its end of life since 2023-04-30); yarn's --ignore-engines skips the check, at the risk that it fails at run time`,
	}
	for file, want := range real {
		t.Run(file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "build-failures", file))
			if err != nil {
				t.Fatal(err)
			}
			if got := buildFailure(strings.Split(string(data), "\n")); !strings.Contains(got, want) {
				t.Errorf("buildFailure = %q, want it to say %q", got, want)
			}
		})
	}
}

func TestLineTail_KeepsTheLastLines(t *testing.T) {
	tail := &lineTail{max: 2}
	for _, chunk := range []string{"one\ntw", "o\nthree\n", "fou"} {
		if _, err := tail.Write([]byte(chunk)); err != nil {
			t.Fatal(err)
		}
	}
	if got := tail.lines(); !slices.Equal(got, []string{"two", "three", "fou"}) {
		t.Fatalf("lines = %q", got)
	}
}

// FuzzBuildOutputAndLogs feeds arbitrary build output and log lines to
// the readers init --verify draws its causes from.
func FuzzBuildOutputAndLogs(f *testing.F) {
	f.Add("#11 1.235 go: x@v1: reading https://proxy.golang.org/x/@v/v1.mod: 403 Forbidden\n#11 ERROR: executor failed running [go mod download]: exit code: 1", `env must have required property 'COOKIE_SECRET'`)
	f.Add("#3 ERROR: failed to do request: Head \"https://registry-1.docker.io/v2/library/node/manifests/18\": dial tcp: lookup registry-1.docker.io", "unable to detect Project ID from GOOGLE_CLOUD_PROJECT")
	f.Add("#11 19.17 npm error node-pre-gyp WARN Hit error getaddrinfo ENOTFOUND github.com\n#11 19.17 npm error node-pre-gyp WARN Pre-built binaries not installable for bcrypt@3.0.6 and node@24.22.3 (x)\n#11 19.17 npm error gyp ERR! find Python", "")
	f.Add("#11 27.40 npm error code E404\n#11 27.40 npm error 404 Not Found - GET https://registry.npmjs.org/@s/fs/-/fs-0.0.2.tgz\nnpm error Missing: faker@4.1.0 from lock file\nnpm error Invalid: lock file's a@1 does not satisfy a@2", "The server does not support SSL connections")
	plan := &generate.Plan{Stack: &detect.Stack{Language: "go", Env: []detect.Evidence{{Value: "GOOGLE_CLOUD_PROJECT"}, {Value: "A_B"}}}}
	f.Fuzz(func(t *testing.T, output, log string) {
		tail := &lineTail{max: 50}
		if _, err := tail.Write([]byte(output)); err != nil {
			t.Fatal(err)
		}
		if got := len(tail.lines()); got > 51 {
			t.Fatalf("the tail kept %d lines", got)
		}
		_ = buildFailure(tail.lines())
		d := &verify.Diagnosis{Failure: verify.Exited, Logs: strings.Split(log, "\n")}
		names, _ := wantedVars(d, plan, nil)
		for _, n := range names {
			if n == "" || strings.ContainsAny(n, " =\n") {
				t.Fatalf("wantedVars gave %q", n)
			}
		}
		_ = placeholderFor(log, plan)
		_ = placeholderValue(log)
	})
}

// TestStopped_NamesTheProgram: when no port or health route fixes the
// image, the message says which program the plan runs and that
// --entrypoint chooses another (markserv: init ran its lib/server.js,
// which exports a server and exits 0; the message had said that no
// init flag fixes it).
func TestStopped_NamesTheProgram(t *testing.T) {
	var out bytes.Buffer
	rep := &verify.Report{Diagnosis: &verify.Diagnosis{}}
	stopped(&out, "markserv", "markserv:1", rep, &generate.Plan{Options: generate.Options{Entrypoint: "lib/server.js", Port: 3000, HealthPath: "/"}, Stack: &detect.Stack{Language: "node"}}, nil, nil)
	for _, want := range []string{"the plan runs lib/server.js, port 3000, health /", "pass --entrypoint if that is not the server",
		// webhook's log asks for -verbose or a hooks file.
		"or --args with the arguments it needs", "shipshape init --verify markserv again"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	// A Python app takes no --args: not offered.
	out.Reset()
	stopped(&out, "app", "app:1", rep, &generate.Plan{Options: generate.Options{Entrypoint: "app:app", Port: 8000, HealthPath: "/"}, Stack: &detect.Stack{Language: "python"}}, nil, nil)
	if strings.Contains(out.String(), "--args") {
		t.Errorf("--args offered for a Python app:\n%s", out.String())
	}
}

// TestStopped_SecretInAFileTheCodeReads: wpcodevo/golang-gorm-postgres's
// app.env, which viper reads and the image therefore carries, holds its
// signing keys; verify fails on them, and the stop says why the file is
// there and to keep the secret out of it. A secret in another file, or
// one allowed, gets no such line.
func TestStopped_SecretInAFileTheCodeReads(t *testing.T) {
	rep := &verify.Report{Secrets: []verify.Secret{
		{Path: "/app/app.env", What: "private key"},
		{Path: "/app/other.env", What: ".env file with secrets"},
		{Path: "/app/config/keys.pem", What: "private key", AllowedBy: "--allow-secret"},
	}}
	stack := &detect.Stack{Language: "go", RuntimeFiles: []detect.Evidence{
		{Value: "app.env", File: "initializers/loadEnv.go", Line: 32, Why: "viper reads it (SetConfigName, SetConfigType, AddConfigPath) from the working directory"},
		{Value: "config", File: "main.go", Line: 9, Why: "opened at run time"},
	}}
	var out bytes.Buffer
	stopped(&out, ".", "gg:1", rep, &generate.Plan{Options: generate.Options{Entrypoint: ".", Port: 8000, HealthPath: "/api/healthchecker"}, Stack: stack}, nil, nil)
	want := "app.env holds a secret (private key) and is in the image because viper reads it (SetConfigName, SetConfigType, AddConfigPath) from the working directory (initializers/loadEnv.go:32): keep the secret out of the file the image carries"
	if !strings.Contains(out.String(), want) {
		t.Errorf("output lacks %q:\n%s", want, out.String())
	}
	if strings.Count(out.String(), "holds a secret") != 1 {
		t.Errorf("a line for a file the code does not read, or an allowed secret:\n%s", out.String())
	}
}

// The run's database login is said (listmonk logs in as its own user and
// is refused; the advice "use the ones the database has" needs them).
func TestRunLogin(t *testing.T) {
	got := runLogin([]verify.Accessory{{Alias: "redis", Env: nil}, {Alias: "db", Env: []string{"POSTGRES_USER=app", "POSTGRES_DB=app", "POSTGRES_PASSWORD=s3cret"}}},
		[]string{"DATABASE_URL=postgres://app:s3cret@db:5432/app", "DB_HOST=db", "REDIS_URL=redis://redis:6379", "PORT=3000"})
	if !strings.HasPrefix(got, "Its database db is made with user app, database app and a password made for this run") || strings.Contains(got, "s3cret") ||
		!strings.Contains(got, "which the app gets through DATABASE_URL, DB_HOST:") {
		t.Errorf("runLogin = %q", got)
	}
	if got := runLogin([]verify.Accessory{{Alias: "db", Env: []string{"MYSQL_ROOT_PASSWORD=x", "MYSQL_DATABASE=blog"}}}, nil); !strings.Contains(got, "user root, database blog and a password") || !strings.Contains(got, "through no variable") {
		t.Errorf("runLogin = %q", got)
	}
	// go-sql-driver's DSN, and a name the code gives the database.
	if got := runLogin([]verify.Accessory{{Alias: "db", Names: []string{"mysql"}, Env: []string{"MYSQL_PASSWORD=x", "MYSQL_USER=app", "MYSQL_DATABASE=app"}}},
		[]string{"DSN=app:x@tcp(db:3306)/app", "MYSQL_HOST=mysql"}); !strings.Contains(got, "through DSN, MYSQL_HOST:") {
		t.Errorf("runLogin = %q", got)
	}
	if got := runLogin([]verify.Accessory{{Alias: "redis"}}, nil); got != "" {
		t.Errorf("runLogin = %q, want nothing without a SQL database", got)
	}
}

// javieraviles/node-typescript-koa-rest's .example.env sets
// NODE_ENV=development; the image sets NODE_ENV=production, under which
// the app (TLS to Postgres forced) exits. The run keeps production: a
// development value passed a run whose image, as deployed, did not work.
func TestRunEnv_KeepsTheImagesNodeEnv(t *testing.T) {
	plan := &generate.Plan{Options: generate.Options{Port: 3000}, Stack: &detect.Stack{Language: "node"}, PortEnv: "PORT"}
	c := &initCommand{}
	var out strings.Builder
	env := c.runEnv(&out, []string{"NODE_ENV=development", "JWT_SECRET=your-secret-whatever"}, plan, map[string]bool{"NODE_ENV": true, "PORT": true})
	for _, kv := range env {
		if strings.HasPrefix(kv, "NODE_ENV=") {
			t.Errorf("run env has %s; the image's NODE_ENV=production stays", kv)
		}
	}
	if !strings.Contains(out.String(), "The example sets NODE_ENV=development: the run keeps the image's production") {
		t.Errorf("not said:\n%s", out.String())
	}
}

// Yarn 4's failure names the native modules it could not build
// (actualbudget/actual-server's bcrypt and better-sqlite3, YN0009), not
// its last line, "Failed with errors".
func TestBuildFailure_YarnBerryBuildErrors(t *testing.T) {
	lines := []string{
		"#11 33.83 ➤ YN0007: │ bcrypt@npm:5.1.1 must be built because it never has been before or the last one failed",
		"#11 37.27 ➤ YN0009: │ bcrypt@npm:5.1.1 couldn't be built successfully (exit code 1, logs can be found here: /tmp/xfs-3d97db10/build.log)",
		"#11 37.46 ➤ YN0009: │ better-sqlite3@npm:11.7.0 couldn't be built successfully (exit code 1, logs can be found here: /tmp/xfs-9a73dd7a/build.log)",
		"#11 37.46 ➤ YN0000: └ Completed in 15s 90ms",
		"#11 37.51 ➤ YN0000: · Failed with errors in 34s 822ms",
		"#11 ERROR: executor failed running [/bin/sh -c corepack enable && yarn install --immutable]: exit code: 1",
	}
	got := buildFailure(lines)
	if !strings.Contains(got, "bcrypt@npm:5.1.1 couldn't be built") || strings.Contains(got, "Failed with errors") {
		t.Errorf("build failure %q, want Yarn's YN0009 line", got)
	}
}

// your_spotify and chartbrew (the thirty-first try) died on a module the
// image lacked within 3 s, before any connection: the MongoDB the run
// did not start is no cause of that, and the summary said it was.
func TestStopped_ServicesAfterAnImageCause(t *testing.T) {
	for _, tc := range []struct {
		kind verify.CauseKind
		want string
	}{
		{verify.MissingNodeModule, "were not started either (mongo (mongo:8.0.4)): the cause above comes first"},
		{verify.DatabaseUnreachable, "that were not started (mongo (mongo:8.0.4)) are the likely cause"},
	} {
		var out strings.Builder
		rep := &verify.Report{Diagnosis: &verify.Diagnosis{Causes: []verify.Cause{{Kind: tc.kind, Subject: "dotenv"}}}}
		stopped(&out, ".", "app:dev", rep, &generate.Plan{Options: generate.Options{Entrypoint: "server/index.js", Port: 3000, HealthPath: "/"}, Stack: &detect.Stack{Language: "node"}}, nil, []string{"mongo (mongo:8.0.4)"})
		if !strings.Contains(out.String(), tc.want) {
			t.Errorf("%s: %q lacks %q", tc.kind, out.String(), tc.want)
		}
	}
}
