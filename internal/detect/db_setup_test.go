package detect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

const goMySQL = "module x\n\ngo 1.22\n\nrequire github.com/go-sql-driver/mysql v1.8.1\n"

func setupString(s *DBSetup) string {
	if s == nil {
		return "-"
	}
	var parts []string
	for _, f := range s.Files {
		parts = append(parts, f.Source+"→"+f.Name+"@"+f.At.Where())
	}
	for _, sk := range s.Skipped {
		parts = append(parts, "skip:"+sk.Value)
	}
	return s.Kind + " db=" + ev(s.Database) + " " + strings.Join(parts, " ")
}

func TestDetect_DBSetup(t *testing.T) {
	mainGo := "package main\n\nimport _ \"github.com/go-sql-driver/mysql\"\n\nfunc main() { e.Start(\":9090\") }\n"
	pgGo := "package main\n\nimport _ \"github.com/jackc/pgx/v5/stdlib\"\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n"
	cases := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"a schema file mounted at a name, the database named in a list (go-echo-clean-arch)", map[string]string{
			"go.mod": goMySQL, "main.go": mainGo, "article.sql": "CREATE DATABASE article;\n",
			"compose.yaml": "services:\n  web:\n    image: x\n  mysql:\n    image: mysql:8.3\n    volumes:\n      - ./article.sql:/docker-entrypoint-initdb.d/init.sql\n    environment:\n      - MYSQL_DATABASE=article\n      - MYSQL_USER=user\n",
		}, "mysql db=article@compose.yaml:9 article.sql→init.sql@compose.yaml:7"},
		{"a directory of scripts, a map environment with a default, MariaDB's image", map[string]string{
			"go.mod": goMySQL, "main.go": mainGo,
			"db/init/02_data.sql": "insert;\n", "db/init/01_schema.sql": "create;\n", "db/init/README.md": "docs\n", "db/init/sub/x.sql": "nested\n",
			"docker-compose.yml": "services:\n  db:\n    image: mariadb:10.11\n    environment:\n      MARIADB_DATABASE: ${DB_NAME:-shop}\n    volumes:\n      - ./db/init:/docker-entrypoint-initdb.d:ro\n",
		}, "mysql db=shop@docker-compose.yml:5 db/init/01_schema.sql→01_schema.sql@docker-compose.yml:7 db/init/02_data.sql→02_data.sql@docker-compose.yml:7 skip:db/init/README.md"},
		{"postgres, the long syntax, a database name that is a variable", map[string]string{
			"go.mod": "module x\n\ngo 1.22\n", "main.go": pgGo, "sql/schema.sql": "create table t();\n",
			"compose.yml": "services:\n  postgres:\n    image: docker.io/library/postgres:16-alpine\n    environment:\n      POSTGRES_DB: ${POSTGRES_DB}\n    volumes:\n      - type: bind\n        source: sql/schema.sql\n        target: /docker-entrypoint-initdb.d/1.sql\n",
		}, "postgres db=- sql/schema.sql→1.sql@compose.yml:7"},
		{"the database name a variable the example env file documents", map[string]string{
			"go.mod": "module x\n\ngo 1.22\n", "main.go": pgGo, "schema.sql": "create table t();\n",
			".env.example":       "# the database\nDB_USER=shop\nDB_NAME=\"shopdb\"\n",
			"docker-compose.yml": "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_DB: ${DB_NAME}\n    volumes:\n      - ./schema.sql:/docker-entrypoint-initdb.d/01-schema.sql:ro\n",
		}, "postgres db=shopdb@.env.example:3 schema.sql→01-schema.sql@docker-compose.yml:7"},
		{"a path outside the repository and an absolute one are not carried", map[string]string{
			"go.mod": goMySQL, "main.go": mainGo,
			"compose.yaml": "services:\n  db:\n    image: mysql\n    volumes:\n      - ../shared/init.sql:/docker-entrypoint-initdb.d/init.sql\n      - /srv/init.sql:/docker-entrypoint-initdb.d/2.sql\n      - dbdata:/var/lib/mysql\n",
		}, "mysql db=- skip:../shared/init.sql skip:/srv/init.sql"},
		{"a database of another kind than the code's is not its set-up", map[string]string{
			"go.mod": goMySQL, "main.go": mainGo, "init.sql": "x\n",
			"compose.yaml": "services:\n  pg:\n    image: postgres:16\n    volumes:\n      - ./init.sql:/docker-entrypoint-initdb.d/init.sql\n",
		}, "-"},
		{"a volume elsewhere, a named volume at the init directory", map[string]string{
			"go.mod": goMySQL, "main.go": mainGo, "my.cnf": "x\n",
			"compose.yaml": "services:\n  db:\n    image: mysql:8\n    volumes:\n      - ./my.cnf:/etc/mysql/conf.d/my.cnf\n      - seed:/docker-entrypoint-initdb.d\n",
		}, "-"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := Detect(testutil.WriteTree(t, c.files))
			if err != nil {
				t.Fatal(err)
			}
			if got := setupString(s.DBSetup); got != c.want {
				t.Errorf("set-up = %q, want %q", got, c.want)
			}
		})
	}
}

// A link inside the repository that points out of it is outside.
func TestDetect_DBSetupLinkOut(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret.sql")
	if err := os.WriteFile(outside, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := testutil.WriteTree(t, map[string]string{
		"go.mod": goMySQL, "main.go": "package main\n\nimport _ \"github.com/go-sql-driver/mysql\"\n\nfunc main() {}\n",
		"compose.yaml": "services:\n  db:\n    image: mysql\n    volumes:\n      - ./init.sql:/docker-entrypoint-initdb.d/init.sql\n",
	})
	if err := os.Symlink(outside, filepath.Join(dir, "init.sql")); err != nil {
		t.Fatal(err)
	}
	s, err := Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := setupString(s.DBSetup); got != "mysql db=- skip:./init.sql" {
		t.Errorf("set-up = %q, want the link skipped", got)
	}
}

func TestDetect_ListenHost(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		needs string
		host  string
	}{
		{"Go, a loopback literal in the listen call (go-echo-realworld)", map[string]string{
			"go.mod": "module x\n\ngo 1.22\n", "main.go": "package main\n\nfunc main() {\n\tr := echo.New()\n\tr.Logger.Fatal(r.Start(\"127.0.0.1:8585\"))\n}\n",
		}, "main.go:5", "-"},
		{"Go, every address", map[string]string{
			"go.mod": "module x\n\ngo 1.22\n", "main.go": "package main\n\nfunc main() {\n\tr := echo.New()\n\tr.Start(\":8585\")\n}\n",
		}, "", "-"},
		{"Fastify's listen without a host (node-fastify-demo)", map[string]string{
			"package.json":  `{"type": "module", "scripts": {"start": "node dist/server.js"}, "dependencies": {"fastify": "5"}}`,
			"src/server.ts": "async function init () {\n  try {\n    await app.listen({ port: process.env.PORT ?? 3000 })\n  } catch (err) {}\n}\n",
		}, "src/server.ts:3", "-"},
		{"Fastify's listen reading the host from a variable, over lines", map[string]string{
			"package.json": `{"scripts": {"start": "node server.js"}, "dependencies": {"fastify": "5"}}`,
			"server.js":    "app.listen({\n  port: Number(process.env.PORT) || 3000,\n  host: process.env.FASTIFY_ADDRESS ?? 'localhost',\n})\n",
		}, "", "FASTIFY_ADDRESS@server.js:1"},
		{"Fastify's listen on every address", map[string]string{
			"package.json": `{"scripts": {"start": "node server.js"}, "dependencies": {"fastify": "5"}}`,
			"server.js":    "fastify.listen({ port: 3000, host: '0.0.0.0' })\n",
		}, "", "-"},
		{"Express on localhost by a literal", map[string]string{
			"package.json": `{"scripts": {"start": "node server.js"}, "dependencies": {"express": "5"}}`,
			"server.js":    "const app = express()\napp.listen(3000, 'localhost')\n",
		}, "server.js:2", "-"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := Detect(testutil.WriteTree(t, c.files))
			if err != nil {
				t.Fatal(err)
			}
			var needs []string
			for _, n := range s.Needs {
				needs = append(needs, n.Where())
			}
			if got := strings.Join(needs, " "); got != c.needs {
				t.Errorf("needs = %q, want %q (%v)", got, c.needs, s.Needs)
			}
			if got := ev(s.HostVar); got != c.host {
				t.Errorf("host variable = %q, want %q", got, c.host)
			}
		})
	}
}

// A database on loopback in a configuration file the code loads
// (go-gin-blog's conf/app.ini) is reported, for the database kinds the
// code talks to only.
func TestDetect_LoopbackConfig(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"go.mod":       goMySQL,
		"main.go":      "package main\n\nimport _ \"github.com/go-sql-driver/mysql\"\n\nfunc main() {\n\tcfg, _ := ini.Load(\"conf/app.ini\")\n\tr.Run(\":8000\")\n}\n",
		"conf/app.ini": "[app]\nPrefixUrl = http://127.0.0.1:8000\n\n[database]\n# Host = db:3306\nHost = 127.0.0.1:3306\n\n[redis]\nHost = 127.0.0.1:6379\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if got := evs(s.LoopbackConfig); got != "mysql@conf/app.ini:6" {
		t.Errorf("loopback config = %q, want mysql@conf/app.ini:6 (redis is not a database the code talks to)", got)
	}
}

// zhashkevych/todo-app's configs/config.yml: host and port are keys of
// one block (db: host: "localhost" ... port: "5432"); a port of another
// block (redis' 6379 before it) is not the host's. Its main exits through
// logrus.Fatalf when godotenv.Load cannot read .env: the image carries an
// empty one.
func TestDetect_LoopbackConfigBlockAndFatalEnvFile(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"go.mod": "module todo\n\ngo 1.22\n\nrequire github.com/lib/pq v1.10.9\n",
		"cmd/main.go": "package main\n\nimport _ \"github.com/lib/pq\"\n\nfunc main() {\n\tviper.AddConfigPath(\"configs\")\n\tviper.SetConfigName(\"config\")\n\tviper.ReadInConfig()\n" +
			"\tif err := godotenv.Load(); err != nil {\n\t\tlogrus.Fatalf(\"error loading env variables: %s\", err.Error())\n\t}\n\thttp.HandleFunc(\"/healthz\", ok)\n\thttp.ListenAndServe(\":\"+viper.GetString(\"port\"), nil)\n}\n",
		"configs/config.yml": "port: \"8000\"\n\nredis:\n    port: \"6379\"\ndb:\n    username: \"postgres\"\n    host: \"localhost\"\n    port: \"5432\"\n    dbname: \"postgres\"\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if got := evs(s.LoopbackConfig); got != "postgres@configs/config.yml:7" {
		t.Errorf("loopback config = %q, want postgres@configs/config.yml:7", got)
	}
	if got := ev(s.EnvFile); got != ".env@cmd/main.go:9" {
		t.Errorf("env file = %q, want .env@cmd/main.go:9 (logrus.Fatalf ends the program)", got)
	}
}

// FuzzDBSetup feeds arbitrary compose files to the set-up reader, and the
// same text to the listen-call and configuration readers.
func FuzzDBSetup(f *testing.F) {
	for _, seed := range []string{
		"services:\n  db:\n    image: mysql\n    volumes:\n      - ./a.sql:/docker-entrypoint-initdb.d/a.sql\n    environment:\n      - MYSQL_DATABASE=x\n",
		"services:\n  db: &d\n    image: postgres\n    volumes: [{type: bind, source: ., target: /docker-entrypoint-initdb.d}]\n  db2: *d\n",
		"services: [1, 2]\n",
		"a: &a [*a]\n",
		"services:\n  db:\n    image: mariadb\n    volumes:\n      - ../../etc:/docker-entrypoint-initdb.d\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, compose string) {
		dir := t.TempDir()
		files := map[string]string{
			"go.mod":       goMySQL,
			"main.go":      "package main\n\nimport _ \"github.com/go-sql-driver/mysql\"\nimport _ \"github.com/lib/pq\"\n\nfunc main() {}\n",
			"a.sql":        "select 1;\n",
			"compose.yaml": compose,
		}
		for name, data := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		r := &repo{dir: dir, lines: map[string][]string{}, lang: "go"}
		listen := map[string]string{
			"package.json": `{"scripts": {"start": "node server.js"}, "dependencies": {"fastify": "5"}}`,
			"server.js":    "app.listen({" + compose + "\n})\napp.listen(" + compose + ")\n",
			"main.go":      "package main\n\nfunc main() {\n\tini.Load(\"conf/app.ini\")\n\tr.Start(" + compose + ")\n}\n",
		}
		if err := os.MkdirAll(filepath.Join(dir, "conf"), 0o755); err != nil {
			t.Fatal(err)
		}
		listen["conf/app.ini"] = compose
		for name, data := range listen {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for _, lang := range []string{"node", "go"} {
			if _, err := DetectAs(dir, lang); err != nil {
				t.Fatal(err)
			}
		}
		for _, kind := range []string{"postgres", "mysql"} {
			s := r.dbSetup(kind)
			if s == nil {
				continue
			}
			for _, file := range s.Files {
				if strings.HasPrefix(file.Source, "..") || filepath.IsAbs(file.Source) || strings.Contains(file.Name, "/") {
					t.Fatalf("a file outside the repository or a name with a path: %+v", file)
				}
			}
		}
	})
}
