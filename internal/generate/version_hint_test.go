package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// TestRuntime_WhereTheRepositoryRunsNode: a Node version taken from the
// repository's Dockerfile is a hint. A supported release is pinned; an
// end-of-life one (nestjs-typeorm-postgresql's node:12, excalidraw-room's
// node:12-alpine, which serves on Node 24) gives way to the default, and a
// note names the release and the oldest supported one, which a
// declaration would pin. No end-of-life tag is written.
func TestRuntime_WhereTheRepositoryRunsNode(t *testing.T) {
	for _, tc := range []struct {
		from, image, note string
	}{
		{"node:12-alpine", "ARG NODE_IMAGE=node:24.", "Dockerfile:1 runs Node 12, end of life since 2022-04-30, which is no declaration of what the app needs: Node 24."},
		{"node:22-alpine", "ARG NODE_IMAGE=node:22.", ""},
	} {
		s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
			"package.json": `{"name": "api", "scripts": {"start": "node server.js"}, "dependencies": {"express": "^4.18.0"}}`,
			"server.js":    "const app = require('express')();\napp.get('/healthz', (req, res) => res.send('ok'));\napp.listen(3000);\n",
			"Dockerfile":   "FROM " + tc.from + "\nCMD [\"node\", \"server.js\"]\n",
		}))
		if err != nil {
			t.Fatal(err)
		}
		p, err := generate.Resolve(s, generate.Options{Name: "api"})
		if err != nil {
			t.Fatal(err)
		}
		f, err := generate.Dockerfile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(f.Content, tc.image) || strings.Contains(f.Content, "DF084") {
			t.Errorf("FROM %s: the Dockerfile should build on %s, with no end-of-life suppression:\n%s", tc.from, tc.image, f.Content)
		}
		notes := strings.Join(p.Notes, "\n")
		if tc.note != "" && !strings.Contains(notes, tc.note) || tc.note == "" && strings.Contains(notes, "no declaration") {
			t.Errorf("FROM %s: notes %q, want %q", tc.from, notes, tc.note)
		}
	}
}

// TestRuntime_WhereTheRepositoryRunsPython: the same for Python, from
// the thirtieth try's services that declare no version anywhere else:
// sanic-tailor's FROM python:3.8.5-alpine3.12 and mogiminsk's FROM
// python:3.6 give way to the default, the note naming .python-version
// (not Node's .nvmrc); nachet-backend's FROM python:3.11-bullseye pins
// 3.11 (it got 3.13 before). A declaration (.python-version) wins over
// the Dockerfile.
func TestRuntime_WhereTheRepositoryRunsPython(t *testing.T) {
	for _, tc := range []struct {
		from, declared, image, note string
	}{
		{"python:3.8.5-alpine3.12", "", "ARG PYTHON_IMAGE=python:3.13.", "Dockerfile:1 runs Python 3.8.5, end of life since 2024-10-07, which is no declaration of what the app needs: Python 3.13."},
		{"python:3.11-bullseye", "", "ARG PYTHON_IMAGE=python:3.11.", ""},
		{"python:3.11-bullseye", "3.13\n", "ARG PYTHON_IMAGE=python:3.13.", ""},
		// A docs stage first: the last FROM runs the app.
		{"python:3.10 AS docs\nRUN echo\nFROM python:3.11-slim", "", "ARG PYTHON_IMAGE=python:3.11.", ""},
	} {
		files := map[string]string{
			"requirements.txt": "flask==3.0.0\ngunicorn==22.0.0\n",
			"app.py":           "from flask import Flask\napp = Flask(__name__)\n\n@app.get('/healthz')\ndef health():\n    return 'ok'\n",
			"Dockerfile":       "FROM " + tc.from + "\nCOPY . .\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]\n",
		}
		if tc.declared != "" {
			files[".python-version"] = tc.declared
		}
		s, err := detect.Detect(testutil.WriteTree(t, files))
		if err != nil {
			t.Fatal(err)
		}
		p, err := generate.Resolve(s, generate.Options{Name: "api"})
		if err != nil {
			t.Fatal(err)
		}
		f, err := generate.Dockerfile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(f.Content, tc.image) || strings.Contains(f.Content, "DF084") {
			t.Errorf("FROM %s: the Dockerfile should build on %s, with no end-of-life suppression:\n%s", tc.from, tc.image, f.Content)
		}
		notes := strings.Join(p.Notes, "\n")
		if tc.note != "" && (!strings.Contains(notes, tc.note) || !strings.Contains(notes, "(.python-version: 3.11) pins")) || tc.note == "" && strings.Contains(notes, "no declaration") {
			t.Errorf("FROM %s: notes %q, want %q", tc.from, notes, tc.note)
		}
	}
}
