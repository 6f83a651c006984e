package detect

import (
	"maps"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
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
			s, _ := goShape(t, map[string]string{"go.mod": gomod, "main.go": main, "Dockerfile": c.dockerfile,
				"examples/ha/alertmanager.yml": "route:\n  receiver: web.hook\n", "documentation/examples/prometheus.yml": "global:\n  scrape_interval: 15s\n"})
			if got := ev(s.Args); got != c.args {
				t.Errorf("arguments %s, want %s", got, c.args)
			}
			if carried, data := argPaths(s); carried != c.carried || data != c.data {
				t.Errorf("carried %q, data flags %q; want %q, %q", carried, data, c.carried, c.data)
			}
		})
	}
}

// distribution/distribution v3.1.2: ENTRYPOINT ["registry"] names the
// program built from cmd/registry by its own name, CMD ["serve",
// "/etc/distribution/config.yml"] hands it a path its COPY puts
// cmd/registry/config-dev.yml at, and that file keeps the registry's
// data under /var/lib/registry (config-dev.yml:13), a VOLUME of the
// Dockerfile. The arguments are the program's, the file is carried and
// the volume is where the data is. A name that is not the program's
// (a shell, another binary) gives no arguments.
func TestDetect_DockerfileProgramByNameAndItsConfig(t *testing.T) {
	files := map[string]string{
		"go.mod":                      "module github.com/distribution/distribution/v3\n\ngo 1.26\n",
		"cmd/registry/main.go":        "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.HandleFunc(\"/debug/health\", health)\n\thttp.ListenAndServe(\":5000\", nil)\n}\n",
		"cmd/registry/config-dev.yml": "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /var/lib/registry\nhttp:\n  addr: :5000\n",
		"Dockerfile": "FROM golang AS build\nRUN go build -o /usr/bin/registry ./cmd/registry\nFROM alpine\nCOPY cmd/registry/config-dev.yml /etc/distribution/config.yml\nCOPY --from=build /usr/bin/registry /bin/registry\n" +
			"VOLUME [\"/var/lib/registry\"]\nEXPOSE 5000\nENTRYPOINT [\"registry\"]\nCMD [\"serve\", \"/etc/distribution/config.yml\"]\n",
	}
	s, _ := goShape(t, files)
	if got := ev(s.Args); got != "serve /etc/distribution/config.yml@Dockerfile:8" {
		t.Errorf("arguments %s, want serve /etc/distribution/config.yml@Dockerfile:8", got)
	}
	if len(s.CarriedFiles) != 1 || ev(&s.CarriedFiles[0].Evidence) != "cmd/registry/config-dev.yml@Dockerfile:4" || s.CarriedFiles[0].Dest != "/etc/distribution/config.yml" {
		t.Errorf("carried %+v, want cmd/registry/config-dev.yml to /etc/distribution/config.yml", s.CarriedFiles)
	}
	if got := ev(s.DataVolume); got != "/var/lib/registry@cmd/registry/config-dev.yml:4" {
		t.Errorf("data volume %s, want /var/lib/registry@cmd/registry/config-dev.yml:4", got)
	}
	// It imports a Redis client (registry/handlers/app.go:46) for a cache
	// the carried configuration does not configure: none is started; a
	// configuration that has a redis section keeps it.
	files["cache/redis.go"] = "package cache\n\nimport \"github.com/redis/go-redis/v9\"\n\nvar _ = redis.NewClient\n"
	files["cmd/registry/main.go"] = strings.Replace(files["cmd/registry/main.go"], "import \"net/http\"", "import (\n\t\"net/http\"\n\n\t_ \"github.com/distribution/distribution/v3/cache\"\n)", 1)
	files["go.mod"] += "\nrequire github.com/redis/go-redis/v9 v9.7.0\n"
	s, _ = goShape(t, files)
	if len(s.Unconfigured) != 1 || s.Unconfigured[0].Value != "redis" || len(s.Databases) != 0 {
		t.Errorf("databases %v, unconfigured %v; want redis set aside", s.Databases, s.Unconfigured)
	}
	files["cmd/registry/config-dev.yml"] += "redis:\n  addr: localhost:6379\n"
	if s, _ = goShape(t, files); len(s.Unconfigured) != 0 || len(s.Databases) != 1 {
		t.Errorf("databases %v, unconfigured %v; want redis, which the configuration configures", s.Databases, s.Unconfigured)
	}
	files["Dockerfile"] = strings.Replace(files["Dockerfile"], `ENTRYPOINT ["registry"]`, `ENTRYPOINT ["sh", "-c"]`, 1)
	if s, _ := goShape(t, files); s.Args != nil && strings.Contains(s.Args.Value, "/etc/distribution") {
		t.Errorf("arguments %s taken from a command that is not the program", ev(s.Args))
	}
}

// minio (Go module proxy, 2026-02-12): ENTRYPOINT ["/usr/bin/docker-
// entrypoint.sh"], which its COPY takes from dockerscripts/ and which
// ends in exec "$@", with CMD ["minio"], the program's own name. The
// script was not found at /usr/bin, so "minio" was read as the
// program's argument. A script's arguments are never the program's.
func TestDetect_EntrypointScriptCopiedFromElsewhere(t *testing.T) {
	s, _ := goShape(t, map[string]string{
		"go.mod":                             "module github.com/minio/minio\n\ngo 1.24\n",
		"main.go":                            "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":9000\", nil) }\n",
		"dockerscripts/docker-entrypoint.sh": "#!/bin/sh\ndocker_switch_user() {\n\tif [ -n \"${MINIO_USERNAME}\" ]; then\n\t\texec setpriv \"$@\"\n\telse\n\t\texec \"$@\"\n\tfi\n}\ndocker_switch_user \"$@\"\n",
		"Dockerfile":                         "FROM alpine\nCOPY ./minio /usr/bin/minio\nCOPY dockerscripts/docker-entrypoint.sh /usr/bin/docker-entrypoint.sh\nENTRYPOINT [\"/usr/bin/docker-entrypoint.sh\"]\nVOLUME [\"/data\"]\nCMD [\"minio\"]\n",
	})
	if s.Args != nil {
		t.Errorf("arguments %s, want none", ev(s.Args))
	}
}

// The edges a review of the rules above found, each a shape that must
// not change what init does: a file inside a volume is no data
// directory; a log directory is not the data; a comment, or a longer
// path, does not name a volume; /app is never one; a heredoc or a source
// the repository does not hold is not carried; a CMD a dev stage sets is
// cleared by the final stage's ENTRYPOINT; a Latin-1 comment does not
// stop the reading; an ENTRYPOINT naming another binary gives nothing.
func TestDetect_DockerfileArgumentEdges(t *testing.T) {
	gomod := "module example.com/app\n\ngo 1.25\n"
	main := "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.HandleFunc(\"/health\", ok)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n"
	for _, c := range []struct {
		name, dockerfile, extra string
		args, carried, data     string
	}{{
		name:       "a file inside a volume",
		dockerfile: "FROM busybox\nVOLUME /config\nENTRYPOINT [\"/bin/app\"]\nCMD [\"--config.file=/config/config.yml\"]\n",
		args:       "--config.file=/config/config.yml@Dockerfile:3",
	}, {
		name:       "a log directory and the data",
		dockerfile: "FROM busybox\nVOLUME /logs /data\nENTRYPOINT [\"/bin/app\"]\nCMD [\"--log.dir=/logs\", \"--data.dir=/data\"]\n",
		args:       "--log.dir=/logs@Dockerfile:3", data: "data.dir=/data",
	}, {
		name:       "a comment and a longer path",
		dockerfile: "FROM busybox\nCOPY app.yml /etc/app/app.yml\nVOLUME /data /app\nENTRYPOINT [\"/bin/app\"]\nCMD [\"serve\", \"/etc/app/app.yml\"]\n",
		extra:      "# see https://example.com/data\nstorage: /mnt/data/app\nroot: /app\n",
		args:       "serve /etc/app/app.yml@Dockerfile:4", carried: "app.yml@Dockerfile:2>/etc/app/app.yml",
	}, {
		name:       "a heredoc and a built source",
		dockerfile: "# syntax=docker/dockerfile:1\nFROM busybox\nCOPY <<EOF /etc/app/app.yml\nx: 1\nEOF\nCOPY .build/ui /srv/ui\nENTRYPOINT [\"/bin/app\"]\nCMD [\"--config.file=/etc/app/app.yml\", \"--ui=/srv/ui\"]\n",
		args:       "--config.file=/etc/app/app.yml --ui=/srv/ui@Dockerfile:7",
	}, {
		name:       "a dev stage's CMD",
		dockerfile: "FROM golang AS dev\nCMD [\"go\", \"run\", \".\"]\nFROM dev AS prod\nENTRYPOINT [\"/app/server\"]\n",
		args:       "-",
	}, {
		name:       "a Latin-1 comment",
		dockerfile: "FROM busybox\n# Autor: Jos\xe9\nENTRYPOINT [\"/bin/app\"]\nCMD [\"serve\"]\n",
		args:       "serve@Dockerfile:3",
	}, {
		name:       "another binary",
		dockerfile: "FROM busybox\nENTRYPOINT [\"otherbin\"]\nCMD [\"--config.file=/etc/app/app.yml\"]\n",
		args:       "-",
	}} {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{"go.mod": gomod, "main.go": main, "Dockerfile": c.dockerfile}
			if c.extra != "" {
				files["app.yml"] = c.extra
			}
			s, _ := goShape(t, files)
			if got := ev(s.Args); got != c.args {
				t.Errorf("arguments %s, want %s", got, c.args)
			}
			if carried, data := argPaths(s); carried != c.carried || data != c.data {
				t.Errorf("carried %q, data flags %q; want %q, %q", carried, data, c.carried, c.data)
			}
			if s.DataVolume != nil {
				t.Errorf("data volume %s", ev(s.DataVolume))
			}
		})
	}
}

// A database the code imports a client of is kept when anything says it
// is used: a variable the code reads names it, or the carried
// configuration names it by its port.
func TestDetect_ImportedDatabaseKeptWhenUsed(t *testing.T) {
	base := map[string]string{
		"go.mod":     "module example.com/app\n\ngo 1.25\n\nrequire github.com/redis/go-redis/v9 v9.7.0\n",
		"main.go":    "package main\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/redis/go-redis/v9\"\n)\n\nfunc main() {\n\t_ = redis.NewClient\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"conf.yml":   "log: info\n",
		"Dockerfile": "FROM busybox\nCOPY conf.yml /etc/app/conf.yml\nENTRYPOINT [\"/bin/app\"]\nCMD [\"--config=/etc/app/conf.yml\"]\n",
	}
	s, _ := goShape(t, base)
	if len(s.Unconfigured) != 1 {
		t.Fatalf("unconfigured %v, want redis (nothing says it is used)", s.Unconfigured)
	}
	withEnv := maps.Clone(base)
	withEnv["main.go"] = strings.Replace(base["main.go"], "_ = redis.NewClient", "opt, _ := redis.ParseURL(os.Getenv(\"REDIS_URL\"))\n\t_ = redis.NewClient(opt)", 1)
	if s, _ := goShape(t, withEnv); len(s.Unconfigured) != 0 || len(s.Databases) != 1 {
		t.Errorf("a Redis the code reads $REDIS_URL for set aside: %v", s.Unconfigured)
	}
	withPort := maps.Clone(base)
	withPort["conf.yml"] = "cache:\n  addr: cache:6379\n"
	if s, _ := goShape(t, withPort); len(s.Unconfigured) != 0 || len(s.Databases) != 1 {
		t.Errorf("a Redis the configuration names by its port set aside: %v", s.Unconfigured)
	}
}

// argPaths are the files carried (source@where>destination) and the data
// flags (name=value the Dockerfile passed) detection read.
func argPaths(s *Stack) (carried, data string) {
	var cs, ds []string
	for _, f := range s.CarriedFiles {
		cs = append(cs, ev(&f.Evidence)+">"+f.Dest)
	}
	for _, f := range s.ServeFlags {
		if f.Kind == "data-dir" {
			ds = append(ds, f.Value+"="+f.Default)
		}
	}
	return strings.Join(cs, " "), strings.Join(ds, " ")
}

// The COPY shapes that put a repository file where the arguments name
// it: a directory copied whole (the file inside it), one of several
// sources into a directory, a destination through an ENV, a local ADD;
// an ADD of an archive (unpacked) and a relative destination (WORKDIR's)
// are not read.
func TestDetect_CarriedCopyShapes(t *testing.T) {
	gomod := "module example.com/app\n\ngo 1.25\n"
	main := "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.HandleFunc(\"/health\", ok)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n"
	for _, c := range []struct{ name, dockerfile, carried string }{
		{"a directory copied whole", "FROM busybox\nCOPY conf /etc/app\nENTRYPOINT [\"/bin/app\"]\nCMD [\"--config=/etc/app/app.yml\"]\n", "conf/app.yml@Dockerfile:2>/etc/app/app.yml"},
		{"one of several sources", "FROM busybox\nCOPY conf/app.yml conf/extra.yml /etc/app/\nENTRYPOINT [\"/bin/app\"]\nCMD [\"--config=/etc/app/app.yml\"]\n", "conf/app.yml@Dockerfile:2>/etc/app/app.yml"},
		{"an ENV destination", "FROM busybox\nENV CONF=/etc/app\nCOPY conf/app.yml $CONF/app.yml\nENTRYPOINT [\"/bin/app\"]\nCMD [\"--config=/etc/app/app.yml\"]\n", "conf/app.yml@Dockerfile:3>/etc/app/app.yml"},
		{"a local ADD", "FROM busybox\nADD conf/app.yml /etc/app/app.yml\nENTRYPOINT [\"/bin/app\"]\nCMD [\"--config=/etc/app/app.yml\"]\n", "conf/app.yml@Dockerfile:2>/etc/app/app.yml"},
		{"an archive ADD", "FROM busybox\nADD conf.tar /etc/app\nENTRYPOINT [\"/bin/app\"]\nCMD [\"--config=/etc/app/app.yml\"]\n", ""},
		{"a relative destination", "FROM busybox\nWORKDIR /etc/app\nCOPY conf/app.yml app.yml\nENTRYPOINT [\"/bin/app\"]\nCMD [\"--config=/etc/app/app.yml\"]\n", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, _ := goShape(t, map[string]string{"go.mod": gomod, "main.go": main, "Dockerfile": c.dockerfile,
				"conf/app.yml": "log: info\n", "conf/extra.yml": "x: 1\n", "conf.tar": "not really\n"})
			if carried, _ := argPaths(s); carried != c.carried {
				t.Errorf("carried %q, want %q", carried, c.carried)
			}
		})
	}
}

// andreimarcu/linx-server 2cb968439c5d: its Dockerfile passes
// -bind=0.0.0.0:8080 and two directories it declares VOLUMEs
// (-filespath=/data/files/ -metapath=/data/meta/, Dockerfile:21-27). The
// directories become directories of the image's data volume, and -bind,
// already given, is no serve flag the image would pass a second time.
func TestDetect_DockerfileVolumeFlagsAndGivenBind(t *testing.T) {
	s, _ := goShape(t, map[string]string{
		"go.mod": "module example.com/linx\n\ngo 1.14\n",
		"server.go": "package main\n\nimport (\n\t\"flag\"\n\t\"net/http\"\n)\n\nvar bind, files, meta string\n\n" +
			"func main() {\n\tflag.StringVar(&bind, \"bind\", \"127.0.0.1:8080\", \"host to bind to (default: 127.0.0.1:8080)\")\n" +
			"\tflag.StringVar(&files, \"filespath\", \"files/\", \"path to files directory\")\n\tflag.StringVar(&meta, \"metapath\", \"meta/\", \"path to metadata directory\")\n" +
			"\tflag.Parse()\n\thttp.HandleFunc(\"/\", func(w http.ResponseWriter, r *http.Request) {})\n\t_ = http.ListenAndServe(bind, nil)\n}\n",
		"Dockerfile": "FROM golang:1.14-alpine3.11 AS build\nCOPY . /src\nRUN go build -o /go/bin/linx-server .\n\nFROM alpine:3.11\n" +
			"COPY --from=build /go/bin/linx-server /usr/local/bin/linx-server\n" +
			"RUN mkdir -p /data/files && mkdir -p /data/meta && chown -R 65534:65534 /data\n\nVOLUME [\"/data/files\", \"/data/meta\"]\n\nEXPOSE 8080\nUSER nobody\n" +
			"ENTRYPOINT [\"/usr/local/bin/linx-server\", \"-bind=0.0.0.0:8080\", \"-filespath=/data/files/\", \"-metapath=/data/meta/\"]\nCMD [\"-sitename=linx\", \"-allowhotlink\"]\n",
	})
	if got := ev(s.Args); got != "-bind=0.0.0.0:8080 -sitename=linx -allowhotlink@Dockerfile:13" {
		t.Errorf("arguments %s", got)
	}
	var flags []string
	for _, f := range s.ServeFlags {
		flags = append(flags, f.Kind+":"+f.Value+"="+f.Default)
	}
	if got := strings.Join(flags, " "); got != "data-subdir:filespath=/data/files/ data-subdir:metapath=/data/meta/" {
		t.Errorf("serve flags %q, want the two directories and no bind", got)
	}
}

// A program that finds go.rice boxes (linx-server's
// rice.MustFindBox("static"), server.go:176) looks for them in its binary
// or beside the source it was built from: the build embeds them with the
// rice command of the version go.mod requires, in each package that
// finds one. A repository that holds the generated rice-box.go needs
// nothing.
func TestDetect_GoRiceBoxesEmbedded(t *testing.T) {
	gomod := "module example.com/linx\n\ngo 1.14\n\nrequire (\n\tgithub.com/GeertJohan/go.rice v1.0.0\n)\n"
	server := "package main\n\nimport (\n\t\"net/http\"\n\n\trice \"github.com/GeertJohan/go.rice\"\n)\n\n" +
		"func main() {\n\tbox := rice.MustFindBox(\"static\")\n\thttp.Handle(\"/static/\", http.FileServer(box.HTTPBox()))\n\thttp.HandleFunc(\"/healthz\", func(w http.ResponseWriter, r *http.Request) {})\n\t_ = http.ListenAndServe(\":8080\", nil)\n}\n"
	for _, c := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"at the root", map[string]string{"go.mod": gomod, "server.go": server, "static/app.css": "body{}\n"},
			"go run github.com/GeertJohan/go.rice/rice@v1.0.0 embed-go@server.go:10"},
		{"in a command's package", map[string]string{"go.mod": gomod, "cmd/linx/server.go": server, "cmd/linx/static/app.css": "body{}\n"},
			"(cd cmd/linx && go run github.com/GeertJohan/go.rice/rice@v1.0.0 embed-go)@cmd/linx/server.go:10"},
		{"embedded already", map[string]string{"go.mod": gomod, "server.go": server, "rice-box.go": "package main\n"}, "-"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, _ := goShape(t, c.files)
			if got := ev(s.BoxEmbed); got != c.want {
				t.Errorf("box step %s, want %s", got, c.want)
			}
			if len(s.Needs) > 0 {
				t.Errorf("needs %v: the box is in the tree", s.Needs)
			}
		})
	}
}

// usefathom/fathom 2d895d8299d3 packs two packr v2 boxes into its
// program with `packr2 build` (Makefile): its migrations
// (packr.NewBox("./migrations"), held by git) and its front end's
// build (packr.NewBox("./../../assets/build"), which gulp writes and
// git ignores). Both are named from the root, the build runs packr2 of
// the version go.mod requires, and the missing one stops init before it
// writes, naming the Makefile rule that makes it. statping-ng's go.rice
// box source/dist, which its Dockerfile copies from a Node stage and
// which go generate (its other step) does not make, is said the same
// way, with that COPY.
func TestDetect_PackedBoxes(t *testing.T) {
	fathom := map[string]string{
		"go.mod":  "module github.com/usefathom/fathom\n\ngo 1.19\n\nrequire (\n\tgithub.com/gobuffalo/packr/v2 v2.8.3\n)\n",
		"main.go": "package main\n\nimport (\n\t\"github.com/usefathom/fathom/pkg/api\"\n\t_ \"github.com/usefathom/fathom/pkg/datastore/sqlstore\"\n)\n\nfunc main() { api.Serve() }\n",
		"pkg/api/routes.go": "package api\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/gobuffalo/packr/v2\"\n)\n\n" +
			"func Serve() {\n\tbox := packr.NewBox(\"./../../assets/build\")\n\thttp.Handle(\"/\", http.FileServer(box))\n\thttp.HandleFunc(\"/health\", func(w http.ResponseWriter, r *http.Request) {})\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"pkg/datastore/sqlstore/sqlstore.go":           "package sqlstore\n\nimport \"github.com/gobuffalo/packr/v2\"\n\nvar migrations = packr.New(\"migrations\", \"./migrations\")\n",
		"pkg/datastore/sqlstore/migrations/1_init.sql": "CREATE TABLE x (id int);\n",
		".gitignore": "assets/build\n",
		"Makefile":   "build: assets/build\n\tgo build -o fathom ./main.go\n\nassets/build: npm\n\t./node_modules/gulp/bin/gulp.js\n",
	}
	s, _ := goShape(t, fathom)
	var boxes []string
	for _, b := range s.Boxes {
		boxes = append(boxes, ev(&b))
	}
	if got := strings.Join(boxes, " "); got != "assets/build@pkg/api/routes.go:10 pkg/datastore/sqlstore/migrations@pkg/datastore/sqlstore/sqlstore.go:5" {
		t.Errorf("boxes %s", got)
	}
	if got := ev(s.BoxEmbed); got != "go run github.com/gobuffalo/packr/v2/packr2@v2.8.3@pkg/api/routes.go:10" {
		t.Errorf("box step %s", got)
	}
	if len(s.Needs) != 1 || !strings.Contains(s.Needs[0].Value, "packr box is assets/build") || !strings.Contains(s.Needs[0].Value, "Makefile:4 makes it (`assets/build: npm`)") {
		t.Errorf("needs %v, want the missing assets/build and the Makefile rule that makes it", s.Needs)
	}
	fathom[".gitignore"] = ""
	fathom["assets/build/index.html"] = "<html></html>\n"
	if s, _ = goShape(t, fathom); len(s.Needs) != 0 || s.BoxEmbed == nil {
		t.Errorf("with the build in the tree: needs %v, box step %s", s.Needs, ev(s.BoxEmbed))
	}

	statping := map[string]string{
		"go.mod":           "module github.com/statping-ng/statping-ng\n\ngo 1.19\n\nrequire github.com/GeertJohan/go.rice v1.0.3\n",
		"cmd/main.go":      "package main\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/statping-ng/statping-ng/source\"\n)\n\nfunc main() {\n\tsource.Assets()\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"source/source.go": "package source\n\nimport rice \"github.com/GeertJohan/go.rice\"\n\nfunc Assets() {\n\t// rice.FindBox(\"old\")\n\trice.FindBox(\"dist\")\n}\n",
		"Dockerfile":       "FROM node:16 AS frontend\nWORKDIR /statping\nCOPY ./frontend .\nRUN yarn build\n\nFROM golang:1.20 AS backend\nRUN rm -rf ./source/dist\nCOPY --from=frontend /statping/dist/ ./source/dist/\nRUN cd source && rice embed-go\n",
	}
	s, _ = goShape(t, statping)
	if got := ev(s.BoxEmbed); got != "(cd source && go run github.com/GeertJohan/go.rice/rice@v1.0.3 embed-go)@source/source.go:7" {
		t.Errorf("box step %s", got)
	}
	if len(s.Needs) != 1 || !strings.Contains(s.Needs[0].Value, "go.rice box is source/dist") || !strings.Contains(s.Needs[0].Value, "Dockerfile:8 makes it (`COPY --from=frontend /statping/dist/ ./source/dist/`)") {
		t.Errorf("needs %v, want the missing source/dist and the COPY that makes it", s.Needs)
	}
}

// nkanaev/yarr keeps its Dockerfile at etc/dockerfile (the repository has
// no root one), which runs the program with -addr 0.0.0.0:7070 -db
// /data/yarr.db, a path in no VOLUME: the one Dockerfile a level down is
// read, the flag and the path after it are one flag's value, and the
// database file goes on the image's data volume. A Dockerfile under a
// directory of examples is not the repository's, nor one of two.
func TestDetect_ADockerfileOneLevelDownAndADataFlagWithoutAVolume(t *testing.T) {
	base := map[string]string{
		"go.mod":  "module example.com/yarr\n\ngo 1.24\n",
		"main.go": "package main\n\nimport (\n\t\"flag\"\n\t\"net/http\"\n)\n\nfunc main() {\n\taddr := flag.String(\"addr\", \"127.0.0.1:7070\", \"\")\n\tdb := flag.String(\"db\", \"\", \"\")\n\tflag.Parse()\n\t_ = db\n\thttp.HandleFunc(\"/api/status\", nil)\n\thttp.ListenAndServe(*addr, nil)\n}\n",
	}
	yarr := "FROM golang:1.26-alpine AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /src/out/yarr .\n\nFROM alpine:latest\nCOPY --from=build /src/out/yarr /usr/local/bin/yarr\nEXPOSE 7070\nENTRYPOINT [\"/usr/local/bin/yarr\"]\nCMD [\"-addr\", \"0.0.0.0:7070\", \"-db\", \"/data/yarr.db\"]\n"
	for _, c := range []struct {
		name       string
		files      map[string]string
		args, data string
	}{
		{"etc/dockerfile", map[string]string{"etc/dockerfile": yarr}, "-addr 0.0.0.0:7070@etc/dockerfile:9", "db=/data/yarr.db"},
		{"examples/Dockerfile", map[string]string{"examples/Dockerfile": yarr}, "-", ""},
		{"two of them", map[string]string{"etc/dockerfile": yarr, "deploy/Dockerfile": yarr}, "-", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range base {
				files[k] = v
			}
			for k, v := range c.files {
				files[k] = v
			}
			s, _ := goShape(t, files)
			if got := ev(s.Args); got != c.args {
				t.Errorf("arguments %s, want %s", got, c.args)
			}
			var data []string
			for _, f := range s.ServeFlags {
				if f.Kind == "data-file" || f.Kind == "data-dir" {
					data = append(data, f.Value+"="+f.Default)
				}
			}
			if got := strings.Join(data, " "); got != c.data {
				t.Errorf("data flags %q, want %q", got, c.data)
			}
		})
	}
}

// getfider/fider 67c52826cca1: its Dockerfile's CMD ./fider migrate &&
// ./fider migrates, then serves: the server runs with no arguments (it
// had been given `migrate`, and the image migrated and exited). Its
// ssl.go starts http.ListenAndServe(":80", m.autotls.HTTPHandler(nil)),
// the server of ACME's HTTP challenges: the port is PORT's default, 3000.
func TestDetect_FiderShape(t *testing.T) {
	s, got := goShape(t, map[string]string{
		"go.mod":             "module github.com/getfider/fider\n\ngo 1.24\n\nrequire github.com/sethvargo/go-envconfig v1.0.0\n",
		"main.go":            "package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n\n\t\"github.com/getfider/fider/app/pkg/env\"\n)\n\nfunc main() {\n\tif len(os.Args) > 1 && os.Args[1] == \"migrate\" {\n\t\treturn\n\t}\n\thttp.HandleFunc(\"/_health\", nil)\n\thttp.ListenAndServe(\":\"+env.Config.Port, nil)\n}\n",
		"app/pkg/env/env.go": "package env\n\ntype config struct {\n\tPort string `env:\"PORT,default=3000\"`\n}\n\nvar Config config\n",
		"app/pkg/web/ssl.go": "package web\n\nimport \"net/http\"\n\ntype CertificateManager struct{ autotls interface{ HTTPHandler(http.Handler) http.Handler } }\n\n" +
			"// StartHTTPServer answers the ACME HTTP challenge on port 80\nfunc (m *CertificateManager) StartHTTPServer() {\n\thttp.ListenAndServe(\":80\", m.autotls.HTTPHandler(nil))\n}\n",
		"Dockerfile": "FROM golang:1.24 AS builder\nWORKDIR /server\nCOPY . .\nRUN go build -o fider .\n\nFROM debian:bookworm-slim\nWORKDIR /app\nCOPY --from=builder /server/fider /app\nEXPOSE 3000\nCMD ./fider migrate && ./fider\n",
	})
	if s.Args != nil {
		t.Errorf("arguments %s, want none (migrate is a step before the server)", ev(s.Args))
	}
	if got["port"] != "3000@app/pkg/env/env.go:4" {
		t.Errorf("port %s, want 3000 from app/pkg/env/env.go:4 (not the ACME challenge server's 80)", got["port"])
	}
}

// The same two, with the Node stage their Dockerfiles build the box in:
// fathom's assetbuilder copies package*.json and gulpfile.js (files,
// which hold nothing under /app) and assets/, and runs gulp after the
// install, without a package.json script; statping-ng's frontend stage
// runs `yarn build` in frontend/, and the Go stage copies its dist to
// source/dist. The image builds each so: the stage's own command, or
// the script it runs, and puts the output where the box is.
func TestDetect_BoxBuiltInTheRepositorysNodeStage(t *testing.T) {
	fathom := map[string]string{
		"go.mod":               "module github.com/usefathom/fathom\n\ngo 1.19\n\nrequire github.com/gobuffalo/packr/v2 v2.8.3\n",
		"main.go":              "package main\n\nimport \"github.com/usefathom/fathom/pkg/api\"\n\nfunc main() { api.Serve() }\n",
		"pkg/api/routes.go":    "package api\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/gobuffalo/packr/v2\"\n)\n\nfunc Serve() {\n\tbox := packr.NewBox(\"./../../assets/build\")\n\thttp.Handle(\"/\", http.FileServer(box))\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		".gitignore":           "build\nnode_modules\n",
		"package.json":         "{\"devDependencies\": {\"gulp\": \"^4.0.0\"}}\n",
		"package-lock.json":    "{\"lockfileVersion\": 3}\n",
		"gulpfile.js":          "gulp.task('css', () => gulp.src('./assets/src/css/*').pipe(gulp.dest('./assets/build/css')))\n",
		"assets/src/css/a.css": "body{}\n",
		"Dockerfile": "FROM node:alpine AS assetbuilder\nWORKDIR /app\nCOPY package*.json ./\nCOPY gulpfile.js ./\nCOPY assets/ ./assets/\nRUN npm install && NODE_ENV=production ./node_modules/gulp/bin/gulp.js\n\n" +
			"FROM golang:latest AS binarybuilder\nWORKDIR /go/src/github.com/usefathom/fathom\nCOPY . /go/src/github.com/usefathom/fathom\nCOPY --from=assetbuilder /app/assets/build ./assets/build\nRUN make docker\n",
	}
	s, _ := goShape(t, fathom)
	f := s.Frontend
	if f == nil || f.Dir != "." || f.Out != "assets/build" || f.Built() != "assets/build" || f.Run != "NODE_ENV=production ./node_modules/gulp/bin/gulp.js" || f.Script.File != "Dockerfile" || f.Script.Line != 6 {
		t.Fatalf("front end %+v, want assets/build built by the Dockerfile's gulp command (Dockerfile:6)", f)
	}
	if len(s.Needs) != 0 {
		t.Errorf("needs %v, want none: the image builds the box", s.Needs)
	}

	statping := map[string]string{
		"go.mod":                "module github.com/statping-ng/statping-ng\n\ngo 1.19\n\nrequire github.com/GeertJohan/go.rice v1.0.3\n",
		"cmd/main.go":           "package main\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/statping-ng/statping-ng/source\"\n)\n\nfunc main() {\n\tsource.Assets()\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"source/source.go":      "package source\n\nimport rice \"github.com/GeertJohan/go.rice\"\n\nfunc Assets() {\n\trice.FindBox(\"dist\")\n}\n",
		"frontend/package.json": "{\"scripts\": {\"build\": \"rm -rf dist && cross-env NODE_ENV=production webpack --mode production\"}}\n",
		"frontend/yarn.lock":    "# yarn lockfile v1\n",
		"Dockerfile": "FROM node:16.14.0-alpine AS frontend\nWORKDIR /statping\nCOPY ./frontend/package.json .\nCOPY ./frontend/yarn.lock .\nRUN yarn install --pure-lockfile --network-timeout 1000000\nCOPY ./frontend .\nRUN yarn build && yarn cache clean\n\n" +
			"FROM golang:1.20.0-alpine AS backend\nWORKDIR /go/src/github.com/statping-ng/statping-ng\nCOPY cmd ./cmd\nCOPY source ./source\nCOPY --from=frontend /statping/dist/ ./source/dist/\nRUN cd source && rice embed-go\n",
	}
	s, _ = goShape(t, statping)
	f = s.Frontend
	if f == nil || f.Dir != "frontend" || f.Out != "frontend/dist" || f.Built() != "source/dist" || f.Run != "" || f.Script.Value != "build" || f.Script.Line != 7 {
		t.Fatalf("front end %+v, want frontend/dist by its build script (Dockerfile:7), put at source/dist", f)
	}
	if len(s.Needs) != 0 {
		t.Errorf("needs %v, want none: the image builds the box", s.Needs)
	}
}

// mtlynch/picoshare's final stage copies docker-entrypoint (a bash script
// without .sh, its ENTRYPOINT, which starts litestream) beside the
// program: a start script, not a file the program reads, so the image
// init writes (no shell) does not carry it; a directory the program reads
// still is.
func TestDetect_StartScriptIsNoRuntimeFile(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"go.mod":                "module github.com/mtlynch/picoshare/v2\n\ngo 1.22\n",
		"cmd/picoshare/main.go": "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":4001\", nil) }\n",
		"docker-entrypoint":     "#!/usr/bin/env bash\nset -eux\nexec /app/picoshare \"$@\"\n",
		"templates/index.html":  "<html></html>\n",
		"Dockerfile": "FROM golang:1.22 AS builder\nCOPY . /app\nRUN go build -o /app/bin/picoshare ./cmd/picoshare\n\nFROM alpine:3.15\nCOPY --from=builder /app/bin/picoshare /app/picoshare\n" +
			"COPY ./docker-entrypoint /app/docker-entrypoint\nCOPY ./templates /app/templates\nWORKDIR /app\nENTRYPOINT [\"/app/docker-entrypoint\"]\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	var carried []string
	for _, e := range s.RuntimeFiles {
		if e.Why == "the repository's Dockerfile copies it beside the program" {
			carried = append(carried, e.Value)
		}
	}
	if strings.Join(carried, " ") != "templates" {
		t.Errorf("carried %v, want templates alone (docker-entrypoint is a start script)", carried)
	}
}
