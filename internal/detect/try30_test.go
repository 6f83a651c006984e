package detect

import (
	"slices"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// TestDetect_Try30Shapes: smaller shapes of the thirtieth try, each from
// its repository.
func TestDetect_Try30Shapes(t *testing.T) {
	// raulnq/price-tracker's Hono app offers /live among its candidates
	// (a route named so is not always a probe: review63's /live answered
	// 400 without a query).
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"package.json":  `{"scripts":{"start":"node dist/index.js","build":"tsc"},"dependencies":{"hono":"^4","@hono/node-server":"^1"},"devDependencies":{"typescript":"^5"}}`,
		"tsconfig.json": `{"compilerOptions":{"outDir":"dist","rootDir":"src"}}`,
		"src/index.ts":  "import { serve } from '@hono/node-server'\nimport { app } from './app'\nserve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000) })\n",
		"src/app.ts":    "import { Hono } from 'hono'\nexport const app = new Hono()\napp.route('/api', api)\napp.get('/live', (c) => c.json({ status: 'healthy' }))\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	offered := false
	for _, c := range s.Ambiguous {
		offered = offered || c.What == "health route" && slices.ContainsFunc(c.Candidates, func(e Evidence) bool { return e.Value == "/live" })
	}
	if s.HealthPath != nil || !offered {
		t.Errorf("health %s, choices %+v: want /live offered", ev(s.HealthPath), s.Ambiguous)
	}
	// aaronsnig501/processing_notifier: requirements name fastapi, which
	// no file imports; the code makes a Sanic app.
	s, err = Detect(testutil.WriteTree(t, map[string]string{
		"requirements.txt": "fastapi\nsanic\nuvicorn\n",
		"server.py":        "from sanic import Sanic\n\napp = Sanic(\"processing_notifier\")\n\n\n@app.get('/health')\nasync def health(request):\n    return text('ok')\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if got := ev(s.Framework); got != "sanic@server.py:3" {
		t.Errorf("framework %s, want sanic@server.py:3", got)
	}
	// luizlhfex-br/saas-lhfex: a Python script's SIGTERM handler beside a
	// Node app is not the app's.
	s, err = Detect(testutil.WriteTree(t, map[string]string{
		"package.json":             `{"scripts":{"start":"node server.js"},"dependencies":{"express":"^4"}}`,
		"server.js":                "const app = require('express')()\napp.get('/healthz', ok)\napp.listen(3000)\n",
		"radio-monitor/monitor.py": "import signal\nsignal.signal(signal.SIGTERM, handle_signal)\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if s.SIGTERM != nil {
		t.Errorf("SIGTERM %s: a Python script's, not the Node app's", ev(s.SIGTERM))
	}
}
