package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// TestReview63_SmokeDropsPagesInitCannotSee: the deploy's smoke step used
// to request / and check page.html for every app. It now does so only
// where Stack.Page is set, and otherwise writes "the code serves no page
// beside its health route". A Next.js app (app/page.tsx beside
// app/api/health/route.ts) and a Go service serving its embedded front
// end at / (mux.Handle("/", http.FileServer(...)) beside /healthz) both
// serve a page at /: the workflow says they serve none and stops checking
// it, the very check WF007 exists for.
func TestReview63_SmokeDropsPagesInitCannotSee(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"Next.js app router": {
			"package.json":            `{"name":"shop","scripts":{"dev":"next dev","build":"next build","start":"next start"},"dependencies":{"next":"14.2.3","react":"18.3.1","react-dom":"18.3.1"}}`,
			"package-lock.json":       "{}",
			"tsconfig.json":           `{"compilerOptions":{}}`,
			"next.config.js":          "/** @type {import('next').NextConfig} */\nmodule.exports = { output: 'standalone' };\n",
			"app/page.tsx":            "export default function Page() { return <h1>shop</h1> }\n",
			"app/api/health/route.ts": "export async function GET() { return Response.json({ ok: true }) }\n",
		},
		"Go embedded front end": {
			"go.mod": "module example.com/shop\n\ngo 1.22\n",
			"main.go": "package main\n\nimport (\n\t\"embed\"\n\t\"io/fs\"\n\t\"net/http\"\n)\n\n//go:embed web/dist\nvar dist embed.FS\n\nfunc main() {\n" +
				"\tsub, _ := fs.Sub(dist, \"web/dist\")\n\tmux := http.NewServeMux()\n" +
				"\tmux.HandleFunc(\"GET /healthz\", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(\"ok\")) })\n" +
				"\tmux.Handle(\"/\", http.FileServer(http.FS(sub)))\n\thttp.ListenAndServe(\":8080\", mux)\n}\n",
			"web/dist/index.html": "<html><title>shop</title></html>\n",
		},
	} {
		t.Run(name, func(t *testing.T) {
			s, err := detect.Detect(testutil.WriteTree(t, files))
			if err != nil {
				t.Fatal(err)
			}
			wf := projectFiles(t, s, generate.Options{Name: "shop"})[".github/workflows/container.yml"]
			if !strings.Contains(wf, `curl -fsS "${APP_URL}/" -o page.html`) || strings.Contains(wf, "serves no page") {
				t.Errorf("the smoke step no longer requests the page the app serves at / (health %v):\n%s", s.HealthPath, wf)
			}
		})
	}
}
