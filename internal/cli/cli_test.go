package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// run executes the CLI in dir and returns its exit code and output.
func run(t *testing.T, dir, stdin string, args ...string) (int, string, string) {
	t.Helper()
	if dir != "" {
		t.Chdir(dir)
	}
	var out, errOut bytes.Buffer
	code := Execute(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// writeTree creates files (slash paths → content) in a new repository
// (a .git directory marks its root).
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := testutil.WriteTree(t, files)
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

const cleanDockerfile = `FROM python:3.12.7-slim-bookworm
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY --chown=10001:10001 app/ .
USER 10001:10001
EXPOSE 8000
HEALTHCHECK CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"]
CMD ["gunicorn", "-b", "0.0.0.0:8000", "main:app"]
`

type jsonReport struct {
	Findings []struct {
		Rule     string `json:"rule"`
		Severity string `json:"severity"`
		File     string `json:"file"`
		Line     int    `json:"line"`
	} `json:"findings"`
	Errors []struct {
		File string `json:"file"`
		Line int    `json:"line"`
	} `json:"errors"`
	Summary struct {
		Files int `json:"files"`
	} `json:"summary"`
}

func decode(t *testing.T, out string) jsonReport {
	t.Helper()
	var rep jsonReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	return rep
}

func rulesIn(rep jsonReport) map[string]int {
	out := map[string]int{}
	for _, f := range rep.Findings {
		out[f.Rule] = f.Line
	}
	return out
}

func TestCheck_CleanFileExitsZero(t *testing.T) {
	dir := writeTree(t, map[string]string{"Dockerfile": cleanDockerfile, ".dockerignore": ".git\n", "app/main.py": ""})
	code, out, errOut := run(t, dir, "", "check", "--profile", "production")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "0 findings in 1 file checked") {
		t.Fatalf("summary missing:\n%s", out)
	}
}

func TestCheck_FindingsExitOne(t *testing.T) {
	dir := writeTree(t, map[string]string{"Dockerfile": "FROM python:3.11-slim\nCMD python app.py\n"})
	code, out, _ := run(t, dir, "", "check", "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	got := rulesIn(decode(t, out))
	for _, id := range []string{"DF013", "DF020"} {
		if _, ok := got[id]; !ok {
			t.Errorf("%s not reported: %v", id, got)
		}
	}
}

func TestCheck_FailOnThreshold(t *testing.T) {
	dir := writeTree(t, map[string]string{"Dockerfile": "FROM python:3.11-slim\nCMD python app.py\n"})
	if code, _, _ := run(t, dir, "", "check", "--fail-on", "error"); code != 0 {
		t.Fatalf("--fail-on error with only warnings: exit %d", code)
	}
	if code, _, _ := run(t, "", "", "check", "--fail-on", "error", "--profile", "production"); code != 1 {
		t.Fatalf("production raises them to errors: exit %d", code)
	}
	if code, _, _ := run(t, "", "", "check", "--fail-on", "none", "--profile", "production"); code != 0 {
		t.Fatalf("--fail-on none: exit %d", code)
	}
}

func TestCheck_ParseErrorExitsTwoAndOthersStillChecked(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"good/Dockerfile":   "FROM python:3.11-slim\n",
		"bad/Dockerfile":    "FROM a\nRUNN x\n",
		"binary/Dockerfile": "FROM a\n\x00\x01\x02",
		"cut/Dockerfile":    "FROM a\nRUN echo \\\n",
		"json/Dockerfile":   "FROM a\nCMD [\"python\", \"app.py\"\n",
	})
	code, out, errOut := run(t, dir, "", "check", "--format", "json")
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	rep := decode(t, out)
	if len(rep.Errors) != 4 {
		t.Fatalf("errors = %+v", rep.Errors)
	}
	for _, e := range rep.Errors {
		if e.Line != 2 && !(strings.HasPrefix(e.File, "cut") && e.Line == 2) {
			t.Errorf("%s: line %d, want 2", e.File, e.Line)
		}
		if !strings.Contains(errOut, e.File+":") {
			t.Errorf("stderr does not name %s:\n%s", e.File, errOut)
		}
	}
	if _, ok := rulesIn(rep)["DF013"]; !ok {
		t.Fatal("the good file was not checked")
	}
}

func TestCheck_HugeFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("FROM debian:12.8-slim\n")
	for b.Len() < 10<<20 {
		b.WriteString("RUN echo 'padding the Dockerfile up to ten megabytes of instructions'\n")
	}
	dir := writeTree(t, map[string]string{"big/Dockerfile": b.String(), "long/Dockerfile": "FROM a\nRUN echo " + strings.Repeat("x", 10<<20) + "\n"})
	code, out, _ := run(t, dir, "", "check", "--format", "json", "--fail-on", "none")
	rep := decode(t, out)
	if code != 2 || len(rep.Errors) != 1 || !strings.HasPrefix(rep.Errors[0].File, "long") || rep.Errors[0].Line != 2 {
		t.Fatalf("exit %d, errors %+v", code, rep.Errors)
	}
	if len(rep.Findings) == 0 {
		t.Fatal("the 10 MB Dockerfile of valid lines was not checked")
	}
}

func TestCheck_Stdin(t *testing.T) {
	dir := writeTree(t, map[string]string{})
	code, out, _ := run(t, dir, "FROM node:20\nUSER root\n", "check", "-", "--stdin-filename", "web/Dockerfile", "--format", "json")
	rep := decode(t, out)
	if code != 1 || len(rep.Findings) == 0 || rep.Findings[0].File != "web/Dockerfile" {
		t.Fatalf("exit %d, %+v", code, rep)
	}
	if _, ok := rulesIn(rep)["DF012"]; !ok {
		t.Fatalf("DF012 not reported for stdin: %v", rulesIn(rep))
	}
}

func TestCheck_DiscoverySkipsIgnoredAndVendored(t *testing.T) {
	dir := writeTree(t, map[string]string{
		".gitignore":                  "build/\n*.generated.Dockerfile\n!keep.generated.Dockerfile\n",
		"Dockerfile":                  "FROM a:1.0.0\n",
		"api/Containerfile":           "FROM a:1.0.0\n",
		"api/web.Dockerfile":          "FROM a:1.0.0\n",
		"api/Dockerfile.dev":          "FROM a:1.0.0\n",
		"api/Dockerfile.dockerignore": "*\n",
		"api/README.md":               "not me\n",
		"build/Dockerfile":            "FROM a:1.0.0\n",
		"vendor/x/Dockerfile":         "FROM a:1.0.0\n",
		"node_modules/y/Dockerfile":   "FROM a:1.0.0\n",
		"x.generated.Dockerfile":      "FROM a:1.0.0\n",
		"keep.generated.Dockerfile":   "FROM a:1.0.0\n",
		"nested/.gitignore":           "skip/\n",
		"nested/skip/Dockerfile":      "FROM a:1.0.0\n",
		"nested/keep/Dockerfile":      "FROM a:1.0.0\n",
	})
	_, out, _ := run(t, dir, "", "check", "--format", "json", "--fail-on", "none")
	rep := decode(t, out)
	if rep.Summary.Files != 6 {
		seen := map[string]bool{}
		for _, f := range rep.Findings {
			seen[f.File] = true
		}
		t.Fatalf("checked %d files, want 6 (Dockerfile, api/Containerfile, api/web.Dockerfile, api/Dockerfile.dev, keep.generated.Dockerfile, nested/keep/Dockerfile); saw %v", rep.Summary.Files, seen)
	}
}

func TestCheck_Pragmas(t *testing.T) {
	dir := writeTree(t, map[string]string{"Dockerfile": `# hadolint global ignore=DL3059
# shipshape:ignore-file DF015
FROM debian:12.8-slim
# hadolint ignore=DL3008,DL3015
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
RUN echo one
RUN echo two
# shipshape:ignore DF012 the entrypoint drops privileges with gosu
USER root
`})
	_, out, _ := run(t, dir, "", "check", "--format", "json", "--fail-on", "none")
	got := rulesIn(decode(t, out))
	for _, id := range []string{"DF040", "DF042", "DF066", "DF015", "DF012"} {
		if _, ok := got[id]; ok {
			t.Errorf("%s should be suppressed: %v", id, got)
		}
	}
}

func TestCheck_HadolintConfigAndBuildArgs(t *testing.T) {
	dir := writeTree(t, map[string]string{
		".hadolint.yaml": "ignored: [DL3008]\nfailure-threshold: error\noverride:\n  error: [DL3015]\ntrustedRegistries: [ghcr.io]\n",
		"Dockerfile":     "ARG BASE\nFROM ${BASE}\nRUN apt-get install -y curl\n",
	})
	code, out, _ := run(t, dir, "", "check", "--format", "json", "--build-arg", "BASE=python:3")
	got := decode(t, out)
	rules := rulesIn(got)
	if _, ok := rules["DF040"]; ok {
		t.Error("DL3008 is ignored by .hadolint.yaml, so DF040 must be off")
	}
	if _, ok := rules["DF001"]; ok {
		t.Error("BASE=python:3 is tagged")
	}
	for _, id := range []string{"DF003", "DF004", "DF042"} {
		if _, ok := rules[id]; !ok {
			t.Errorf("%s not reported: %v", id, rules)
		}
	}
	for _, f := range got.Findings {
		if f.Rule == "DF042" && f.Severity != "error" {
			t.Errorf("DF042 severity %s, want error from override", f.Severity)
		}
	}
	if code != 1 {
		t.Fatalf("failure-threshold error with an error finding: exit %d", code)
	}
}

func TestCheck_ConfigErrorsNameFileAndLine(t *testing.T) {
	cases := map[string]string{
		"profile: staging\n":            ".shipshape.yaml:1: profile",
		"rules:\n  DF012: loud\n":       ".shipshape.yaml:2: rules.DF012",
		"fail-on: warning\nrulez: {}\n": ".shipshape.yaml:2: rulez",
		"rules: [\n":                    ".shipshape.yaml:",
	}
	for content, want := range cases {
		dir := writeTree(t, map[string]string{".shipshape.yaml": content, "Dockerfile": cleanDockerfile})
		code, _, errOut := run(t, dir, "", "check")
		if code != 2 || !strings.Contains(errOut, want) {
			t.Errorf("config %q: exit %d, stderr %q, want it to name %q", content, code, errOut, want)
		}
	}
}

func TestCheck_ShipshapeConfig(t *testing.T) {
	dir := writeTree(t, map[string]string{
		".shipshape.yaml": "profile: production\nfail-on: error\nrules:\n  no-healthcheck: off\n  DF013: info\nrequired-labels: [org.opencontainers.image.source]\nbuild-args:\n  BASE: python:3.12.7-slim\n",
		"Dockerfile":      "ARG BASE\nFROM $BASE\nCMD [\"python\"]\n",
	})
	code, out, _ := run(t, dir, "", "check", "--format", "json")
	rules := rulesIn(decode(t, out))
	if _, ok := rules["DF015"]; ok {
		t.Error("no-healthcheck is switched off by name")
	}
	if _, ok := rules["DF037"]; !ok {
		t.Error("required label not reported")
	}
	if code != 0 {
		t.Errorf("DF013 lowered to info and fail-on error: exit %d (%v)", code, rules)
	}
}

func TestCheck_UsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"check", "--format", "yaml"},
		{"check", "--profile", "strict"},
		{"check", "--build-arg", "NOVALUE"},
		{"check", "--disable", "DF999"},
		{"check", "--stdin-filename", "x"},
		{"check", "--no-such-flag"},
		{"explain", "DF999"},
		{"nope"},
	} {
		code, _, errOut := run(t, t.TempDir(), "", args...)
		if code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
}

// A path named on the command line that is not there is that path's error
// in the report (the other paths are still checked), and the exit code is 2.
func TestCheck_MissingPath(t *testing.T) {
	dir := writeTree(t, map[string]string{"Dockerfile": "FROM python:3.11-slim\n"})
	code, out, _ := run(t, dir, "", "check", "does/not/exist", "Dockerfile")
	if code != 2 || !strings.Contains(out, "does/not/exist:1: ") || !strings.Contains(out, "no such file or directory; check the path") ||
		!strings.Contains(out, "Dockerfile:1:1:") {
		t.Errorf("exit %d, report:\n%s", code, out)
	}
}

func TestCheck_OutputFileAndFormats(t *testing.T) {
	dir := writeTree(t, map[string]string{"Dockerfile": "FROM python:3.11-slim\n"})
	for _, f := range []string{"text", "json", "sarif", "junit", "checkstyle", "github"} {
		code, out, _ := run(t, dir, "", "check", "--format", f, "-o", "report."+f)
		if code != 1 || out != "" {
			t.Errorf("%s: exit %d, stdout %q", f, code, out)
		}
		data, err := os.ReadFile(filepath.Join(dir, "report."+f))
		if err != nil || !bytes.Contains(data, []byte("DF013")) {
			t.Errorf("%s report: %v %q", f, err, data)
		}
	}
}

func TestRules_JSONContract(t *testing.T) {
	code, out, _ := run(t, "", "", "rules", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var rules []map[string]any
	if err := json.Unmarshal([]byte(out), &rules); err != nil {
		t.Fatal(err)
	}
	if len(rules) < 50 {
		t.Fatalf("%d rules", len(rules))
	}
	for _, key := range []string{"id", "name", "severity", "area", "profiles", "hadolint", "summary"} {
		if _, ok := rules[0][key]; !ok {
			t.Errorf("rule entry lacks %q", key)
		}
	}
}

func TestExplain(t *testing.T) {
	code, out, _ := run(t, "", "", "explain", "last-user-root")
	if code != 0 || !strings.Contains(out, "DF012") || !strings.Contains(out, "Bad:") || !strings.Contains(out, "USER root") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	code, out, _ = run(t, "", "", "explain", "DL3030")
	if code != 0 || !strings.Contains(out, "DF053") {
		t.Fatalf("explain by hadolint code: exit %d:\n%s", code, out)
	}
}

func TestVersionAndCompletion(t *testing.T) {
	if code, out, _ := run(t, "", "", "version"); code != 0 || !strings.HasPrefix(out, "shipshape ") {
		t.Fatalf("version: %d %q", code, out)
	}
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		if code, out, _ := run(t, "", "", "completion", shell); code != 0 || len(out) < 100 {
			t.Errorf("completion %s: exit %d, %d bytes", shell, code, len(out))
		}
	}
}

func TestEveryCommandHasExamples(t *testing.T) {
	root := newRootCommand(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	for _, c := range root.Commands() {
		if c.Name() == "help" || c.Name() == "completion" {
			continue
		}
		if c.Example == "" {
			t.Errorf("%s has no --help examples", c.Name())
		}
	}
}

func TestCheck_TargetStageIsJudgedAsFinal(t *testing.T) {
	dir := writeTree(t, map[string]string{"Dockerfile": "FROM python:3.12.7-slim AS prod\nUSER 10001\nFROM prod AS dev\nUSER root\n"})
	_, out, _ := run(t, dir, "", "check", "--format", "json", "--fail-on", "none")
	if _, ok := rulesIn(decode(t, out))["DF012"]; !ok {
		t.Fatal("the last stage runs as root")
	}
	_, out, _ = run(t, "", "", "check", "--format", "json", "--fail-on", "none", "--target", "prod")
	if _, ok := rulesIn(decode(t, out))["DF012"]; ok {
		t.Fatal("--target prod ships the prod stage, which is not root")
	}
}

func TestCheck_EveryArtifactKind(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"Dockerfile":                   "FROM python:3.11-slim\n",
		"compose.yaml":                 "services:\n  db:\n    image: postgres:16.6\n    ports: [\"5432:5432\"]\n",
		"compose.prod.yaml":            "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: toor\n",
		"deploy/nginx.conf":            "events {}\nhttp { server { listen 80; location / { proxy_pass http://app:8000; } } }\n",
		"deploy/Caddyfile":             "example.com {\n\treverse_proxy app:8000\n}\n",
		".github/workflows/ci.yml":     "on: [push]\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v4\n",
		"k8s/app.yaml":                 "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n    - {name: a, image: nginx}\n",
		"k8s/notes.yaml":               "just: some values\n",
		"chart/Chart.yaml":             "apiVersion: v2\nname: c\nversion: 0.1.0\n",
		"chart/templates/pod.yaml":     "apiVersion: v1\nkind: Pod\nmetadata: {name: {{ .Release.Name }}}\nspec:\n  containers:\n    - {name: a, image: \"nginx:{{ .Values.tag }}\"}\n",
		"chart/values.yaml":            "tag: 1.27.3\n",
		"kustomize/kustomization.yaml": "resources: [deploy.yaml]\npatches: [{path: patch.yaml}]\n",
		"kustomize/deploy.yaml":        "apiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec:\n  hostNetwork: true\n  containers:\n    - {name: b, image: nginx:1.27.3}\n",
		"kustomize/patch.yaml":         "apiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec:\n  hostPID: true\n",
	})
	_, out, errOut := run(t, dir, "", "check", "--format", "json", "--fail-on", "none")
	rep := decode(t, out)
	if len(rep.Errors) > 0 {
		t.Fatalf("errors: %+v\n%s", rep.Errors, errOut)
	}
	where := map[string]map[string]bool{}
	for _, f := range rep.Findings {
		if where[f.Rule] == nil {
			where[f.Rule] = map[string]bool{}
		}
		where[f.Rule][filepath.ToSlash(f.File)] = true
	}
	for rule, file := range map[string]string{
		"DF013": "Dockerfile", "CO003": "compose.yaml", "CO015": "compose.prod.yaml", "PX001": "deploy/nginx.conf",
		"PX030": "deploy/Caddyfile", "WF001": ".github/workflows/ci.yml", "KU002": "k8s/app.yaml",
		"KU007": "chart/templates/pod.yaml", "KU009": "kustomize/deploy.yaml",
	} {
		if !where[rule][file] {
			t.Errorf("%s reported in %v, want %s", rule, where[rule], file)
		}
	}
	for _, f := range rep.Findings {
		if strings.Contains(f.File, "patch.yaml") {
			t.Errorf("a kustomize patch is a partial object and must not be checked alone: %+v", f)
		}
	}
	if rep.Summary.Files != 9 {
		t.Errorf("checked %d inputs, want 9 (Dockerfile, compose.yaml, compose.yaml with compose.prod.yaml, nginx, Caddyfile, workflow, k8s dir, chart, kustomize dir)", rep.Summary.Files)
	}
}

func TestCheck_StdinCompose(t *testing.T) {
	dir := writeTree(t, map[string]string{})
	code, out, _ := run(t, dir, "services:\n  web:\n    image: nginx\n    privileged: true\n", "check", "-", "--stdin-filename", "compose.yaml", "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	if _, ok := rulesIn(decode(t, out))["CO011"]; !ok {
		t.Fatalf("CO011 not reported: %s", out)
	}
}

func TestVerify_NoEngineIsOneSentenceAndExit2(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix://"+filepath.Join(t.TempDir(), "no-such.sock"))
	code, stdout, stderr := run(t, t.TempDir(), "", "verify", "api:dev")
	if code != 2 || stdout != "" {
		t.Fatalf("exit %d, stdout %q", code, stdout)
	}
	if !strings.Contains(stderr, "no container engine answers at unix://") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Fatalf("stderr = %q, want one sentence naming the socket", stderr)
	}
}

func TestVerify_BadFlagsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"verify", "--format", "xml", "api:dev"},
		{"verify", "--grace", "0s", "api:dev"},
		{"verify", "--page", "about", "api:dev"},
		{"verify", "--page", "/a b", "api:dev"},
		{"verify", "--page", "/%zz", "api:dev"},
		{"verify"},
	} {
		if code, _, stderr := run(t, t.TempDir(), "", args...); code != 2 || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}

func TestBuild_BadInputExit2(t *testing.T) {
	noGit := t.TempDir()
	os.WriteFile(filepath.Join(noGit, "Dockerfile"), []byte("FROM scratch\n"), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"build", t.TempDir()}, "no Dockerfile (run shipshape init, or pass --file)"},
		{[]string{"build", noGit}, "is not in a git repository with a commit"},
		{[]string{"build", "--tag", "no spaces", noGit}, "is not a valid tag"},
		{[]string{"build", "--build-arg", "NOVALUE", noGit}, "use KEY=VALUE"},
	} {
		code, _, stderr := run(t, "", "", c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", c.args, code, stderr, c.want)
		}
	}
}

// With SHIPSHAPE_DOCKER=podman the build asks for Docker image format:
// Podman's default OCI format silently drops HEALTHCHECK.
func TestBuild_PodmanKeepsHealthcheck(t *testing.T) {
	dir := writeTree(t, map[string]string{"Dockerfile": "FROM scratch\n"})
	for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}, {"-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"}} {
		if out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v %s", args, err, out)
		}
	}
	bin := t.TempDir()
	record := filepath.Join(bin, "args")
	fake := "#!/bin/sh\necho \"$@\" > " + record + "\nexit 1\n"
	if err := os.WriteFile(filepath.Join(bin, "podman"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SHIPSHAPE_DOCKER", filepath.Join(bin, "podman"))
	code, _, stderr := run(t, "", "", "build", dir)
	if code != 1 || !strings.Contains(stderr, "failed") {
		t.Fatalf("exit %d, %q; want 1 for a failed build", code, stderr)
	}
	got, _ := os.ReadFile(record)
	if !strings.Contains(string(got), "--format docker") {
		t.Errorf("podman build args %q lack --format docker", got)
	}
}

func TestDeploy_BadInputExit2(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"deploy", "app:1"}, "service"},
		{[]string{"deploy", "--service", "app", "--env", "NOVALUE", "app:1"}, "KEY=VALUE"},
		{[]string{"deploy", "--service", "app", "--format", "yaml", "app:1"}, "text or json"},
		{[]string{"rollback", "--service", "app", "--format", "xml"}, "text or json"},
		{[]string{"proxy", "--trust", "not-a-cidr"}, "CIDR"},
		{[]string{"proxy", "--tls-cert", "c.pem"}, "go together"},
	} {
		code, _, stderr := run(t, "", "", c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

func TestRoot_VersionFlag(t *testing.T) {
	code, out, _ := run(t, t.TempDir(), "", "--version")
	if code != 0 || !strings.HasPrefix(out, "shipshape ") {
		t.Errorf("--version: exit %d, %q", code, out)
	}
	_, viaVerb, _ := run(t, t.TempDir(), "", "version")
	if viaVerb != out {
		t.Errorf("version prints %q, --version %q", viaVerb, out)
	}
}

// A missing or extra argument gets a sentence, the usage and an example of
// the verb itself, not the framework's "accepts 1 arg(s), received 0".
func TestRoot_ArgumentCountErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"explain"}, "explain: missing RULE; usage: shipshape explain RULE\nfor example: shipshape explain "},
		{[]string{"verify"}, "verify: missing IMAGE"},
		{[]string{"releases"}, "releases: missing SERVICE"},
		{[]string{"verify", "a", "b", "c"}, "verify: too many arguments: b c"},
		{[]string{"rules", "x"}, "rules: takes no arguments, got x"},
		{[]string{"deploy", "a", "b"}, "for example: shipshape deploy "},
	} {
		code, _, errOut := run(t, t.TempDir(), "", c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) || strings.Contains(errOut, "arg(s)") {
			t.Errorf("%v: exit %d, %q; want %q", c.args, code, errOut, c.want)
		}
	}
}
