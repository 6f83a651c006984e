package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/generate"
)

// A repository whose Dockerfile copies src/'s contents into its working
// directory and runs the script there: Malinnik/grozny-hack's backend
// (WORKDIR /app, COPY ./src ., ENTRYPOINT ["python", "main.py"]), whose
// main.py imports core.app beside it and whose code opens config.json by
// a relative path; and mbnan/flaskapiapp's (WORKDIR /code, COPY src/ .,
// CMD python ./app.py), a Flask app served with gunicorn instead. The
// image runs each in /app/src, by its path there.
func TestPythonDockerfile_RunsInTheDirectoryTheRepositoryCopies(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		entry string
		want  []string
	}{
		{"grozny-hack", map[string]string{
			"requirements.txt":     "fastapi\nuvicorn\n",
			"Dockerfile":           "FROM python:3.11.9-alpine3.20\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY ./src .\nENTRYPOINT [\"python\", \"main.py\"]\nEXPOSE 80\n",
			"src/main.py":          "import os\nimport uvicorn\nfrom core.app import create_app\n\nif __name__ == \"__main__\":\n    app = create_app()\n    uvicorn.run(app, port=int(os.getenv('APP_PORT', 80)), host=\"0.0.0.0\")\n",
			"src/core/__init__.py": "",
			"src/core/app.py":      "from fastapi import FastAPI\n\n\ndef create_app():\n    app = FastAPI()\n\n    @app.get(\"/health\")\n    def health():\n        return {}\n\n    with open(\"config.json\") as f:\n        f.read()\n    return app\n",
			"src/config.json":      "{}\n",
		}, "src/main.py", []string{"WORKDIR /app/src\n", `runpy.run_path(\"main.py\"`}},
		{"flaskapiapp", map[string]string{
			"requirements.txt": "Flask\n",
			"Dockerfile":       "FROM python\nWORKDIR /code\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY src/ .\nEXPOSE 5000\nCMD [\"python\", \"./app.py\"]\n",
			"src/app.py":       "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\ndef hello_world():\n    return 'Hello'\n\n\nif __name__ == '__main__':\n    app.run(host='0.0.0.0')\n",
		}, "src.app:app", []string{"WORKDIR /app/src\n", `"--graceful-timeout", "20", "app:app"]`}},
	} {
		p := resolved(t, tc.files, generate.Options{Name: "x"})
		if p.Entrypoint != tc.entry {
			t.Errorf("%s: entry point %q, want %q", tc.name, p.Entrypoint, tc.entry)
			continue
		}
		if p.Stack.RunDir == nil || p.Stack.RunDir.Value != "src" {
			t.Errorf("%s: run directory %v, want src", tc.name, p.Stack.RunDir)
		}
		f, err := generate.Dockerfile(p)
		if err != nil {
			t.Fatal(err)
		}
		runtime := f.Content[strings.LastIndex(f.Content, "FROM "):]
		for _, w := range tc.want {
			if !strings.Contains(runtime, w) {
				t.Errorf("%s: runtime stage lacks %q:\n%s", tc.name, w, runtime)
			}
		}
	}
}

// Chosen otherwise (--entrypoint), the program runs in /app as before.
func TestPythonDockerfile_RunDirOnlyForItsEntry(t *testing.T) {
	p := resolved(t, map[string]string{
		"requirements.txt": "Flask\n",
		"Dockerfile":       "FROM python\nWORKDIR /code\nCOPY src/ .\nCMD [\"python\", \"./app.py\"]\n",
		"src/app.py":       "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\ndef hello_world():\n    return 'Hello'\n",
		"wsgi.py":          "from src.app import app\n",
	}, generate.Options{Name: "x", Entrypoint: "wsgi:app"})
	f, err := generate.Dockerfile(p)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(f.Content, "WORKDIR /app/src") || !strings.Contains(f.Content, `"wsgi:app"]`) {
		t.Errorf("another entry point runs in /app:\n%s", f.Content)
	}
}
