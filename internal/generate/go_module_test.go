package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// A Go program without go.mod (GoogleCloudPlatform's hello-app, whose
// own Dockerfile runs `go mod init hello-app`), read with --stack go: it
// imports only the standard library, so the build makes the module, and
// copies no go.mod the repository lacks. One that imports modules stops:
// a build that resolved them would compile whatever is newest that day.
func TestDockerfile_GoWithoutGoMod(t *testing.T) {
	main := "package main\n\nimport (\n\t\"fmt\"\n\t\"log\"\n\t\"net/http\"\n\t\"os\"\n)\n\nfunc main() {\n\tmux := http.NewServeMux()\n\tmux.HandleFunc(\"/\", hello)\n\tport := os.Getenv(\"PORT\")\n\tif port == \"\" {\n\t\tport = \"8080\"\n\t}\n\tlog.Fatal(http.ListenAndServe(\":\"+port, mux))\n}\n\nfunc hello(w http.ResponseWriter, r *http.Request) { fmt.Fprintf(w, \"Hello, world!\\n\") }\n"
	s, err := detect.DetectAs(testutil.WriteTree(t, map[string]string{"main.go": main}), "go")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Needs) != 0 {
		t.Fatalf("needs %v, want none", s.Needs)
	}
	df := projectFiles(t, s, generate.Options{Name: "hello"})["Dockerfile"]
	if strings.Contains(df, "COPY go.mod") || !strings.Contains(df, "RUN go mod init app\n") || strings.Index(df, "COPY . .") > strings.Index(df, "go mod init") {
		t.Errorf("Dockerfile does not copy the source, then make the module:\n%s", df)
	}

	withModule := strings.Replace(main, "\t\"os\"\n", "\t\"os\"\n\n\t\"github.com/gorilla/mux\"\n", 1)
	s, err = detect.DetectAs(testutil.WriteTree(t, map[string]string{"main.go": withModule}), "go")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Needs) != 1 || !strings.Contains(s.Needs[0].Value, "github.com/gorilla/mux") || s.Needs[0].File != "main.go" {
		t.Fatalf("needs %+v, want one naming github.com/gorilla/mux in main.go", s.Needs)
	}
	if _, err := generate.Resolve(s, generate.Options{Name: "hello"}); err == nil || !strings.Contains(err.Error(), "go.mod") {
		t.Errorf("Resolve: %v, want a stop that says to write go.mod", err)
	}
}
