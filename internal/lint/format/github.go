package format

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
)

// writeGitHub prints workflow commands that GitHub Actions shows as
// annotations on the pull request:
//
//	::error file=Dockerfile,line=4,col=1,title=DF012 last-user-root::the final stage runs as "root"
func writeGitHub(w io.Writer, res *lint.Result, _ Options) error {
	bw := bufio.NewWriter(w)
	for _, e := range res.Errors {
		fmt.Fprintf(bw, "::error file=%s,line=%d,title=%s::%s\n", ghProperty(e.File), e.Line, ghProperty("shipshape parse error"), ghData(e.Message))
	}
	for _, f := range res.Findings {
		level := "notice"
		switch f.Severity {
		case lint.Error:
			level = "error"
		case lint.Warning:
			level = "warning"
		}
		fmt.Fprintf(bw, "::%s file=%s,line=%d,col=%d,title=%s::%s\n", level, ghProperty(f.File), f.Line, f.Column,
			ghProperty(f.Rule+" "+f.Name), ghData(f.Message+"\nfix: "+f.Fix))
	}
	return bw.Flush()
}

// ghData escapes a workflow command message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
