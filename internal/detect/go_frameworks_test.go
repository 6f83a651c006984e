package detect

import (
	"maps"
	"strings"
	"testing"
)

// sjxiang/go-zero-cloud-disk@84dc4dd: goctl's layout, the service in
// core/ with flag.String("f", "etc/core-api.yaml", "the config file")
// (core/core.go:18), run from core/, and conf.MustLoad exits without it.
// The image carries core/etc to /app/etc, the port is the file's Port
// (8888, not the 8080 init assumed), and go-zero's server.Start stops on
// SIGTERM (core/proc), so no note says the code does not. The same flag
// in a package at the root is the root's own path: nothing to carry.
func TestDetect_GoZeroConfigBesideItsPackage(t *testing.T) {
	files := map[string]string{
		"go.mod": "module github.com/sjxiang/go-zero-cloud-disk\n\ngo 1.17\n\nrequire github.com/zeromicro/go-zero v1.3.5\n",
		"core/core.go": "package main\n\nimport (\n\t\"flag\"\n\n\t\"github.com/sjxiang/go-zero-cloud-disk/core/internal/config\"\n\t\"github.com/zeromicro/go-zero/core/conf\"\n\t\"github.com/zeromicro/go-zero/rest\"\n)\n\n" +
			"var configFile = flag.String(\"f\", \"etc/core-api.yaml\", \"the config file\")\n\nfunc main() {\n\tflag.Parse()\n\tvar c config.Config\n\tconf.MustLoad(*configFile, &c)\n\n" +
			"\tserver := rest.MustNewServer(c.RestConf)\n\tdefer server.Stop()\n\tserver.Start()\n}\n",
		"core/internal/config/config.go": "package config\n\nimport \"github.com/zeromicro/go-zero/rest\"\n\ntype Config struct {\n\trest.RestConf\n}\n",
		"core/etc/core-api.yaml":         "Name: core-api\nHost: 0.0.0.0\nPort: 8888\n\nMysql:\n  DataSource: root:pw@tcp(127.0.0.1:3306)/cloud-disk\n  Port: 3306\n",
	}
	s, got := goShape(t, files)
	if got["port"] != "8888@core/etc/core-api.yaml:3" {
		t.Errorf("port %s, want 8888 from core/etc/core-api.yaml:3", got["port"])
	}
	if len(s.CarriedFiles) != 1 || s.CarriedFiles[0].Value != "core/etc" || s.CarriedFiles[0].Dest != "/app/etc" || s.CarriedFiles[0].File != "core/core.go" || s.CarriedFiles[0].Line != 11 {
		t.Errorf("carried %+v, want core/etc to /app/etc from core/core.go:11", s.CarriedFiles)
	}
	if s.SIGTERM == nil || s.SIGTERM.File != "core/core.go" || !strings.Contains(s.SIGTERM.Why, "go-zero") {
		t.Errorf("SIGTERM %v, want go-zero's server.Start", s.SIGTERM)
	}

	// The repository's Dockerfile hands -f another file: its port.
	prod := maps.Clone(files)
	prod["core/etc/prod.yaml"] = "Name: core-api\nHost: 0.0.0.0\nPort: 9000\n"
	prod["Dockerfile"] = "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /core ./core\nFROM debian:bookworm-slim\nWORKDIR /app\nCOPY --from=build /core /app/core\nCOPY core/etc /app/etc\nCMD [\"./core\", \"-f\", \"etc/prod.yaml\"]\n"
	if _, got := goShape(t, prod); got["port"] != "9000@core/etc/prod.yaml:3" {
		t.Errorf("-f etc/prod.yaml: port %s, want 9000 from core/etc/prod.yaml:3", got["port"])
	}

	// The same service at the root: etc/ is where it is run already.
	root := map[string]string{"go.mod": files["go.mod"], "core.go": files["core/core.go"], "internal/config/config.go": files["core/internal/config/config.go"], "etc/core-api.yaml": files["core/etc/core-api.yaml"]}
	root["core.go"] = strings.ReplaceAll(root["core.go"], "core/internal", "internal")
	if s, _ := goShape(t, root); len(s.CarriedFiles) != 0 {
		t.Errorf("at the root: carried %+v, want none", s.CarriedFiles)
	}
	// A flag whose default names nothing in the repository carries
	// nothing and gives no port.
	delete(files, "core/etc/core-api.yaml")
	if s, got := goShape(t, files); len(s.CarriedFiles) != 0 || strings.HasPrefix(got["port"], "8888") {
		t.Errorf("no etc/: carried %+v, port %s", s.CarriedFiles, got["port"])
	}
}

// go-kratos/kratos-layout@7223dff: flag.StringVar(&flagconf, "conf",
// "../../configs", ...) in cmd/server (run from there), its Dockerfile's
// CMD ["./server", "-conf", "/data/conf"] with VOLUME /data/conf and no
// file in it. The image carries configs/ to /data/conf, the port is
// configs/config.yaml's server.http.addr (8000; grpc's 9000 and the
// database's are not), and kratos.App's Run stops on SIGTERM. Without
// the Dockerfile's arguments the default, against /app, is /configs.
// Before, the image listened on 8000 while probing 8080 and exited with
// code 2 at start (init --verify, by hand, on the layout itself).
func TestDetect_KratosConfigDirectory(t *testing.T) {
	files := map[string]string{
		"go.mod": "module github.com/go-kratos/kratos-layout\n\ngo 1.22\n\nrequire github.com/go-kratos/kratos/v2 v2.8.0\n",
		"cmd/server/main.go": "package main\n\nimport (\n\t\"flag\"\n\n\t\"github.com/go-kratos/kratos-layout/internal/conf\"\n\n\t\"github.com/go-kratos/kratos/v2\"\n\t\"github.com/go-kratos/kratos/v2/config\"\n\t\"github.com/go-kratos/kratos/v2/config/file\"\n)\n\n" +
			"var flagconf string\n\nfunc init() {\n\tflag.StringVar(&flagconf, \"conf\", \"../../configs\", \"config path, eg: -conf config.yaml\")\n}\n\n" +
			"func main() {\n\tflag.Parse()\n\tc := config.New(config.WithSource(file.NewSource(flagconf)))\n\tif err := c.Load(); err != nil {\n\t\tpanic(err)\n\t}\n\tvar bc conf.Bootstrap\n\tapp := kratos.New()\n\tif err := app.Run(); err != nil {\n\t\tpanic(err)\n\t}\n}\n",
		"internal/conf/conf.pb.go": "package conf\n\ntype Bootstrap struct{}\n",
		"configs/config.yaml":      "server:\n  http:\n    addr: 0.0.0.0:8000\n    timeout: 1s\n  grpc:\n    addr: 0.0.0.0:9000\n    timeout: 1s\ndata:\n  database:\n    driver: mysql\n    source: root:root@tcp(127.0.0.1:3306)/test\n",
		"Dockerfile":               "FROM golang:1.19 AS builder\nCOPY . /src\nWORKDIR /src\nRUN make build\n\nFROM debian:stable-slim\nCOPY --from=builder /src/bin /app\nWORKDIR /app\nEXPOSE 8000\nEXPOSE 9000\nVOLUME /data/conf\n\nCMD [\"./server\", \"-conf\", \"/data/conf\"]\n",
	}
	s, got := goShape(t, files)
	if got["port"] != "8000@configs/config.yaml:3" {
		t.Errorf("port %s, want 8000 from configs/config.yaml:3", got["port"])
	}
	if len(s.CarriedFiles) != 1 || s.CarriedFiles[0].Value != "configs" || s.CarriedFiles[0].Dest != "/data/conf" || !strings.Contains(s.CarriedFiles[0].Why, "/data/conf") {
		t.Errorf("carried %+v, want configs to /data/conf, said so", s.CarriedFiles)
	}
	if s.SIGTERM == nil || s.SIGTERM.File != "cmd/server/main.go" || s.SIGTERM.Line != 27 {
		t.Errorf("SIGTERM %v, want kratos.App's Run at cmd/server/main.go:27", s.SIGTERM)
	}
	delete(files, "Dockerfile")
	if s, _ := goShape(t, files); len(s.CarriedFiles) != 1 || s.CarriedFiles[0].Dest != "/configs" {
		t.Errorf("no Dockerfile: carried %+v, want configs to /configs (../../configs against /app)", s.CarriedFiles)
	}
}

// coderpyh/douyin2023@65a44ac: Hertz's server.Default() with no
// WithHostPorts listens on its default, :8888 (pkg/common/config/
// option.go's defaultAddr), not the 8080 init assumed. Its Spin drains on
// SIGINT only before v0.10.0 (SIGTERM force-exits: "case
// syscall.SIGTERM: // force exit" in v0.6.0-v0.9.x), so the image stops
// it with SIGINT; from v0.10.0 on SIGTERM. Given an address, the default
// is no fact. gin beside it (another framework) gets no Hertz port.
func TestDetect_HertzDefaultPort(t *testing.T) {
	files := map[string]string{
		"go.mod":        "module douyin2023\n\ngo 1.19\n\nrequire github.com/cloudwego/hertz v0.6.0\n",
		"douyin2023.go": "package main\n\nimport (\n\t\"github.com/cloudwego/hertz/pkg/app/server\"\n)\n\nfunc main() {\n\th := server.Default()\n\n\tregister(h)\n\th.Spin()\n}\n",
		"router.go":     "package main\n\nimport \"github.com/cloudwego/hertz/pkg/app/server\"\n\nfunc register(h *server.Hertz) {\n\th.GET(\"/ping\", ping)\n}\n",
	}
	s, got := goShape(t, files)
	if got["port"] != "8888@douyin2023.go:8" || s.SIGTERM != nil || s.SIGINT == nil || s.SIGINT.Line != 11 {
		t.Errorf("port %s, SIGTERM %v, SIGINT %v; want 8888 from douyin2023.go:8, Spin at :11 draining on SIGINT (v0.6.0)", got["port"], s.SIGTERM, s.SIGINT)
	}
	// From v0.10.0 Spin drains on SIGTERM too.
	newer := maps.Clone(files)
	newer["go.mod"] = strings.Replace(files["go.mod"], "v0.6.0", "v0.10.4", 1)
	if s, _ := goShape(t, newer); s.SIGTERM == nil || s.SIGTERM.Line != 11 || s.SIGINT != nil {
		t.Errorf("v0.10.4: SIGTERM %v, SIGINT %v; want SIGTERM at :11", s.SIGTERM, s.SIGINT)
	}
	files["douyin2023.go"] = strings.Replace(files["douyin2023.go"], "server.Default()", "server.Default(server.WithHostPorts(addr()))", 1)
	if _, got := goShape(t, files); strings.HasPrefix(got["port"], "8888") {
		t.Errorf("given an address: port %s, want not Hertz's default", got["port"])
	}
	if s, got := goShape(t, map[string]string{
		"go.mod":  "module x\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.10.0\n",
		"main.go": "package main\n\nimport \"github.com/gin-gonic/gin\"\n\nfunc main() {\n\tr := gin.Default()\n\tr.GET(\"/ping\", ping)\n\tr.Run()\n}\n",
	}); strings.HasPrefix(got["port"], "8888") || s.SIGTERM != nil {
		t.Errorf("gin: port %s, SIGTERM %v", got["port"], s.SIGTERM)
	}
}

// 26huitailang/kratos-boilerplate@a1d9dca and dgdts/TSMall@b0ce8d2: the
// program imports packages of its module that git ignores because a
// generator writes them (protoc's internal/conf, hz's hertz_gen/goods),
// and kratos's wire_gen.go is missing beside wire.go: no image compiles,
// so init stops with the imports and the Makefile line that generates
// them, instead of an image whose build fails. TSMall's .gitignore
// lists go.sum too: that stops init as well, where the build's go build
// would stop on "missing go.sum entry".
func TestDetect_GeneratedCodeTheRepositoryLacks(t *testing.T) {
	files := map[string]string{
		"go.mod":                          "module TSMall\n\ngo 1.21\n\nrequire github.com/cloudwego/hertz v0.7.0\n",
		".gitignore":                      "/hertz_gen/*\ngo.sum\n",
		"Makefile":                        ".PHONY: gen\ngen:\n\tgo install github.com/cloudwego/hertz/cmd/hz@latest\n\thz update -idl idl/goods.proto\n",
		"idl/goods.proto":                 "syntax = \"proto3\";\n",
		"cmd/api/main.go":                 "package main\n\nimport (\n\t\"TSMall/biz/handler/goods\"\n\t\"github.com/cloudwego/hertz/pkg/app/server\"\n)\n\nfunc main() {\n\th := server.Default(server.WithHostPorts(\":8888\"))\n\th.GET(\"/ping\", goods.Ping)\n\th.Spin()\n}\n",
		"biz/handler/goods/goods.go":      "package goods\n\nimport (\n\tgoods \"TSMall/hertz_gen/goods\"\n)\n\nvar _ goods.Item\n",
		"hertz_gen/goods/.gitkeep":        "",
		"biz/handler/goods/goods_test.go": "package goods\n",
	}
	s, _ := goShape(t, files)
	if len(s.Needs) != 2 || s.Needs[1].File != "go.mod" || s.Needs[1].Line != 5 || !strings.Contains(s.Needs[1].Value, "git ignores go.sum") {
		t.Errorf("needs %+v, want go.sum's too, at go.mod:5", s.Needs)
	}
	if len(s.Needs) == 0 || s.Needs[0].File != "biz/handler/goods/goods.go" || s.Needs[0].Line != 4 ||
		!strings.Contains(s.Needs[0].Value, "hertz_gen/goods (imported at biz/handler/goods/goods.go:4) has no Go file (git ignores hertz_gen/goods): the Makefile's generators (Makefile:4 hz update -idl idl/goods.proto) write such code") {
		t.Errorf("needs %+v, want hertz_gen/goods named with Makefile:4", s.Needs)
	}
	files["hertz_gen/goods/goods.pb.go"] = "package goods\n\ntype Item struct{}\n"
	files["go.sum"] = "github.com/cloudwego/hertz v0.7.0 h1:x=\n"
	if s, _ := goShape(t, files); len(s.Needs) != 0 {
		t.Errorf("generated code committed: needs %+v", s.Needs)
	}

	wire := map[string]string{
		"go.mod":                  "module kratos-boilerplate\n\ngo 1.24\n",
		"cmd/kb/main.go":          "package main\n\nfunc main() {\n\tapp, cleanup, err := wireApp()\n\t_ = app\n\t_ = cleanup\n\t_ = err\n\thttp.ListenAndServe(\":8000\", nil)\n}\n",
		"cmd/kb/wire.go":          "//go:build wireinject\n// +build wireinject\n\npackage main\n\nfunc wireApp() {\n\tpanic(wire.Build())\n}\n",
		"internal/server/http.go": "package server\n",
	}
	if s, _ := goShape(t, wire); len(s.Needs) != 1 || !strings.Contains(s.Needs[0].Value, "wire_gen.go, which wire writes from cmd/kb/wire.go, is missing") {
		t.Errorf("wire: needs %+v", s.Needs)
	}
	// A nested module with a major version (sdk/go.mod's
	// kratos-boilerplate/sdk/v2, replaced by ./sdk): its import path's
	// sdk/v2 is sdk/ on the disk, no generated code.
	nested := maps.Clone(wire)
	nested["cmd/kb/wire_gen.go"] = "package main\n\nfunc wireApp() {}\n"
	nested["go.mod"] = "module kratos-boilerplate\n\ngo 1.24\n\nrequire kratos-boilerplate/sdk/v2 v2.0.0\n\nreplace kratos-boilerplate/sdk/v2 => ./sdk\n"
	nested["sdk/go.mod"] = "module kratos-boilerplate/sdk/v2\n\ngo 1.24\n"
	nested["sdk/sdk.go"] = "package sdk\n"
	nested["internal/server/http.go"] = "package server\n\nimport _ \"kratos-boilerplate/sdk/v2\"\n"
	nested["cmd/kb/main.go"] = strings.Replace(wire["cmd/kb/main.go"], "package main\n", "package main\n\nimport _ \"kratos-boilerplate/internal/server\"\n", 1)
	if s, _ := goShape(t, nested); len(s.Needs) != 0 {
		t.Errorf("nested module: needs %+v", s.Needs)
	}
	wire["cmd/kb/wire_gen.go"] = "package main\n\nfunc wireApp() {}\n"
	if s, _ := goShape(t, wire); len(s.Needs) != 0 {
		t.Errorf("wire_gen.go committed: needs %+v", s.Needs)
	}
}

// coderpyh/douyin2023@65a44ac and JabinGP/demo-chatroom@9acd6fe: Hertz's
// nested h.Group("/douyin") then douyin.Group("/feed") (router.go:23-28)
// and Iris's app.Party("/v1") handed to routeUser(party) give their full
// paths: /douyin/feed/, not the / init took for a health route, and
// /v1/user, not /user.
func TestDetect_HertzGroupsAndIrisParties(t *testing.T) {
	s, _ := goShape(t, map[string]string{
		"go.mod":        "module douyin2023\n\ngo 1.19\n\nrequire github.com/cloudwego/hertz v0.6.0\n",
		"douyin2023.go": "package main\n\nimport \"github.com/cloudwego/hertz/pkg/app/server\"\n\nfunc main() {\n\th := server.Default()\n\tinitRouter(h)\n\th.Spin()\n}\n",
		"router.go": "package main\n\nimport \"github.com/cloudwego/hertz/pkg/app/server\"\n\nfunc initRouter(h *server.Hertz) {\n\tdouyin := h.Group(\"/douyin\")\n\tfeed := douyin.Group(\"/feed\")\n\tfeed.GET(\"/\", controller.Feed)\n" +
			"\tuser := douyin.Group(\"/user\")\n\tuser.POST(\"/login/\", controller.UserLogin)\n}\n",
	})
	if s.HealthPath != nil || len(s.Ambiguous) != 1 || !strings.Contains(s.Ambiguous[0].What, "health") ||
		len(s.Ambiguous[0].Candidates) != 1 || s.Ambiguous[0].Candidates[0].Value != "/douyin/feed/" {
		t.Errorf("hertz: health %v, ask %+v; want /douyin/feed/ as the one candidate", s.HealthPath, s.Ambiguous)
	}
	s, _ = goShape(t, map[string]string{
		"go.mod":         "module github.com/JabinGP/demo-chatroom\n\ngo 1.13\n\nrequire github.com/kataras/iris/v12 v12.1.8\n",
		"main.go":        "package main\n\nimport (\n\t\"github.com/JabinGP/demo-chatroom/route\"\n\t\"github.com/kataras/iris/v12\"\n)\n\nfunc main() {\n\tapp := iris.New()\n\troute.Route(app)\n\tapp.Run(iris.Addr(\":8888\"))\n}\n",
		"route/index.go": "package route\n\nimport \"github.com/kataras/iris/v12\"\n\nfunc Route(app *iris.Application) {\n\tv1 := app.Party(\"/v1\")\n\t{\n\t\trouteUser(v1)\n\t}\n}\n",
		"route/user.go":  "package route\n\nimport \"github.com/kataras/iris/v12/core/router\"\n\nfunc routeUser(party router.Party) {\n\tparty.Post(\"/login\", controller.PostLogin)\n\tparty.Get(\"/user\", controller.GetUser)\n}\n",
	})
	if len(s.Ambiguous) != 1 || len(s.Ambiguous[0].Candidates) != 1 || s.Ambiguous[0].Candidates[0].Value != "/v1/user" {
		t.Errorf("iris: ask %+v; want /v1/user as the one candidate", s.Ambiguous)
	}
	if s.SIGTERM == nil || s.SIGTERM.Line != 11 {
		t.Errorf("iris: SIGTERM %v, want app.Run at main.go:11", s.SIGTERM)
	}
}

// markbates/buffla@1cc06db: a Buffalo app of dep's era, main.go at the
// root with Gopkg.toml and Gopkg.lock, and a package.json that only
// builds its assets with webpack (no start script, no server). It was
// read as Node and stopped on "no entry point found"; it is Go, without
// go.mod, and init says to write one, pinning what Gopkg.lock holds.
// With a start script the package.json is the app's.
func TestDetect_GoProgramBesideAnAssetsPackageJSON(t *testing.T) {
	files := map[string]string{
		"main.go":           "package main\n\nimport (\n\t\"log\"\n\n\t\"github.com/markbates/buffla/actions\"\n)\n\nfunc main() {\n\tapp := actions.App()\n\tlog.Fatal(app.Serve())\n}\n",
		"actions/app.go":    "package actions\n\nimport \"github.com/gobuffalo/buffalo\"\n\nfunc App() *buffalo.App { return buffalo.New(buffalo.Options{}) }\n",
		"Gopkg.toml":        "[[constraint]]\n  name = \"github.com/gobuffalo/buffalo\"\n  version = \"0.11.0\"\n",
		"Gopkg.lock":        "[[projects]]\n  name = \"github.com/gobuffalo/buffalo\"\n  version = \"v0.11.0\"\n",
		"package.json":      "{\n  \"name\": \"buffalo\",\n  \"main\": \"index.js\",\n  \"dependencies\": {\n    \"webpack\": \"~3.8.1\"\n  }\n}\n",
		"webpack.config.js": "module.exports = {};\n",
	}
	s, _ := goShape(t, files)
	if s.Language != "go" || len(s.Needs) != 1 || !strings.Contains(s.Needs[0].Value, "no go.mod") || !strings.Contains(s.Needs[0].Value, "at the version Gopkg.lock holds") {
		t.Errorf("language %s, needs %+v; want go, stopped on go.mod with Gopkg.lock named", s.Language, s.Needs)
	}
	files["package.json"] = strings.Replace(files["package.json"], "\"main\"", "\"scripts\": {\"start\": \"node server.js\"},\n  \"main\"", 1)
	if s, _ := goShape(t, files); s.Language != "node" {
		t.Errorf("with a start script: language %s, want node", s.Language)
	}
}

// Iris's PartyFunc hands its closure a party under the prefix, as chi's
// Route does: /api/health, not /health (the review's shape).
func TestDetect_IrisPartyFunc(t *testing.T) {
	_, got := goShape(t, map[string]string{
		"go.mod":  "module x\n\ngo 1.22\n\nrequire github.com/kataras/iris/v12 v12.2.11\n",
		"main.go": "package main\n\nimport \"github.com/kataras/iris/v12\"\n\nfunc main() {\n\tapp := iris.New()\n\tapp.PartyFunc(\"/api\", func(r iris.Party) {\n\t\tr.Get(\"/health\", health)\n\t})\n\tapp.Listen(\":8080\")\n}\n",
	})
	if got["health"] != "/api/health@main.go:8" {
		t.Errorf("health %s, want /api/health at main.go:8", got["health"])
	}
}
