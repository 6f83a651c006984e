package detect

import (
	"strings"
	"testing"
)

// jhaals/yopass: its Dockerfile builds ./cmd/yopass (a command-line
// client) and then ./cmd/yopass-server, which its ENTRYPOINT runs; the
// server's -database defaults to "memcached", and `switch database :=
// viper.GetString("database"); database` takes "redis" too; -redis
// defaults to a redis:// URL on loopback, which viper's AutomaticEnv also
// reads from $REDIS.
func TestDetect_YopassShape(t *testing.T) {
	s, _ := goShape(t, yopassFiles(`ENTRYPOINT ["/yopass-server"]`, "memcached"))
	if len(s.Entrypoints) == 0 || s.Entrypoints[0].Value != "cmd/yopass-server" || s.Entrypoints[0].Line != 5 {
		t.Fatalf("entry points %s, want cmd/yopass-server from Dockerfile:5, the program its ENTRYPOINT runs", evs(s.Entrypoints))
	}
	if !strings.Contains(s.Entrypoints[0].Why, "Dockerfile:9") {
		t.Errorf("entry point why %q, want the ENTRYPOINT's line", s.Entrypoints[0].Why)
	}
	if len(s.SettingChoices) != 1 {
		t.Fatalf("setting choices %+v, want one: -database=redis", s.SettingChoices)
	}
	c := s.SettingChoices[0]
	if c.Name != "database" || c.Default != "memcached" || c.Choice != "redis" || c.Value != "redis" || c.Line != 13 || c.Switch.Line != 22 {
		t.Errorf("setting choice %+v, want -database from memcached to redis, declared at line 13, switch at 22", c)
	}
	if !hasURLVar(s.URLVars, "REDIS", "redis") {
		t.Errorf("URL variables %+v, want $REDIS as a redis:// URL (the -redis flag's default)", s.URLVars)
	}

	// The ENTRYPOINT runs the first program built: it stays.
	s, _ = goShape(t, yopassFiles(`ENTRYPOINT ["/yopass"]`, "memcached"))
	if len(s.Entrypoints) == 0 || s.Entrypoints[0].Value != "cmd/yopass" {
		t.Errorf("entry points %s, want cmd/yopass, which the ENTRYPOINT runs", evs(s.Entrypoints))
	}
	// A default init starts (redis) or one that needs no server is no
	// choice to make.
	for _, def := range []string{"redis", "file"} {
		s, _ = goShape(t, yopassFiles(`ENTRYPOINT ["/yopass-server"]`, def))
		if len(s.SettingChoices) != 0 {
			t.Errorf("default %q: setting choices %+v, want none", def, s.SettingChoices)
		}
	}
}

func hasURLVar(vars []URLVar, name, scheme string) bool {
	for _, v := range vars {
		if v.Value == name && v.Scheme == scheme {
			return true
		}
	}
	return false
}

func yopassFiles(entrypoint, dbDefault string) map[string]string {
	return map[string]string{
		"go.mod": "module github.com/jhaals/yopass\n\ngo 1.25.0\n\nrequire (\n\tgithub.com/redis/go-redis/v9 v9.7.0\n\tgithub.com/bradfitz/gomemcache v0.0.0-20190913173617-a41fca850d0b\n\tgithub.com/spf13/pflag v1.0.6\n\tgithub.com/spf13/viper v1.20.0\n)\n",
		"Dockerfile": "FROM golang:bookworm AS app\nWORKDIR /yopass\nCOPY . .\nRUN go build ./cmd/yopass && \\\n    go build -ldflags \"-X main.version=${VERSION}\" ./cmd/yopass-server\nFROM gcr.io/distroless/base\nCOPY --from=app /yopass/yopass /yopass/yopass-server /\n" +
			"USER 1000\n" + entrypoint + "\n",
		"cmd/yopass/main.go": "package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc main() {\n\tfmt.Println(os.Args)\n}\n",
		"cmd/yopass-server/main.go": "package main\n\nimport (\n\t\"net/http\"\n\t\"strings\"\n\n\t\"github.com/jhaals/yopass/pkg/server\"\n\t\"github.com/spf13/pflag\"\n\t\"github.com/spf13/viper\"\n)\n\n" +
			"func init() {\n\tpflag.String(\"database\", \"" + dbDefault + "\", \"database backend ('memcached' or 'redis')\")\n\tpflag.Int(\"port\", 1337, \"listen port\")\n\tpflag.String(\"memcached\", \"localhost:11211\", \"memcached address\")\n\tpflag.String(\"redis\", \"redis://localhost:6379/0\", \"Redis URL\")\n\tviper.AutomaticEnv()\n\tviper.SetEnvKeyReplacer(strings.NewReplacer(\"-\", \"_\"))\n}\n\n" +
			"func setupDatabase() (server.Database, error) {\n\tswitch database := viper.GetString(\"database\"); database {\n\tcase \"memcached\":\n\t\treturn server.NewMemcached(viper.GetString(\"memcached\")), nil\n\tcase \"redis\":\n\t\treturn server.NewRedis(viper.GetString(\"redis\"))\n\t}\n\treturn nil, nil\n}\n\n" +
			"func main() {\n\tpflag.Parse()\n\tviper.BindPFlags(pflag.CommandLine)\n\tdb, _ := setupDatabase()\n\thttp.Handle(\"/\", server.New(db))\n\thttp.ListenAndServe(\":1337\", nil)\n}\n",
		"pkg/server/server.go":    "package server\n\nimport \"net/http\"\n\ntype Database interface{}\n\nfunc New(db Database) http.Handler {\n\tmx := http.NewServeMux()\n\tmx.HandleFunc(\"/health\", func(w http.ResponseWriter, r *http.Request) {})\n\treturn mx\n}\n",
		"pkg/server/redis.go":     "package server\n\nimport \"github.com/redis/go-redis/v9\"\n\nfunc NewRedis(url string) (Database, error) {\n\topts, err := redis.ParseURL(url)\n\treturn redis.NewClient(opts), err\n}\n",
		"pkg/server/memcached.go": "package server\n\nimport \"github.com/bradfitz/gomemcache/memcache\"\n\nfunc NewMemcached(addr string) Database { return memcache.New(addr) }\n",
	}
}

// yopass's Dockerfile builds its front end in a Node stage that copies
// website/ to /website, and its final stage (no WORKDIR: /) takes
// /website/dist to /public, where -asset-path "public" reads it: the
// front end is website/dist, served from public.
func TestDetect_YopassFrontendFromAStageCopy(t *testing.T) {
	files := yopassFiles(`ENTRYPOINT ["/yopass-server"]`, "memcached")
	files["Dockerfile"] = "FROM golang:bookworm AS app\nWORKDIR /yopass\nCOPY . .\nRUN go build ./cmd/yopass-server\n\n" +
		"FROM node:22 AS website\nCOPY website /website\nWORKDIR /website\nRUN yarn install && yarn build\n\n" +
		"FROM gcr.io/distroless/base\nCOPY --from=app /yopass/yopass-server /\nCOPY --from=website /website/dist /public\nENTRYPOINT [\"/yopass-server\"]\n"
	files["website/package.json"] = `{"name": "website", "scripts": {"build": "vite build"}, "devDependencies": {"vite": "^5.0.0"}}` + "\n"
	files["website/yarn.lock"] = "# yarn lockfile v1\n"
	files["website/index.html"] = "<div id=\"root\"></div>\n"
	s, _ := goShape(t, files)
	f := s.Frontend
	if f == nil || f.Dir != "website" || f.Out != "website/dist" || !f.Runtime || f.Dest != "public" || f.Embed.Line != 13 {
		t.Fatalf("front end %+v, want website/dist built and put at public (Dockerfile:13)", f)
	}
}
