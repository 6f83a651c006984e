package generate_test

import (
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// TestDockerfile_FullStackFrameworks: the image of a full-stack
// framework's app runs the server its build writes, with the build's
// output beside it (a serve command's build among the runtime files, not
// the build stage's whole node_modules over the production one), the
// address variable its server reads set to every address, and no SIGTERM
// wrapper where the server drains itself. Each passes check --profile
// production.
func TestDockerfile_FullStackFrameworks(t *testing.T) {
	for name, tc := range map[string]struct {
		files     map[string]string
		want, not []string
	}{
		"React Router 7": {map[string]string{
			"package.json": `{"name":"shop","scripts":{"build":"react-router build","start":"react-router-serve ./build/server/index.js"},` +
				`"dependencies":{"@react-router/serve":"^7","@react-router/node":"^7","react-router":"^7"},"devDependencies":{"@react-router/dev":"^7"}}`,
			"package-lock.json": "{}",
			"app/routes.ts":     "export default [index(\"routes/home.tsx\"), route(\"healthz\", \"routes/healthz.ts\")];\n",
		}, []string{"COPY --from=build /app/build /app/build", `"node_modules/@react-router/serve/bin.js", "./build/server/index.js"]`, "http://127.0.0.1:3000/healthz",
			"process.once('SIGTERM', () => setTimeout(() => process.exit(0), 5000).unref())"},
			[]string{"COPY --from=build /app/node_modules", "process.exit(0))"}},
		"Astro with the node adapter": {map[string]string{
			"package.json":          `{"name":"shop","scripts":{"build":"astro build"},"dependencies":{"astro":"^5","@astrojs/node":"^9"}}`,
			"package-lock.json":     "{}",
			"astro.config.mjs":      "import node from '@astrojs/node';\nexport default defineConfig({ output: 'server', adapter: node({ mode: 'standalone' }) });\n",
			"src/pages/index.astro": "<h1>hi</h1>\n",
		}, []string{"COPY --from=build /app/dist ./dist", "ENV HOST=0.0.0.0", "ENV PORT=4321", `"dist/server/entry.mjs"]`, "EXPOSE 4321"},
			nil},
		"Nuxt": {map[string]string{
			"package.json":      `{"name":"shop","scripts":{"build":"nuxt build"},"devDependencies":{"nuxt":"^3.16.1"}}`,
			"package-lock.json": "{}",
			"pages/index.vue":   "<template><div/></template>\n",
		}, []string{"COPY --from=build /app/.output ./.output", `".output/server/index.mjs"]`, "EXPOSE 3000"},
			[]string{"process.once('SIGTERM'"}},
		"SvelteKit with $env/static imports": {map[string]string{
			"package.json":            `{"name":"shop","scripts":{"build":"vite build"},"devDependencies":{"@sveltejs/kit":"^2","@sveltejs/adapter-node":"^5.2.0"}}`,
			"package-lock.json":       "{}",
			"svelte.config.js":        "import adapter from '@sveltejs/adapter-node'\nexport default { kit: { adapter: adapter() } }\n",
			"src/lib/keys.ts":         "import { PUBLIC_SITE_KEY } from '$env/static/public'\nimport { TURNSTILE_SECRET_KEY } from '$env/static/private'\n",
			"src/routes/+page.svelte": "<h1>hi</h1>\n",
		}, []string{"ARG PUBLIC_SITE_KEY=\nARG TURNSTILE_SECRET_KEY=\nRUN npm run build", "COPY --from=build /app/build ./build", `"build/index.js"]`,
			"setTimeout(() => process.exit(0), 5000).unref()"},
			nil},
		"Astro static": {map[string]string{
			"package.json":      `{"name":"shop","scripts":{"build":"astro build"},"dependencies":{"astro":"^5"}}`,
			"package-lock.json": "{}",
		}, []string{"COPY --from=build /app/dist /app/public", `"/app/serve.mjs"]`}, []string{".output", "entry.mjs"}},
	} {
		t.Run(name, func(t *testing.T) {
			s, err := detect.Detect(testutil.WriteTree(t, tc.files))
			if err != nil {
				t.Fatal(err)
			}
			got := projectFiles(t, s, generate.Options{Name: "shop"})
			holds(t, "the Dockerfile", got["Dockerfile"], tc.want, tc.not)
			checkProduction(t, t.TempDir(), got)
		})
	}
}
