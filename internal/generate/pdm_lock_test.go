package generate_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// TestDockerfile_PdmLockPins: 0VERRIDER/TheResumeManager's services/api
// (pdm.lock, lock_version 4.0) got pip installing pyproject's ranges at
// today's versions, not its locked fastapi 0.104.0. The build now reads
// the lock's pins with the standard library. Its program, run here by
// the host's sh and python3 as the RUN line has it, on a lock of pdm
// 2.x's 4.5 shape: the default
// group's packages once each (a package locked twice with extras, as
// uvicorn is in TheResumeManager's, is one line), with their markers; a
// dev group's are left out; a 4.0 lock, which names no groups, counts
// every package. A package locked from git is its source at the locked
// revision (name==version would be PyPI's, or nothing), and the build
// stage gets git for it.
func TestDockerfile_PdmLockPins(t *testing.T) {
	lock := "[metadata]\ngroups = [\"default\", \"dev\"]\nlock_version = \"4.5.0\"\n\n" +
		"[[package]]\nname = \"fastapi\"\nversion = \"0.104.0\"\ngroups = [\"default\"]\n\n" +
		"[[package]]\nname = \"uvicorn\"\nversion = \"0.25.0\"\ngroups = [\"default\"]\n\n" +
		"[[package]]\nname = \"uvicorn\"\nversion = \"0.25.0\"\nextras = [\"standard\"]\ngroups = [\"default\"]\n\n" +
		"[[package]]\nname = \"colorama\"\nversion = \"0.4.6\"\nmarker = \"sys_platform == 'win32'\"\ngroups = [\"default\"]\n\n" +
		"[[package]]\nname = \"pytest\"\nversion = \"8.0.0\"\ngroups = [\"dev\"]\n\n" +
		"[[package]]\nname = \"nachet-datastore\"\nversion = \"0.1.0\"\ngit = \"https://github.com/ai-cfia/ailab-datastore.git\"\nrevision = \"0a1b2c\"\ngroups = [\"default\"]\n"
	dir := testutil.WriteTree(t, map[string]string{
		"pyproject.toml": "[project]\nname = \"api\"\nrequires-python = \">=3.11\"\ndependencies = [\"fastapi>=0.104.0\", \"uvicorn[standard]>=0.23\"]\n\n[tool.pdm]\n",
		"pdm.lock":       lock,
		"main.py":        "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get('/health')\ndef health():\n    return {'ok': True}\n",
	})
	s, err := detect.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	df := projectFiles(t, s, generate.Options{Name: "api"})["Dockerfile"]
	if !strings.Contains(df, "# pdm.lock:35 installs a package from a git repository") {
		t.Errorf("no git for pdm.lock's git package:\n%s", df)
	}
	m := regexp.MustCompile(`(?m)^COPY pyproject.toml pdm.lock ./\nRUN [^\n]*\n    python3 -c "([^\n]*)" > /tmp/requirements.txt && \\\n    pip install --target /opt/deps -r /tmp/requirements.txt\n`).FindStringSubmatch(df)
	if m == nil {
		t.Fatalf("Dockerfile does not install pdm.lock's pins:\n%s", df)
	}
	run := func(lock string) string {
		t.Helper()
		d := t.TempDir()
		if err := os.WriteFile(filepath.Join(d, "pdm.lock"), []byte(lock), 0o644); err != nil {
			t.Fatal(err)
		}
		// The RUN line as the build's /bin/sh reads it: its quoting is
		// part of what is tested.
		cmd := exec.Command("sh", "-c", `python3 -c "`+m[1]+`"`)
		cmd.Dir = d
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("python3 -c %s: %v\n%s", m[1], err, out)
		}
		return string(out)
	}
	if got, want := run(lock), "colorama==0.4.6; sys_platform == 'win32'\nfastapi==0.104.0\nnachet-datastore @ git+https://github.com/ai-cfia/ailab-datastore.git@0a1b2c\nuvicorn==0.25.0\n"; got != want {
		t.Errorf("requirements from a 4.5 lock:\n%s\nwant:\n%s", got, want)
	}
	old := strings.NewReplacer("groups = [\"default\"]\n", "", "groups = [\"dev\"]\n", "", "groups = [\"default\", \"dev\"]\n", "").Replace(lock)
	if got := run(old); !strings.Contains(got, "pytest==8.0.0\n") || !strings.Contains(got, "fastapi==0.104.0\n") {
		t.Errorf("requirements from a lock that names no groups:\n%s", got)
	}
}
