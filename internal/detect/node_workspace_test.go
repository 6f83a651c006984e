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

// TestDetect_WorkspaceMemberEntry: the program a workspace's root runs
// in one member, read in that member (its script, its tsconfig's output),
// in the shapes the twenty-fourth try's repositories write.
func TestDetect_WorkspaceMemberEntry(t *testing.T) {
	const tsconfig = "{\n  \"compilerOptions\": {\"outDir\": \"./dist\", \"rootDir\": \"./src\", \"module\": \"commonjs\"}\n}\n"
	const server = "import express from 'express';\nconst app = express();\napp.get('/healthz', (q, r) => r.send('ok'));\napp.listen(process.env.PORT || 3000);\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		entry string
		pm    string // the package manager's evidence
	}{
		{"npm --prefix (devaijaz/npm-monorepo 95321f1e27e0)", map[string]string{
			"package.json": "{\n  \"private\": true,\n  \"scripts\": {\n    \"build-backend\": \"npm run build --prefix backend\",\n    \"build\": \"concurrently npm:build-*\",\n" +
				"    \"start\": \"npm run start --prefix backend\"\n  },\n  \"workspaces\": {\n    \"packages\": [\n      \"client\",\n      \"backend\"\n    ]\n  }\n}\n",
			"package-lock.json":     "{\"lockfileVersion\": 3}\n",
			"backend/package.json":  "{\n  \"name\": \"@monorepo/backend\",\n  \"main\": \"index.js\",\n  \"scripts\": {\"build\": \"tsc\", \"start\": \"node dist/server.js\"},\n  \"devDependencies\": {\"typescript\": \"^5.0.0\"}\n}\n",
			"backend/tsconfig.json": tsconfig,
			"backend/src/server.ts": server,
			"client/package.json":   "{\n  \"name\": \"client\",\n  \"scripts\": {\"build\": \"vite build\"}\n}\n",
			"client/src/main.ts":    "console.log('ui')\n",
			"client/vite.config.ts": "export default {}\n",
		}, "backend/dist/server.js", "npm@package-lock.json:0"},
		{"npm -w (the try's first reproduction)", map[string]string{
			"package.json":               "{\"private\": true, \"workspaces\": [\"packages/*\"], \"scripts\": {\"build\": \"npm run build -w api\", \"start\": \"npm start -w api\"}}\n",
			"packages/api/package.json":  "{\"name\": \"api\", \"main\": \"dist/index.js\", \"scripts\": {\"build\": \"tsc\", \"start\": \"node dist/index.js\"}, \"devDependencies\": {\"typescript\": \"^5.6.0\"}}\n",
			"packages/api/tsconfig.json": tsconfig,
			"packages/api/src/index.ts":  server,
		}, "packages/api/dist/index.js", "npm@package.json:0"},
		{"lerna run start:prod (gun0317/hello-nestJS 79b23b82a83e)", map[string]string{
			"package.json": "{\n  \"scripts\": {\n    \"build\": \"lerna run build\",\n    \"start:prod\": \"lerna run start:prod\"\n  },\n  \"private\": true,\n  \"workspaces\": [\n    \"packages/*\"\n  ],\n" +
				"  \"devDependencies\": {\"lerna\": \"^3.22.1\", \"typescript\": \"4.1.3\"}\n}\n",
			"yarn.lock":                         "# yarn lockfile v1\n",
			"lerna.json":                        "{\n  \"useWorkspaces\": true,\n  \"npmClient\": \"yarn\"\n}\n",
			"packages/api-server/package.json":  "{\n  \"name\": \"@project/api-server\",\n  \"scripts\": {\n    \"build\": \"nest build\",\n    \"start:prod\": \"node dist/main\"\n  },\n  \"dependencies\": {\"@nestjs/core\": \"^7.5.1\"}\n}\n",
			"packages/api-server/tsconfig.json": "{\n  \"compilerOptions\": {\"outDir\": \"./dist\", \"baseUrl\": \"./\"}\n}\n",
			"packages/api-server/src/main.ts":   "import { NestFactory } from '@nestjs/core';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  await app.listen(3000);\n}\nbootstrap();\n",
			"packages/api-server/nest-cli.json": "{\"sourceRoot\": \"src\"}\n",
		}, "packages/api-server/dist/main.js", "yarn@yarn.lock:0"},
		{"yarn workspace NAME start", map[string]string{
			"package.json":              "{\"private\": true, \"workspaces\": [\"services/*\"], \"scripts\": {\"start\": \"yarn workspace @acme/api start\"}}\n",
			"yarn.lock":                 "# yarn lockfile v1\n",
			"services/api/package.json": "{\"name\": \"@acme/api\", \"scripts\": {\"start\": \"node server.js\"}}\n",
			"services/api/server.js":    "const app = require('express')();\napp.get('/healthz', (q, r) => r.send('ok'));\napp.listen(3000);\n",
			"services/web/package.json": "{\"name\": \"@acme/web\", \"scripts\": {\"start\": \"node web.js\"}}\n",
			"services/web/web.js":       "require('http').createServer().listen(4000);\n",
		}, "services/api/server.js", "yarn@yarn.lock:0"},
		// pnpm's own recipe for one member's image (pnpm.io/docker), two
		// members that serve: the Dockerfile says which.
		{"pnpm deploy, CMD pnpm start", map[string]string{
			"package.json":              "{\"private\": true, \"scripts\": {\"build\": \"pnpm -r build\"}}\n",
			"pnpm-lock.yaml":            "lockfileVersion: '9.0'\n",
			"pnpm-workspace.yaml":       "packages:\n  - 'apps/*'\n",
			"Dockerfile":                pnpmDeployDockerfile("CMD [ \"pnpm\", \"start\" ]"),
			"apps/api/package.json":     "{\"name\": \"api\", \"scripts\": {\"build\": \"tsc\", \"start\": \"node dist/index.js\"}, \"devDependencies\": {\"typescript\": \"^5.6.0\"}}\n",
			"apps/api/tsconfig.json":    tsconfig,
			"apps/api/src/index.ts":     server,
			"apps/worker/package.json":  "{\"name\": \"worker\", \"scripts\": {\"build\": \"tsc\", \"start\": \"node dist/index.js\"}, \"devDependencies\": {\"typescript\": \"^5.6.0\"}}\n",
			"apps/worker/tsconfig.json": tsconfig,
			"apps/worker/src/index.ts":  "require('http').createServer().listen(4000);\n",
		}, "apps/api/dist/index.js", "pnpm@pnpm-lock.yaml:0"},
		{"pnpm deploy, CMD node by its absolute path", map[string]string{
			"package.json":             "{\"private\": true}\n",
			"pnpm-lock.yaml":           "lockfileVersion: '9.0'\n",
			"pnpm-workspace.yaml":      "packages:\n  - 'apps/*'\n",
			"Dockerfile":               pnpmDeployDockerfile("CMD [ \"node\", \"/prod/api/server.js\" ]"),
			"apps/api/package.json":    "{\"name\": \"api\"}\n",
			"apps/api/server.js":       "const app = require('express')();\napp.get('/healthz', (q, r) => r.send('ok'));\napp.listen(3000);\n",
			"apps/worker/package.json": "{\"name\": \"worker\"}\n",
			"apps/worker/server.js":    "require('http').createServer().listen(4000);\n",
		}, "apps/api/server.js", "pnpm@pnpm-lock.yaml:0"},
		// pnpm.io/docker's two-app example: both deployed in one stage,
		// the final stage copies app2's.
		{"pnpm deploy twice, the final stage's", map[string]string{
			"package.json":        "{\"private\": true}\n",
			"pnpm-lock.yaml":      "lockfileVersion: '9.0'\n",
			"pnpm-workspace.yaml": "packages:\n  - 'packages/*'\n",
			"Dockerfile": "FROM node:20-slim AS base\nRUN corepack enable\n\nFROM base AS build\nCOPY . /usr/src/app\nWORKDIR /usr/src/app\n" +
				"RUN pnpm install --frozen-lockfile\nRUN pnpm run -r build\nRUN pnpm deploy --filter=app1 --prod /prod/app1\nRUN pnpm deploy --filter=app2 --prod /prod/app2\n\n" +
				"FROM base AS app1\nCOPY --from=build /prod/app1 /prod/app1\nWORKDIR /prod/app1\nEXPOSE 8000\nCMD [ \"pnpm\", \"start\" ]\n\n" +
				"FROM base AS app2\nCOPY --from=build /prod/app2 /prod/app2\nWORKDIR /prod/app2\nEXPOSE 8001\nCMD [ \"pnpm\", \"start\" ]\n",
			"packages/app1/package.json": "{\"name\": \"app1\", \"scripts\": {\"start\": \"node app1.js\"}}\n",
			"packages/app1/app1.js":      "require('http').createServer().listen(8000);\n",
			"packages/app2/package.json": "{\"name\": \"app2\", \"scripts\": {\"start\": \"node app2.js\"}}\n",
			"packages/app2/app2.js":      "require('http').createServer().listen(8001);\n",
		}, "packages/app2/app2.js", "pnpm@pnpm-lock.yaml:0"},
		{"pnpm --filter, no lock file (eliyahukoren/monorepo ecc09f133e15)", map[string]string{
			"package.json":               "{\n  \"name\": \"monorepo\",\n  \"private\": true,\n  \"scripts\": {\"build\": \"pnpm -r build\", \"start\": \"pnpm --filter api start\"}\n}\n",
			"pnpm-workspace.yaml":        "packages:\n  - 'packages/*'\n",
			"packages/api/package.json":  "{\"name\": \"api\", \"main\": \"dist/index.js\", \"scripts\": {\"build\": \"tsc\", \"start\": \"node dist/index.js\"}, \"devDependencies\": {\"typescript\": \"^5.6.0\"}}\n",
			"packages/api/tsconfig.json": tsconfig,
			"packages/api/src/index.ts":  server,
		}, "packages/api/dist/index.js", "pnpm@pnpm-workspace.yaml:0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Detect(testutil.WriteTree(t, tc.files))
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Entrypoints) != 1 || s.Entrypoints[0].Value != tc.entry {
				t.Errorf("entry points %s, want %s", evs(s.Entrypoints), tc.entry)
			}
			if got := ev(s.PackageManager); got != tc.pm {
				t.Errorf("package manager %s, want %s", got, tc.pm)
			}
			if s.TypeScript == nil && strings.Contains(tc.entry, "dist/") {
				t.Errorf("no TypeScript: the image would not build %s", tc.entry)
			}
		})
	}
}

// pnpmDeployDockerfile is pnpm's documented Dockerfile for one member of
// a workspace (pnpm.io/docker), with the CMD given.
func pnpmDeployDockerfile(cmd string) string {
	return "FROM node:24-slim AS base\nENV PNPM_HOME=\"/pnpm\"\nENV PATH=\"$PNPM_HOME:$PATH\"\nRUN corepack enable\n\n" +
		"FROM base AS build\nCOPY . /usr/src/app\nWORKDIR /usr/src/app\n" +
		"RUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm install --frozen-lockfile\nRUN pnpm run -r build\n" +
		"RUN pnpm deploy --filter=api --prod /prod/api\n\n" +
		"FROM base AS api\nCOPY --from=build /prod/api /prod/api\nWORKDIR /prod/api\nEXPOSE 3000\n" + cmd + "\n"
}
