package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/generate"
)

// flask-on-docker's shape (detect's TestPython_BaseVarAndUploadDir): the
// image sets APP_FOLDER to /app and keeps project/media on the volume,
// and .dockerignore leaves out project/media/, not media/ (a pattern
// starts at the context's root): the copied directory, root's, had kept
// the volume unwritable for the app's user (Errno 13 on upload).
func TestProject_UploadDirBelowTheRoot(t *testing.T) {
	files := map[string]string{
		"requirements.txt":  "flask\ngunicorn\n",
		"project/config.py": "import os\n\nclass Config(object):\n    MEDIA_FOLDER = f\"{os.getenv('APP_FOLDER')}/project/media\"\n",
		"project/__init__.py": "import os\nfrom flask import Flask, request\n\napp = Flask(__name__)\napp.config.from_object(\"project.config.Config\")\n\n\n" +
			"@app.route(\"/healthz\")\ndef health():\n    return 'ok'\n\n\n@app.route(\"/upload\", methods=[\"POST\"])\ndef upload():\n    f = request.files[\"file\"]\n    f.save(os.path.join(app.config[\"MEDIA_FOLDER\"], f.filename))\n    return 'ok'\n",
		"project/media/.gitkeep": "",
	}
	p := resolved(t, files, generate.Options{Name: "web"})
	out, err := generate.Project(p)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range out {
		got[f.Path] = f.Content
	}
	for file, want := range map[string]string{
		"Dockerfile":    "ENV APP_FOLDER=/app\n",
		".dockerignore": "\nproject/media/\n",
		"compose.yaml":  "      - data:/app/project/media\n",
	} {
		if !strings.Contains(got[file], want) {
			t.Errorf("%s lacks %q:\n%s", file, want, got[file])
		}
	}
	if !strings.Contains(got["Dockerfile"], `VOLUME ["/app/project/media"]`) {
		t.Errorf("Dockerfile:\n%s", got["Dockerfile"])
	}
}
