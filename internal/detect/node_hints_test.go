package detect

import (
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// TestDetect_NodeVersionWhereTheRepositoryRunsIt: with no declaration
// (.nvmrc, .node-version, engines, .tool-versions), the repository's own
// Dockerfile's Node image (EyeOfCode/nestjs-typeorm-postgresql's FROM
// node:12), else its Travis CI's newest Node (maitraysuthar/rest-api-
// nodejs-mongodb's node_js list), is the version, as a hint; a
// declaration wins and is no hint.
func TestDetect_NodeVersionWhereTheRepositoryRunsIt(t *testing.T) {
	pkg := `{"name": "api", "scripts": {"start": "node server.js"}, "dependencies": {"express": "^4.18.0"}}`
	server := "const app = require('express')();\napp.get('/healthz', (req, res) => res.send('ok'));\napp.listen(3000);\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
		hint  bool
	}{
		{"Dockerfile FROM", map[string]string{"Dockerfile": "# Build app first\nFROM node:12 AS development\nWORKDIR /usr/src\n"}, "12@Dockerfile:2", true},
		{"Dockerfile FROM a patch, a variant", map[string]string{"Dockerfile": "FROM --platform=linux/amd64 docker.io/library/node:22.11.0-alpine\n"}, "22.11.0@Dockerfile:1", true},
		{"Travis's list, newest", map[string]string{".travis.yml": "language: node_js\nnode_js:\n  - '12'\n  - '10'\n  - \"14\"\nscript: npm test\n"}, "14@.travis.yml:5", true},
		{"Travis's one", map[string]string{".travis.yml": "language: node_js\nnode_js: \"16\"\n"}, "16@.travis.yml:2", true},
		{"asdf's file declares", map[string]string{".tool-versions": "python 3.12.1\nnodejs 20.11.0\n", "Dockerfile": "FROM node:12\n"}, "20.11.0@.tool-versions:2", false},
		{"engines win", map[string]string{"package.json": `{"name": "api", "engines": {"node": ">=18"}, "scripts": {"start": "node server.js"}, "dependencies": {"express": "^4.18.0"}}`, "Dockerfile": "FROM node:12\n"}, ">=18@package.json:1", false},
		{"another image", map[string]string{"Dockerfile": "FROM debian:bookworm-slim\n"}, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"package.json": pkg, "server.js": server}
			for k, v := range tc.files {
				files[k] = v
			}
			s, err := Detect(testutil.WriteTree(t, files))
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if s.Version != nil {
				got = s.Version.Value + "@" + s.Version.Where()
			}
			if got != tc.want || s.VersionHint != tc.hint {
				t.Errorf("version %q (hint %v), want %q (hint %v)", got, s.VersionHint, tc.want, tc.hint)
			}
		})
	}
}

// TestDetect_DockerfileCMDTheBuildNeverWrites: EyeOfCode/nestjs-typeorm-
// postgresql's Dockerfile runs `node dist/src`, which nest build (tsc,
// outDir dist, sources in src) never writes: the image failed "Cannot
// find module '/app/dist/src.js'". The CMD is no evidence then, and
// start:prod's dist/main.js is the entry; a CMD the build writes stays.
func TestDetect_DockerfileCMDTheBuildNeverWrites(t *testing.T) {
	for _, tc := range []struct{ cmd, want string }{
		{`CMD [ "node", "dist/src" ]`, "dist/main.js@package.json:5"},
		{`CMD ["node", "dist/main.js"]`, "dist/main.js@Dockerfile:4"},
	} {
		s, err := Detect(testutil.WriteTree(t, map[string]string{
			"package.json": "{\n  \"name\": \"api\",\n  \"scripts\": {\n    \"build\": \"nest build\",\n    \"start:prod\": \"node dist/main\"\n  },\n" +
				"  \"dependencies\": {\"@nestjs/core\": \"^7.0.0\", \"@nestjs/common\": \"^7.0.0\"},\n  \"devDependencies\": {\"typescript\": \"^4.0.0\"}\n}\n",
			"tsconfig.json": `{"compilerOptions": {"outDir": "./dist", "baseUrl": "./"}}`,
			"nest-cli.json": `{"sourceRoot": "src"}`,
			"src/main.ts":   "import { NestFactory } from '@nestjs/core';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  await app.listen(8000);\n}\nbootstrap();\n",
			"Dockerfile":    "FROM node:22-alpine\nWORKDIR /usr/src/app\nCOPY . .\n" + tc.cmd + "\n",
		}))
		if err != nil {
			t.Fatal(err)
		}
		if got := evs(s.Entrypoints); got != tc.want {
			t.Errorf("%s: entrypoints %q, want %q", tc.cmd, got, tc.want)
		}
	}
}
