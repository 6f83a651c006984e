package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// TestNodeServesAFrontEndItDoesNotHold: bradtraversy/proshop-v2's shape.
// Its Express server, under NODE_ENV=production, serves frontend/build,
// which git does not hold and frontend/'s react-scripts build writes (the
// root package.json's build script runs it with --prefix frontend).
// Detection finds the front end from the server's express.static; the
// image builds it in a stage of its own and carries it where the server
// reads it (the working directory, /app). A server whose served directory
// git holds builds nothing.
func TestNodeServesAFrontEndItDoesNotHold(t *testing.T) {
	files := map[string]string{
		"package.json":      `{"name": "proshop2", "type": "module", "scripts": {"start": "node backend/server.js", "build": "npm install && npm install --prefix frontend && npm run build --prefix frontend"}, "dependencies": {"express": "^4.18.2"}}`,
		"package-lock.json": `{"lockfileVersion": 3}`,
		"backend/server.js": "import path from 'path';\nimport express from 'express';\nconst port = process.env.PORT || 5000;\nconst app = express();\napp.get('/api/health', (req, res) => res.send('ok'));\n" +
			"if (process.env.NODE_ENV === 'production') {\n  const __dirname = path.resolve();\n  app.use(express.static(path.join(__dirname, '/frontend/build')));\n" +
			"  app.get('*', (req, res) => res.sendFile(path.resolve(__dirname, 'frontend', 'build', 'index.html')));\n}\napp.listen(port);\n",
		"frontend/package.json":      `{"name": "frontend", "private": true, "dependencies": {"react": "^18.2.0", "react-scripts": "5.0.1"}, "scripts": {"start": "react-scripts start", "build": "react-scripts build"}}`,
		"frontend/package-lock.json": `{"lockfileVersion": 3}`,
		"frontend/src/index.js":      "import React from 'react';\n",
	}
	s, err := detect.Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if s.Frontend == nil || s.Frontend.Out != "frontend/build" || s.Frontend.Dir != "frontend" || !s.Frontend.Runtime {
		t.Fatalf("front end = %+v, want frontend/build built in frontend/, read at run time", s.Frontend)
	}
	content := dockerfileHolds(t, s, "proshop",
		"FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS frontend\nWORKDIR /src/frontend\nCOPY frontend/ ./\n",
		"npm ci --no-audit --no-fund && npm run build\n\nFROM ${RUNTIME_IMAGE}\n",
		"COPY . .\nCOPY --from=frontend /src/frontend/build ./frontend/build\n")
	if n := strings.Count(content, "ARG NODE_IMAGE="); n != 1 {
		t.Errorf("NODE_IMAGE declared %d times:\n%s", n, content)
	}

	files["frontend/build/index.html"] = "<html></html>\n"
	if s, err = detect.Detect(testutil.WriteTree(t, files)); err != nil {
		t.Fatal(err)
	}
	if s.Frontend != nil {
		t.Errorf("a front end git holds is built again: %+v", s.Frontend)
	}
}

// TestDockerfile_NodeBuildsFirst: electerious/Ackee's start script is
// `npm run build && npm run server` and its Procfile's release runs the
// build, whose dist/index.html (git-ignored) the server serves. The image
// ran `npm run server` alone: verify passed on its GraphQL health route
// while / answered an empty page and the log said ENOENT dist/index.html.
// The build stage now runs the build and the runtime copies what it
// built; a start script that only serves builds nothing.
func TestDockerfile_NodeBuildsFirst(t *testing.T) {
	server := "const app = require('express')();\napp.get('/healthz', (q, r) => r.send('ok'));\napp.listen(3000);\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  []string
		not   []string
	}{
		{"the start script", map[string]string{
			"package.json": `{"name":"x","scripts":{"start":"npm run build && npm run server","build":"node build.js","server":"node src/index.js"},"dependencies":{"express":"^4.21.0"}}`,
			"src/index.js": server,
		}, []string{"# the start script builds before it serves (package.json:1)", "RUN npm run build && rm -rf node_modules", "COPY --from=build /app ./\n"}, []string{"runtime: COPY . ."}},
		{"a Procfile's release", map[string]string{
			"package.json": `{"name":"x","scripts":{"build":"node build.js","server":"node src/index.js"},"dependencies":{"express":"^4.21.0"}}`,
			"Procfile":     "release: npm run build\nweb: npm run server\n",
			"src/index.js": server,
		}, []string{"# the release process builds before the server runs (Procfile:1)", "RUN npm run build && rm -rf node_modules", "COPY --from=build /app ./\n"}, []string{"runtime: COPY . ."}},
		// The review's case: Prisma's generated client, which the runtime
		// copies from the build stage, survives the clean-up there.
		{"with Prisma", map[string]string{
			"package.json":         `{"name":"x","scripts":{"start":"npm run build && node server.js","build":"webpack"},"dependencies":{"express":"^4.21.0","@prisma/client":"^5.0.0"},"devDependencies":{"prisma":"^5.0.0"}}`,
			"prisma/schema.prisma": "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}\n",
			"server.js":            server,
		}, []string{"mv node_modules/.prisma /tmp/prisma-client && rm -rf node_modules && mkdir node_modules && mv /tmp/prisma-client node_modules/.prisma", "COPY --from=build /app/node_modules/.prisma ./node_modules/.prisma"}, []string{"runtime: COPY . ."}},
		// The build after the server, or a script that is not the build.
		{"a build script nothing runs first", map[string]string{
			"package.json": `{"name":"x","scripts":{"start":"node src/index.js && npm run build","build":"node build.js"},"dependencies":{"express":"^4.21.0"}}`,
			"Procfile":     "release: npm run build:docs\n",
			"src/index.js": server,
		}, []string{"COPY --from=deps /app/node_modules ./node_modules\nCOPY . .\n"}, []string{"AS build", "npm run build"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := detect.Detect(testutil.WriteTree(t, tc.files))
			if err != nil {
				t.Fatal(err)
			}
			p, err := generate.Resolve(s, generate.Options{Name: "x", HealthPath: "/healthz"})
			if err != nil {
				t.Fatal(err)
			}
			f, err := generate.Dockerfile(p)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(f.Content, w) {
					t.Errorf("the Dockerfile lacks %q:\n%s", w, f.Content)
				}
			}
			_, runtime, _ := strings.Cut(f.Content, "FROM ${RUNTIME_IMAGE}")
			for _, n := range tc.not {
				in, what := f.Content, n
				if w, ok := strings.CutPrefix(n, "runtime: "); ok {
					in, what = runtime, w // the runtime stage's alone
				}
				if strings.Contains(in, what) {
					t.Errorf("the Dockerfile has %q:\n%s", n, f.Content)
				}
			}
		})
	}
}
