package generate_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// go-zero-cloud-disk's shape: the image carries core/etc to /app/etc,
// where `-f etc/core-api.yaml` finds it from /app, the build context
// lets it through, and the probe asks the file's port, 8888.
func TestDockerfile_GoZeroConfigCarried(t *testing.T) {
	s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
		"go.mod": "module github.com/sjxiang/go-zero-cloud-disk\n\ngo 1.17\n\nrequire github.com/zeromicro/go-zero v1.3.5\n",
		"core/core.go": "package main\n\nimport (\n\t\"flag\"\n\n\t\"github.com/zeromicro/go-zero/core/conf\"\n\t\"github.com/zeromicro/go-zero/rest\"\n)\n\n" +
			"var configFile = flag.String(\"f\", \"etc/core-api.yaml\", \"the config file\")\n\nfunc main() {\n\tflag.Parse()\n\tvar c rest.RestConf\n\tconf.MustLoad(*configFile, &c)\n\tserver := rest.MustNewServer(c)\n\tserver.AddRoute(rest.Route{Method: \"GET\", Path: \"/healthz\", Handler: ok})\n\tserver.Start()\n}\n",
		"core/etc/core-api.yaml": "Name: core-api\nHost: 0.0.0.0\nPort: 8888\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	files := projectFiles(t, s, generate.Options{Name: "disk"})
	df := files["Dockerfile"]
	for _, want := range []string{
		"# core/core.go:10: -f's default, against core/ where it is run.\nCOPY --from=build /src/core/etc /app/etc\n",
		"http://127.0.0.1:8888/healthz",
		"EXPOSE 8888\n",
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q:\n%s", want, df)
		}
	}
	if !strings.Contains(files[".dockerignore"], "\n!core/etc\n") {
		t.Errorf(".dockerignore does not let core/etc through:\n%s", files[".dockerignore"])
	}
}

// Without a program, the stop is "no entry point found", not a question
// of which route to probe (chartbrew's root, the thirty-first try).
func TestResolve_NoEntryPointBeforeHealth(t *testing.T) {
	_, err := generate.Resolve(&detect.Stack{Language: "node"}, generate.Options{Name: "x"})
	if err == nil || !strings.HasPrefix(err.Error(), "no entry point found") {
		t.Errorf("err %v, want no entry point found first", err)
	}
	var amb *generate.AmbiguousError
	if errors.As(err, &amb) {
		t.Errorf("an ambiguity %v, want none", amb)
	}
}
