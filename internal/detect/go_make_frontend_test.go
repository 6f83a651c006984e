package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// A Makefile rule that builds an embedded directory with Node alone is
// the front end's build: hound-search/hound's `ui/.build/ui:
// node_modules/build $(UI)` (its target is the embed, a prerequisite
// rule runs npm install and writes a stamp, a variable gives webpack's
// flags), binwiederhier/ntfy's web-build (no target of the embed's name:
// it moves web/build to server/site, from the root, through a cd). What
// needs more than Node stays a need, named.
func TestDetect_MakefileFrontend(t *testing.T) {
	hound := houndFiles()
	hound["ui/bindata.go"] = "package ui\n\nimport \"embed\"\n\nvar (\n\t//go:embed .build/ui\n\tcontent embed.FS\n)\n"
	hound["cmds/houndd/main.go"] = strings.Replace(hound["cmds/houndd/main.go"], "\t\"github.com/hound-search/hound/web\"\n", "\t\"github.com/hound-search/hound/ui\"\n\t\"github.com/hound-search/hound/web\"\n", 1)
	hound["cmds/houndd/main.go"] += "\nvar _ = ui.Content\n"
	hound["ui/content.go"] = "package ui\n\nvar Content = content\n"
	hound["package.json"] = `{"name": "hound", "private": true, "devDependencies": {"webpack": "^5.0.0", "webpack-cli": "^4.0.0"}}` + "\n"
	hound["package-lock.json"] = `{"name": "hound", "lockfileVersion": 2, "requires": true, "packages": {}}` + "\n"
	hound[".gitignore"] = "/.build\nnode_modules\nui/.build\n"
	hound["Makefile"] = "CMDS := .build/bin/houndd\n\nUI := $(shell find ui/assets -type f)\n\nWEBPACK_ARGS := --mode production\nifdef DEBUG\n\tWEBPACK_ARGS := --mode development\nendif\n\nALL: $(CMDS)\n\n" +
		"node_modules/build:\n\tnpm install\n\tdate -u >> $@\n\n.build/bin/houndd: ui/.build/ui\n\tgo build -o $@ github.com/hound-search/hound/cmds/houndd\n\n" +
		"ui/.build/ui: node_modules/build $(UI)\n\tmkdir -p ui/.build/ui\n\tcp -r ui/assets/* ui/.build/ui\n\tnpx webpack $(WEBPACK_ARGS)\n"
	s, err := Detect(testutil.WriteTree(t, hound))
	if err != nil {
		t.Fatal(err)
	}
	f := s.Frontend
	if f == nil || f.Out != "ui/.build/ui" || f.Dir != "." || !f.FromRoot || f.Script.File != "Makefile" || f.Script.Line != 19 ||
		f.Run != "mkdir -p ui/.build/ui && cp -r ui/assets/* ui/.build/ui && npx webpack --mode production" {
		t.Fatalf("front end %+v, want ui/.build/ui by Makefile:19's recipe, webpack's flags expanded", f)
	}
	if len(s.Needs) != 0 {
		t.Errorf("needs %+v with the front end built", s.Needs)
	}

	ntfy := ntfyFiles()
	ntfy["web/package.json"] = `{"name": "ntfy", "scripts": {"build": "vite build"}, "devDependencies": {"vite": "^5.0.0"}}` + "\n"
	ntfy["web/package-lock.json"] = `{"name": "ntfy", "lockfileVersion": 3, "requires": true, "packages": {}}` + "\n"
	ntfy["Makefile"] = "web: web-deps web-build\n\nweb-build:\n\tcd web \\\n\t\t&& npm run build \\\n\t\t&& mv build/index.html build/app.html \\\n\t\t&& rm -rf ../server/site \\\n\t\t&& mv build ../server/site \\\n\t\t&& rm \\\n\t\t\t../server/site/config.js\n\n" +
		"web-deps:\n\tcd web && npm install\n\ndocs-build: docs-venv\n\t(. venv/bin/activate && $(PYTHON) -m mkdocs build)\n"
	ntfy["server/server.go"] = strings.Replace(ntfy["server/server.go"], "//go:embed site\nvar webFs embed.FS\n", "//go:embed site\nvar webFs embed.FS\n\n//go:embed docs\nvar docsFs embed.FS\n", 1)
	s, err = Detect(testutil.WriteTree(t, ntfy))
	if err != nil {
		t.Fatal(err)
	}
	f = s.Frontend
	if f == nil || f.Out != "server/site" || f.Dir != "web" || f.Script.Line != 3 ||
		f.Run != "cd web && npm run build && mv build/index.html build/app.html && rm -rf ../server/site && mv build ../server/site && rm ../server/site/config.js" {
		t.Fatalf("front end %+v, want server/site by Makefile:3's web-build, from web", f)
	}
	if len(s.Needs) != 1 || !strings.Contains(s.Needs[0].Value, "server/docs, which the tree lacks") {
		t.Errorf("needs %+v, want server/docs alone (mkdocs is Python's)", s.Needs)
	}

	// More than Node: a recipe that runs go, a prerequisite that runs
	// Python, shell syntax make's own. Each stays a need.
	for name, makefile := range map[string]string{
		"go in the recipe":        "ui/.build/ui: node_modules/build\n\tnpx webpack\n\tgo run ./tools/pack\n\nnode_modules/build:\n\tnpm install\n",
		"a Python prerequisite":   "ui/.build/ui: deps\n\tnpx webpack\n\ndeps:\n\tnpm install\n\tpip install -r requirements.txt\n",
		"a pipe":                  "ui/.build/ui:\n\tnpx webpack | tee build.log\n",
		"nothing makes the embed": "ui/other:\n\tnpx webpack\n",
		// From a review: each would have built without a step, or not
		// at all.
		"a comment":                 "ui/.build/ui: node_modules/build\n\tnpx webpack # bundle\n\tcp -r ui/assets/* ui/.build/ui\n\nnode_modules/build:\n\tnpm install\n",
		"a lone &":                  "ui/.build/ui:\n\tnpx webpack & cp -r ui/assets/* ui/.build/ui\n",
		"a trailing backslash":      "ui/.build/ui:\n\tnpx webpack \\\\\n",
		"an ignored failure":        "ui/.build/ui:\n\t-rm -r ui/.build\n\tnpx webpack\n",
		"a cd out of the tree":      "ui/.build/ui:\n\tcd ../frontend && npm run build\n\tcp -r ../frontend/dist ui/.build/ui\n",
		"an install with flags":     "ui/.build/ui:\n\tnpm install --legacy-peer-deps\n\tnpx webpack\n",
		"a package by --prefix":     "ui/.build/ui:\n\tnpm run build --prefix ui\n",
		"pnpm without its lock":     "ui/.build/ui:\n\tpnpm build\n",
		"one shell":                 ".ONESHELL:\nui/.build/ui:\n\tcd ui\n\tnpx webpack\n",
		"a prerequisite's protoc":   "ui/.build/ui: deps\n\tnpx webpack\n\ndeps: proto\n\tnpm ci\n\nproto:\n\tprotoc -I. x.proto\n",
		"an install in another dir": "ui/.build/ui: deps\n\tnpx webpack\n\ndeps:\n\tcd docs && npm ci\n",
	} {
		h := houndFiles()
		for k, v := range hound {
			h[k] = v
		}
		h["Makefile"] = makefile
		s, err := Detect(testutil.WriteTree(t, h))
		if err != nil {
			t.Fatal(err)
		}
		if s.Frontend != nil {
			t.Errorf("%s: front end %+v", name, s.Frontend)
		}
		if len(s.Needs) != 1 || !strings.Contains(s.Needs[0].Value, "ui/.build/ui") {
			t.Errorf("%s: needs %+v, want ui/.build/ui", name, s.Needs)
		}
	}

	// Blank lines and comments inside a recipe do not end it.
	hound["Makefile"] = strings.Replace(hound["Makefile"], "\tcp -r ui/assets/* ui/.build/ui\n", "\n# the assets too\n\tcp -r ui/assets/* ui/.build/ui\n", 1)
	s, err = Detect(testutil.WriteTree(t, hound))
	if err != nil {
		t.Fatal(err)
	}
	if f := s.Frontend; f == nil || !strings.Contains(f.Run, "cp -r ui/assets/* ui/.build/ui") {
		t.Errorf("front end %+v, want the cp after the comment", f)
	}
}

// A Makefile of many prerequisites of one rule is read in linear time:
// each prerequisite's verdict once.
func TestDetect_MakefileFrontendManyPrerequisites(t *testing.T) {
	files := houndFiles()
	files["ui/bindata.go"] = "package ui\n\nimport \"embed\"\n\n//go:embed .build/ui\nvar content embed.FS\n"
	files["package.json"] = `{"name": "x"}` + "\n"
	files["package-lock.json"] = `{"lockfileVersion": 3}` + "\n"
	var mk strings.Builder
	mk.WriteString("ui/.build/ui:")
	for range 20000 {
		mk.WriteString(" d")
	}
	mk.WriteString("\n\tnpx webpack\n\nd:\n")
	for range 20000 {
		mk.WriteString("\tnpm i\n")
	}
	files["Makefile"] = mk.String()
	s, err := Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if s.Frontend == nil || s.Frontend.Run != "npx webpack" {
		t.Errorf("front end %+v, want npx webpack", s.Frontend)
	}
}
