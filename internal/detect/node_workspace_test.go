package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// cobaltDockerfile is imputnet/cobalt's (a636575b09de): the image holds
// the api member alone, which pnpm deploy copies to /prod/api and the
// final stage's WORKDIR takes; its CMD's src/cobalt is api/src/cobalt.js.
const cobaltDockerfile = `FROM node:24-alpine AS base
ENV PNPM_HOME="/pnpm"
ENV PATH="$PNPM_HOME:$PATH"

FROM base AS build
WORKDIR /app
COPY . /app

RUN corepack enable
RUN apk add --no-cache python3 alpine-sdk

RUN --mount=type=cache,id=pnpm,target=/pnpm/store \
    pnpm install --prod --frozen-lockfile

RUN pnpm deploy --filter=@imput/cobalt-api --prod /prod/api

FROM base AS api
WORKDIR /app

COPY --from=build --chown=node:node /prod/api /app
COPY --from=build --chown=node:node /app/.git /app/.git

USER node

EXPOSE 9000
CMD [ "node", "src/cobalt" ]
`

// TestDetect_NodeWorkspaceMembers: the members a root's install reads,
// in the shapes real repositories declare them.
func TestDetect_NodeWorkspaceMembers(t *testing.T) {
	for _, tc := range []struct {
		name    string
		files   map[string]string
		members string // value@file:line, space-separated
		patches string
		entry   string // "" to leave unchecked
		ts      string // TypeScript's evidence
	}{
		{"pnpm, names and a pattern (imputnet/cobalt a636575b09de)", map[string]string{
			"package.json":        "{\n    \"name\": \"cobalt\",\n    \"packageManager\": \"pnpm@9.6.0\",\n    \"engines\": {\n        \"pnpm\": \">=9\"\n    }\n}\n",
			"pnpm-lock.yaml":      "lockfileVersion: '9.0'\n",
			"pnpm-workspace.yaml": "packages:\n    - \"api\"\n    - \"web\"\n    - \"packages/*\"\n",
			"Dockerfile":          cobaltDockerfile,
			"api/package.json": "{\n    \"name\": \"@imput/cobalt-api\",\n    \"type\": \"module\",\n    \"scripts\": {\n        \"start\": \"node src/cobalt\"\n    },\n" +
				"    \"dependencies\": {\n        \"@imput/version-info\": \"workspace:^\",\n        \"express\": \"^4.22.1\"\n    }\n}\n",
			"api/src/cobalt.js":                  "import express from \"express\";\nconst app = express();\napp.listen(process.env.API_PORT || 9000);\n",
			"web/package.json":                   "{\n    \"name\": \"@imput/cobalt-web\",\n    \"type\": \"module\"\n}\n",
			"packages/version-info/package.json": "{\n    \"name\": \"@imput/version-info\",\n    \"main\": \"index.js\"\n}\n",
			"packages/api-client/package.json":   "{\n    \"name\": \"@imput/cobalt-client\"\n}\n",
			"packages/README.md":                 "not a member\n",
		}, "api@pnpm-workspace.yaml:2 packages/api-client@pnpm-workspace.yaml:4 packages/version-info@pnpm-workspace.yaml:4 web@pnpm-workspace.yaml:3", "",
			"api/src/cobalt.js", "-"},
		{"yarn 1, package.json array (kenyipp/realworld-nodejs-example-app 94a864e4e458)", map[string]string{
			"package.json":                              "{\n  \"name\": \"conduit\",\n  \"private\": true,\n  \"scripts\": {\"build\": \"turbo build\"},\n  \"packageManager\": \"yarn@1.22.19\",\n  \"workspaces\": [\n    \"apps/*\",\n    \"packages/*\"\n  ],\n  \"devDependencies\": {\"turbo\": \"^2.2.3\"}\n}\n",
			"yarn.lock":                                 "# yarn lockfile v1\n",
			"apps/local/package.json":                   "{\n  \"name\": \"@conduit/local\",\n  \"scripts\": {\"build\": \"tsc\"},\n  \"dependencies\": {\"dotenv\": \"^16.4.5\", \"express\": \"^4.21.1\"},\n  \"devDependencies\": {\"typescript\": \"^5.6.3\"}\n}\n",
			"apps/local/tsconfig.json":                  "{\n  \"extends\": \"@conduit/config/tsconfig.base.json\"\n}\n",
			"apps/local/local.js":                       "const express = require('express');\nconst app = express();\napp.listen(process.env.PORT || 3100);\n",
			"packages/core/package.json":                "{\n  \"name\": \"@conduit/core\"\n}\n",
			"packages/core/node_modules/x/package.json": "{}\n",
			"apps/no-manifest/README.md":                "\n",
		}, "apps/local@package.json:7 packages/core@package.json:8", "", "", "typescript@apps/local/tsconfig.json:0"},
		{"yarn's object form, and a negated entry", map[string]string{
			"package.json":                 "{\n  \"name\": \"mono\",\n  \"workspaces\": {\n    \"packages\": [\"services/*\", \"!services/legacy\"],\n    \"nohoist\": [\"**/react-native\"]\n  }\n}\n",
			"services/api/package.json":    "{\"name\": \"api\"}\n",
			"services/legacy/package.json": "{\"name\": \"legacy\"}\n",
		}, "services/api@package.json:4", "", "", "-"},
		{"pnpm patches (docmost/docmost 549cf7c00)", map[string]string{
			"package.json":                     "{\n  \"name\": \"docmost\",\n  \"private\": true,\n  \"scripts\": {\"start\": \"node apps/server/dist/main.js\"}\n}\n",
			"pnpm-lock.yaml":                   "lockfileVersion: '9.0'\n",
			"pnpm-workspace.yaml":              "packages:\n  - 'apps/*'\n  - 'packages/*'\npatchedDependencies:\n  scimmy@1.3.5: patches/scimmy@1.3.5.patch\noverrides:\n  glob: 13.0.6\n",
			"patches/scimmy@1.3.5.patch":       "diff --git a/x b/x\n",
			"apps/server/package.json":         "{\"name\": \"server\"}\n",
			"packages/editor-ext/package.json": "{\"name\": \"@docmost/editor-ext\"}\n",
		}, "apps/server@pnpm-workspace.yaml:2 packages/editor-ext@pnpm-workspace.yaml:3", "patches@pnpm-workspace.yaml:5", "", "-"},
		{"no workspace", map[string]string{
			"package.json":     "{\n  \"name\": \"api\",\n  \"main\": \"server.js\"\n}\n",
			"server.js":        "require('http').createServer().listen(3000);\n",
			"sub/package.json": "{}\n",
		}, "", "", "", "-"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Detect(testutil.WriteTree(t, tc.files))
			if err != nil {
				t.Fatal(err)
			}
			if got := evs(s.WorkspaceMembers); got != tc.members {
				t.Errorf("members %q, want %q", got, tc.members)
			}
			if evs(s.PnpmPatches) != tc.patches {
				t.Errorf("patches %s, want %q", evs(s.PnpmPatches), tc.patches)
			}
			if got := ev(s.TypeScript); got != tc.ts {
				t.Errorf("TypeScript %s, want %s", got, tc.ts)
			}
			if tc.entry != "" {
				if len(s.Entrypoints) != 1 || s.Entrypoints[0].Value != tc.entry || s.Entrypoints[0].File != "Dockerfile" ||
					!strings.Contains(s.Entrypoints[0].Why, "run in api: Dockerfile:15") {
					t.Errorf("entry points %+v, want %s from the Dockerfile's CMD, run in api", s.Entrypoints, tc.entry)
				}
			}
		})
	}
}
