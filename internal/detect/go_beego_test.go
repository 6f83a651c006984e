package detect

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// snykk/beego-presence-api@fd33e29352c1: Beego v2, beego.Run() with no
// address (main.go:15 here), conf/app.conf's httpport = 8080 in run mode dev,
// beego.Router("/health", &controllers.HealthController{},
// "get:CheckHealth") (routers/router.go:24), and its Postgres at pg_host
// = localhost beside pg_port = 5432 (conf/app.conf:13-14), which
// web.AppConfig gives the code. Before, init found no health route
// (and stopped), read no port (8080 by luck: with httpport 9090 still
// 8080), left conf/ out of the image and said nothing of localhost.
func TestDetect_BeegoConfiguration(t *testing.T) {
	files := map[string]string{
		"go.mod": "module github.com/snykk/beego-presence-api\n\ngo 1.23\n\nrequire (\n\tgithub.com/beego/beego/v2 v2.3.1\n\tgithub.com/lib/pq v1.10.9\n)\n",
		"main.go": "package main\n\nimport (\n\t\"github.com/snykk/beego-presence-api/database\"\n\t_ \"github.com/snykk/beego-presence-api/routers\"\n\n\tbeego \"github.com/beego/beego/v2/server/web\"\n)\n\n" +
			"func main() {\n\tdatabase.InitDB()\n\n\tbeego.BConfig.WebConfig.DirectoryIndex = true\n\n\tbeego.Run()\n}\n",
		"routers/router.go": "package routers\n\nimport (\n\tbeego \"github.com/beego/beego/v2/server/web\"\n\t\"github.com/snykk/beego-presence-api/controllers\"\n)\n\n" +
			"func init() {\n\t// Register root and health endpoints\n\tbeego.Router(\"/\", &controllers.RootController{}, \"get:GetRoot\")\n" +
			"\tbeego.Router(\"/health\", &controllers.HealthController{}, \"get:CheckHealth\")\n\tbeego.Router(\"/login\", &controllers.AuthController{}, \"post:Login\")\n}\n",
		"controllers/root.go": "package controllers\n\nimport beego \"github.com/beego/beego/v2/server/web\"\n\ntype RootController struct{ beego.Controller }\n\nfunc (c *RootController) GetRoot() { c.ServeJSON() }\n",
		"database/connection.go": "package database\n\nimport (\n\t\"fmt\"\n\n\t\"github.com/beego/beego/v2/client/orm\"\n\t\"github.com/beego/beego/v2/server/web\"\n\t_ \"github.com/lib/pq\"\n)\n\n" +
			"func InitDB() {\n\thost := web.AppConfig.DefaultString(\"pg_host\", \"localhost\")\n\tport := web.AppConfig.DefaultString(\"pg_port\", \"5432\")\n\tdsn := fmt.Sprintf(\"host=%s port=%s\", host, port)\n\t_ = orm.RegisterDataBase(\"default\", \"postgres\", dsn)\n}\n",
		"conf/app.conf": "appname = beego-presence-api\nhttpport = 8080\nrunmode = dev\nautorender = false\ncopyrequestbody = true\nEnableDocs = true\nsqlconn = \n\n# Database configuration\npg_user = postgres\npg_password = 12345678\npg_dbname = beego-presence-api\npg_host = localhost\npg_port = 5432",
	}
	s, got := goShape(t, files)
	if got["port"] != "8080@conf/app.conf:2" || got["health"] != "/health@routers/router.go:11" {
		t.Errorf("port %s, health %s; want 8080 from conf/app.conf:2 and /health at routers/router.go:11", got["port"], got["health"])
	}
	if !slices.ContainsFunc(s.RuntimeFiles, func(e Evidence) bool { return e.Value == "conf" }) {
		t.Errorf("runtime files %v, want conf/", s.RuntimeFiles)
	}
	if len(s.LoopbackConfig) != 1 || ev(&s.LoopbackConfig[0]) != "postgres@conf/app.conf:13" {
		t.Errorf("loopback %v, want postgres at conf/app.conf:13", s.LoopbackConfig)
	}
	if s.SIGTERM != nil {
		t.Errorf("SIGTERM %v: beego.Run handles no signal", s.SIGTERM)
	}

	// The run mode's section wins; ${VAR||default} is the variable.
	prod := maps.Clone(files)
	prod["conf/app.conf"] = "appname = x\nhttpport = 8080\nrunmode = prod\n\n[dev]\nhttpport = 8081\n\n[prod]\nhttpport = ${PORT||9090}\n"
	if _, got := goShape(t, prod); got["port"] != "9090@conf/app.conf:9" || got["portvar"] != "PORT@conf/app.conf:9" {
		t.Errorf("[prod] ${PORT||9090}: port %s ($%s), want 9090 and $PORT from conf/app.conf:9", got["port"], got["portvar"])
	}
	// runmode = ${RUNMODE||dev}: the default's section, the image setting
	// no RUNMODE.
	envMode := maps.Clone(files)
	envMode["conf/app.conf"] = "appname = b\nrunmode = ${RUNMODE||dev}\n\n[dev]\nhttpport = 9090\n\n[prod]\nhttpport = 80\n"
	if _, got := goShape(t, envMode); got["port"] != "9090@conf/app.conf:5" {
		t.Errorf("runmode ${RUNMODE||dev}: port %s, want 9090 from [dev]", got["port"])
	}
	// A main package of its own with conf/ beside it: carried to /app/conf.
	sub := maps.Clone(files)
	sub["cmd/server/main.go"] = sub["main.go"]
	delete(sub, "main.go")
	sub["cmd/server/conf/app.conf"] = sub["conf/app.conf"]
	delete(sub, "conf/app.conf")
	if s, _ := goShape(t, sub); !slices.ContainsFunc(s.CarriedFiles, func(c CarriedFile) bool { return c.Value == "cmd/server/conf" && c.Dest == "/app/conf" }) {
		t.Errorf("conf/ beside cmd/server: carried %+v, want cmd/server/conf to /app/conf", s.CarriedFiles)
	}
	// No mapping: the controller's own Get serves GET; a mapping of post
	// alone does not.
	bare := maps.Clone(files)
	bare["routers/router.go"] = strings.Replace(bare["routers/router.go"], `&controllers.HealthController{}, "get:CheckHealth"`, `&controllers.HealthController{}`, 1)
	bare["controllers/health.go"] = "package controllers\n\ntype HealthController struct{}\n\nfunc (c *HealthController) Get() {}\n"
	if _, got := goShape(t, bare); got["health"] != "/health@routers/router.go:11" {
		t.Errorf("controller with Get: health %s", got["health"])
	}
	delete(bare, "controllers/health.go")
	if _, got := goShape(t, bare); strings.HasPrefix(got["health"], "/health") {
		t.Errorf("controller without Get: health %s, want not /health", got["health"])
	}
	// Without conf/app.conf: Beego's 8080, from the serving call.
	delete(files, "conf/app.conf")
	if _, got := goShape(t, files); got["port"] != "8080@main.go:15" {
		t.Errorf("no conf/app.conf: port %s, want Beego's default at main.go:15", got["port"])
	}
}

func TestBeegoGets(t *testing.T) {
	for mapping, want := range map[string]bool{"get:GetRoot": true, "*:Any": true, "get,post:Handle": true, "post:Login": false, "post:A;get:B": true, "put:X": false} {
		if got := beegoGets(mapping, func() bool { return false }); got != want {
			t.Errorf("beegoGets(%q) = %v, want %v", mapping, got, want)
		}
	}
}

// FuzzBeegoSetting: any file gives a line of it (or none) and a value
// that line holds.
func FuzzBeegoSetting(f *testing.F) {
	f.Add("appname = x\nhttpport = 8080\nrunmode = prod\n[prod]\nhttpport = ${PORT||9090}\n", "prod", "httpport")
	f.Add("[dev]\nHTTPPort=1\n[ prod ]\n httpport =  2 \n", "dev", "httpport")
	f.Fuzz(func(t *testing.T, file, runmode, key string) {
		lines := strings.Split(file, "\n")
		v, line := beegoSetting(lines, runmode, key)
		if line == 0 {
			if v != "" {
				t.Fatalf("value %q without a line", v)
			}
			return
		}
		if line < 1 || line > len(lines) || !strings.Contains(lines[line-1], v) {
			t.Fatalf("line %d of %d does not hold %q", line, len(lines), v)
		}
	})
}
