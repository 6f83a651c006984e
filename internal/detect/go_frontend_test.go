package detect

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// A Go program that embeds a front end's build output, which git does not
// hold, gets the front end built in the image: three real shapes.
func TestDetect_GoEmbedsFrontEndBuild(t *testing.T) {
	gomod := "module example.com/app\n\ngo 1.25\n\nrequire github.com/gin-gonic/gin v1.10.0\n"
	main := "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n"
	for _, c := range []struct {
		name  string
		files map[string]string
		want  string // Dir Out Script pm InstallEnv
	}{{
		// gotify/server: ui/serve.go embeds build/*, ui/ (its own
		// package.json, yarn) is a Vite app whose vite.config.ts sets
		// build.outDir 'build'; puppeteer (its UI tests) is a dev
		// dependency.
		name: "gotify",
		files: map[string]string{
			"go.mod": gomod, "app.go": main,
			"ui/serve.go":       "package ui\n\nimport \"embed\"\n\n//go:embed build/*\nvar box embed.FS\n",
			"ui/package.json":   "{\n  \"name\": \"gotify-ui\",\n  \"dependencies\": {\n    \"vite\": \"^8.0.8\"\n  },\n  \"scripts\": {\n    \"prebuild\": \"tsc\",\n    \"build\": \"vite build\"\n  },\n  \"devDependencies\": {\n    \"puppeteer\": \"^24.0.0\"\n  }\n}\n",
			"ui/yarn.lock":      "# yarn lockfile v1\n",
			"ui/vite.config.ts": "export default defineConfig({\n    base: './',\n    build: {\n        outDir: 'build',\n    },\n});\n",
		},
		want: "ui ui/build build@ui/package.json:8 yarn PUPPETEER_SKIP_DOWNLOAD=true@ui/package.json:11",
	}, {
		// traggo/server: ui/ is a Create React App on react-scripts 3
		// (webpack 4), which Node 17 and later refuse to build without
		// OpenSSL's legacy provider (its CI sets NODE_OPTIONS so).
		name: "traggo",
		files: map[string]string{
			"go.mod": gomod, "main.go": main,
			"ui/serve.go":      "package ui\n\nimport \"embed\"\n\n//go:embed build\nvar box embed.FS\n",
			"ui/package.json":  "{\n  \"name\": \"traggo\",\n  \"dependencies\": {\n    \"react\": \"^16.11.0\",\n    \"react-scripts\": \"^3.2.0\"\n  },\n  \"scripts\": {\n    \"build\": \"react-scripts build\"\n  }\n}\n",
			"ui/yarn.lock":     "# yarn lockfile v1\n",
			"ui/public/x.html": "<html></html>\n",
		},
		want: "ui ui/build build@ui/package.json:8 yarn NODE_OPTIONS=--openssl-legacy-provider@ui/package.json:5",
	}, {
		// semaphoreui/semaphore: api/router.go embeds public, which web/
		// (Vue CLI) writes by its vue.config.js's outputDir.
		name: "semaphore",
		files: map[string]string{
			"go.mod": gomod, "main.go": main,
			"api/router.go":         "package api\n\nimport \"embed\"\n\n//go:embed public/*\nvar publicAssets embed.FS\n",
			"web/package.json":      "{\n  \"name\": \"web\",\n  \"scripts\": {\n    \"build\": \"vue-cli-service build\"\n  },\n  \"devDependencies\": {\n    \"@vue/cli-service\": \"~5.0.8\"\n  }\n}\n",
			"web/package-lock.json": "{\"lockfileVersion\": 3}\n",
			"web/vue.config.js":     "module.exports = {\n  publicPath: '/',\n  outputDir: '../api/public',\n};\n",
		},
		want: "web api/public build@web/package.json:4 npm",
	}, {
		// filebrowser/filebrowser: frontend/assets.go embeds dist/*, which
		// git holds only a .gitkeep of; frontend/ builds with pnpm and
		// Vite's default output.
		name: "filebrowser",
		files: map[string]string{
			"go.mod": gomod, "main.go": main,
			"frontend/assets.go":      "package frontend\n\nimport \"embed\"\n\n//go:embed dist/*\nvar assets embed.FS\n",
			"frontend/dist/.gitkeep":  "",
			"frontend/package.json":   "{\n  \"engines\": {\n    \"node\": \">=24.0.0\"\n  },\n  \"scripts\": {\n    \"build\": \"pnpm run typecheck && vite build\"\n  },\n  \"devDependencies\": {\n    \"vite\": \"^7.0.0\"\n  }\n}\n",
			"frontend/pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
		},
		want: "frontend frontend/dist build@frontend/package.json:6 pnpm",
	}, {
		// usememos/memos: web/ (top-level, not on the embed's path)
		// writes server/router/frontend/dist by its release script's
		// --outDir; git holds a placeholder index.html there.
		name: "memos",
		files: map[string]string{
			"go.mod": gomod, "cmd/memos/main.go": main,
			"server/router/frontend/frontend.go":     "package frontend\n\nimport \"embed\"\n\n//go:embed dist/*\nvar embeddedFiles embed.FS\n",
			"server/router/frontend/dist/index.html": "<!-- placeholder -->\n",
			"web/package.json":                       "{\n  \"packageManager\": \"pnpm@11.0.1\",\n  \"scripts\": {\n    \"build\": \"vite build\",\n    \"release\": \"vite build --mode release --outDir=../server/router/frontend/dist --emptyOutDir\"\n  },\n  \"devDependencies\": {\n    \"vite\": \"^7.0.0\"\n  }\n}\n",
			"web/pnpm-lock.yaml":                     "lockfileVersion: '9.0'\n",
		},
		want: "web server/router/frontend/dist release@web/package.json:5 pnpm",
	}, {
		// axllent/mailpit v1.33.1: server/embed.go embeds server/ui, which
		// git holds in part (favicons); the root package.json's build runs
		// esbuild.config.mjs, whose outdir server/ui/dist/ git ignores.
		name: "mailpit",
		files: map[string]string{
			"go.mod": gomod, "main.go": main,
			"server/embed.go":       "package server\n\nimport \"embed\"\n\nvar (\n\t//go:embed ui\n\tdistFS embed.FS\n)\n",
			"server/ui/favicon.svg": "<svg/>\n",
			"package.json":          "{\n  \"scripts\": {\n    \"test\": \"node --test\",\n    \"build\": \"MINIFY=true node esbuild.config.mjs\"\n  },\n  \"devDependencies\": {\n    \"esbuild\": \"^0.27.0\"\n  }\n}\n",
			"package-lock.json":     "{\"lockfileVersion\": 3}\n",
			"esbuild.config.mjs":    "const ctx = await esbuild.context({\n\tentryPoints: [\"server/ui-src/app.js\"],\n\tbundle: true,\n\toutdir: \"server/ui/dist/\",\n});\n",
		},
		want: ". server/ui/dist build@package.json:4 npm",
	}, {
		// The same, with the build's output committed inside the embedded
		// directory: nothing to build.
		name: "output held by git",
		files: map[string]string{
			"go.mod": gomod, "main.go": main,
			"server/embed.go":       "package server\n\nimport \"embed\"\n\n//go:embed ui\nvar distFS embed.FS\n",
			"server/ui/dist/app.js": "x()\n",
			"package.json":          "{\n  \"scripts\": {\n    \"build\": \"node esbuild.config.mjs\"\n  }\n}\n",
			"esbuild.config.mjs":    "await esbuild.build({\n\toutdir: 'server/ui/dist',\n});\n",
		},
		want: "-",
	}, {
		// prometheus/alertmanager v0.35.0: ui/web.go embeds app/dist, into
		// which two apps build, ui/app (dist/elm) and ui/mantine-ui
		// (../app/dist/mantine); the program reads both. Building one
		// would leave it without the other: none is chosen.
		name: "two builds into one embed",
		files: map[string]string{
			"go.mod": gomod, "main.go": main,
			"ui/web.go":                     "package ui\n\nimport \"embed\"\n\n//go:embed app/dist\nvar asset embed.FS\n",
			"ui/app/package.json":           "{\n  \"scripts\": {\n    \"build\": \"vite build\"\n  },\n  \"devDependencies\": {\n    \"vite\": \"^8.0.0\"\n  }\n}\n",
			"ui/app/vite.config.mjs":        "export default defineConfig({\n  build: {\n    outDir: \"dist/elm\",\n  },\n});\n",
			"ui/mantine-ui/package.json":    "{\n  \"scripts\": {\n    \"build\": \"tsc && vite build\"\n  },\n  \"devDependencies\": {\n    \"vite\": \"^7.0.0\"\n  }\n}\n",
			"ui/mantine-ui/vite.config.mjs": "export default defineConfig({\n  build: {\n    outDir: '../app/dist/mantine',\n  },\n});\n",
		},
		want: "-",
	}, {
		// The same embed with one app building into it: that one is built.
		name: "one build into the embed",
		files: map[string]string{
			"go.mod": gomod, "main.go": main,
			"ui/web.go":                "package ui\n\nimport \"embed\"\n\n//go:embed app/dist\nvar asset embed.FS\n",
			"ui/app/package.json":      "{\n  \"scripts\": {\n    \"build\": \"vite build\"\n  },\n  \"devDependencies\": {\n    \"vite\": \"^8.0.0\"\n  }\n}\n",
			"ui/app/vite.config.mjs":   "export default defineConfig({\n  build: {\n    outDir: \"dist/elm\",\n  },\n});\n",
			"ui/app/package-lock.json": "{\"lockfileVersion\": 3}\n",
		},
		want: "ui/app ui/app/dist/elm build@ui/app/package.json:3 npm",
	}, {
		// An embed of files git holds (templates), and a front end whose
		// output is elsewhere: nothing to build.
		name: "no front end",
		files: map[string]string{
			"go.mod": gomod, "main.go": main + "\n//go:embed templates\nvar tpl embed.FS\n",
			"templates/index.html": "<p>hi</p>\n",
			"web/package.json":     "{\n  \"scripts\": {\n    \"build\": \"vite build\"\n  },\n  \"devDependencies\": {\n    \"vite\": \"^7.0.0\"\n  }\n}\n",
		},
		want: "-",
	}} {
		t.Run(c.name, func(t *testing.T) {
			s, _ := goShape(t, c.files)
			got := "-"
			if f := s.Frontend; f != nil {
				got = strings.Join([]string{f.Dir, f.Out, ev(&f.Script), f.Stack.PackageManager.Value}, " ")
				for i := range f.Stack.InstallEnv {
					got += " " + ev(&f.Stack.InstallEnv[i])
				}
			}
			if got != c.want {
				t.Errorf("front end %q, want %q", got, c.want)
			}
		})
	}
}

// A Go program that serves a front end from a directory its configuration
// names by default, at run time, which git does not hold: inbucket v3.2.0
// (pkg/config/config.go:112, `UIDir string default:"ui/dist"`, read by
// envconfig; ui/ is a Parcel app built with yarn). A flag's default
// works the same way; a default naming a directory git holds, or one no
// script writes, is nothing to build.
func TestDetect_GoRuntimeFrontEnd(t *testing.T) {
	gomod := "module example.com/app\n\ngo 1.25\n"
	parcel := "{\n  \"scripts\": {\n    \"build\": \"parcel build --public-url ./\"\n  },\n  \"devDependencies\": {\n    \"parcel\": \"^2.16.4\"\n  }\n}\n"
	for _, c := range []struct {
		name  string
		files map[string]string
		want  string // Out Script Runtime Embed
	}{{
		name: "envconfig default",
		files: map[string]string{
			"go.mod":          gomod,
			"main.go":         "package main\n\nimport \"example.com/app/config\"\n\nfunc main() { c := config.Process(); http.ListenAndServe(c.Addr, http.FileServer(http.Dir(c.UIDir))) }\n",
			"config/conf.go":  "package config\n\ntype Web struct {\n\tAddr  string `required:\"true\" default:\"0.0.0.0:9000\"`\n\tUIDir string `required:\"true\" default:\"ui/dist\" desc:\"User interface dir\"`\n}\n\nfunc Process() *Web { c := &Web{}; envconfig.Process(\"inbucket\", c); return c }\n",
			"ui/package.json": parcel, "ui/yarn.lock": "# yarn lockfile v1\n",
		},
		want: "ui/dist build@ui/package.json:3 true config/conf.go:5",
	}, {
		name: "flag default, Parcel's --dist-dir",
		files: map[string]string{
			"go.mod":           gomod,
			"main.go":          "package main\n\nvar static = flag.String(\"static\", \"web/public\", \"the UI's files\")\n\nfunc main() { flag.Parse(); http.ListenAndServe(\":8080\", http.FileServer(http.Dir(*static))) }\n",
			"web/package.json": strings.Replace(parcel, "--public-url ./", "--dist-dir public", 1),
		},
		want: "web/public build@web/package.json:3 true main.go:3",
	}, {
		// Another program's default: a preview tool's --static is not what
		// the server (cmd/server, chosen as the only server) serves.
		name: "another program's flag",
		files: map[string]string{
			"go.mod":                gomod,
			"cmd/server/main.go":    "package main\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n",
			"tools/preview/main.go": "package main\n\nvar static = flag.String(\"static\", \"web/dist\", \"the UI's files\")\n\nfunc main() { flag.Parse() }\n",
			"web/package.json":      parcel,
		},
		want: "-",
	}, {
		name: "held by git",
		files: map[string]string{
			"go.mod":          gomod,
			"main.go":         "package main\n\nvar static = flag.String(\"static\", \"ui/dist\", \"the UI's files\")\n\nfunc main() { flag.Parse(); http.ListenAndServe(\":8080\", nil) }\n",
			"ui/package.json": parcel, "ui/dist/index.html": "<p>built</p>\n",
		},
		want: "-",
	}, {
		name: "no script writes it",
		files: map[string]string{
			"go.mod":          gomod,
			"main.go":         "package main\n\nvar static = flag.String(\"static\", \"ui/build\", \"the UI's files\")\n\nfunc main() { flag.Parse(); http.ListenAndServe(\":8080\", nil) }\n",
			"ui/package.json": parcel,
		},
		want: "-",
	}} {
		t.Run(c.name, func(t *testing.T) {
			s, _ := goShape(t, c.files)
			got := "-"
			if f := s.Frontend; f != nil {
				got = fmt.Sprintf("%s %s %v %s:%d", f.Out, ev(&f.Script), f.Runtime, f.Embed.File, f.Embed.Line)
			}
			if got != c.want {
				t.Errorf("front end %q, want %q", got, c.want)
			}
		})
	}
}

// gogs/gogs eb1054e5432f embeds public/dist, which web/'s Vite build
// writes; web/ has no lock file: it is a member of the root's pnpm
// workspace (pnpm-workspace.yaml `packages: ["web"]`, pnpm-lock.yaml at
// the root). The front end installs with the root's pnpm, not npm in
// web/. A directory no pattern lists stays on its own.
func TestDetect_FrontendInARootPnpmWorkspace(t *testing.T) {
	files := map[string]string{
		"go.mod":              "module gogs.io/gogs\n\ngo 1.24\n",
		"main.go":             "package main\n\nimport (\n\t\"embed\"\n\t\"net/http\"\n)\n\n//go:embed public/dist\nvar dist embed.FS\n\nfunc main() { http.ListenAndServe(\":3000\", http.FileServer(http.FS(dist))) }\n",
		"package.json":        "{\"name\": \"gogs\", \"private\": true, \"packageManager\": \"pnpm@11.1.3\"}\n",
		"pnpm-lock.yaml":      "lockfileVersion: '9.0'\n",
		"pnpm-workspace.yaml": "packages:\n  - \"web\"\n\nonlyBuiltDependencies:\n  - esbuild\n",
		"web/package.json":    "{\"name\": \"gogs-web\", \"scripts\": {\"build\": \"tsc -b && vite build\"}, \"devDependencies\": {\"vite\": \"7\"}}\n",
		"web/vite.config.ts":  "export default defineConfig({ build: { outDir: '../public/dist' } })\n",
		".gitignore":          "public/dist\n",
	}
	s, err := Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	f := s.Frontend
	if f == nil || f.Dir != "web" || f.Workspace == nil || f.Workspace.Where() != "pnpm-workspace.yaml:2" || f.Stack.PackageManager == nil || f.Stack.PackageManager.Value != "pnpm" {
		t.Fatalf("front end %+v, want web/ as a member of the root's pnpm workspace (pnpm-workspace.yaml:2)", f)
	}
	files["pnpm-workspace.yaml"] = "packages:\n  - \"apps/*\"\n"
	if s, err = Detect(testutil.WriteTree(t, files)); err != nil || s.Frontend == nil || s.Frontend.Workspace != nil {
		t.Errorf("front end %+v (%v): web/ is no member of apps/*", s.Frontend, err)
	}
}

// Vue CLI's output, as a review tried it: --dest names it, a commented
// outputDir does not, a computed one is no place init can name (no
// front end rather than dist); Vue CLI 4 builds with webpack 4, which
// needs OpenSSL's legacy provider, as "webpack": "^4" does.
func TestDetect_VueCLIOutput(t *testing.T) {
	gomod := "module example.com/app\n\ngo 1.22\n"
	main := "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n"
	for _, c := range []struct {
		name, build, config, cli, want string
	}{
		{"--dest", "vue-cli-service build --dest ../api/public", "module.exports = {};\n", "~5.0.8", "api/public"},
		{"a commented outputDir", "vue-cli-service build", "module.exports = {\n  // outputDir: 'build',\n  outputDir: '../api/public',\n};\n", "~5.0.8", "api/public"},
		{"a computed outputDir", "vue-cli-service build", "module.exports = {\n  outputDir: path.resolve(__dirname, '../api/public'),\n};\n", "~5.0.8", ""},
		{"Vue CLI 4", "vue-cli-service build", "module.exports = { outputDir: '../api/public' };\n", "~4.5.0", "api/public NODE_OPTIONS=--openssl-legacy-provider"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := Detect(testutil.WriteTree(t, map[string]string{
				"go.mod": gomod, "main.go": main,
				"api/router.go":         "package api\n\nimport \"embed\"\n\n//go:embed public/*\nvar publicAssets embed.FS\n",
				"web/package.json":      "{\n  \"name\": \"web\",\n  \"scripts\": {\n    \"build\": \"" + c.build + "\"\n  },\n  \"devDependencies\": {\n    \"@vue/cli-service\": \"" + c.cli + "\"\n  }\n}\n",
				"web/package-lock.json": "{\"lockfileVersion\": 3}\n",
				"web/vue.config.js":     c.config,
			}))
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if f := s.Frontend; f != nil {
				got = f.Out
				for _, e := range f.Stack.InstallEnv {
					got += " " + e.Value
				}
			}
			if got != c.want {
				t.Errorf("front end %q, want %q", got, c.want)
			}
		})
	}
}
