package detect

import (
	"fmt"
	"strings"
	"testing"
)

// The shapes are those code search finds in gorm and database/sql code
// (the open item: Go builds its URLs with fmt.Sprintf).
func TestGoSprintfParts(t *testing.T) {
	reads := map[string]bool{"DB_HOST": true, "DB_USER": true, "DB_PASSWORD": true, "DB_NAME": true, "DB_PORT": true,
		"PG_SERVICE": true, "APP_DB_LOGIN": true, "APP_DB_SECRET": true, "APP_DB": true, "GO_ENV": true, "REDIS_ADDR": true,
		"MYSQL_USER": true, "MYSQL_PASSWORD": true, "MYSQL_ADDRESS": true, "MYSQL_PORT": true, "MYSQL_DBNAME": true}
	for _, tc := range []struct{ name, code, want string }{
		{"the arguments read the variables themselves, one per line", `dsn := fmt.Sprintf("host=%s user=%s password=%s dbname=%s port=%s sslmode=disable",
		os.Getenv("PG_SERVICE"),
		os.Getenv("APP_DB_LOGIN"),
		os.Getenv("APP_DB_SECRET"),
		os.Getenv("APP_DB"),
		os.Getenv("DB_PORT"))`, "[{PG_SERVICE host postgres 1} {APP_DB_LOGIN user postgres 1} {APP_DB_SECRET password postgres 1} {APP_DB name postgres 1} {DB_PORT port postgres 1}]"},
		{"local variables set a few lines up, a default after one", `dbHost := os.Getenv("PG_SERVICE")
	if dbHost == "" {
		dbHost = "localhost"
	}
	user := config.Config("APP_DB_LOGIN")
	db, err := sql.Open("postgres", fmt.Sprintf("host=%s user=%s password=%s dbname=%s port=%s sslmode=disable", dbHost, user, pass, "app", port))`,
			"[{PG_SERVICE host postgres 6} {APP_DB_LOGIN user postgres 6}]"},
		{"a URL", `url := fmt.Sprintf("postgres://%s:%s@%s:%d/%s?sslmode=disable", os.Getenv("APP_DB_LOGIN"), os.Getenv("APP_DB_SECRET"), os.Getenv("PG_SERVICE"), 5432, os.Getenv("APP_DB"))`,
			"[{APP_DB_LOGIN user postgres 1} {APP_DB_SECRET password postgres 1} {PG_SERVICE host postgres 1} {APP_DB name postgres 1}]"},
		{"go-sql-driver/mysql's DSN", "dsn := fmt.Sprintf(`%s:%s@tcp(%s:%s)/%s?charset=utf8mb4&parseTime=True&loc=Local`, os.Getenv(\"DB_USER\"), os.Getenv(\"DB_PASSWORD\"), os.Getenv(\"DB_HOST\"), os.Getenv(\"DB_PORT\"), os.Getenv(\"DB_NAME\"))",
			"[{DB_USER user mysql 1} {DB_PASSWORD password mysql 1} {DB_HOST host mysql 1} {DB_PORT port mysql 1} {DB_NAME name mysql 1}]"},
		// Found by code search: names no list knows, MYSQL_ADDRESS for
		// the host (MYSQL_HOST and MYSQL_ADDR are known).
		{"go-sql-driver/mysql's DSN with its own names", `dsn := fmt.Sprintf("%s:%s@tcp(%s:%s)/%s", os.Getenv("MYSQL_USER"), os.Getenv("MYSQL_PASSWORD"), os.Getenv("MYSQL_ADDRESS"), os.Getenv("MYSQL_PORT"), os.Getenv("MYSQL_DBNAME"))`,
			"[{MYSQL_USER user mysql 1} {MYSQL_PASSWORD password mysql 1} {MYSQL_ADDRESS host mysql 1} {MYSQL_PORT port mysql 1} {MYSQL_DBNAME name mysql 1}]"},
		{"a mode variable in the database's name is no part", `fmt.Sprintf("host=%s dbname=app_%s", os.Getenv("PG_SERVICE"), os.Getenv("GO_ENV"))`, "[{PG_SERVICE host postgres 1}]"},
		{"a socket has no host", `fmt.Sprintf("%s:%s@unix(/run/mysqld.sock)/%s", os.Getenv("DB_USER"), os.Getenv("DB_PASSWORD"), os.Getenv("DB_NAME"))`, "[]"},
		{"no connection string", `msg := fmt.Sprintf("user=%s logged in from %s", os.Getenv("DB_USER"), os.Getenv("DB_HOST"))`, "[]"},
		{"an argument naming two variables says neither", `fmt.Sprintf("redis://%s/0", os.Getenv("REDIS_ADDR")+os.Getenv("DB_HOST"))`, "[]"},
		{"an explicit argument index is not read", `fmt.Sprintf("host=%[1]s dbname=%[2]s", os.Getenv("PG_SERVICE"), os.Getenv("APP_DB"))`, "[]"},
		{"more verbs than arguments", `fmt.Sprintf("host=%s dbname=%s", os.Getenv("PG_SERVICE"))`, "[]"},
		{"a percent sign and a struct's fields", `fmt.Sprintf("postgres://%s:50%%@%s/%s", cfg.User, os.Getenv("PG_SERVICE"), cfg.Name)`, "[{PG_SERVICE host postgres 1}]"},
		// The review's cases: a log line's keywords, and a variable of
		// another function (a parameter here) read 40 lines up.
		{"a log line's keywords", `log.Info(fmt.Sprintf("listening host=%s port=%s", os.Getenv("PG_SERVICE"), os.Getenv("DB_PORT")))`, "[]"},
		{"another function's variable", "func initRedis() {\n\thost := os.Getenv(\"REDIS_ADDR\")\n\t_ = host\n}\n\nfunc connectDB(host string) {\n\tdsn := fmt.Sprintf(\"host=%s dbname=%s\", host, os.Getenv(\"APP_DB\"))\n}", "[{APP_DB name postgres 7}]"},
		{"a comment", `// dsn := fmt.Sprintf("host=%s", os.Getenv("PG_SERVICE"))`, "[]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, p := range goSprintfParts(strings.Split(tc.code, "\n"), reads) {
				got = append(got, fmt.Sprintf("{%s %s %s %d}", p.Value, p.Role, p.Scheme, p.Line))
			}
			if s := "[" + strings.Join(got, " ") + "]"; s != tc.want {
				t.Errorf("got %s, want %s", s, tc.want)
			}
		})
	}
}

func FuzzGoSprintfParts(f *testing.F) {
	f.Add("dsn := fmt.Sprintf(\"host=%s user=%s dbname=%s\",\n\tos.Getenv(\"DB_HOST\"), user, os.Getenv(\"DB_NAME\"))")
	f.Add("fmt.Sprintf(`%s:%s@tcp(%s:%s)/%s`, a, b, os.Getenv(\"DB_HOST\"), d, e)")
	f.Add("fmt.Sprintf(\"postgres://%[1]s:%*d@%%/%s\", (a, \"b\"), `c`")
	reads := map[string]bool{"DB_HOST": true, "DB_NAME": true}
	roles := map[string]bool{"user": true, "password": true, "host": true, "port": true, "name": true}
	f.Fuzz(func(t *testing.T, code string) {
		lines := strings.Split(code, "\n")
		for _, p := range goSprintfParts(lines, reads) {
			if !reads[p.Value] || !roles[p.Role] || p.Line < 1 || p.Line > len(lines) {
				t.Fatalf("part %+v from %q", p, code)
			}
		}
	})
}
