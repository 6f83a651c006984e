package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// A health route registered on a path the configuration holds is read
// from the default the code gives that key: viper's SetDefault in Go
// (gorush's cfg.API.HealthURI from "api.health_uri", an exporter's
// cfg.Server.HealthPath from "server.health_path"), an object literal or
// a constant in JavaScript (mongo-express's config.healthCheck.path, a
// module of URL constants).
func TestDetect_HealthRouteFromSettings(t *testing.T) {
	goMod := "module example.com/app\n\ngo 1.24\n\nrequire github.com/gin-gonic/gin v1.10.0\n"
	cases := []struct {
		name  string
		files map[string]string
		want  string // the health route; "" when none may come from a setting
		why   string
	}{{
		name: "viper default under a section, gin",
		files: map[string]string{
			"go.mod": goMod,
			"config/config.go": "package config\n\nimport \"github.com/spf13/viper\"\n\n" +
				"type SectionAPI struct {\n\tHealthURI string `yaml:\"health_uri\"`\n}\n\n" +
				"type Config struct {\n\tAPI SectionAPI `yaml:\"api\"`\n}\n\n" +
				"func Load(v *viper.Viper) {\n\tv.SetDefault(\"core.port\", \"8088\")\n\tv.SetDefault(\"api.health_uri\", \"/healthz\")\n}\n",
			"main.go": "package main\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/gin-gonic/gin\"\n\t\"example.com/app/config\"\n)\n\n" +
				"func beat(c *gin.Context) { c.AbortWithStatus(http.StatusOK) }\n\n" +
				"func main() {\n\tvar cfg config.Config\n\tr := gin.New()\n\tr.GET(cfg.API.HealthURI, beat)\n\tr.GET(\"/version\", beat)\n\t_ = r.Run(\":8088\")\n}\n",
		},
		want: "/healthz@main.go:15",
		why:  "api.health_uri (config/config.go:15)",
	}, {
		name: "viper default with mapstructure tags, net/http",
		files: map[string]string{
			"go.mod": "module example.com/exporter\n\ngo 1.24\n",
			"internal/config/config.go": "package config\n\nimport \"github.com/spf13/viper\"\n\n" +
				"type ServerConfig struct {\n\tListenAddress string `mapstructure:\"listen_address\"`\n\tHealthPath string `mapstructure:\"health_path\"`\n}\n\n" +
				"type Config struct {\n\tServer ServerConfig `mapstructure:\"server\"`\n}\n\n" +
				"func Load() {\n\tv := viper.New()\n\tv.SetDefault(\"server.listen_address\", \":9176\")\n\tv.SetDefault(\"server.health_path\", \"/health\")\n}\n",
			"main.go": "package main\n\nimport (\n\t\"net/http\"\n\n\t\"example.com/exporter/internal/config\"\n)\n\n" +
				"func main() {\n\tvar cfg config.Config\n\tmux := http.NewServeMux()\n\tmux.HandleFunc(cfg.Server.HealthPath, func(w http.ResponseWriter, r *http.Request) {})\n" +
				"\t_ = http.ListenAndServe(\":9176\", mux)\n}\n",
		},
		want: "/health@main.go:12",
		why:  "server.health_path (internal/config/config.go:17)",
	}, {
		name: "a key given two defaults is not read",
		files: map[string]string{
			"go.mod":      goMod,
			"config/a.go": "package config\n\nimport \"github.com/spf13/viper\"\n\nfunc A(v *viper.Viper) { v.SetDefault(\"api.health_uri\", \"/healthz\") }\n",
			"config/b.go": "package config\n\nimport \"github.com/spf13/viper\"\n\nfunc B(v *viper.Viper) { v.SetDefault(\"api.health_uri\", \"/alive\") }\n",
			"main.go": "package main\n\nimport \"github.com/gin-gonic/gin\"\n\ntype api struct{ HealthURI string }\n\ntype conf struct{ API api }\n\n" +
				"func main() {\n\tvar cfg conf\n\tr := gin.New()\n\tr.GET(cfg.API.HealthURI, func(c *gin.Context) {})\n\t_ = r.Run(\":8088\")\n}\n",
		},
	}, {
		name: "a longer selector's last word is not a one-word key; a directory is no route",
		files: map[string]string{
			"go.mod":           goMod,
			"config/config.go": "package config\n\nimport \"github.com/spf13/viper\"\n\nfunc Load(v *viper.Viper) {\n\tv.SetDefault(\"path\", \"/healthz\")\n\tv.SetDefault(\"storage.dir\", \"/var/lib/app\")\n}\n",
			"main.go": "package main\n\nimport \"github.com/gin-gonic/gin\"\n\ntype admin struct{ Path string }\n\ntype store struct{ Dir string }\n\ntype conf struct {\n\tAdmin admin\n\tStorage store\n}\n\n" +
				"func main() {\n\tvar cfg conf\n\tr := gin.New()\n\tr.GET(cfg.Admin.Path, func(c *gin.Context) {})\n\tr.GET(cfg.Storage.Dir, func(c *gin.Context) {})\n\t_ = r.Run(\":8088\")\n}\n",
		},
	}, {
		name: "an object literal's default under a mounted router",
		files: map[string]string{
			"package.json": "{\n  \"name\": \"api\",\n  \"scripts\": {\"start\": \"node server.js\"},\n  \"dependencies\": {\"express\": \"^4.21.0\"}\n}\n",
			"config.js":    "module.exports = {\n  healthCheck: {\n    path: '/status',\n  },\n};\n",
			"api.js":       "const express = require('express');\nconst config = require('./config');\nconst router = express.Router();\nrouter.get(config.healthCheck.path, (req, res) => res.send('ok'));\nmodule.exports = router;\n",
			"server.js":    "const express = require('express');\nconst app = express();\napp.use('/api', require('./api'));\napp.listen(process.env.PORT || 3000);\n",
		},
		want: "/api/status@api.js:4",
		why:  "mounted at server.js:3",
	}, {
		name: "an object literal's default in JavaScript",
		files: map[string]string{
			"package.json":      "{\n  \"name\": \"admin\",\n  \"scripts\": {\"start\": \"node app.js\"},\n  \"dependencies\": {\"express\": \"^4.21.0\"}\n}\n",
			"config.default.js": "export default {\n  site: {\n    port: process.env.PORT || 8081,\n  },\n\n  healthCheck: {\n    // where the check is served\n    path: process.env.ADMIN_HEALTH_CHECK_PATH || '/status',\n  },\n};\n",
			"lib/router.js": "import express from 'express';\n\nexport default function router(config) {\n  const appRouter = express.Router();\n" +
				"  appRouter.get(config.healthCheck.path, (req, res) => res.json({ status: 'ok' }));\n  return appRouter;\n}\n",
			"app.js": "import express from 'express';\nimport config from './config.default.js';\nimport router from './lib/router.js';\n\n" +
				"const app = express();\napp.use('/', router(config));\napp.listen(config.site.port);\n",
		},
		want: "/status@lib/router.js:5",
		why:  "config.healthCheck.path (config.default.js:8)",
	}, {
		name: "a module of constants in TypeScript",
		files: map[string]string{
			"package.json": "{\n  \"name\": \"forms\",\n  \"scripts\": {\"start\": \"node dist/server.js\", \"build\": \"tsc\"},\n" +
				"  \"dependencies\": {\"express\": \"^4.21.0\"},\n  \"devDependencies\": {\"typescript\": \"^5.6.0\"}\n}\n",
			"tsconfig.json": "{\"compilerOptions\": {\"outDir\": \"dist\", \"rootDir\": \"src\"}}\n",
			"src/config.ts": "export const HEALTHCHECK_URL = \"/healthcheck\";\nexport const LANDING_URL = \"/\";\n",
			"src/routes.ts": "import { Router } from 'express';\nimport * as config from './config';\n\nconst router = Router();\n\n" +
				"router.get(config.HEALTHCHECK_URL, (req, res) => res.send('OK'));\n\nexport default router;\n",
			"src/server.ts": "import express from 'express';\nimport router from './routes';\n\nconst app = express();\napp.use(router);\napp.listen(process.env.PORT || 3000);\n",
		},
		want: "/healthcheck@src/routes.ts:6",
		why:  "config.HEALTHCHECK_URL (src/config.ts:1)",
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Detect(testutil.WriteTree(t, tc.files))
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == "" {
				if s.HealthPath != nil && strings.Contains(s.HealthPath.Why, "configuration can change") {
					t.Errorf("health %s (%s) from an ambiguous setting", ev(s.HealthPath), s.HealthPath.Why)
				}
				return
			}
			if ev(s.HealthPath) != tc.want || !strings.Contains(s.HealthPath.Why, tc.why) {
				t.Errorf("health %s (%v), want %s from %s", ev(s.HealthPath), s.HealthPath, tc.want, tc.why)
			}
		})
	}
}

// A JavaScript app whose own Dockerfile runs the build script in a stage
// its image copies from (mongo-express's webpack assets, read at start)
// is built before it runs; a build in a stage the image never uses (a
// test stage) is no evidence.
func TestDetect_NodeBuildFromOwnDockerfile(t *testing.T) {
	pkg := "{\n  \"name\": \"admin\",\n  \"scripts\": {\n    \"build\": \"webpack\",\n    \"start\": \"node app.js\"\n  },\n" +
		"  \"dependencies\": {\"express\": \"^4.21.0\"},\n  \"devDependencies\": {\"webpack\": \"^5.95.0\"}\n}\n"
	app := "const fs = require('fs');\nconst express = require('express');\nconst assets = JSON.parse(fs.readFileSync(__dirname + '/build-assets.json'));\n" +
		"const app = express();\napp.get('/healthz', (req, res) => res.send(assets ? 'ok' : 'no'));\napp.listen(process.env.PORT || 8081);\n"
	used := "FROM node:24-alpine AS build\nARG WITH_OIDC=false\nWORKDIR /src\nCOPY . .\n" +
		"RUN if [ \"$WITH_OIDC\" = \"true\" ]; then \\\n        echo oidc; \\\n    fi \\\n    && yarn install \\\n    && yarn build\n\n" +
		"FROM node:24-alpine\nWORKDIR /app\nCOPY --from=build /src /app\nCMD [\"node\", \"app.js\"]\n"
	unused := "FROM node:24-alpine AS test\nWORKDIR /src\nCOPY . .\nRUN npm ci && npm run build && npm test\n\n" +
		"FROM node:24-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nCMD [\"node\", \"app.js\"]\n"
	// final ← assemble ← builder, with arguments after the script.
	chained := "FROM node:24 AS builder\nWORKDIR /src\nCOPY . .\nRUN npm ci && npm run build -- --mode production\n\n" +
		"FROM node:24 AS assemble\nCOPY --from=builder /src /out\n\nFROM node:24-slim\nCOPY --from=assemble /out /app\nCMD [\"node\", \"/app/app.js\"]\n"
	for _, tc := range []struct {
		name, dockerfile, want string
	}{
		{"build stage copied", used, "yarn build@Dockerfile:9"},
		{"test stage unused", unused, "-"},
		{"copied through another stage", chained, "npm run build -- --mode production@Dockerfile:4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Detect(testutil.WriteTree(t, map[string]string{
				"package.json": pkg, "yarn.lock": "# yarn lockfile v1\n", "app.js": app, "Dockerfile": tc.dockerfile,
			}))
			if err != nil {
				t.Fatal(err)
			}
			if got := ev(s.BuildFirst); got != tc.want {
				t.Errorf("build first %s, want %s", got, tc.want)
			}
		})
	}
}
