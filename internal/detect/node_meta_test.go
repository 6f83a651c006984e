package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// TestDetect_FullStackFrameworks: the thirtieth try's shapes (each from a
// real repository, named): the server the framework's build writes, the
// port and address it reads, whether it drains on SIGTERM, and its file
// routes as the health route; a static build as a static site; a build
// for another platform said as what to change.
func TestDetect_FullStackFrameworks(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  string // framework entry port health host sigterm static needs
	}{
		{"Nuxt 3 (KUN1007/kun-galgame-nuxt3: nuxt build, pages/index.vue)", map[string]string{
			"package.json":                 `{"scripts":{"build":"nuxt build","start":"node .output/server/index.mjs"},"devDependencies":{"nuxt":"^3.16.1"}}`,
			"nuxt.config.ts":               "export default defineNuxtConfig({ ssr: true })\n",
			"pages/index.vue":              "<template><div/></template>\n",
			"server/api/home/index.get.ts": "export default defineEventHandler(() => [])\n",
			"server/api/login.post.ts":     "export default defineEventHandler(() => ({}))\n",
		}, "nuxt .output/server/index.mjs 3000 / - SIGTERM - -"},
		{"Nuxt with a health route file", map[string]string{
			"package.json":             `{"scripts":{"build":"nuxi build"},"dependencies":{"nuxt":"^3"}}`,
			"app.vue":                  "<template><NuxtPage/></template>\n",
			"pages/index.vue":          "<template><div/></template>\n",
			"server/api/health.get.ts": "export default defineEventHandler(() => 'ok')\n",
		}, "nuxt .output/server/index.mjs 3000 /api/health - SIGTERM - -"},
		{"Nuxt generate: a static site", map[string]string{
			"package.json": `{"scripts":{"build":"nuxt generate"},"devDependencies":{"nuxt":"^3"}}`,
		}, "nuxt .output/public - / - - .output/public -"},
		{"Nuxt on another platform's preset", map[string]string{
			"package.json":   `{"scripts":{"build":"nuxt build"},"devDependencies":{"nuxt":"^3"}}`,
			"nuxt.config.ts": "export default defineNuxtConfig({\n  nitro: { preset: 'vercel' },\n})\n",
		}, "nuxt - - - - - - set Nitro's preset"},
		{"SvelteKit with adapter-node 5 (nstuyvesant/sveltekit-auth-example)", map[string]string{
			"package.json":                         `{"scripts":{"build":"vite build"},"devDependencies":{"@sveltejs/kit":"^2","@sveltejs/adapter-node":"^5.5.4"}}`,
			"svelte.config.js":                     "import adapter from '@sveltejs/adapter-node'\n\nexport default { kit: { adapter: adapter({ out: 'build' }) } }\n",
			"src/routes/+page.svelte":              "<h1>hi</h1>\n",
			"src/routes/(auth)/login/+page.svelte": "<form/>\n",
			"src/routes/api/[id]/+server.ts":       "export async function GET() {}\n",
		}, "sveltekit build/index.js 3000 / - - - -"},
		{"SvelteKit with adapter-node 1 and a health endpoint (redii/scrapi)", map[string]string{
			"package.json":                  `{"scripts":{"build":"vite build"},"devDependencies":{"@sveltejs/kit":"^1","@sveltejs/adapter-node":"^1.2.0"}}`,
			"svelte.config.js":              "import adapter from '@sveltejs/adapter-node';\nexport default { kit: { adapter: adapter() } };\n",
			"src/routes/healthz/+server.js": "export const GET = () => new Response('ok');\n",
		}, "sveltekit build/index.js 3000 /healthz - - - -"},
		{"SvelteKit with adapter-static", map[string]string{
			"package.json":     `{"scripts":{"build":"vite build"},"devDependencies":{"@sveltejs/kit":"^2","@sveltejs/adapter-static":"^3"}}`,
			"svelte.config.js": "import adapter from '@sveltejs/adapter-static';\nexport default { kit: { adapter: adapter({ pages: 'public' }) } };\n",
		}, "sveltekit public - / - - public -"},
		{"SvelteKit with adapter-auto", map[string]string{
			"package.json":     `{"scripts":{"build":"vite build"},"devDependencies":{"@sveltejs/kit":"^2","@sveltejs/adapter-auto":"^3"}}`,
			"svelte.config.js": "import adapter from '@sveltejs/adapter-auto';\nexport default { kit: { adapter: adapter() } };\n",
		}, "sveltekit - - - - - - use @sveltejs/adapter-node"},
		{"Astro with the node adapter (AbdelrhmanRafat/Funnel-Pages)", map[string]string{
			"package.json":           `{"scripts":{"build":"astro build"},"dependencies":{"astro":"^5","@astrojs/node":"^9"}}`,
			"astro.config.mjs":       "import { defineConfig } from 'astro/config';\nimport tailwind from '@astrojs/tailwind';\nimport node from '@astrojs/node';\n\nexport default defineConfig({\n  output: 'server',\n  adapter: node({ mode: 'standalone' }),\n});\n",
			"src/pages/index.astro":  "---\n---\n<h1>hi</h1>\n",
			"src/pages/[slug].astro": "---\n---\n",
		}, "astro dist/server/entry.mjs 4321 / HOST - - -"},
		{"Astro with a port in its config (GomezWare/gotimg)", map[string]string{
			"package.json":         `{"scripts":{"build":"astro build"},"dependencies":{"astro":"^5","@astrojs/node":"^9"}}`,
			"astro.config.mjs":     "import node from \"@astrojs/node\";\nexport default defineConfig({\n  output: \"server\",\n  server: { port: 3000 },\n  adapter: node({ mode: \"standalone\" }),\n});\n",
			"src/pages/ping.ts":    "export const GET = () => new Response('pong');\n",
			"src/pages/[width].ts": "export const GET = () => new Response('');\n",
		}, "astro dist/server/entry.mjs 3000 /ping HOST - - -"},
		{"Astro without an adapter: a static site (difrada/blog)", map[string]string{
			"package.json":     `{"scripts":{"build":"astro build"},"dependencies":{"astro":"^5"}}`,
			"astro.config.mjs": "import mdx from '@astrojs/mdx';\nexport default defineConfig({ integrations: [mdx()] });\n",
		}, "astro dist - / - - dist -"},
		{"Astro on Vercel", map[string]string{
			"package.json":     `{"scripts":{"build":"astro build"},"dependencies":{"astro":"^5"}}`,
			"astro.config.mjs": "import vercel from '@astrojs/vercel';\nexport default defineConfig({ output: 'server', adapter: vercel() });\n",
		}, "astro - - - - - - build with @astrojs/node"},
		{"React Router 7 (luizlhfex-br/saas-lhfex: react-router-serve, app/routes.ts)", map[string]string{
			"package.json": `{"scripts":{"build":"react-router build","start":"react-router-serve ./build/server/index.js"},` +
				`"dependencies":{"@react-router/serve":"^7","express":"^4"},"devDependencies":{"@react-router/dev":"^7"}}`,
			"app/routes.ts": "import { type RouteConfig, index, route } from \"@react-router/dev/routes\";\n\nexport default [\n  index(\"routes/home.tsx\"),\n  route(\"api/health\", \"routes/api.health.tsx\"),\n  route(\"users/:id\", \"routes/user.tsx\"),\n] satisfies RouteConfig;\n",
		}, "react-router node_modules/@react-router/serve/bin.js 3000 /api/health - - - -"},
		{"React Router 7 with ssr: false", map[string]string{
			"package.json":           `{"scripts":{"build":"react-router build"},"devDependencies":{"@react-router/dev":"^7"}}`,
			"react-router.config.ts": "export default {\n  ssr: false,\n} satisfies Config;\n",
		}, "react-router build/client - / - - build/client -"},
		{"Remix 2 flat routes (Callum-Penn/shop-chat-agent-whatsapp: remix-serve --port $PORT)", map[string]string{
			"package.json": `{"scripts":{"build":"remix vite:build","start":"remix-serve ./build/server/index.js --host 0.0.0.0 --port $PORT"},` +
				`"dependencies":{"@remix-run/serve":"^2"},"devDependencies":{"@remix-run/dev":"^2"}}`,
			"remix.config.js":        "module.exports = { dev: { port: process.env.HMR_SERVER_PORT || 8002 } };\n",
			"app/routes/_index.jsx":  "export default function Index() {}\n",
			"app/routes/app.$id.jsx": "export default function X() {}\n",
			"app/routes/_index.css":  "body {}\n",
		}, "remix node_modules/@remix-run/serve/dist/cli.js 3000 / - - - -"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Detect(testutil.WriteTree(t, tc.files))
			if err != nil {
				t.Fatal(err)
			}
			v := func(e *Evidence) string {
				if e == nil {
					return "-"
				}
				return e.Value
			}
			entry := "-"
			if len(s.Entrypoints) > 0 {
				entry = s.Entrypoints[0].Value
			}
			needs := "-"
			if len(s.Needs) > 0 {
				needs = s.Needs[0].Value
			}
			got := strings.Join([]string{v(s.Framework), entry, v(s.Port), v(s.HealthPath), v(s.HostVar), v(s.SIGTERM), v(s.Static), needs}, " ")
			if !strings.HasPrefix(got, tc.want) {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestDetect_SvelteKitStaticEnv: the names the code imports from
// $env/static/*, which the build writes in and fails without
// (nstuyvesant/sveltekit-auth-example: src/lib/google.ts and a .svelte
// component), are build arguments; a test's mock of them is not; the
// variables read through $env/dynamic/private's env.X are reads.
func TestDetect_SvelteKitStaticEnv(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"package.json":                `{"scripts":{"build":"vite build"},"dependencies":{"pg":"^8"},"devDependencies":{"@sveltejs/kit":"^2","@sveltejs/adapter-node":"^5"}}`,
		"svelte.config.js":            "import adapter from '@sveltejs/adapter-node'\nexport default { kit: { adapter: adapter() } }\n",
		"src/lib/google.ts":           "import { PUBLIC_GOOGLE_CLIENT_ID } from '$env/static/public'\n",
		"src/lib/Turnstile.svelte":    "<script>\n\timport { PUBLIC_TURNSTILE_SITE_KEY } from '$env/static/public'\n</script>\n",
		"src/lib/server/mail.ts":      "import {\n  BREVO_KEY,\n  EMAIL as FROM,\n} from '$env/static/private'\n",
		"src/lib/google.unit.test.ts": "vi.mock('$env/static/public', () => ({ PUBLIC_TEST_ONLY: 'x' }))\nimport { PUBLIC_TEST_ONLY } from '$env/static/public'\n",
		"src/lib/server/db.ts":        "import pg from 'pg'\nimport { env } from '$env/dynamic/private'\nexport const pool = new pg.Pool({ connectionString: env.DATABASE_URL })\n",
		"src/routes/+page.svelte":     "<h1>hi</h1>\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	var args []string
	for _, a := range s.BuildArgs {
		args = append(args, a.Value+"@"+a.Where())
	}
	if got, want := strings.Join(args, " "), "BREVO_KEY@src/lib/server/mail.ts:1 EMAIL@src/lib/server/mail.ts:1 PUBLIC_GOOGLE_CLIENT_ID@src/lib/google.ts:1 PUBLIC_TURNSTILE_SITE_KEY@src/lib/Turnstile.svelte:2"; got != want {
		t.Errorf("build args %s\nwant %s", got, want)
	}
	reads := false
	for _, e := range s.Env {
		reads = reads || e.Value == "DATABASE_URL"
	}
	if !reads {
		t.Errorf("env.DATABASE_URL ($env/dynamic/private) not read: %v", s.Env)
	}
}

// TestDetect_ReactRouterServerBuildFile: WilliamGroc/dnd-tool's
// react-router.config.ts moves the server build (serverBuildFile:
// "assets/server-build.js") while its start script names
// ./build/server/index.js, which the build does not write: the image
// gives react-router-serve the file the config names.
func TestDetect_ReactRouterServerBuildFile(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"package.json": `{"scripts":{"build":"react-router build","start":"react-router-serve ./build/server/index.js"},` +
			`"dependencies":{"@react-router/serve":"^7"},"devDependencies":{"@react-router/dev":"^7"}}`,
		"react-router.config.ts": "export default {\n  ssr: true,\n  serverBuildFile: \"assets/server-build.js\", // moved\n} satisfies Config;\n",
		"app/routes.ts":          "export default [index(\"routes/home.tsx\")]\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.ArgWords, " "); got != "./build/server/assets/server-build.js" {
		t.Errorf("arguments %q, want ./build/server/assets/server-build.js", got)
	}
	if got := ev(s.HealthPath); got != "/@app/routes.ts:1" {
		t.Errorf("health %s, want the index route at app/routes.ts:1", got)
	}
}
