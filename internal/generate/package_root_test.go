package generate_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// huynhthanhtuyen456/Waste-Management-App's app/ (c206bfc): a package
// (its __init__.py) whose Dockerfile copies it to /app and runs `fastapi
// run main.py`, which imports main as app.main from /; main.py says
// from app.config import settings. init in app/ makes the code
// importable as app again: /pkgroot/app links to /app, on PYTHONPATH.
// A directory named otherwise (api/) gets its own name.
func TestPythonDockerfile_CodeImportsItsOwnDirectory(t *testing.T) {
	for _, name := range []string{"app", "api"} {
		root := testutil.WriteTree(t, map[string]string{
			name + "/__init__.py":      "",
			name + "/requirements.txt": "fastapi\nuvicorn\n",
			name + "/config.py":        "class Settings:\n    title = \"x\"\n\n\nsettings = Settings()\n",
			name + "/main.py":          "from fastapi import FastAPI\n\nfrom " + name + ".config import settings\n\napp = FastAPI(title=settings.title)\n\n\n@app.get(\"/health\")\ndef health():\n    return {}\n",
			name + "/Dockerfile":       "FROM python:3.10\nWORKDIR /app\nCOPY ./requirements.txt /app/requirements.txt\nRUN pip install -r /app/requirements.txt\nCOPY . /app\nCMD [\"fastapi\", \"run\", \"main.py\", \"--port\", \"8000\"]\n",
		})
		s, err := detect.Detect(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		if s.PackageRoot == nil || s.PackageRoot.Value != name {
			t.Fatalf("%s: package root %v, want %s", name, s.PackageRoot, name)
		}
		p, err := generate.Resolve(s, generate.Options{Name: "x"})
		if err != nil {
			t.Fatal(err)
		}
		f, err := generate.Dockerfile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"ln -s /app /out/pkgroot/" + name + "\n", "PYTHONPATH=/opt/deps:/pkgroot ", "COPY --from=build /out/pkgroot /pkgroot\n"} {
			if !strings.Contains(f.Content, want) {
				t.Errorf("%s: Dockerfile lacks %q:\n%s", name, want, f.Content)
			}
		}
	}
}

// A package imported by a name its directory does not have (a service
// in backend/ that imports app.x from its app/ subpackage) is not its
// own: nothing is linked.
func TestPythonDockerfile_SubpackageIsNoPackageRoot(t *testing.T) {
	root := testutil.WriteTree(t, map[string]string{
		"backend/__init__.py":      "",
		"backend/requirements.txt": "fastapi\nuvicorn\n",
		"backend/app/__init__.py":  "",
		"backend/app/config.py":    "settings = None\n",
		"backend/main.py":          "from fastapi import FastAPI\nfrom app.config import settings\n\napp = FastAPI()\n",
	})
	s, err := detect.Detect(filepath.Join(root, "backend"))
	if err != nil {
		t.Fatal(err)
	}
	if s.PackageRoot != nil {
		t.Errorf("package root %v, want none: app is backend's subpackage", s.PackageRoot)
	}
}
