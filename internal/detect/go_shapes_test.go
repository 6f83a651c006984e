package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// goShape runs Detect on a small tree in the shape of a real repository
// and returns the facts the cases below judge.
func goShape(t *testing.T, files map[string]string) (*Stack, map[string]string) {
	t.Helper()
	s, err := Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	var env, ask []string
	for _, e := range s.Env {
		env = append(env, e.Value)
	}
	for _, ch := range s.Ambiguous {
		ask = append(ask, ch.What)
	}
	return s, map[string]string{
		"port": ev(s.Port), "portvar": ev(s.PortVar), "health": ev(s.HealthPath), "cgo": ev(s.CGO),
		"env": " " + strings.Join(env, " ") + " ", "ask": strings.Join(ask, "; "),
	}
}

// go-gin-pgweb: jessevdk/go-flags options are command-line flags, not
// variables. Its database's `long:"port" default:"5432"` is no listen
// port and no $PORT; the listen port is --listen's default, 8081
// (pkg/command/options.go:30,43).
func TestDetect_GoFlagsOptionsAreFlags(t *testing.T) {
	s, got := goShape(t, map[string]string{
		"go.mod":  "module github.com/sosedoff/pgweb\n\ngo 1.25\n\nrequire github.com/gin-gonic/gin v1.10.0\n",
		"main.go": "package main\n\nimport \"github.com/sosedoff/pgweb/pkg/cli\"\n\nfunc main() { cli.Run() }\n",
		"pkg/command/options.go": "package command\n\nimport \"github.com/jessevdk/go-flags\"\n\nconst envVarPrefix = \"PGWEB_\"\n\ntype Options struct {\n" +
			"\tVersion  bool   `short:\"v\" long:\"version\" description:\"Print version\"`\n" +
			"\tHost     string `long:\"host\" description:\"Server hostname or IP\" default:\"localhost\"`\n" +
			"\tPort     int    `long:\"port\" description:\"Server port\" default:\"5432\"`\n" +
			"\tHTTPHost string `long:\"bind\" description:\"HTTP server host\" default:\"localhost\"`\n" +
			"\tHTTPPort uint   `long:\"listen\" description:\"HTTP server listen port\" default:\"8081\"`\n" +
			"\tMetricsAddr string `long:\"metrics-addr\" description:\"Listen host and port for Prometheus metrics server\"`\n" +
			"}\n\nfunc ParseOptions(args []string) (Options, error) {\n\tvar opts = Options{}\n\t_, err := flags.ParseArgs(&opts, args)\n\treturn opts, err\n}\n",
		"pkg/cli/cli.go": "package cli\n\nfunc startServer() {\n\trouter := gin.New()\n\trouter.Run(fmt.Sprintf(\"%v:%v\", options.HTTPHost, options.HTTPPort))\n}\n",
	})
	if got["port"] != "8081@pkg/command/options.go:12" || got["portvar"] != "-" {
		t.Errorf("port %s ($%s), want 8081@pkg/command/options.go:12 and no variable", got["port"], got["portvar"])
	}
	if s.Port != nil && !strings.Contains(s.Port.Why, "--listen") {
		t.Errorf("port's evidence %q does not name the --listen flag", s.Port.Why)
	}
	for _, v := range []string{"PORT", "HOST", "LISTEN", "--listen", "--port"} {
		if strings.Contains(got["env"], " "+v+" ") {
			t.Errorf("go-flags option read as the variable %s: env %s", v, got["env"])
		}
	}
	// An option with an env tag is read from that variable too.
	_, got = goShape(t, map[string]string{
		"go.mod":  "module x\n\ngo 1.22\n",
		"main.go": "package main\n\ntype opts struct {\n\tPort int `long:\"port\" env:\"APP_PORT\" default:\"9000\"`\n}\n\nfunc main() { flags.Parse(&o); http.ListenAndServe(fmt.Sprintf(\":%d\", o.Port), nil) }\n",
	})
	if got["port"] != "9000@main.go:4" || got["portvar"] != "APP_PORT@main.go:4" {
		t.Errorf("go-flags with env: port %s ($%s), want 9000 from $APP_PORT", got["port"], got["portvar"])
	}
}

// go-nethttp-shiori: a file built only for openbsd (its name or its
// //go:build line) claims no cgo for the linux image, and
// sethvargo/go-envconfig's PrefixLookuper("SHIORI_") names the port
// variable SHIORI_HTTP_PORT (internal/config/config.go:53,179).
func TestDetect_BuildConstraintsAndEnvconfigPrefix(t *testing.T) {
	files := map[string]string{
		"go.mod":                              "module github.com/go-shiori/shiori\n\ngo 1.25.1\n\nrequire (\n\tgithub.com/mattn/go-sqlite3 v1.14.22\n\tmodernc.org/sqlite v1.33.1\n\tgithub.com/sethvargo/go-envconfig v1.1.0\n)\n",
		"main.go":                             "package main\n\nimport _ \"github.com/go-shiori/shiori/internal/database\"\n\nfunc main() { cmd.Execute() }\n",
		"internal/database/sqlite_openbsd.go": "//go:build openbsd\n// +build openbsd\n\npackage database\n\nimport (\n\t_ \"github.com/mattn/go-sqlite3\"\n)\n",
		"internal/database/sqlite_noncgo.go":  "//go:build !openbsd\n// +build !openbsd\n\npackage database\n\nimport (\n\t_ \"modernc.org/sqlite\"\n)\n",
		"internal/config/config.go": "package config\n\ntype HttpConfig struct {\n\tEnabled bool   `env:\"HTTP_ENABLED,default=True\"`\n\tPort    int    `env:\"HTTP_PORT,default=8080\"`\n\tAddress string `env:\"HTTP_ADDRESS,default=:\"`\n}\n\ntype Config struct {\n\tHttp *HttpConfig\n}\n\n" +
			"func ParseServerConfiguration(ctx context.Context) *Config {\n\tvar cfg Config\n\tlookupers := envconfig.MultiLookuper(\n\t\tenvconfig.MapLookuper(readDotEnv()),\n\t\tenvconfig.PrefixLookuper(\"SHIORI_\", envconfig.OsLookuper()),\n\t)\n\tenvconfig.ProcessWith(ctx, &envconfig.Config{Target: &cfg, Lookuper: lookupers})\n\treturn &cfg\n}\n",
		"internal/http/server.go": "package http\n\nfunc (s *HttpServer) Start() error {\n\ts.http.Addr = fmt.Sprintf(\"%s%d\", cfg.Http.Address, cfg.Http.Port)\n\treturn s.http.ListenAndServe()\n}\n",
	}
	_, got := goShape(t, files)
	if got["cgo"] != "-" {
		t.Errorf("cgo claimed from %s, a file the linux image does not build", got["cgo"])
	}
	if got["port"] != "8080@internal/config/config.go:5" || got["portvar"] != "SHIORI_HTTP_PORT@internal/config/config.go:5" {
		t.Errorf("port %s ($%s), want 8080 from $SHIORI_HTTP_PORT at internal/config/config.go:5", got["port"], got["portvar"])
	}
	// The same import in a file every platform builds, in a _linux.go
	// file, or under a constraint linux/amd64 meets, claims cgo; under
	// windows, a _darwin_arm64.go name or a tag of the project's own, not.
	for name, want := range map[string]bool{
		"internal/database/sqlite.go":              true,
		"internal/database/sqlite_linux.go":        true,
		"internal/database/sqlite_cgo.go":          true,
		"internal/database/sqlite_darwin_arm64.go": false,
		"internal/database/sqlite_windows.go":      false,
	} {
		f := map[string]string{"go.mod": files["go.mod"], "main.go": files["main.go"], name: "package database\n\nimport _ \"github.com/mattn/go-sqlite3\"\n"}
		if _, got := goShape(t, f); (got["cgo"] != "-") != want {
			t.Errorf("%s: cgo %s, want claimed %v", name, got["cgo"], want)
		}
	}
	for src, want := range map[string]bool{
		"//go:build linux && (amd64 || arm64)\n\npackage database\n\nimport _ \"github.com/mattn/go-sqlite3\"\n": true,
		"//go:build cgo\n\npackage database\n\nimport _ \"github.com/mattn/go-sqlite3\"\n":                       true,
		"//go:build integration\n\npackage database\n\nimport _ \"github.com/mattn/go-sqlite3\"\n":               false,
		"// +build windows\n\npackage database\n\nimport _ \"github.com/mattn/go-sqlite3\"\n":                    false,
	} {
		f := map[string]string{"go.mod": files["go.mod"], "main.go": files["main.go"], "internal/database/db.go": src}
		if _, got := goShape(t, f); (got["cgo"] != "-") != want {
			t.Errorf("%q: cgo %s, want claimed %v", src, got["cgo"], want)
		}
	}
}

// go-gin-gotify: gin's g.Match([]string{"GET", "HEAD"}, "/health", h)
// (router/router.go:133) serves /health; a Match for writing methods
// only is no candidate.
func TestDetect_GinMatchRoutes(t *testing.T) {
	_, got := goShape(t, map[string]string{
		"go.mod":  "module github.com/gotify/server/v2\n\ngo 1.25.0\n\nrequire github.com/gin-gonic/gin v1.10.0\n",
		"main.go": "package main\n\nfunc main() {\n\tengine, closeable := router.Create(db, vInfo, conf)\n\trunner.Run(engine, conf)\n}\n",
		"router/router.go": "package router\n\nfunc Create(db *database.GormDatabase, vInfo *model.VersionInfo, conf *config.Configuration) (*gin.Engine, func()) {\n\tg := gin.New()\n" +
			"\tg.Match([]string{\"POST\", \"PUT\"}, \"/message/status\", messageHandler.Status)\n" +
			"\tg.Match([]string{http.MethodGet, http.MethodHead}, \"/health\", healthHandler.Health)\n" +
			"\tg.GET(\"/swagger\", docs.Serve)\n\treturn g, nil\n}\n",
	})
	if got["health"] != "/health@router/router.go:6" {
		t.Errorf("health %s, want /health@router/router.go:6", got["health"])
	}
	_, got = goShape(t, map[string]string{
		"go.mod":  "module x\n\ngo 1.25.0\n\nrequire github.com/gin-gonic/gin v1.10.0\n",
		"main.go": "package main\n\nfunc main() {\n\tg := gin.New()\n\tg.Match([]string{\"POST\"}, \"/healthz\", h)\n\tg.GET(\"/items\", items)\n\tg.Run(\":8080\")\n}\n",
	})
	if got["health"] != "-" || got["ask"] != "health route" {
		t.Errorf("a POST-only Match: health %s (ask %q), want a question", got["health"], got["ask"])
	}
}

// mccutchen/go-httpbin: Go 1.22 method patterns. "GET /{$}" is exactly
// / (httpbin/httpbin.go:166), "POST /healthz" and "HEAD /head" answer a
// GET with 405 and are no candidates; before, the method was dropped
// from every pattern and "/{$}" was no route at all, so init asked among
// method-less routes while the code serves GET /.
func TestDetect_GoMethodPatterns(t *testing.T) {
	_, got := goShape(t, map[string]string{
		"go.mod":  "module github.com/mccutchen/go-httpbin/v2\n\ngo 1.25.0\n",
		"main.go": "package main\n\nfunc main() {\n\th := httpbin.New()\n\thttp.ListenAndServe(\":8080\", h.Handler())\n}\n",
		"httpbin/httpbin.go": "package httpbin\n\nfunc (h *HTTPBin) Handler() http.Handler {\n\tmux := http.NewServeMux()\n" +
			"\tmux.HandleFunc(\"POST /healthz\", h.Post)\n\tmux.HandleFunc(\"HEAD /head\", h.Get)\n\tmux.HandleFunc(\"GET /{$}\", h.Index)\n" +
			"\tmux.HandleFunc(\"/anything\", h.Anything)\n\treturn mux\n}\n",
	})
	if got["health"] != "/@httpbin/httpbin.go:7" || got["ask"] != "" {
		t.Errorf("health %s (ask %q), want / from httpbin/httpbin.go:7", got["health"], got["ask"])
	}
	_, got = goShape(t, map[string]string{
		"go.mod":  "module x\n\ngo 1.25.0\n",
		"main.go": "package main\n\nfunc main() {\n\tmux := http.NewServeMux()\n\tmux.HandleFunc(\"POST /healthz\", h)\n\tmux.HandleFunc(\"GET /items/{id}\", item)\n\thttp.ListenAndServe(\":8080\", mux)\n}\n",
	})
	// Nothing a GET may probe without a value: init asks.
	if got["health"] != "-" || got["ask"] != "health route" {
		t.Errorf("a POST pattern: health %s (ask %q), want a question", got["health"], got["ask"])
	}
}

// go-nethttp-simplebank: mux.Handle("/", grpcMux) mounts grpc-gateway's
// mux at the root (main.go:199); that is no page at / to probe, so with
// no health route init asks instead of guessing GET /. A handler func at
// / is still a page.
func TestDetect_RouterMountedAtRootIsNoPage(t *testing.T) {
	files := map[string]string{
		"go.mod": "module github.com/techschool/simplebank\n\ngo 1.22\n\nrequire github.com/grpc-ecosystem/grpc-gateway/v2 v2.19.1\n",
		"main.go": "package main\n\nfunc runGatewayServer(ctx context.Context) {\n\tgrpcMux := runtime.NewServeMux(jsonOption)\n\terr := pb.RegisterSimpleBankHandlerServer(ctx, grpcMux, server)\n" +
			"\tmux := http.NewServeMux()\n\tmux.Handle(\"/\", grpcMux)\n\tmux.Handle(\"/swagger/\", http.StripPrefix(\"/swagger/\", swaggerHandler))\n\thttpServer := &http.Server{Handler: mux, Addr: config.HTTPServerAddress}\n\thttpServer.ListenAndServe()\n}\n\nfunc main() { runGatewayServer(ctx) }\n",
	}
	_, got := goShape(t, files)
	if got["health"] != "-" || got["ask"] != "health route" {
		t.Errorf("health %s (ask %q), want a question, not GET /", got["health"], got["ask"])
	}
	files["main.go"] = strings.Replace(files["main.go"], "mux.Handle(\"/\", grpcMux)", "mux.HandleFunc(\"/\", index)", 1)
	if _, got := goShape(t, files); got["health"] != "/@main.go:7" {
		t.Errorf("a handler at /: health %s, want /@main.go:7", got["health"])
	}
}

// go-nethttp-miniflux: options in a table keyed by their variables, in a
// package that reads os.Environ() (internal/config/options.go:317
// LISTEN_ADDR 127.0.0.1:8080; parser.go:136 PORT replaces it), and a
// -migrate flag that migrates and returns (internal/cli/cli.go:64,174).
func TestDetect_OptionTableAndMigrateFlag(t *testing.T) {
	files := map[string]string{
		"go.mod":  "module miniflux.app/v2\n\ngo 1.26.0\n\nrequire github.com/lib/pq v1.10.9\n",
		"main.go": "package main\n\nimport \"miniflux.app/v2/internal/cli\"\n\nfunc main() { cli.Parse() }\n",
		"internal/config/options.go": "package config\n\nfunc NewConfigOptions() *configOptions {\n\treturn &configOptions{\n\t\toptions: map[string]*configValue{\n" +
			"\t\t\t\"DATABASE_URL\": {\n\t\t\t\tparsedStringValue: \"user=postgres password=postgres dbname=miniflux2 sslmode=disable\",\n\t\t\t\trawValue:          \"user=postgres password=postgres dbname=miniflux2 sslmode=disable\",\n\t\t\t\tvalueType:         stringType,\n\t\t\t},\n" +
			"\t\t\t\"LISTEN_ADDR\": {\n\t\t\t\tparsedStringList: []string{\"127.0.0.1:8080\"},\n\t\t\t\trawValue:         \"127.0.0.1:8080\",\n\t\t\t\tvalueType:        stringListType,\n\t\t\t},\n" +
			"\t\t\t\"PORT\": {\n\t\t\t\tparsedStringValue: \"\",\n\t\t\t\trawValue:          \"\",\n\t\t\t\tvalueType:         stringType,\n\t\t\t},\n" +
			"\t\t\t\"RUN_MIGRATIONS\": {\n\t\t\t\tparsedBoolValue: false,\n\t\t\t\trawValue:        \"0\",\n\t\t\t\tvalueType:       boolType,\n\t\t\t},\n" +
			"\t\t},\n\t}\n}\n\nfunc (c *configOptions) Port() string {\n\treturn c.options[\"PORT\"].parsedStringValue\n}\n",
		"internal/config/parser.go": "package config\n\nfunc (cp *configParser) ParseEnvironmentVariables() error {\n\tif err := cp.parseLines(os.Environ()); err != nil {\n\t\treturn err\n\t}\n" +
			"\tif cp.options.Port() != \"\" {\n\t\tcp.options.options[\"LISTEN_ADDR\"].parsedStringList = []string{\":\" + cp.options.Port()}\n\t}\n\treturn nil\n}\n",
		"internal/cli/cli.go": "package cli\n\nfunc Parse() {\n\tflag.BoolVar(&flagMigrate, \"migrate\", false, flagMigrateHelp)\n\tflag.Parse()\n\tif flagMigrate {\n\t\tif err := database.Migrate(db); err != nil {\n\t\t\tprintErrorAndExit(err)\n\t\t}\n\t\treturn\n\t}\n" +
			"\tif config.Opts.RunMigrations() {\n\t\tdatabase.Migrate(db)\n\t}\n\tstartDaemon(store)\n}\n",
		"internal/cli/daemon.go": "package cli\n\nfunc startDaemon() {\n\thttpServer := &http.Server{Addr: config.Opts.ListenAddr()[0]}\n\thttpServer.ListenAndServe()\n}\n",
	}
	s, got := goShape(t, files)
	if got["port"] != "8080@internal/config/options.go:11" || got["portvar"] != "PORT@internal/config/options.go:11" {
		t.Errorf("port %s ($%s), want 8080 from LISTEN_ADDR's default, set through $PORT, which replaces it", got["port"], got["portvar"])
	}
	for _, v := range []string{"DATABASE_URL", "LISTEN_ADDR", "PORT", "RUN_MIGRATIONS"} {
		if !strings.Contains(got["env"], " "+v+" ") {
			t.Errorf("the table's %s is not among the variables the code reads: %s", v, got["env"])
		}
	}
	if s.Migrate == nil || ev(s.Migrate) != "-migrate@internal/cli/cli.go:4" || !strings.Contains(s.Migrate.Why, "$RUN_MIGRATIONS") {
		t.Errorf("migrate %s (%v), want the -migrate flag at internal/cli/cli.go:4, naming $RUN_MIGRATIONS", ev(s.Migrate), s.Migrate)
	}
	// Without the line that replaces the address, the address is the
	// variable; without os.Environ() the map is no option table.
	files["internal/config/parser.go"] = "package config\n\nfunc (cp *configParser) Parse() error {\n\treturn cp.parseLines(os.Environ())\n}\n"
	if _, got := goShape(t, files); got["portvar"] != "LISTEN_ADDR@internal/config/options.go:11" {
		t.Errorf("no replacement: portvar %s, want LISTEN_ADDR", got["portvar"])
	}
	files["internal/config/parser.go"] = "package config\n\nfunc (cp *configParser) Parse() error {\n\treturn cp.parseLines(lines)\n}\n"
	if _, got := goShape(t, files); got["port"] != "-" || strings.Contains(got["env"], " LISTEN_ADDR ") {
		t.Errorf("no environment read: port %s, env %s; want neither from the map", got["port"], got["env"])
	}
	// A -migrate flag whose block does not end the program is no release step.
	files["internal/cli/cli.go"] = strings.Replace(files["internal/cli/cli.go"], "\t\treturn\n\t}\n", "\t}\n", 1)
	if s, _ := goShape(t, files); s.Migrate != nil {
		t.Errorf("migrate %s from a flag that goes on serving", ev(s.Migrate))
	}
}

// go-nethttp-simplebank: viper's SetConfigName("app"),
// SetConfigType("env") and AddConfigPath(path) (util/config.go:28-40,
// LoadConfig(".")) read app.env from the working directory: the image
// carries it and the directory its MIGRATION_URL=file://db/migration
// names, and its HTTP_SERVER_ADDRESS=0.0.0.0:8080 is the port, which
// AutomaticEnv lets $HTTP_SERVER_ADDRESS override (not GRPC_ or REDIS_).
func TestDetect_ViperConfigFileInTheImage(t *testing.T) {
	files := map[string]string{
		"go.mod":  "module github.com/techschool/simplebank\n\ngo 1.22\n\nrequire github.com/spf13/viper v1.18.2\n",
		"main.go": "package main\n\nfunc main() {\n\tconfig, err := util.LoadConfig(\".\")\n\tif err != nil {\n\t\tlog.Fatal().Err(err).Msg(\"cannot load config\")\n\t}\n\thttp.ListenAndServe(config.HTTPServerAddress, mux)\n}\n",
		"util/config.go": "package util\n\ntype Config struct {\n\tHTTPServerAddress string `mapstructure:\"HTTP_SERVER_ADDRESS\"`\n}\n\nfunc LoadConfig(path string) (config Config, err error) {\n" +
			"\tviper.AddConfigPath(path)\n\tviper.SetConfigName(\"app\")\n\tviper.SetConfigType(\"env\")\n\n\tviper.AutomaticEnv()\n\n\terr = viper.ReadInConfig()\n\tif err != nil {\n\t\treturn\n\t}\n\terr = viper.Unmarshal(&config)\n\treturn\n}\n",
		"app.env":                           "ENVIRONMENT=development\nDB_SOURCE=postgresql://root:secret@localhost:5432/simple_bank?sslmode=disable\nMIGRATION_URL=file://db/migration\nGRPC_SERVER_ADDRESS=0.0.0.0:9090\nHTTP_SERVER_ADDRESS=0.0.0.0:8080\nREDIS_ADDRESS=0.0.0.0:6379\n",
		"db/migration/000001_init.up.sql":   "CREATE TABLE accounts (id bigserial);\n",
		"db/migration/000001_init.down.sql": "DROP TABLE accounts;\n",
		"frontend/other/app.env":            "HTTP_SERVER_ADDRESS=0.0.0.0:3000\n",
	}
	s, got := goShape(t, files)
	if got["port"] != "8080@app.env:5" || got["portvar"] != "HTTP_SERVER_ADDRESS@app.env:5" {
		t.Errorf("port %s ($%s), want 8080 from app.env:5, $HTTP_SERVER_ADDRESS", got["port"], got["portvar"])
	}
	if rt := evs(s.RuntimeFiles); rt != "app.env@util/config.go:9 db/migration@app.env:3" {
		t.Errorf("run-time files %s, want app.env and db/migration", rt)
	}
	// Not where viper looks: no file, no port from it.
	files["util/config.go"] = strings.Replace(files["util/config.go"], "viper.AddConfigPath(path)", "viper.AddConfigPath(\"config\")", 1)
	if s, got := goShape(t, files); len(s.RuntimeFiles) != 0 || got["port"] == "8080@app.env:5" {
		t.Errorf("config/app.env absent: run-time %s, port %s", evs(s.RuntimeFiles), got["port"])
	}
}

// go-gin-gotify: config.Get() gives Server.Port 80 in a composite
// literal and sets it with parseInt(&c.Server.Port, EnvServerPort), a
// constant "GOTIFY_SERVER_PORT" in another file of the package
// (config/config.go:91,133, config/keys.go:7); the TLS port beside it is
// not the listen port.
func TestDetect_FieldSetFromAVariable(t *testing.T) {
	_, got := goShape(t, map[string]string{
		"go.mod":         "module github.com/gotify/server/v2\n\ngo 1.25.0\n\nrequire github.com/gin-gonic/gin v1.10.0\n",
		"main.go":        "package main\n\nfunc main() {\n\tconf, _ := config.Get()\n\trunner.Run(engine, conf)\n}\n",
		"config/keys.go": "package config\n\nconst (\n\tEnvServerListenAddr = \"GOTIFY_SERVER_LISTENADDR\"\n\tEnvServerSSLPort    = \"GOTIFY_SERVER_SSL_PORT\"\n\tEnvServerPort       = \"GOTIFY_SERVER_PORT\"\n)\n",
		"config/config.go": "package config\n\nfunc Get() (*Configuration, []FutureLog) {\n\tc := &Configuration{\n\t\tServer: Server{\n\t\t\tPort: 80,\n\t\t\tSSL: SSL{\n\t\t\t\tPort: 443,\n\t\t\t},\n\t\t},\n\t}\n" +
			"\tadd(parseInt(&c.Server.SSL.Port, EnvServerSSLPort))\n\tadd(parseString(&c.Server.ListenAddr, EnvServerListenAddr))\n\tadd(parseInt(&c.Server.Port, EnvServerPort))\n\treturn c, nil\n}\n",
		"runner/runner.go": "package runner\n\nfunc Run(engine *gin.Engine, conf *config.Configuration) {\n\tstartListening(conf.Server.ListenAddr, conf.Server.Port)\n\thttp.Serve(l, engine)\n}\n",
	})
	if got["port"] != "80@config/config.go:14" || got["portvar"] != "GOTIFY_SERVER_PORT@config/config.go:14" {
		t.Errorf("port %s ($%s), want 80 from $GOTIFY_SERVER_PORT at config/config.go:14", got["port"], got["portvar"])
	}
}

// viper on a variable of its own (v := viper.New()) takes its prefix
// from v.SetEnvPrefix as the package-level viper does: the key
// server.port of config.yaml is then $APP_SERVER_PORT.
func TestDetect_ViperInstancePrefixNamesTheConfigKeysVariable(t *testing.T) {
	files := map[string]string{
		"go.mod":      "module x\n\ngo 1.22\n\nrequire github.com/spf13/viper v1.18.2\n",
		"config.yaml": "server:\n  port: 9000\n",
		"config.go": "package main\n\nfunc load() *viper.Viper {\n\tv := viper.New()\n\tv.SetConfigFile(\"config.yaml\")\n\tv.SetEnvPrefix(\"app\")\n" +
			"\tv.SetEnvKeyReplacer(strings.NewReplacer(\".\", \"_\"))\n\tv.AutomaticEnv()\n\tv.ReadInConfig()\n\treturn v\n}\n",
		"main.go": "package main\n\nfunc main() {\n\tv := load()\n\thttp.HandleFunc(\"/healthz\", ok)\n\thttp.ListenAndServe(\":\"+v.GetString(\"server.port\"), nil)\n}\n",
	}
	_, got := goShape(t, files)
	if got["port"] != "9000@config.yaml:2" || got["portvar"] != "APP_SERVER_PORT@config.yaml:2" {
		t.Errorf("port %s ($%s), want 9000 from config.yaml:2, $APP_SERVER_PORT", got["port"], got["portvar"])
	}
}

// pocketbase's shape: a framework whose only program outside examples is
// a generator its Makefile runs (`jstypes: go run
// ./plugins/jsvm/internal/types/types.go`). The generator is no service,
// and the example that is its server is not taken unasked: init asks
// with it. Chosen, its routes hang from router.NewRouter's root
// (apiGroup := pbRouter.Group("/api"), rg.Group("/health").GET("")).
// A Makefile target that runs `go run ./cmd/api`, a program that starts
// a server, runs the service: still a program.
func TestDetect_GeneratorsAreNoProgramAndExamplesAreAsked(t *testing.T) {
	files := map[string]string{
		"go.mod":                               "module github.com/pocketbase/pocketbase\n\ngo 1.25\n",
		"Makefile":                             "lint:\n\tgolangci-lint run -c ./golangci.yml ./...\n\njstypes:\n\tgo run ./plugins/jsvm/internal/types/types.go\n",
		"plugins/jsvm/internal/types/types.go": "package main\n\nfunc main() {\n\tgen := tygoja.New(tygoja.Config{})\n\tgen.Generate()\n}\n",
		"examples/base/main.go":                "package main\n\nfunc main() {\n\tapp := pocketbase.New()\n\tif err := app.Start(); err != nil {\n\t\tlog.Fatal(err)\n\t}\n}\n",
		"apis/base.go":                         "package apis\n\nfunc NewRouter(app core.App) *router.Router {\n\tpbRouter := router.NewRouter(factory)\n\tapiGroup := pbRouter.Group(\"/api\")\n\tbindHealthApi(app, apiGroup)\n\treturn pbRouter\n}\n",
		"apis/health.go":                       "package apis\n\nfunc bindHealthApi(app core.App, rg *router.RouterGroup) {\n\tsubGroup := rg.Group(\"/health\")\n\tsubGroup.GET(\"\", healthCheck)\n}\n",
		"apis/doc.go":                          "package apis\n\n//go:generate go run ./internal/gen\n",
		"apis/internal/gen/main.go":            "package main\n\nfunc main() { os.WriteFile(\"routes_gen.go\", src, 0o644) }\n",
	}
	s, got := goShape(t, files)
	var entries []string
	for _, e := range s.Entrypoints {
		entries = append(entries, e.Value)
	}
	if strings.Join(entries, " ") != "examples/base" || !strings.Contains(got["ask"], "entry point") {
		t.Errorf("entry points %v (ask %q), want examples/base asked", entries, got["ask"])
	}
	if got["health"] != "/api/health@apis/health.go:5" {
		t.Errorf("health %s, want /api/health from router.NewRouter's groups", got["health"])
	}
	files["cmd/api/main.go"] = "package main\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n"
	files["Makefile"] += "\nbuild-local:\n\tgo run ./cmd/api\n"
	s, got = goShape(t, files)
	if len(s.Entrypoints) == 0 || s.Entrypoints[0].Value != "cmd/api" || strings.Contains(got["ask"], "entry point") {
		t.Errorf("with cmd/api run by `make build-local`: entry points %v (ask %q), want cmd/api unasked", s.Entrypoints, got["ask"])
	}
}

// bnkamalesh/goapp: its server's port is a composite literal's
// (&http.Config{Port: 8080} in internal/configs/configs.go), which wins
// over its docker/Dockerfile's stale EXPOSE 8000; a database config's
// literal port is not the app's, and two app ports are not chosen from.
func TestDetect_GoLiteralPortOverTheDockerfilesExpose(t *testing.T) {
	files := map[string]string{
		"go.mod":            "module github.com/bnkamalesh/goapp\n\ngo 1.22\n",
		"docker/Dockerfile": "FROM golang:1.22\nEXPOSE 8000\n",
		"main.go":           "package main\n\nimport \"github.com/bnkamalesh/goapp/internal/configs\"\n\nfunc main() {\n\tcfg, _ := configs.HTTP()\n\thttp.HandleFunc(\"/-/health\", ok)\n\tsrv := &http.Server{Addr: fmt.Sprintf(\":%d\", cfg.Port)}\n\tsrv.ListenAndServe()\n}\n",
		"internal/configs/configs.go": "package configs\n\nfunc HTTP() (*http.Config, error) {\n\treturn &http.Config{\n\t\tPort:        8080,\n\t\tReadTimeout: time.Second * 5,\n\t}, nil\n}\n\n" +
			"func Postgres() *postgres.Config {\n\treturn &postgres.Config{Port: 5433}\n}\n",
	}
	_, got := goShape(t, files)
	if got["port"] != "8080@internal/configs/configs.go:5" {
		t.Errorf("port %s, want 8080 from configs.go:5 (not EXPOSE 8000, not postgres' 5433)", got["port"])
	}
	files["internal/configs/admin.go"] = "package configs\n\nvar admin = &http.Config{Port: 9090}\n"
	if _, got := goShape(t, files); got["port"] != "8000@docker/Dockerfile:2" {
		t.Errorf("two literal ports: port %s, want the Dockerfile's 8000", got["port"])
	}
}

// amitshekhariitbhu/go-backend-clean-architecture: viper's
// SetConfigFile(".env") (the type from the extension) and ReadInConfig,
// fatal, without AutomaticEnv: the file is all it reads, so an empty one
// in the image would configure nothing; it is said (EnvFileOnly), not
// carried. With AutomaticEnv the image carries the file's keys, as for
// golang-mongodb-rest-api-starter.
func TestDetect_ViperEnvFileWithoutAutomaticEnv(t *testing.T) {
	files := map[string]string{
		"go.mod":       "module x\n\ngo 1.22\n\nrequire github.com/spf13/viper v1.18.2\n",
		"main.go":      "package main\n\nfunc main() {\n\tenv := bootstrap.NewEnv()\n\thttp.HandleFunc(\"/healthz\", ok)\n\thttp.ListenAndServe(env.ServerAddress, nil)\n}\n",
		"env.go":       "package main\n\nfunc NewEnv() *Env {\n\tenv := Env{}\n\tviper.SetConfigFile(\".env\")\n\n\terr := viper.ReadInConfig()\n\tif err != nil {\n\t\tlog.Fatal(\"Can't find the file .env : \", err)\n\t}\n\tviper.Unmarshal(&env)\n\treturn &env\n}\n",
		".env.example": "SERVER_ADDRESS=:8080\n",
	}
	s, _ := goShape(t, files)
	if ev(s.EnvFileOnly) != ".env@env.go:7" || s.EnvFile != nil {
		t.Errorf("env file only %s, env file %s; want .env@env.go:7 said, none carried", ev(s.EnvFileOnly), ev(s.EnvFile))
	}
	files["env.go"] = strings.Replace(files["env.go"], "\tviper.SetConfigFile", "\tviper.AutomaticEnv()\n\tviper.SetConfigFile", 1)
	s, _ = goShape(t, files)
	if s.EnvFileOnly != nil || ev(s.EnvFile) != ".env@env.go:8" || !s.EnvFileKeys {
		t.Errorf("with AutomaticEnv: env file only %s, env file %s (keys %v); want .env@env.go:8 carried with its keys", ev(s.EnvFileOnly), ev(s.EnvFile), s.EnvFileKeys)
	}
}

// prometheus/alertmanager (v0.35.0): its listen address is a kingpin flag
// exporter-toolkit adds, webflag.AddFlags(kingpin.CommandLine, ":9093")
// (cmd/alertmanager/main.go:64); cluster.listen-address is the HA peers'
// port. api/v2/restapi/server.go, generated by go-swagger (`long:"port"
// env:"PORT"`), is not what listens: before, init took $PORT from it and
// port 8080.
func TestDetect_KingpinListenAndGeneratedOptions(t *testing.T) {
	s, got := goShape(t, map[string]string{
		"go.mod": "module github.com/prometheus/alertmanager\n\ngo 1.26.0\n",
		"cmd/alertmanager/main.go": "package main\n\nfunc main() {\n\tvar (\n\t\tconfigFile = kingpin.Flag(\"config.file\", \"Alertmanager configuration file name.\").Default(\"alertmanager.yml\").String()\n" +
			"\t\twebConfig = webflag.AddFlags(kingpin.CommandLine, \":9093\")\n" +
			"\t\tclusterBindAddr = kingpin.Flag(\"cluster.listen-address\", \"Listen address for cluster.\").Default(\"0.0.0.0:9094\").String()\n\t)\n" +
			"\tmux := http.NewServeMux()\n\tmux.HandleFunc(\"/-/ready\", ready)\n\tsrv := &http.Server{Handler: mux}\n\tweb.ListenAndServe(srv, webConfig, logger)\n}\n",
		"api/v2/restapi/server.go": "// Code generated by go-swagger; DO NOT EDIT.\n\npackage restapi\n\ntype Server struct {\n" +
			"\tHost string `long:\"host\" description:\"the IP to listen on\" default:\"localhost\" env:\"HOST\"`\n" +
			"\tPort int `long:\"port\" description:\"the port to listen on for insecure connections\" env:\"PORT\"`\n}\n",
	})
	if got["port"] != "9093@cmd/alertmanager/main.go:6" || got["portvar"] != "-" {
		t.Errorf("port %s, port variable %s; want 9093 from cmd/alertmanager/main.go:6 and none", got["port"], got["portvar"])
	}
	if s.Port != nil && !strings.Contains(s.Port.Why, "--web.listen-address") {
		t.Errorf("port's reason %q", s.Port.Why)
	}
}

// inbucket/inbucket v3.2.0 (pkg/config/config.go): envconfig.Process
// ("inbucket", &c) over a Root struct holding SMTP SMTP, POP3 POP3 and Web
// Web, struct types of the same file, each with an untagged Addr. envconfig
// names them INBUCKET_SMTP_ADDR, INBUCKET_POP3_ADDR, INBUCKET_WEB_ADDR;
// before, each type was read on its own (INBUCKET_ADDR, three times) and
// the SMTP server's 2500 taken as the listen port. The web server's 9000
// is; the mail servers' are other servers'.
func TestDetect_EnvconfigNestedStructTypes(t *testing.T) {
	_, got := goShape(t, map[string]string{
		"go.mod":               "module github.com/inbucket/inbucket/v3\n\ngo 1.25.0\n\nrequire github.com/kelseyhightower/envconfig v1.4.0\n",
		"cmd/inbucket/main.go": "package main\n\nfunc main() {\n\tconf, err := config.Process()\n\tsrv := &http.Server{Addr: conf.Web.Addr}\n\tsrv.ListenAndServe()\n}\n",
		"pkg/config/config.go": "package config\n\nconst prefix = \"inbucket\"\n\ntype Root struct {\n\tLogLevel string `required:\"true\" default:\"info\"`\n\tSMTP SMTP\n\tPOP3 POP3\n\tWeb Web\n}\n\n" +
			"type SMTP struct {\n\tAddr string `required:\"true\" default:\"0.0.0.0:2500\" desc:\"SMTP server IP4 host:port\"`\n}\n\n" +
			"type POP3 struct {\n\tAddr string `required:\"true\" default:\"0.0.0.0:1100\" desc:\"POP3 server IP4 host:port\"`\n}\n\n" +
			"type Web struct {\n\tAddr string `required:\"true\" default:\"0.0.0.0:9000\" desc:\"Web server IP4 host:port\"`\n}\n\n" +
			"func Process() (*Root, error) {\n\tc := &Root{}\n\terr := envconfig.Process(prefix, c)\n\treturn c, err\n}\n",
	})
	if got["port"] != "9000@pkg/config/config.go:21" || got["portvar"] != "INBUCKET_WEB_ADDR@pkg/config/config.go:21" {
		t.Errorf("port %s, variable %s; want 9000 and INBUCKET_WEB_ADDR from pkg/config/config.go:21", got["port"], got["portvar"])
	}
	for _, v := range []string{"INBUCKET_SMTP_ADDR", "INBUCKET_POP3_ADDR", "INBUCKET_LOGLEVEL"} {
		if !strings.Contains(got["env"], " "+v+" ") {
			t.Errorf("env %s lacks %s", got["env"], v)
		}
	}
}

// inbucket/inbucket v3.2.0: cmd/client's -host flag defaults to
// "localhost" (cmd/client/main.go:16); the server is cmd/inbucket. While
// the health route was still an open question, the program's scope fell
// back to every file outside the other mains' directories, and the image
// passed --host=0.0.0.0 to the server, which has no such flag. Only an
// open choice of entry point leaves the program's scope unknown.
func TestDetect_OpenHealthQuestionKeepsProgramScope(t *testing.T) {
	s, got := goShape(t, map[string]string{
		"go.mod":               "module github.com/inbucket/inbucket/v3\n\ngo 1.25.0\n",
		"cmd/inbucket/main.go": "package main\n\nimport \"github.com/inbucket/inbucket/v3/pkg/web\"\n\nfunc main() { web.Start() }\n",
		"cmd/client/main.go":   "package main\n\nimport \"flag\"\n\nvar host = flag.String(\"host\", \"localhost\", \"host/IP of Inbucket server\")\n\nfunc main() { flag.Parse() }\n",
		"pkg/web/server.go":    "package web\n\nfunc Start() {\n\tr := mux.NewRouter()\n\tr.HandleFunc(\"/api/{id}\", get)\n\thttp.ListenAndServe(\":9000\", r)\n}\n",
	})
	if got["ask"] != "health route" {
		t.Fatalf("questions %q, want the health route's alone", got["ask"])
	}
	for _, f := range s.ServeFlags {
		t.Errorf("flag %s (%s:%d) of another program passed to the server", f.Value, f.File, f.Line)
	}
}

// inbucket v3.2.0 pkg/server/web/server.go: a package-level
// `Router = mux.NewRouter()` whose routes are gorilla/mux chains,
// Router.Path(prefix("/status")).Handler(spaHandler), where prefix :=
// stringutil.MakePathPrefixer(conf.Web.BasePath) puts a configurable base
// path (empty by default) before each. A Methods call without GET in the
// chain is no page; a PathPrefix is none either.
func TestDetect_GorillaPathChainsAndPrefixer(t *testing.T) {
	files := map[string]string{
		"go.mod": "module example.com/mail\n\ngo 1.25.0\n",
		"main.go": "package main\n\nvar (\n\tRouter = mux.NewRouter()\n)\n\nfunc main() {\n" +
			"\tprefix := stringutil.MakePathPrefixer(conf.BasePath)\n" +
			"\tRouter.PathPrefix(prefix(\"/static\")).Handler(files)\n" +
			"\tRouter.Path(prefix(\"/purge\")).Methods(\"POST\").Handler(purge)\n" +
			"\tRouter.Path(prefix(\"/status\")).Handler(spaHandler)\n" +
			"\tRouter.Path(\"/monitor\").Methods(http.MethodGet).HandlerFunc(monitor)\n" +
			"\thttp.ListenAndServe(\":9000\", Router)\n}\n",
	}
	_, got := goShape(t, files)
	if got["health"] != "/status@main.go:11" {
		t.Errorf("health %s, want /status@main.go:11", got["health"])
	}
	if got := goRoutePaths(t, files); got != "/monitor /status" {
		t.Errorf("routes %q, want /monitor /status", got)
	}
}

// goRoutePaths are the paths of the Go routes read from a tree, in order.
func goRoutePaths(t *testing.T, files map[string]string) string {
	t.Helper()
	r := &repo{dir: testutil.WriteTree(t, files), lines: map[string][]string{}, lang: "go"}
	routes, _ := r.goRoutes()
	var paths []string
	for _, rt := range routes {
		paths = append(paths, rt.Value)
	}
	return strings.Join(paths, " ")
}

// axllent/mailpit v1.33.1: server/server.go:121 builds &http.Server{Addr:
// config.HTTPListen}, and config/config.go:41 declares HTTPListen =
// "[::]:8025" beside SMTPListen = "[::]:1025". The port is 8025; its
// repository's Dockerfile exposes three ports, and without this the
// image had probed 8080.
func TestDetect_ServerAddrFromPackageVariable(t *testing.T) {
	files := map[string]string{
		"go.mod":           "module github.com/axllent/mailpit\n\ngo 1.26.0\n",
		"main.go":          "package main\n\nimport \"github.com/axllent/mailpit/server\"\n\nfunc main() { server.Listen() }\n",
		"config/config.go": "package config\n\nvar (\n\t// SMTPListen to listen on <interface>:<port>\n\tSMTPListen = \"[::]:1025\"\n\n\t// HTTPListen to listen on <interface>:<port>\n\tHTTPListen = \"[::]:8025\"\n)\n",
		"server/server.go": "package server\n\nimport \"github.com/axllent/mailpit/config\"\n\nfunc Listen() {\n\tr := mux.NewRouter()\n\tr.HandleFunc(\"/livez\", live)\n\tserver := &http.Server{\n\t\tAddr:    config.HTTPListen,\n\t\tHandler: r,\n\t}\n\tserver.ListenAndServe()\n}\n",
		"Dockerfile":       "FROM alpine\nEXPOSE 1025/tcp 1110/tcp 8025/tcp\n",
	}
	_, got := goShape(t, files)
	if got["port"] != "8025@config/config.go:8" {
		t.Errorf("port %s, want 8025@config/config.go:8", got["port"])
	}
	// Declared twice with different values (two build variants): not one
	// to choose.
	files["config/config_other.go"] = "package config\n\nconst HTTPListen = \":9000\"\n"
	if _, got := goShape(t, files); got["port"] != "-" {
		t.Errorf("port %s from a variable declared twice", got["port"])
	}
	// Another server's address (a metrics server beside the app's): none.
	delete(files, "config/config_other.go")
	files["config/config.go"] = "package config\n\nvar MetricsAddr = \":9100\"\n"
	files["server/server.go"] = strings.Replace(files["server/server.go"], "config.HTTPListen", "config.MetricsAddr", 1)
	if _, got := goShape(t, files); got["port"] != "-" {
		t.Errorf("port %s from another server's address", got["port"])
	}
}

// centrifugal/centrifugo v6.9.1 internal/configtypes: the ACME http-01
// challenge server's address, TLSAutocert.HTTPAddr (`envconfig:"http_addr"
// default:":80"`, tls.go:183), is declared before the app's own
// HTTPServer.Port (`default:"8000"`, types.go:18). The port is 8000: a
// struct type named for another server holds no port of the app's.
func TestDetect_PortOfAnotherServersStructType(t *testing.T) {
	_, got := goShape(t, map[string]string{
		"go.mod":  "module github.com/centrifugal/centrifugo/v6\n\ngo 1.26\n",
		"main.go": "package main\n\nimport _ \"github.com/centrifugal/centrifugo/v6/internal/configtypes\"\n\nfunc main() { serve() }\n",
		"internal/configtypes/tls.go": "package configtypes\n\ntype TLSAutocert struct {\n\tEnabled  bool   `envconfig:\"enabled\"`\n" +
			"\tHTTPAddr string `mapstructure:\"http_addr\" envconfig:\"http_addr\" default:\":80\" doc:\"Address to bind the ACME http-01 challenge server to.\"`\n}\n",
		"internal/configtypes/types.go": "package configtypes\n\ntype HTTPServer struct {\n\tAddress string `envconfig:\"address\"`\n" +
			"\tPort int `mapstructure:\"port\" envconfig:\"port\" default:\"8000\" doc:\"Port to bind the HTTP server to.\"`\n}\n",
	})
	if !strings.HasPrefix(got["port"], "8000@internal/configtypes/types.go:5") {
		t.Errorf("port %s, want 8000@internal/configtypes/types.go:5", got["port"])
	}
}

// kelseyhightower/envconfig's names, as its gatherInfo makes them: an
// embedded struct's fields are named as its holder's, a held struct's
// after the holder field's envconfig tag, and an unexported field is
// never set (so names nothing). And a struct type named for another
// server, held in the same file, holds no port of the app's
// (centrifugo's TLSAutocert beside HTTPServer).
func TestDetect_EnvconfigNamesLikeEnvconfig(t *testing.T) {
	gomod := "module example.com/app\n\ngo 1.25.0\n\nrequire github.com/kelseyhightower/envconfig v1.4.0\n"
	main := "package main\n\nimport \"example.com/app/config\"\n\nfunc main() { config.Load() }\n"
	for _, c := range []struct{ name, conf, port, env string }{
		{"embedded", "type Web struct {\n\tAddr string `default:\"0.0.0.0:9000\"`\n}\n\ntype Root struct {\n\tWeb\n}\n", "9000", "APP_ADDR"},
		{"holder's tag", "type Web struct {\n\tAddr string `default:\"0.0.0.0:9000\"`\n}\n\ntype Root struct {\n\tWeb Web `envconfig:\"HTTP\"`\n}\n", "9000", "APP_HTTP_ADDR"},
		{"unexported holder", "type Root struct {\n\tPort string `envconfig:\"PORT\" default:\"8080\"`\n}\n\ntype server struct {\n\tcfg Root\n}\n", "8080", "APP_PORT"},
		{"another server's type", "type TLSAutocert struct {\n\tHTTPAddr string `envconfig:\"http_addr\" default:\":80\"`\n}\n\ntype HTTPServer struct {\n\tPort int `envconfig:\"port\" default:\"8000\"`\n}\n\n" +
			"type Root struct {\n\tTLSAutocert TLSAutocert `envconfig:\"tls_autocert\"`\n\tHTTP HTTPServer `envconfig:\"http_server\"`\n}\n", "8000", "APP_HTTP_SERVER_PORT"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, got := goShape(t, map[string]string{"go.mod": gomod, "main.go": main,
				"config/config.go": "package config\n\n" + c.conf + "\nfunc Load() *Root {\n\tr := &Root{}\n\tenvconfig.Process(\"app\", r)\n\treturn r\n}\n"})
			if !strings.HasPrefix(got["port"], c.port+"@") || !strings.HasPrefix(got["portvar"], c.env+"@") {
				t.Errorf("port %s, variable %s; want %s from $%s", got["port"], got["portvar"], c.port, c.env)
			}
		})
	}
}

// The edges of the rules above. A package-level router's prefix carries
// to its subrouters; a local name shadows it (a query's r.Add is no
// route); a function merely named for a prefix (withAPIPrefix) is no
// base-path prefixer, so its route is not read as written but with what
// the function puts before it (/api/v1/ready); a route that
// needs a query or a header is no page a probe reaches. (The review of
// these rules found each.)
func TestDetect_GorillaGlobalsAndPrefixerEdges(t *testing.T) {
	files := map[string]string{
		"go.mod": "module example.com/mail\n\ngo 1.25.0\n",
		"main.go": "package main\n\nvar router = mux.NewRouter()\n\nfunc main() {\n" +
			"\tapi := router.PathPrefix(\"/api\").Subrouter()\n" +
			"\tapi.HandleFunc(\"/health\", health)\n" +
			"\trouter.HandleFunc(withAPIPrefix(\"/ready\"), ready)\n" +
			"\trouter.Path(\"/status\").Queries(\"token\", \"{token}\").Handler(status)\n" +
			"\thttp.ListenAndServe(\":9000\", router)\n}\n\nfunc withAPIPrefix(p string) string { return \"/api/v1\" + p }\n",
		"query.go": "package main\n\nfunc list(w http.ResponseWriter, req *http.Request) {\n\trouter := req.URL.Query()\n\trouter.Add(\"status\", \"1\")\n}\n",
	}
	if got := goRoutePaths(t, files); got != "/api/health /api/v1/ready" {
		t.Errorf("routes %q, want /api/health and /api/v1/ready (withAPIPrefix's)", got)
	}
}

// ory/hydra v2.3.0: its Makefile builds a documentation generator into
// its tools directory first (Makefile:36, go build -o .bin/clidoc
// ./cmd/clidoc/.), and the server later (Makefile:190, go build ... .).
// The tool was taken as "what the repository builds", silently; a build
// into .bin/ is a tool's.
func TestDetect_MakefileToolBuildIsNoProgram(t *testing.T) {
	s, _ := goShape(t, map[string]string{
		"go.mod":             "module github.com/ory/hydra/v2\n\ngo 1.22\n",
		"main.go":            "package main\n\nimport \"github.com/ory/hydra/v2/cmd\"\n\nfunc main() { cmd.Execute() }\n",
		"cmd/root.go":        "package cmd\n\nfunc Execute() { http.ListenAndServe(\":4444\", nil) }\n",
		"cmd/clidoc/main.go": "package main\n\nimport \"github.com/ory/hydra/v2/cmd\"\n\nfunc main() { clidoc.Generate(cmd.NewRootCmd()) }\n",
		"Makefile":           ".bin/clidoc: go.mod\n\tgo build -o .bin/clidoc ./cmd/clidoc/.\n\ndocs/cli: .bin/clidoc\n\tclidoc .\n\ninstall:\n\tgo install -tags sqlite,json1 .\n",
	})
	if len(s.Entrypoints) == 0 || s.Entrypoints[0].Value != "." || s.Entrypoints[0].File != "Makefile" || s.Entrypoints[0].Line != 8 {
		t.Errorf("entry points %v, want . (built by Makefile:8)", s.Entrypoints)
	}
}

// open-policy-agent/opa v1.22.4 main.go:32-34: //go:generate
// build/gen-run-go.sh internal/cmd/genopacapabilities/main.go
// capabilities.json, a script that runs a generator's main package. The
// generators were candidates beside the server, and init asked among six.
func TestDetect_GeneratorRunByAScript(t *testing.T) {
	// No main package starts a server in its own files (OPA's main.go
	// runs cmd.RootCommand.Execute()): every main was a candidate.
	s, got := goShape(t, map[string]string{
		"go.mod":     "module github.com/open-policy-agent/opa\n\ngo 1.26\n",
		"main.go":    "package main\n\nimport \"github.com/open-policy-agent/opa/cmd\"\n\n//go:generate build/gen-run-go.sh internal/cmd/genopacapabilities/main.go capabilities.json\n//go:generate build/gen-run-go.sh internal/cmd/genbuiltinmetadata/main.go builtin_metadata.json\n\nfunc main() { cmd.Execute() }\n",
		"cmd/run.go": "package cmd\n\nfunc Execute() { http.ListenAndServe(\":8181\", nil) }\n",
		"internal/cmd/genopacapabilities/main.go": "package main\n\nimport \"github.com/open-policy-agent/opa/cmd\"\n\nfunc main() { os.WriteFile(os.Args[1], cmd.Caps(), 0o644) }\n",
		"internal/cmd/genbuiltinmetadata/main.go": "package main\n\nimport \"github.com/open-policy-agent/opa/cmd\"\n\nfunc main() { os.WriteFile(os.Args[1], cmd.Meta(), 0o644) }\n",
	})
	if strings.Contains(got["ask"], "entry point") || len(s.Entrypoints) == 0 || s.Entrypoints[0].Value != "." {
		t.Errorf("entry points %v, questions %q; want . without a question about it", s.Entrypoints, got["ask"])
	}
}

// A file a tool reads is no generator's: swaggo's `//go:generate swag
// init -g ./main.go` (and -g ./cmd/api/main.go, common in public
// repositories) names the server's own main. Only a script of the
// repository's is taken to run the main.go it is handed.
func TestDetect_SwagGenerateNamesTheServer(t *testing.T) {
	s, _ := goShape(t, map[string]string{
		"go.mod":      "module example.com/api\n\ngo 1.25\n",
		"main.go":     "package main\n\nimport \"example.com/api/cmd\"\n\n//go:generate swag init -g ./main.go\n\nfunc main() { cmd.Execute() }\n",
		"cmd/root.go": "package cmd\n\nfunc Execute() { http.ListenAndServe(\":8080\", nil) }\n",
	})
	if len(s.Entrypoints) == 0 || s.Entrypoints[0].Value != "." {
		t.Errorf("entry points %v, want .", s.Entrypoints)
	}
}

// wpcodevo/golang-gorm-postgres: the engine is a package-level variable
// made in init() (`server = gin.Default()`), main groups it under /api and
// registers /api/healthchecker there, and hands the group to route
// methods that make their own groups (rg.Group("posts"): POST "/" is
// /api/posts/). Before, the engine was not followed, so the routes kept
// their written paths, "/" of the posts group counted as the root page and
// was probed (404), and "healthchecker" was no health route's name.
func TestDetect_GinEngineMadeInInitAndAHealthchecker(t *testing.T) {
	_, got := goShape(t, map[string]string{
		"go.mod": "module example.com/gg\n\ngo 1.18\n\nrequire github.com/gin-gonic/gin v1.8.1\n",
		"main.go": "package main\n\nvar (\n\tserver *gin.Engine\n\tPostRouteController routes.PostRouteController\n)\n\nfunc init() {\n\tserver = gin.Default()\n}\n\n" +
			"func main() {\n\trouter := server.Group(\"/api\")\n\trouter.GET(\"/healthchecker\", func(ctx *gin.Context) {})\n\tPostRouteController.PostRoute(router)\n\tserver.Run(\":8000\")\n}\n",
		"routes/post.routes.go": "package routes\n\ntype PostRouteController struct{}\n\nfunc (pc *PostRouteController) PostRoute(rg *gin.RouterGroup) {\n\trouter := rg.Group(\"posts\")\n\trouter.POST(\"/\", create)\n\trouter.GET(\"/\", list)\n}\n",
	})
	if got["health"] != "/api/healthchecker@main.go:14" || got["ask"] != "" {
		t.Errorf("health %s (ask %q), want /api/healthchecker from main.go:14", got["health"], got["ask"])
	}
}

// lus/pasty: fasthttp/router imported as routing, its groups nested
// (router.Group("/api") then apiRoute.Group("/v1")): /info is served at
// /api/v1/info (internal/web/web.go:62), which init had offered as /info.
func TestDetect_AliasedRouterGroups(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"go.mod":            "module github.com/lus/pasty\n\ngo 1.16\n\nrequire (\n\tgithub.com/fasthttp/router v1.4.4\n\tgithub.com/valyala/fasthttp v1.31.0\n)\n",
		"cmd/pasty/main.go": "package main\n\nimport \"github.com/lus/pasty/internal/web\"\n\nfunc main() { panic(web.Serve()) }\n",
		"internal/web/web.go": "package web\n\nimport (\n\trouting \"github.com/fasthttp/router\"\n\t\"github.com/valyala/fasthttp\"\n)\n\n" +
			"func Serve() error {\n\trouter := routing.New()\n\tapiRoute := router.Group(\"/api\")\n\t{\n\t\tv1Route := apiRoute.Group(\"/v1\")\n\t\t{\n\t\t\tv1Route.GET(\"/info\", info)\n\t\t}\n\t}\n" +
			"\treturn fasthttp.ListenAndServe(\":8080\", router.Handler)\n}\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, c := range s.Ambiguous {
		for _, o := range c.Candidates {
			paths = append(paths, o.Value)
		}
	}
	if s.HealthPath != nil {
		paths = append(paths, s.HealthPath.Value)
	}
	if got := strings.Join(paths, " "); !strings.Contains(got, "/api/v1/info") || strings.Contains(got, " /info") || strings.HasPrefix(got, "/info") {
		t.Errorf("routes offered %q, want /api/v1/info", got)
	}
}

// lus/pasty: PASTY_STORAGE_FILE_PATH (read through env.MustString, with
// the PASTY_ prefix) defaults to "./data", which its file store creates at
// start (file_driver.go:24): "mkdir ./data: read-only file system". The
// variable points at the volume; a variable of another kind, or a program
// that creates no directory from its settings, gets none.
func TestDetect_EnvDefaultDataDir(t *testing.T) {
	files := map[string]string{
		"go.mod":                    "module github.com/lus/pasty\n\ngo 1.16\n",
		"internal/static/static.go": "package static\n\nvar EnvironmentVariablePrefix = \"PASTY_\"\n",
		"internal/env/env.go":       "package env\n\nfunc MustString(key, fallback string) string {\n\tvalue, found := os.LookupEnv(static.EnvironmentVariablePrefix + key)\n\tif !found {\n\t\treturn fallback\n\t}\n\treturn value\n}\n",
		"internal/config/config.go": "package config\n\nfunc Load() {\n\tCurrent = &Config{\n\t\tWebAddress: env.MustString(\"WEB_ADDRESS\", \":8080\"),\n\t\tMode:       env.MustString(\"STORAGE_TYPE\", \"file\"),\n\t\tFilePath:   env.MustString(\"STORAGE_FILE_PATH\", \"./data\"),\n\t}\n}\n",
		"internal/storage/file.go":  "package storage\n\nfunc (driver *FileDriver) Initialize() error {\n\treturn os.MkdirAll(driver.filePath, os.ModePerm)\n}\n",
		"main.go":                   "package main\n\nfunc main() {\n\tconfig.Load()\n\thttp.HandleFunc(\"/healthz\", ok)\n\thttp.ListenAndServe(config.Current.WebAddress, nil)\n}\n",
	}
	dirs := func(s *Stack) string {
		var out []string
		for _, d := range s.ConfigWriteDirs {
			out = append(out, d.Value+"="+d.Dir+"@"+d.Where())
		}
		return strings.Join(out, " ")
	}
	s, _ := goShape(t, files)
	if got, want := dirs(s), "PASTY_STORAGE_FILE_PATH=data@internal/config/config.go:7"; got != want {
		t.Errorf("config write dirs %q, want %q", got, want)
	}
	delete(files, "internal/storage/file.go")
	if s, _ := goShape(t, files); dirs(s) != "" {
		t.Errorf("nothing creates a directory, yet config write dirs %q", dirs(s))
	}
}

// go.mod replaces modules with directories of the repository (dexidp/dex's
// `github.com/dexidp/dex/api/v2 => ./api/v2`, flipt's block of six,
// supabase/auth's `=> ./internal/forks/godotenv`): go mod download reads
// their go.mod, so each is listed once for the build to copy first. A
// module replaced by another version is not a directory; one replaced by
// a directory outside the repository stops init.
func TestDetect_GoModuleReplacedByADirectory(t *testing.T) {
	gomod := "module github.com/dexidp/dex\n\ngo 1.24\n\nrequire github.com/dexidp/dex/api/v2 v2.4.0\n\n" +
		"replace github.com/dexidp/dex/api/v2 => ./api/v2\n\nreplace (\n\tgo.flipt.io/flipt/core => ./core/ // its own module\n\tgo.flipt.io/flipt/errors v1.0.0 => ./errors\n\tgithub.com/a/b => github.com/c/b v1.2.3\n\tgo.flipt.io/flipt/core => ./core\n)\n"
	files := map[string]string{
		"go.mod":  gomod,
		"main.go": "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n",
	}
	s, _ := goShape(t, files)
	var got []string
	for _, e := range s.LocalReplaces {
		got = append(got, ev(&e))
	}
	if strings.Join(got, " ") != "api/v2@go.mod:7 core@go.mod:10 errors@go.mod:11" || len(s.Needs) != 0 {
		t.Errorf("local replaces %v, needs %v", got, s.Needs)
	}
	files["go.mod"] = gomod + "replace github.com/x/y => ../y\n"
	if s, _ = goShape(t, files); len(s.Needs) != 1 || !strings.Contains(s.Needs[0].Value, "../y, outside the repository") {
		t.Errorf("needs %v, want the directory outside the repository", s.Needs)
	}
}

// supabase/auth bc32168e13fd: its configuration's structs are in
// internal/conf, and envconfig.Process("gotrue", config) in
// internal/conf/confload. Without that prefix a tagged field is read by
// its tag alone (envconfig's Alt): API.Port, `envconfig:"PORT"`, is
// $PORT, not $API_PORT, which envconfig never reads.
func TestDetect_EnvconfigTagWithThePrefixInAnotherPackage(t *testing.T) {
	_, got := goShape(t, map[string]string{
		"go.mod":                         "module github.com/supabase/auth\n\ngo 1.23\n\nrequire github.com/kelseyhightower/envconfig v1.4.0\n",
		"main.go":                        "package main\n\nimport \"github.com/supabase/auth/internal/conf/confload\"\n\nfunc main() { confload.Load() }\n",
		"internal/conf/configuration.go": "package conf\n\ntype APIConfiguration struct {\n\tHost string\n\tPort string `envconfig:\"PORT\" default:\"8081\"`\n}\n\ntype GlobalConfiguration struct {\n\tAPI APIConfiguration\n}\n",
		"internal/conf/confload/confload.go": "package confload\n\nimport (\n\t\"github.com/kelseyhightower/envconfig\"\n\t\"github.com/supabase/auth/internal/conf\"\n)\n\n" +
			"func Load() {\n\tconfig := new(conf.GlobalConfiguration)\n\tenvconfig.Process(\"gotrue\", config)\n}\n",
	})
	if !strings.HasPrefix(got["port"], "8081@internal/conf/configuration.go:5") || !strings.HasPrefix(got["portvar"], "PORT@") {
		t.Errorf("port %s from %s, want 8081 from $PORT", got["port"], got["portvar"])
	}
}

// helm/chartmuseum d09717e14756 lists its routes as a table of pointers
// to another package's type, []*cm_router.Route{{"GET", "/health",
// s.getHealthCheckHandler, ""}}, registered elsewhere: /health is its
// health route (init had asked for one).
func TestDetect_RouteTableOfAnotherPackagesPointers(t *testing.T) {
	_, got := goShape(t, map[string]string{
		"go.mod": "module helm.sh/chartmuseum\n\ngo 1.24\n",
		"main.go": "package main\n\nimport (\n\t\"net/http\"\n\n\tcm_router \"helm.sh/chartmuseum/pkg/router\"\n)\n\nfunc main() {\n\tvar s server\n\tcm_router.Serve(s.Routes())\n\thttp.ListenAndServe(\":8080\", nil)\n}\n\n" +
			"func (s *server) Routes() []*cm_router.Route {\n\treturn []*cm_router.Route{\n\t\t{\"GET\", \"/\", s.welcome, \"pull\"},\n\t\t{\"POST\", \"/api/charts\", s.post, \"push\"},\n\t\t{\"GET\", \"/health\", s.getHealthCheckHandler, \"\"},\n\t}\n}\n",
		"pkg/router/router.go": "package router\n\ntype Route struct {\n\tMethod, Path string\n\tHandler      func()\n\tAction       string\n}\n\nfunc Serve(routes []*Route) {}\n",
	})
	if !strings.HasPrefix(got["health"], "/health@main.go:19") {
		t.Errorf("health %s, want /health@main.go:19 from the route table", got["health"])
	}
}

// cloudflare/cfssl (v1.7.1, the twenty-fifth try): certdb/testdb, a
// package only its _test.go files import, imports the Postgres, MySQL and
// go-sqlite3 drivers; scan/crypto/md5/gen.go (`//go:build ignore`, a
// generator) renders a template; its Dockerfile's CMD is ["--help"].
// None of it is the chosen program's (--entrypoint cmd/cfssl): no
// database, no cgo, no templates, and no arguments that print the usage
// and exit. A driver the program's own main imports still counts.
func TestDetect_TestOnlyPackagesAndGeneratorsAreNotTheProgram(t *testing.T) {
	files := map[string]string{
		"go.mod":                  "module github.com/cloudflare/cfssl\n\ngo 1.16\n\nrequire (\n\tgithub.com/lib/pq v1.10.1\n\tgithub.com/go-sql-driver/mysql v1.6.0\n\tgithub.com/mattn/go-sqlite3 v1.14.8\n)\n",
		"cmd/cfssl/cfssl.go":      "package main\n\nimport \"github.com/cloudflare/cfssl/cli/serve\"\n\nfunc main() { serve.Command.Main(nil, nil) }\n",
		"cmd/multirootca/ca.go":   "package main\n\nfunc main() { http.ListenAndServe(\":8888\", nil) }\n",
		"cli/serve/serve.go":      "package serve\n\nfunc serverMain() {\n\thttp.Handle(\"/api/v1/cfssl/health\", health.NewHealthCheck())\n\thttp.ListenAndServe(\":8888\", nil)\n}\n",
		"certdb/testdb/testdb.go": "package testdb\n\nimport (\n\t_ \"github.com/go-sql-driver/mysql\" // register mysql driver\n\t_ \"github.com/lib/pq\"              // register postgresql driver\n\t_ \"github.com/mattn/go-sqlite3\"    // register sqlite3 driver\n)\n",
		"certdb/sql/sql_test.go":  "package sql\n\nimport \"github.com/cloudflare/cfssl/certdb/testdb\"\n",
		"scan/crypto/md5/gen.go":  "//go:build ignore\n\npackage main\n\nvar program = template.Must(template.New(\"main\").Parse(tmpl))\n",
		"scan/crypto/md5/md5.go":  "package md5\n",
		"Dockerfile":              "FROM golang:1.16\nWORKDIR /workdir\nCOPY . /workdir\nRUN make all && cp bin/* /usr/bin/\nEXPOSE 8888\nENTRYPOINT [\"cfssl\"]\nCMD [\"--help\"]\n",
	}
	s, err := Detect(testutil.WriteTree(t, files), WithEntrypoint("cmd/cfssl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Databases) > 0 || s.CGO != nil || s.Templates != nil || s.Args != nil {
		t.Errorf("databases %v, cgo %v, templates %v, arguments %v: want none of the tests' or the generator's", s.Databases, s.CGO, s.Templates, s.Args)
	}
	files["cmd/cfssl/cfssl.go"] = "package main\n\nimport (\n\t\"github.com/cloudflare/cfssl/cli/serve\"\n\n\t_ \"github.com/lib/pq\" // import to support Postgres\n)\n\nfunc main() { serve.Command.Main(nil, nil) }\n"
	if s, err = Detect(testutil.WriteTree(t, files), WithEntrypoint("cmd/cfssl")); err != nil {
		t.Fatal(err)
	}
	if len(s.Databases) != 1 || s.Databases[0].Value != "postgres" || s.Databases[0].Where() != "cmd/cfssl/cfssl.go:6" {
		t.Errorf("databases %v, want postgres from the program's own main (cmd/cfssl/cfssl.go:6)", s.Databases)
	}
}

// prometheus/pushgateway v1.11.5: r.Get(*routePrefix+"/-/healthy", ...)
// with prometheus/common/route (main.go:114), the prefix a flag whose
// default is empty. /-/healthy was not read (the flag's value is no
// constant), and /status, the page that renders every metric group,
// was taken for the health check.
func TestDetect_RouteUnderAFlagsPrefix(t *testing.T) {
	s, _ := goShape(t, map[string]string{
		"go.mod": "module github.com/prometheus/pushgateway\n\ngo 1.23\n\nrequire github.com/prometheus/common v0.62.0\n",
		"main.go": "package main\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/prometheus/common/route\"\n)\n\n" +
			"var routePrefix = kingpin.Flag(\"web.route-prefix\", \"Prefix for the internal routes of web endpoints.\").Default(\"\").String()\n\n" +
			"func main() {\n\tr := route.New()\n\tr.Get(*routePrefix+\"/-/healthy\", healthy)\n\tr.Get(*routePrefix+\"/-/ready\", ready)\n" +
			"\tr.Get(*routePrefix+\"/status\", status)\n\tr.Get(*routePrefix+\"/\", status)\n\thttp.ListenAndServe(\":9091\", r)\n}\n",
	})
	if got := ev(s.HealthPath); got != "/-/healthy@main.go:13" {
		t.Errorf("health %s, want /-/healthy@main.go:13", got)
	}
}
