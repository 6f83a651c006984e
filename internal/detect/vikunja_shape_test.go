package detect

import (
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// go-vikunja/vikunja: the first SIGTERM in its tree is in magefile.go
// (//go:build mage), its build tool's; its server, pkg/cmd/web.go,
// stops on os.Interrupt only. The image stops it with SIGINT, and no
// SIGTERM is claimed for a file the program does not build.
func TestDetect_SIGTERMInAFileTheProgramDoesNotBuild(t *testing.T) {
	s, _ := goShape(t, map[string]string{
		"go.mod":      "module code.vikunja.io/api\n\ngo 1.24\n",
		"magefile.go": "//go:build mage\n\npackage main\n\nimport (\n\t\"os/signal\"\n\t\"syscall\"\n)\n\nfunc Dev() {\n\tsignal.Notify(c, syscall.SIGTERM)\n}\n",
		"main.go":     "package main\n\nimport \"code.vikunja.io/api/pkg/cmd\"\n\nfunc main() {\n\tcmd.Execute()\n}\n",
		"pkg/cmd/web.go": "package cmd\n\nimport (\n\t\"net/http\"\n\t\"os\"\n\t\"os/signal\"\n)\n\nfunc Execute() {\n\tgo http.ListenAndServe(\":3456\", nil)\n" +
			"\tquit := make(chan os.Signal, 1)\n\tsignal.Notify(quit, os.Interrupt)\n\t<-quit\n}\n",
	})
	if s.SIGTERM != nil {
		t.Errorf("SIGTERM %s, from a file the program does not build", ev(s.SIGTERM))
	}
	if s.SIGINT == nil || s.SIGINT.File != "pkg/cmd/web.go" {
		t.Errorf("SIGINT %s, want pkg/cmd/web.go", ev(s.SIGINT))
	}
}

// benbjohnson/wtf: three mains; the first os.Interrupt in the tree is in
// cmd/wtf, its CLI client. The server the image runs, cmd/wtfd, has its
// own, and that is the line the stop signal is said from. A program that
// handles neither has no SIGINT claimed from its neighbour's files.
func TestDetect_SIGINTOfTheChosenProgram(t *testing.T) {
	files := map[string]string{
		"go.mod":          "module github.com/benbjohnson/wtf\n\ngo 1.16\n",
		"cmd/wtf/main.go": "package main\n\nimport (\n\t\"os\"\n\t\"os/signal\"\n)\n\nfunc main() {\n\tc := make(chan os.Signal, 1)\n\tsignal.Notify(c, os.Interrupt)\n}\n",
		"cmd/wtfd/main.go": "package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n\t\"os/signal\"\n)\n\nfunc main() {\n\tgo http.ListenAndServe(\":8080\", nil)\n" +
			"\tc := make(chan os.Signal, 1)\n\tsignal.Notify(c, os.Interrupt)\n\t<-c\n}\n",
		"cmd/quiet/main.go": "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
	}
	dir := testutil.WriteTree(t, files)
	s, err := Detect(dir, WithEntrypoint("cmd/wtfd"))
	if err != nil {
		t.Fatal(err)
	}
	if s.SIGINT == nil || s.SIGINT.File != "cmd/wtfd/main.go" || s.SIGINT.Line != 12 {
		t.Errorf("SIGINT %s, want cmd/wtfd/main.go:12", ev(s.SIGINT))
	}
	if s, err = Detect(dir, WithEntrypoint("cmd/quiet")); err != nil {
		t.Fatal(err)
	}
	if s.SIGINT != nil || s.SIGTERM != nil {
		t.Errorf("cmd/quiet handles no signal, got SIGINT %s, SIGTERM %s", ev(s.SIGINT), ev(s.SIGTERM))
	}
}
