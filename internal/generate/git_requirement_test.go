package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// TestDockerfile_GitRequirementGetsGit: ai-cfia/nachet-backend's
// requirements.txt:1 is `nachet-datastore @git+https://...`; the slim
// build stage had no git, and pip stopped on it. The build stage now
// installs git (by hand on the engine: pip then ran `git clone`). The
// same for an editable -e git+ line and a Pipfile's {git = "..."}; a
// comment that mentions one, or a plain list, gets no git.
func TestDockerfile_GitRequirementGetsGit(t *testing.T) {
	app := "from flask import Flask\napp = Flask(__name__)\n\n@app.get('/healthz')\ndef health():\n    return 'ok'\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string // the evidence, "" for no git
	}{
		{"a PEP 508 URL", map[string]string{"requirements.txt": "nachet-datastore @git+https://github.com/ai-cfia/ailab-datastore.git@231-split\nflask==3.0.0\n"}, "requirements.txt:1"},
		{"an editable line", map[string]string{"requirements.txt": "flask==3.0.0\n-e git+https://github.com/x/y.git#egg=y\n"}, "requirements.txt:2"},
		{"a Pipfile source", map[string]string{"Pipfile": "[packages]\nflask = \"*\"\ny = {git = \"https://github.com/x/y.git\", ref = \"main\"}\n"}, "Pipfile:3"},
		{"a comment", map[string]string{"requirements.txt": "# was: y @ git+https://github.com/x/y.git\nflask==3.0.0\n"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.files["app.py"] = app
			s, err := detect.Detect(testutil.WriteTree(t, tc.files))
			if err != nil {
				t.Fatal(err)
			}
			df := projectFiles(t, s, generate.Options{Name: "app"})["Dockerfile"]
			step := "# " + tc.want + " installs a package from a git repository: pip runs git, in this stage only.\n"
			install := "RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*\n# Dependencies first"
			if tc.want == "" && strings.Contains(df, "install -y --no-install-recommends git ") {
				t.Errorf("git installed for no git requirement:\n%s", df)
			}
			if tc.want != "" && (!strings.Contains(df, step) || !strings.Contains(df, install)) {
				t.Errorf("no git before the dependencies (want %s):\n%s", tc.want, df)
			}
		})
	}
}
