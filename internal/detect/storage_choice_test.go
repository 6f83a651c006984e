package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// A database the program talks to only when a setting chooses it, whose
// default needs no server, is not started: pasty's STORAGE_TYPE ("file",
// beside its "postgres" and "mongodb" constants), gorush's stat.engine
// ("memory", beside "redis" in a switch). A database the code opens
// whatever a setting says stays, even with a cache setting defaulting to
// memory and "postgres" written elsewhere.
func TestDetect_AlternativeDatabases(t *testing.T) {
	mod := "module example.com/app\n\ngo 1.24\n\nrequire (\n\tgithub.com/lib/pq v1.10.9\n\tgo.mongodb.org/mongo-driver v1.17.0\n\tgithub.com/redis/go-redis/v9 v9.7.0\n)\n"
	cases := []struct {
		name        string
		files       map[string]string
		kept, moved []string
	}{{
		name: "constants of a storage type",
		files: map[string]string{
			"go.mod": mod,
			"internal/shared/storage.go": "package shared\n\ntype StorageType string\n\nconst (\n\tFile = StorageType(\"file\")\n" +
				"\tPostgres = StorageType(\"postgres\")\n\tMongoDB = StorageType(\"mongodb\")\n)\n",
			"internal/config/config.go": "package config\n\nimport (\n\t\"os\"\n\n\t\"example.com/app/internal/shared\"\n)\n\nfunc get(key, def string) string {\n\tif v, ok := os.LookupEnv(\"APP_\" + key); ok {\n\t\treturn v\n\t}\n\treturn def\n}\n\n" +
				"var Storage = shared.StorageType(get(\"STORAGE_TYPE\", \"file\"))\n",
			"internal/storage/postgres/driver.go": "package postgres\n\nimport _ \"github.com/lib/pq\"\n",
			"internal/storage/mongodb/driver.go":  "package mongodb\n\nimport _ \"go.mongodb.org/mongo-driver/mongo\"\n",
			"main.go": "package main\n\nimport (\n\t\"net/http\"\n\n\t_ \"example.com/app/internal/config\"\n\t_ \"example.com/app/internal/storage/mongodb\"\n\t_ \"example.com/app/internal/storage/postgres\"\n)\n\n" +
				"func main() {\n\thttp.HandleFunc(\"/healthz\", func(w http.ResponseWriter, r *http.Request) {})\n\t_ = http.ListenAndServe(\":8080\", nil)\n}\n",
		},
		moved: []string{"mongodb", "postgres"},
	}, {
		name: "a switch on an engine",
		files: map[string]string{
			"go.mod":                 mod,
			"config/config.go":       "package config\n\nimport \"github.com/spf13/viper\"\n\nfunc Load(v *viper.Viper) {\n\tv.SetDefault(\"stat.engine\", \"memory\")\n}\n",
			"storage/redis/redis.go": "package redis\n\nimport \"github.com/redis/go-redis/v9\"\n\nfunc New() *redis.Client { return redis.NewClient(&redis.Options{}) }\n",
			"status/status.go": "package status\n\nimport \"example.com/app/storage/redis\"\n\ntype Conf struct{ Stat struct{ Engine string } }\n\n" +
				"func Init(conf *Conf) {\n\tswitch conf.Stat.Engine {\n\tcase \"memory\":\n\tcase \"redis\":\n\t\t_ = redis.New()\n\t}\n}\n",
			"main.go": "package main\n\nimport (\n\t\"net/http\"\n\n\t_ \"example.com/app/config\"\n\t_ \"example.com/app/status\"\n)\n\n" +
				"func main() {\n\thttp.HandleFunc(\"/healthz\", func(w http.ResponseWriter, r *http.Request) {})\n\t_ = http.ListenAndServe(\":8080\", nil)\n}\n",
		},
		moved: []string{"redis"},
	}, {
		name: "a database opened whatever a cache setting says",
		files: map[string]string{
			"go.mod":           mod,
			"config/config.go": "package config\n\nimport \"github.com/spf13/viper\"\n\nfunc Load(v *viper.Viper) {\n\tv.SetDefault(\"cache.driver\", \"memory\")\n}\n",
			"cache/cache.go":   "package cache\n\nconst (\n\tMemory = \"memory\"\n\tRedis = \"redis\"\n)\n",
			"main.go": "package main\n\nimport (\n\t\"database/sql\"\n\t\"net/http\"\n\n\t_ \"github.com/lib/pq\"\n\t_ \"example.com/app/cache\"\n\t_ \"example.com/app/config\"\n)\n\n" +
				"func main() {\n\tdb, _ := sql.Open(\"postgres\", \"\")\n\t_ = db\n\thttp.HandleFunc(\"/healthz\", func(w http.ResponseWriter, r *http.Request) {})\n\t_ = http.ListenAndServe(\":8080\", nil)\n}\n",
		},
		kept: []string{"postgres"},
	}, {
		// The switch that holds "memory" beside "postgres" reads
		// database.driver, whose default is postgres.
		name: "a database a storage setting defaults to",
		files: map[string]string{
			"go.mod": mod,
			"main.go": "package main\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/spf13/viper\"\n\t_ \"github.com/lib/pq\"\n)\n\n" +
				"func store(driver string) {\n\tswitch viper.GetString(\"database.driver\") {\n\tcase \"memory\":\n\tcase \"postgres\":\n\t}\n}\n\n" +
				"func main() {\n\tviper.SetDefault(\"database.driver\", \"postgres\")\n\tviper.SetDefault(\"cache.driver\", \"memory\")\n\tstore(\"\")\n" +
				"\thttp.HandleFunc(\"/healthz\", func(w http.ResponseWriter, r *http.Request) {})\n\t_ = http.ListenAndServe(\":8080\", nil)\n}\n",
		},
		kept: []string{"postgres"},
	}, {
		// A rate limiter's store chooses memory or Redis, and the job
		// queue uses Redis whatever it says.
		name: "a database used outside the choice",
		files: map[string]string{
			"go.mod": mod,
			"limit/limit.go": "package limit\n\nimport \"github.com/spf13/viper\"\n\ntype C struct{ RateLimit struct{ Store string } }\n\n" +
				"func Load(v *viper.Viper) { v.SetDefault(\"ratelimit.store\", \"memory\") }\n\nfunc New(c C) {\n\tswitch c.RateLimit.Store {\n\tcase \"memory\":\n\tcase \"redis\":\n\t}\n}\n",
			"queue/queue.go": "package queue\n\nimport \"github.com/redis/go-redis/v9\"\n\nvar Client = redis.NewClient(&redis.Options{})\n",
			"main.go": "package main\n\nimport (\n\t\"net/http\"\n\n\t_ \"example.com/app/limit\"\n\t_ \"example.com/app/queue\"\n)\n\n" +
				"func main() {\n\thttp.HandleFunc(\"/healthz\", func(w http.ResponseWriter, r *http.Request) {})\n\t_ = http.ListenAndServe(\":8080\", nil)\n}\n",
		},
		kept: []string{"redis"},
	}, {
		// An untyped block of defaults is no choice.
		name: "constants that are no choice",
		files: map[string]string{
			"go.mod": mod,
			"main.go": "package main\n\nimport (\n\t\"flag\"\n\t\"net/http\"\n\n\t_ \"github.com/lib/pq\"\n)\n\n" +
				"const (\n\tdefaultUploads = \"local\"\n\tdefaultDriver = \"postgres\"\n)\n\n" +
				"func main() {\n\t_ = flag.String(\"upload-storage\", \"local\", \"\")\n\thttp.HandleFunc(\"/healthz\", func(w http.ResponseWriter, r *http.Request) {})\n\t_ = http.ListenAndServe(\":8080\", nil)\n}\n",
		},
		kept: []string{"postgres"},
	}}
	names := func(es []Evidence) string {
		var out []string
		for _, e := range es {
			out = append(out, e.Value)
		}
		return strings.Join(out, ",")
	}
	// A config struct's tag default, a switch whose cases are constants,
	// and the client imported in the package of that switch (usefathom/
	// fathom's sqlstore: `switch c.Driver { case POSTGRES: ... }` beside
	// its drivers' imports): the choice's client, not one used anyway.
	cases = append(cases, struct {
		name        string
		files       map[string]string
		kept, moved []string
	}{
		name: "a tag's default, constant cases, the client beside the switch",
		files: map[string]string{
			"go.mod": mod,
			"config/config.go": "package config\n\nimport \"github.com/kelseyhightower/envconfig\"\n\n" +
				"type Config struct {\n\tStore struct {\n\t\tEngine string `default:\"memory\"`\n\t}\n}\n\nfunc Parse() (c Config) {\n\tenvconfig.Process(\"app\", &c)\n\treturn\n}\n",
			"store/store.go": "package store\n\nimport (\n\t\"example.com/app/config\"\n\t\"github.com/redis/go-redis/v9\"\n)\n\nconst (\n\tMEMORY = \"memory\"\n\tREDIS  = \"redis\"\n)\n\n" +
				"func New(c config.Config) any {\n\tswitch c.Store.Engine {\n\tcase MEMORY:\n\t\treturn map[string]string{}\n\tcase REDIS:\n\t\treturn redis.NewClient(nil)\n\t}\n\treturn nil\n}\n",
			"main.go": "package main\n\nimport (\n\t\"net/http\"\n\n\t\"example.com/app/config\"\n\t\"example.com/app/store\"\n)\n\n" +
				"func main() {\n\tc := config.Parse()\n\tstore.New(c)\n\thttp.HandleFunc(\"/healthz\", func(w http.ResponseWriter, r *http.Request) {})\n\t_ = http.ListenAndServe(\":8080\", nil)\n}\n",
		},
		moved: []string{"redis"},
	})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Detect(testutil.WriteTree(t, tc.files))
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range tc.kept {
				if !strings.Contains(","+names(s.Databases)+",", ","+want+",") {
					t.Errorf("databases %s, want %s among them", names(s.Databases), want)
				}
			}
			for _, want := range tc.moved {
				if strings.Contains(","+names(s.Databases)+",", ","+want+",") || !strings.Contains(","+names(s.Unconfigured)+",", ","+want+",") {
					t.Errorf("databases %s, unconfigured %s: want %s not started", names(s.Databases), names(s.Unconfigured), want)
				}
			}
			for _, u := range s.Unconfigured {
				if !strings.Contains(u.Why, "which needs no server") {
					t.Errorf("%s unconfigured without the setting that passes it over: %s", u.Value, u.Why)
				}
			}
		})
	}
}

// A route registered for writing with a handler wrapped in a call named
// Handle (pasty's router.POST("/documents", limiter.Handle(h))) is no
// health route candidate: the registration is the line's first call.
func TestDetect_WriteRouteWithWrappedHandler(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"go.mod": "module example.com/paste\n\ngo 1.24\n\nrequire github.com/fasthttp/router v1.5.4\n",
		"main.go": "package main\n\nimport (\n\t\"github.com/fasthttp/router\"\n\t\"github.com/valyala/fasthttp\"\n)\n\n" +
			"type limiter struct{}\n\nfunc (limiter) Handle(h fasthttp.RequestHandler) fasthttp.RequestHandler { return h }\n\n" +
			"func main() {\n\tvar l limiter\n\tr := router.New()\n\tr.POST(\"/documents\", l.Handle(func(ctx *fasthttp.RequestCtx) {}))\n" +
			"\tr.GET(\"/info\", l.Handle(func(ctx *fasthttp.RequestCtx) {}))\n\t_ = fasthttp.ListenAndServe(\":8080\", r.Handler)\n}\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	offered := ""
	for _, ch := range s.Ambiguous {
		for _, c := range ch.Candidates {
			offered += " " + c.Value
		}
	}
	if strings.Contains(offered+" ", " /documents ") || ev(s.HealthPath) == "/documents@main.go:15" {
		t.Errorf("the POST route offered: health %s, candidates%s", ev(s.HealthPath), offered)
	}
	if !strings.Contains(offered+" ", " /info ") {
		t.Errorf("candidates%s, want /info", offered)
	}
}
