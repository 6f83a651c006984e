package detect

import "testing"

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
