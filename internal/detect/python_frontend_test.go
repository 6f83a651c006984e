package detect

import (
	"maps"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// A Python service's front end, built in a Node stage of one of its
// Dockerfiles and copied into its tree (the twenty-second try): linkding's
// docker/default.Dockerfile builds bookmarks/static with the root's
// package.json (not its docs site's), into a directory git holds part of;
// pinry's Dockerfile.autobuild builds pinry-spa/dist under a relative
// WORKDIR and copies it by a relative --from path. A Node stage whose
// build nothing copies is no front end.
func TestDetect_PythonFrontendFromANodeStage(t *testing.T) {
	django := map[string]string{
		"requirements.txt":      "django\ngunicorn\n",
		"manage.py":             "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"site1.settings\")\n",
		"site1/settings.py":     "SECRET_KEY = 'x'\n",
		"site1/wsgi.py":         "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"site1.settings\")\napplication = get_wsgi_application()\n",
		"site1/urls.py":         "urlpatterns = [path('health', health)]\n",
		"docs/package.json":     `{"scripts": {"build": "astro build"}}`,
		"docs/astro.config.mjs": "export default {}\n",
	}
	for _, tc := range []struct {
		name             string
		files            map[string]string
		dir, out, script string
		shared           bool
	}{
		{"linkding's", map[string]string{
			"package.json":              `{"scripts": {"build": "rollup -c && postcss -o bookmarks/static/theme.css bookmarks/styles/theme.css"}}`,
			"package-lock.json":         "{}",
			"bookmarks/static/logo.svg": "<svg/>",
			"docker/default.Dockerfile": "FROM node:22-alpine AS node-build\nWORKDIR /etc/linkding\nCOPY rollup.config.mjs package.json package-lock.json ./\nRUN npm ci\nCOPY bookmarks/frontend ./bookmarks/frontend\nRUN npm run build\n\n" +
				"FROM python:3.13-slim AS linkding\nWORKDIR /etc/linkding\nCOPY . .\nCOPY --from=node-build /etc/linkding/bookmarks/static bookmarks/static/\nCMD [\"./bootstrap.sh\"]\n",
		}, ".", "bookmarks/static", "build", true},
		{"pinry's", map[string]string{
			"pinry-spa/package.json":   `{"scripts": {"build": "vue-cli-service build"}}`,
			"pinry-spa/pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
			"Dockerfile.autobuild": "FROM node:18-bookworm as pnpm-build\nWORKDIR pinry-spa\nCOPY pinry-spa/package.json pinry-spa/pnpm-lock.yaml ./\nRUN npm install -g pnpm\nRUN pnpm install\nCOPY pinry-spa .\nRUN pnpm build\n\n" +
				"FROM python:3.9-slim\nWORKDIR pinry\nCOPY . .\nCOPY --from=pnpm-build pinry-spa/dist /pinry/pinry-spa/dist\n",
		}, "pinry-spa", "pinry-spa/dist", "build", false},
		{"a Node stage nothing copies", map[string]string{
			"package.json": `{"scripts": {"build": "rollup -c"}}`,
			"Dockerfile":   "FROM node:22 AS assets\nCOPY . .\nRUN npm ci && npm run build\n\nFROM python:3.13-slim\nCOPY . .\n",
		}, "", "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := maps.Clone(django)
			maps.Copy(files, tc.files)
			s, err := Detect(testutil.WriteTree(t, files))
			if err != nil {
				t.Fatal(err)
			}
			f := s.Frontend
			if tc.out == "" {
				if f != nil {
					t.Fatalf("front end %+v, want none", f)
				}
				return
			}
			if f == nil {
				t.Fatal("no front end")
			}
			if f.Dir != tc.dir || f.Out != tc.out || f.Script.Value != tc.script || f.Shared != tc.shared || !f.Runtime {
				t.Errorf("front end dir %q out %q script %q shared %v runtime %v, want %q %q %q %v true", f.Dir, f.Out, f.Script.Value, f.Shared, f.Runtime, tc.dir, tc.out, tc.script, tc.shared)
			}
		})
	}
}
