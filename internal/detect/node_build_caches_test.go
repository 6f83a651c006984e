package detect

import (
	"slices"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// The caches a build script's tools write inside the tree: docmost's
// `nx run-many -t build` leaves .nx (30 MB in the image that took the
// built tree whole), Turborepo .turbo, the Angular CLI .angular; a tool
// named inside another word or argument is not run.
func TestBuildCaches(t *testing.T) {
	for script, want := range map[string][]string{
		"nx run-many -t build":                     {".nx"},
		"pnpm exec nx build server && vite build":  {".nx"},
		"NODE_ENV=production turbo run build":      {".turbo"},
		"npx turbo build --filter=web; ng build":   {".turbo", ".angular"},
		"yarn nx build api":                        {".nx"},
		"npm exec -- turbo run build":              {".turbo"},
		"bunx turbo run build":                     {".turbo"},
		"yarn build:client && yarn build:server":   nil,
		"tsc -p tsconfig.build.json":               nil,
		"node scripts/nx-like.js && echo turbo":    nil,
		"webpack --config nx.webpack.js | tee log": nil,
	} {
		dir := testutil.WriteTree(t, map[string]string{
			"package.json": `{"name": "x", "scripts": {"build": "` + script + `", "start": "node dist/main.js"}, "dependencies": {"express": "4"}}`,
			"dist/main.js": "require('express')().listen(3000)\n",
		})
		s, err := Detect(dir)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(s.BuildCaches, want) {
			t.Errorf("%q: build caches %q, want %q", script, s.BuildCaches, want)
		}
	}
}
