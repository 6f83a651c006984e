package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// OpenTelemetry's documented TypeScript start: the instrumentation is
// compiled beside the app and preloaded from dist/ (`node --require
// ./dist/instrumentation.js dist/main.js`). The image builds dist/, so
// the preload is in it and must stay.
func TestReview_NodePreloadOfBuiltFileKept(t *testing.T) {
	s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
		"package.json": `{"name": "api", "scripts": {"build": "tsc", "start": "node --require ./dist/instrumentation.js dist/main.js"},` +
			` "dependencies": {"express": "^4.21.0", "@opentelemetry/sdk-node": "^0.200.0"}, "devDependencies": {"typescript": "^5.6.0"}}`,
		"package-lock.json":      `{"lockfileVersion": 3}`,
		"tsconfig.json":          `{"compilerOptions": {"outDir": "./dist", "rootDir": "./src"}}`,
		"src/instrumentation.ts": "import { NodeSDK } from '@opentelemetry/sdk-node';\nnew NodeSDK({}).start();\n",
		"src/main.ts":            "import express from 'express';\nconst app = express();\napp.get('/healthz', (q, r) => r.send('ok'));\napp.listen(process.env.PORT || 3000);\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	df := projectFiles(t, s, generate.Options{Name: "api"})["Dockerfile"]
	if !strings.Contains(df, `"--require", "./dist/instrumentation.js"`) {
		t.Errorf("the preload of the built instrumentation is left out (dropped: %v):\n%s", s.NodeFlagsDropped, df)
	}
}

// A preload of a root file beside a compiled app (`node -r ./tracing.js
// dist/index.js`, the OpenTelemetry guides' shape): the ENTRYPOINT keeps
// it, so the image must hold the file; the runtime stage copies only the
// build output.
func TestReview_NodePreloadOfRootFileInCompiledImage(t *testing.T) {
	s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
		"package.json": `{"name": "api", "scripts": {"build": "tsc", "start": "node -r ./tracing.js dist/index.js"},` +
			` "dependencies": {"express": "^4.21.0", "@opentelemetry/sdk-node": "^0.200.0"}, "devDependencies": {"typescript": "^5.6.0"}}`,
		"package-lock.json": `{"lockfileVersion": 3}`,
		"tsconfig.json":     `{"compilerOptions": {"outDir": "./dist", "rootDir": "./src"}}`,
		"tracing.js":        "const { NodeSDK } = require('@opentelemetry/sdk-node');\nnew NodeSDK({}).start();\n",
		"src/index.ts":      "import express from 'express';\nconst app = express();\napp.get('/healthz', (q, r) => r.send('ok'));\napp.listen(process.env.PORT || 3000);\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	df := projectFiles(t, s, generate.Options{Name: "api"})["Dockerfile"]
	_, runtime, _ := strings.Cut(df, "FROM ${RUNTIME_IMAGE}")
	if strings.Contains(df, `"-r", "./tracing.js"`) && !strings.Contains(runtime, "tracing.js ") && !strings.Contains(runtime, "COPY --from=build /app ./") && !strings.Contains(runtime, "COPY . .") {
		t.Errorf("ENTRYPOINT preloads ./tracing.js, which the runtime stage does not copy:\n%s", df)
	}
}

// `node -- server.js`: "--" ends node's options, so nothing of init's may
// follow it before the file; the ENTRYPOINT put the SIGTERM preload after
// it, where node takes --import for the script.
func TestReview_NodeDoubleDash(t *testing.T) {
	s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
		"package.json":      `{"name": "api", "scripts": {"start": "node -- server.js"}, "dependencies": {"express": "^4.21.0"}}`,
		"package-lock.json": `{"lockfileVersion": 3}`,
		"server.js":         "const app = require('express')();\napp.get('/healthz', (q, r) => r.send('ok'));\napp.listen(process.env.PORT || 3000);\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	df := projectFiles(t, s, generate.Options{Name: "api"})["Dockerfile"]
	if strings.Contains(df, `"--", "--import"`) {
		t.Errorf("ENTRYPOINT passes init's preload after --, where node reads it as the script:\n%s", df[strings.Index(df, "ENTRYPOINT"):])
	}
}
