package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// review63 shapes: each a defect of the full-stack framework, /live and
// smoke changes (4af492d..HEAD), on a tree shaped like a real repository.

func review63Detect(t *testing.T, files map[string]string) *Stack {
	t.Helper()
	s, err := Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func review63Entry(s *Stack) string {
	if len(s.Entrypoints) == 0 {
		return "-"
	}
	return s.Entrypoints[0].Value
}

func review63Value(e *Evidence) string {
	if e == nil {
		return "-"
	}
	return e.Value
}

// TestReview63_SvelteKitCustomServer: adapter-node's documented "Custom
// server" (svelte.dev/docs/kit/adapter-node#Custom-server): the start
// script runs server.js, which mounts build/handler.js in express beside
// a route of its own. init used to run server.js (framework express,
// health /healthcheck); now it runs build/index.js, which does not serve
// /healthcheck, while it still probes /healthcheck: the container is
// never healthy.
func TestReview63_SvelteKitCustomServer(t *testing.T) {
	s := review63Detect(t, map[string]string{
		"package.json": `{"name":"app","type":"module","scripts":{"build":"vite build","start":"node server.js"},` +
			`"dependencies":{"express":"^4.19.2"},"devDependencies":{"@sveltejs/kit":"^2.5.0","@sveltejs/adapter-node":"^5.2.0","vite":"^5"}}`,
		"package-lock.json": "{}",
		"svelte.config.js":  "import adapter from '@sveltejs/adapter-node';\nexport default { kit: { adapter: adapter() } };\n",
		"server.js": "import { handler } from './build/handler.js';\nimport express from 'express';\n\nconst app = express();\n\n" +
			"// add a route that lives separately from the SvelteKit app\napp.get('/healthcheck', (req, res) => {\n\tres.end('ok');\n});\n\n" +
			"// let SvelteKit handle everything else, including serving prerendered pages and static assets\napp.use(handler);\n\n" +
			"app.listen(3000, () => {\n\tconsole.log('listening on port 3000');\n});\n",
		"src/routes/+page.svelte": "<h1>hi</h1>\n",
	})
	if got := review63Entry(s); got != "server.js" {
		t.Errorf("entrypoint %s (health %s); want server.js, which the start script runs and which serves the health route", got, review63Value(s.HealthPath))
	}
}

// TestReview63_AstroStaticBehindOwnServer: an Astro site built static and
// served by an express server of the repository's own (start: node
// server.mjs, with /api routes). init used to run server.mjs; now it
// serves dist as a static site on 3000 and probes /api/health, which no
// static site answers.
func TestReview63_AstroStaticBehindOwnServer(t *testing.T) {
	s := review63Detect(t, map[string]string{
		"package.json":          `{"name":"site","type":"module","scripts":{"dev":"astro dev","build":"astro build","start":"node server.mjs"},"dependencies":{"astro":"^4.5.0","express":"^4.19.2"}}`,
		"package-lock.json":     "{}",
		"astro.config.mjs":      "import { defineConfig } from 'astro/config';\nexport default defineConfig({});\n",
		"src/pages/index.astro": "<h1>hi</h1>\n",
		"server.mjs": "import express from 'express';\nconst app = express();\napp.use(express.json());\n" +
			"app.get('/api/health', (req, res) => res.json({ ok: true }));\napp.post('/api/contact', async (req, res) => { res.json({}) });\n" +
			"app.use(express.static('dist'));\napp.listen(process.env.PORT || 8080);\n",
	})
	if got := review63Entry(s); got != "server.mjs" || s.Static != nil {
		t.Errorf("entrypoint %s static %s; want server.mjs (the start script's server, which serves dist and /api)", got, review63Value(s.Static))
	}
}

// TestReview63_Nuxt2: Nuxt 2 ("nuxt": "^2.15.7", create-nuxt-app's
// scripts) builds .nuxt/ and runs with `nuxt start`, or with the express
// server create-nuxt-app wrote (server/index.js, nuxt.render). Nuxt 2
// writes no .output/: the image's COPY of /app/.output fails the build.
// The express shape was read right before (framework express, entrypoint
// server/index.js).
func TestReview63_Nuxt2(t *testing.T) {
	for name, tc := range map[string]struct {
		files map[string]string
		want  string
	}{
		"nuxt start": {map[string]string{
			"package.json":      `{"name":"site","private":true,"scripts":{"dev":"nuxt","build":"nuxt build","start":"nuxt start","generate":"nuxt generate"},"dependencies":{"core-js":"^3.15.1","nuxt":"^2.15.7"}}`,
			"package-lock.json": "{}",
			"nuxt.config.js":    "export default {\n  head: { title: 'site' },\n  buildModules: [],\n}\n",
			"pages/index.vue":   "<template><div/></template>\n",
		}, ""},
		"create-nuxt-app's express server": {map[string]string{
			"package.json": `{"name":"site","private":true,"scripts":{"dev":"cross-env NODE_ENV=development nodemon server/index.js --watch server",` +
				`"build":"nuxt build","start":"cross-env NODE_ENV=production node server/index.js","generate":"nuxt generate"},` +
				`"dependencies":{"cross-env":"^5.2.0","express":"^4.16.4","nuxt":"^2.0.0"},"devDependencies":{"nodemon":"^1.18.9"}}`,
			"package-lock.json": "{}",
			"nuxt.config.js":    "module.exports = {\n  mode: 'universal',\n  head: { title: 'site' },\n}\n",
			"pages/index.vue":   "<template><div/></template>\n",
			"server/index.js": "const express = require('express')\nconst consola = require('consola')\nconst { Nuxt, Builder } = require('nuxt')\nconst app = express()\n\n" +
				"const config = require('../nuxt.config.js')\nconfig.dev = process.env.NODE_ENV !== 'production'\n\nasync function start () {\n" +
				"  const nuxt = new Nuxt(config)\n  const { host, port } = nuxt.options.server\n  if (config.dev) {\n    const builder = new Builder(nuxt)\n" +
				"    await builder.build()\n  } else {\n    await nuxt.ready()\n  }\n  app.use(nuxt.render)\n  app.listen(port, host)\n}\nstart()\n",
		}, "server/index.js"},
	} {
		t.Run(name, func(t *testing.T) {
			s := review63Detect(t, tc.files)
			got := review63Entry(s)
			if strings.HasPrefix(got, ".output/") || tc.want != "" && got != tc.want {
				t.Errorf("entrypoint %s; Nuxt 2 writes no .output/ (want %q)", got, tc.want)
			}
		})
	}
}

// TestReview63_ReactRouterPrefix: React Router 7's routes.ts nests API
// routes under ...prefix("api", [...]) (many public app/routes.ts do:
// route("health", "routes/api/health.ts") inside prefix("api")). The
// route is /api/health; init probes /health, which answers 404.
func TestReview63_ReactRouterPrefix(t *testing.T) {
	s := review63Detect(t, map[string]string{
		"package.json": `{"name":"shop","type":"module","scripts":{"build":"react-router build","start":"react-router-serve ./build/server/index.js"},` +
			`"dependencies":{"@react-router/node":"^7.1.1","@react-router/serve":"^7.1.1","react-router":"^7.1.1"},"devDependencies":{"@react-router/dev":"^7.1.1"}}`,
		"package-lock.json": "{}",
		"app/routes.ts": "import { type RouteConfig, index, route, prefix } from \"@react-router/dev/routes\";\n\nexport default [\n" +
			"  index(\"routes/home.tsx\"),\n  route(\"about\", \"routes/about.tsx\"),\n  route(\"products/:pid\", \"routes/products.$pid.tsx\"),\n\n" +
			"  ...prefix(\"api\", [\n    route(\"health\", \"routes/api/health.ts\"),\n  ]),\n\n  route(\"*\", \"routes/not-found.tsx\"),\n] satisfies RouteConfig;\n",
		"app/routes/home.tsx":          "export default function Home() { return null }\n",
		"app/routes/api/health.ts":     "export function loader() { return new Response('ok') }\n",
		"app/routes/not-found.tsx":     "export default function NotFound() { return null }\n",
		"app/routes/about.tsx":         "export default function About() { return null }\n",
		"app/routes/products.$pid.tsx": "export default function P() { return null }\n",
	})
	if got := review63Value(s.HealthPath); got != "/api/health" {
		t.Errorf("health %s; want /api/health (route(\"health\") inside ...prefix(\"api\"))", got)
	}
}

// TestReview63_LiveIsNotAlwaysHealth: Anas-virat/ythls-tamil's index.js
// serves / ("YouTube M3U8 Fetcher running!") and /live, which answers 400
// without ?channel= and otherwise runs yt-dlp. init used to probe /; it
// now probes /live, which is never healthy.
func TestReview63_LiveIsNotAlwaysHealth(t *testing.T) {
	s := review63Detect(t, map[string]string{
		"package.json":      `{"name":"ythls-tamil","version":"1.0.0","main":"index.js","scripts":{"start":"node index.js"},"dependencies":{"express":"^4.18.2"}}`,
		"package-lock.json": "{}",
		"index.js": "const express = require('express');\nconst { exec } = require('child_process');\nconst app = express();\n\n" +
			"const PORT = process.env.PORT || 8080;\n\napp.get('/', (req, res) => {\n    res.send(\"YouTube M3U8 Fetcher running!\");\n});\n\n" +
			"app.get('/live', (req, res) => {\n    const channel = req.query.channel;\n    if (!channel) return res.status(400).send(\"Missing ?channel param\");\n\n" +
			"    exec(`yt-dlp -g -f best \"https://www.youtube.com/${channel}\"`, (err, stdout, stderr) => {\n" +
			"        if (err || !stdout.trim()) {\n            return res.status(404).json({ error: \"Live stream not found\", stderr });\n        }\n" +
			"        res.json({ channel, stream: stdout.trim() });\n    });\n});\n\napp.listen(PORT, () => {\n    console.log(`Server running on port ${PORT}`);\n});\n",
	})
	if got := review63Value(s.HealthPath); got != "/" {
		t.Errorf("health %s; want / (/live here is a query endpoint that answers 400 without ?channel=)", got)
	}
}

// TestReview63_NuxtPWAAssetsPresetIsNotNitros: @vite-pwa/nuxt's
// pwa.pwaAssets.preset: 'minimal-2023' (a public Nuxt 4 app's
// nuxt.config.ts, ssr: false, no Nitro preset) is read as Nitro's preset:
// init stops on "set Nitro's preset to node-server (it is minimal-2023 …)"
// where nuxt build writes the Node server.
func TestReview63_NuxtPWAAssetsPresetIsNotNitros(t *testing.T) {
	s := review63Detect(t, map[string]string{
		"package.json":      `{"name":"mscx","private":true,"type":"module","scripts":{"build":"nuxt build","dev":"nuxt dev"},"dependencies":{"nuxt":"^4.0.0","@vite-pwa/nuxt":"^1.0.4"}}`,
		"package-lock.json": "{}",
		"nuxt.config.ts": "// https://nuxt.com/docs/api/configuration/nuxt-config\nexport default defineNuxtConfig({\n  compatibilityDate: '2025-07-15',\n" +
			"  modules: ['@nuxt/ui', '@vite-pwa/nuxt'],\n  ssr: false,\n  nitro: {\n    minify: true,\n    prerender: {\n      routes: ['/'],\n    },\n  },\n" +
			"  pwa: {\n    strategies: 'generateSW',\n    registerType: 'autoUpdate',\n    pwaAssets: {\n      config: false,\n      image: 'favicon.svg',\n" +
			"      preset: 'minimal-2023',\n    },\n  },\n})\n",
		"app/app.vue":         "<template><NuxtPage/></template>\n",
		"app/pages/index.vue": "<template><div/></template>\n",
	})
	var needs []string
	for _, n := range s.Needs {
		needs = append(needs, n.Value)
	}
	if got := review63Entry(s); got != ".output/server/index.mjs" || len(needs) > 0 {
		t.Errorf("entrypoint %s needs %q; want .output/server/index.mjs (minimal-2023 is @vite-pwa/assets-generator's preset, not Nitro's)", got, needs)
	}
}

// TestReview63_SvelteKitCommunityAdapter: svelte.config.js imports a
// community adapter (svelte-adapter-bun). init says "add svelte.config.js
// with @sveltejs/adapter-node", of a file the repository has.
func TestReview63_SvelteKitCommunityAdapter(t *testing.T) {
	s := review63Detect(t, map[string]string{
		"package.json":            `{"name":"app","type":"module","scripts":{"build":"vite build"},"devDependencies":{"@sveltejs/kit":"^2.5.0","svelte-adapter-bun":"^0.5.2","vite":"^5"}}`,
		"package-lock.json":       "{}",
		"svelte.config.js":        "import adapter from 'svelte-adapter-bun';\nexport default { kit: { adapter: adapter() } };\n",
		"src/routes/+page.svelte": "<h1>hi</h1>\n",
	})
	for _, n := range s.Needs {
		if strings.HasPrefix(n.Value, "add svelte.config.js") {
			t.Errorf("needs %q, but svelte.config.js exists (it uses svelte-adapter-bun)", n.Value)
		}
	}
}
