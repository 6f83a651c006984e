package detect

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// postalsys/emailengine: its Dockerfile runs CMD ["node",
// "/emailengine/server.js"] under WORKDIR /emailengine, which relative
// COPYs fill (the entry is the repository's server.js, not a path init's
// image lacks); scripts/refresh-test-tokens.js, which nothing server.js
// loads, waits for an OAuth redirect on listen(3000, '127.0.0.1'): no port
// of the server's, and no reason to stop; hapi's server.route({ method:
// 'GET', path: '/health' }) is its health route; lib/db.js's
// 'redis://127.0.0.1:6379/8' is the fallback after
// readEnvValue('EENGINE_REDIS') || readEnvValue('REDIS_URL'), which the
// image sets: no loopback note.
func TestDetect_EmailengineShape(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"package.json": `{"name": "emailengine", "main": "server.js", "dependencies": {"@hapi/hapi": "^21.0.0"}}`,
		"Dockerfile": "FROM node:20\nWORKDIR /emailengine\nCOPY package.json package.json\nCOPY server.js server.js\nCOPY workers workers\n" +
			"ENV EENGINE_HOST=0.0.0.0\nENTRYPOINT [\"/usr/bin/dumb-init\", \"--\"]\nCMD [\"node\", \"/emailengine/server.js\"]\n",
		"server.js":                      "const api = require('./workers/api');\nconst port = process.env.EENGINE_PORT || process.env.PORT;\napi.start(port, process.env.EENGINE_HOST);\nprocess.on('SIGTERM', () => process.exit(0));\n",
		"workers/api.js":                 "const Hapi = require('@hapi/hapi');\nexports.start = async (port, host) => {\n  const server = Hapi.server({ port, host });\n  server.route({\n    method: 'GET',\n    path: '/health',\n    async handler() { return { success: true }; }\n  });\n  await server.start();\n};\n",
		"lib/db.js":                      "const config = require('wild-config');\nconst Redis = require('ioredis');\nconst { readEnvValue } = require('./tools');\n\nconfig.dbs = config.dbs || {\n    redis: 'redis://127.0.0.1:6379/8'\n};\n\n\n\nconst redisConf = readEnvValue('EENGINE_REDIS') || readEnvValue('REDIS_URL') || config.dbs.redis;\nmodule.exports = new Redis(redisConf);\n",
		"scripts/refresh-test-tokens.js": "const http = require('http');\nconst server = http.createServer(handle);\nserver.listen(3000, '127.0.0.1');\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Entrypoints) == 0 || s.Entrypoints[0].Value != "server.js" {
		t.Errorf("entry points %s, want server.js first", evs(s.Entrypoints))
	}
	if s.Port != nil && s.Port.File == "scripts/refresh-test-tokens.js" {
		t.Errorf("port %s: a script's listen", ev(s.Port))
	}
	if len(s.Needs) > 0 {
		t.Errorf("needs %s: the loopback listen is a script's", evs(s.Needs))
	}
	if !strings.Contains(evs(s.Databases), "redis@") {
		t.Errorf("databases %s, want redis", evs(s.Databases))
	}
	if len(s.LoopbackConfig) > 0 {
		t.Errorf("loopback %s: lib/db.js's address is the default REDIS_URL and EENGINE_REDIS override", evs(s.LoopbackConfig))
	}
	if got := ev(s.HealthPath); got != "/health@workers/api.js:6" {
		t.Errorf("health %s, want /health@workers/api.js:6", got)
	}
}

// Unleash/unleash ceeb5a9ca6d0: 6,000 sources, its frontend/'s first, so
// the scan's 2,000 end before src/lib/util/graceful-shutdown.ts, where
// the server, dist/server.js (src/server.ts by tsconfig's rootDir and
// outDir), handles SIGTERM: it is found in the files the program loads,
// and the image wraps no exit around it.
func TestDetect_SIGTERMPastTheScansBudget(t *testing.T) {
	files := map[string]string{
		"package.json":  `{"name": "unleash-server", "main": "dist/server.js", "scripts": {"build": "tsc"}, "dependencies": {"express": "^5.0.0"}, "devDependencies": {"typescript": "^5.0.0"}}`,
		"tsconfig.json": `{"compilerOptions": {"outDir": "./dist", "rootDir": "./src"}}`,
		"Dockerfile":    "FROM node:22\nWORKDIR /unleash\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"node\", \"dist/server.js\"]\n",
		"src/server.ts": "import { start } from './lib/server-impl.js';\nstart();\n",
		"src/lib/server-impl.ts": "import express from 'express';\nimport registerGracefulShutdown from './util/graceful-shutdown.js';\n" +
			"export function start() {\n  const app = express();\n  app.get('/health', (req, res) => res.json({ health: 'GOOD' }));\n  app.listen(4242);\n  registerGracefulShutdown();\n}\n",
		"src/lib/util/graceful-shutdown.ts": "function registerGracefulShutdown() {\n  process.on('SIGINT', close);\n  process.on('SIGTERM', close);\n}\nexport default registerGracefulShutdown;\n",
	}
	for i := range 2100 {
		files[fmt.Sprintf("frontend/src/component%04d.tsx", i)] = "export const x = 1;\n"
	}
	s, err := Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if got := ev(s.SIGTERM); got != "SIGTERM@src/lib/util/graceful-shutdown.ts:3" {
		t.Errorf("SIGTERM %s, want src/lib/util/graceful-shutdown.ts:3", got)
	}
}

// node-red: red.js requires its settings through a path it computes,
// path.join(__dirname, "settings.js") when the user has none, and
// settings.js gives the port (uiPort: process.env.PORT || 1880): a file
// the program loads, so its port is the program's.
func TestDetect_ASettingsFileNamedBesideTheProgram(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"package.json": `{"name": "node-red", "scripts": {"start": "node red.js"}, "dependencies": {"express": "^4.21.0"}}`,
		"red.js": "var path = require('path');\nvar settingsFile = process.env.SETTINGS;\nif (!settingsFile) {\n    settingsFile = path.join(__dirname,\"settings.js\");\n}\n" +
			"var settings = require(settingsFile);\nvar server = require('http').createServer(require('express')());\nserver.listen(settings.uiPort);\n",
		"settings.js":        "module.exports = {\n    uiPort: process.env.PORT || 1880,\n};\n",
		"tools/dev-proxy.js": "require('http').createServer(() => {}).listen(3000);\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if s.Port == nil || s.Port.Value != "1880" || s.Port.File != "settings.js" {
		t.Errorf("port %s, want 1880 from settings.js", ev(s.Port))
	}
}
