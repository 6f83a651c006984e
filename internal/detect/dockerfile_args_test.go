package detect

import (
	"strings"
	"testing"
)

// The arguments a repository's Dockerfile passes the program, read by the
// Dockerfile parser over several lines, and the paths they name: a file
// its COPY puts there is carried, a directory it declares a VOLUME is the
// program's data, any other stays as written. prometheus/alertmanager
// v0.35.0 (Dockerfile:11,19-23) and prometheus/prometheus v0.316.0
// (Dockerfile:19-21,29-31: its CMD continues over two lines).
func TestDetect_DockerfileArgumentPaths(t *testing.T) {
	gomod := "module example.com/am\n\ngo 1.25\n"
	main := "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.HandleFunc(\"/-/ready\", ready)\n\thttp.ListenAndServe(\":9093\", nil)\n}\n"
	for _, c := range []struct {
		name, dockerfile string
		args, carried    string
		data             string // the data-dir flag and what the Dockerfile passed
	}{{
		name: "alertmanager",
		dockerfile: "FROM quay.io/prometheus/busybox:latest\nCOPY .build/linux-amd64/alertmanager /bin/alertmanager\nCOPY examples/ha/alertmanager.yml      /etc/alertmanager/alertmanager.yml\n" +
			"VOLUME     [ \"/alertmanager\" ]\nWORKDIR    /alertmanager\nENTRYPOINT [ \"/bin/alertmanager\" ]\n" +
			"CMD        [ \"--config.file=/etc/alertmanager/alertmanager.yml\", \\\n             \"--storage.path=/alertmanager\" ]\n",
		args: "--config.file=/etc/alertmanager/alertmanager.yml@Dockerfile:6", carried: "examples/ha/alertmanager.yml@Dockerfile:3>/etc/alertmanager/alertmanager.yml",
		data: "storage.path=/alertmanager",
	}, {
		name: "into a directory, another path kept",
		dockerfile: "FROM busybox\nCOPY documentation/examples/prometheus.yml /etc/prometheus/\nVOLUME /prometheus\n" +
			"ENTRYPOINT [ \"/bin/prometheus\" ]\nCMD [ \"--config.file=/etc/prometheus/prometheus.yml\", \\\n      \"--web.console.templates=/usr/share/prometheus/consoles\" ]\n",
		args: "--config.file=/etc/prometheus/prometheus.yml --web.console.templates=/usr/share/prometheus/consoles@Dockerfile:4", carried: "documentation/examples/prometheus.yml@Dockerfile:2>/etc/prometheus/prometheus.yml",
	}, {
		name:       "a copy from another stage is not the repository's",
		dockerfile: "FROM golang AS build\nFROM busybox\nCOPY --from=build /src/app.yml /etc/app/app.yml\nENTRYPOINT [\"/bin/app\", \"--config.file=/etc/app/app.yml\"]\n",
		args:       "--config.file=/etc/app/app.yml@Dockerfile:4",
	}} {
		t.Run(c.name, func(t *testing.T) {
			s, _ := goShape(t, map[string]string{"go.mod": gomod, "main.go": main, "Dockerfile": c.dockerfile})
			if got := ev(s.Args); got != c.args {
				t.Errorf("arguments %s, want %s", got, c.args)
			}
			var carried []string
			for _, f := range s.CarriedFiles {
				carried = append(carried, ev(&f.Evidence)+">"+f.Dest)
			}
			if got := strings.Join(carried, " "); got != c.carried {
				t.Errorf("carried %q, want %q", got, c.carried)
			}
			var data []string
			for _, f := range s.ServeFlags {
				if f.Kind == "data-dir" {
					data = append(data, f.Value+"="+f.Default)
				}
			}
			if got := strings.Join(data, " "); got != c.data {
				t.Errorf("data flags %q, want %q", got, c.data)
			}
		})
	}
}
