package e2e

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// goServiceWith copies examples/init/go-service to a new git repository
// and applies edits (old → new, each must apply) to its main.go.
func goServiceWith(t *testing.T, files map[string]string, edits ...[2]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "go-service")
	copyTree(t, filepath.Join(repoRoot(t), "examples", "init", "go-service"), dir)
	src := filepath.Join(dir, "main.go")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	code := string(data)
	for _, e := range edits {
		if !strings.Contains(code, e[0]) {
			t.Fatalf("examples/init/go-service/main.go no longer holds %q: update the test", e[0])
		}
		code = strings.Replace(code, e[0], e[1], 1)
	}
	files["main.go"] = code
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	commitAll(t, dir, "source")
	return dir
}

var builtRef = regexp.MustCompile(`Verifying(?: again)?: building (\S+) from`)

// initVerify runs init --verify with flags on dir and removes every image
// it built when the test ends.
func initVerify(t *testing.T, dir string, flags ...string) (int, string, string) {
	t.Helper()
	t.Cleanup(noneLeft(t, "the diagnosis left sidecars behind", "ps", "-aq", "--filter", "label=dev.shipshape.diagnose"))
	code, out, errOut := shipshape(t, append(append([]string{"init", "--verify"}, flags...), dir)...)
	for _, m := range builtRef.FindAllStringSubmatch(out, -1) {
		ref := m[1]
		t.Cleanup(func() { _, _ = try("rmi", "-f", ref) })
	}
	return code, out, errOut
}

// TestInitVerify_FindsTheRealPortAndFixesIt: the app reads its listen
// address from an embedded config file, which detection cannot see, so init
// assumes Go's 8080. The image never turns healthy; the diagnosis reads the
// container's sockets, finds 5000, and init rewrites the files with
// --port 5000, rebuilds, and the image passes verify.
func TestInitVerify_FindsTheRealPortAndFixesIt(t *testing.T) {
	dir := goServiceWith(t, map[string]string{"config.json": `{"listen": ":5000"}` + "\n"},
		[2]string{`import (`, "import (\n\t_ \"embed\"\n\t\"encoding/json\""},
		[2]string{`func main() {`, "//go:embed config.json\nvar configJSON []byte\n\nfunc main() {\n\tvar cfg struct{ Listen string }\n\tif err := json.Unmarshal(configJSON, &cfg); err != nil {\n\t\tlog.Fatal(err)\n\t}"},
		[2]string{`http.Get("http://127.0.0.1:8080/healthz")`, `http.Get("http://127.0.0.1" + cfg.Listen + "/healthz")`},
		[2]string{`Addr: ":8080"`, `Addr: cfg.Listen`},
	)
	code, out, errOut := initVerify(t, dir)
	if code != 0 {
		t.Fatalf("init --verify: exit %d\n%s\nstderr:\n%s", code, out, lastLines(errOut, 30))
	}
	for _, want := range []string{
		"FAIL healthy",
		"The app listens on 5000, not 8080 (the image's EXPOSE/HEALTHCHECK port): pass --port 5000",
		"Listening (/proc/", "[::]:5000 (uid 10001)",
		"Routes on 5000: /healthz 200, /health 200",
		"Changed: --port 5000 (was 8080), because the app listens on 5000, not 8080",
		"rewrote    Dockerfile",
		"ok   healthy",
		"passed verify after the change (next time, pass --port 5000)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("init --verify output lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "Verifying: building") != 1 || strings.Count(out, "Verifying again: building") != 1 {
		t.Errorf("want one build, then one rebuild:\n%s", out)
	}
	t.Logf("init --verify output:\n%s", out)

	df, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if err != nil || !strings.Contains(string(df), "EXPOSE 5000") {
		t.Fatalf("the Dockerfile does not expose 5000 (%v):\n%s", err, df)
	}
	// Proof apart from init's own word: the image it left verifies.
	m := builtRef.FindAllStringSubmatch(out, -1)
	ref := m[len(m)-1][1]
	if code, checks, report := verifyImage(t, ref); code != 0 || !checks["healthy"].Passed || !checks["health-path"].Passed {
		t.Fatalf("verify %s: exit %d\n%s", ref, code, report)
	}
}

// TestInitVerify_AppExitsAtStart: the app stops at once for want of a
// file the image lacks. There is no port or route to change and no
// variable to fill in, so init stops with exit 1, the log tail and the
// cause, keeps the files it wrote, and never says the image passed.
func TestInitVerify_AppExitsAtStart(t *testing.T) {
	dir := goServiceWith(t, map[string]string{},
		[2]string{`	mux := http.NewServeMux()`, "\tif _, err := os.Stat(\"/etc/shop/config.toml\"); err != nil {\n\t\tlog.Fatal(err)\n\t}\n\tmux := http.NewServeMux()"},
	)
	code, out, errOut := initVerify(t, dir)
	if code != 1 {
		t.Fatalf("init --verify: exit %d, want 1\n%s\nstderr:\n%s", code, out, lastLines(errOut, 30))
	}
	for _, want := range []string{
		"FAIL starts          exited with code 1",
		"The container exited with code 1 before it turned healthy.",
		"The app opens /etc/shop/config.toml, which is not in the image",
		"Last log line:",
		"stat /etc/shop/config.toml: no such file or directory",
		"The files init wrote stay in place: they are yours to fix.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("init --verify output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "passed verify") || strings.Contains(out, "Changed:") {
		t.Errorf("init --verify claims success or changed the plan:\n%s", out)
	}
	if !strings.Contains(errOut, "shipshape: init --verify: the image of "+dir+" did not pass (the diagnosis is above)") {
		t.Errorf("stderr lacks the one-line failure:\n%s", lastLines(errOut, 5))
	}
	if _, err := os.Stat(filepath.Join(dir, "Dockerfile")); err != nil {
		t.Errorf("the files init wrote are gone: %v", err)
	}
	t.Logf("init --verify output:\n%s", out)
}

// TestInitVerify_PlaceholderForARequiredVariable: the app stops at once
// without a variable nothing here sets. Under a name the code builds,
// which detection cannot read, the log names it and init reruns the same
// image with a generated placeholder; read where it is tested, detection
// finds it and the first run gets one. Either way the placeholder is
// passed to the run only, and init says so: the image is proven, the
// value must come from where it runs.
func TestInitVerify_PlaceholderForARequiredVariable(t *testing.T) {
	for _, tc := range []struct {
		name, check, says string
	}{
		{"a name the code builds", `if feed := "FEED" + "_NAME"; os.Getenv(feed) == "" {`, "The app stopped for want of FEED_NAME"},
		{"read where it is tested", `if os.Getenv("FEED_NAME") == "" {`, "The app requires variables nothing here sets: the run gets generated placeholders for FEED_NAME (main.go:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := goServiceWith(t, map[string]string{},
				[2]string{`	mux := http.NewServeMux()`, "\t" + tc.check + "\n\t\tlog.Fatal(\"environment variable FEED_NAME is required\")\n\t}\n\tmux := http.NewServeMux()"},
			)
			code, out, errOut := initVerify(t, dir)
			if code != 0 {
				t.Fatalf("init --verify: exit %d, want 0\n%s\nstderr:\n%s", code, out, lastLines(errOut, 30))
			}
			for _, want := range []string{
				tc.says,
				"passed verify",
				"It ran with generated placeholder values for FEED_NAME: set real ones where it runs",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("init --verify output lacks %q:\n%s", want, out)
				}
			}
			for _, f := range []string{"Dockerfile", "compose.yaml", ".env.example"} {
				data, _ := os.ReadFile(filepath.Join(dir, f))
				for _, line := range strings.Split(string(data), "\n") {
					if k, v, ok := strings.Cut(strings.TrimSpace(line), "FEED_NAME="); ok && k == "" && v != "" {
						t.Errorf("%s holds a value for FEED_NAME: %q", f, line)
					}
				}
			}
		})
	}
}

// TestInitVerify_RunsWithTheDocumentedEnvironment: the same app, with the
// variable documented in the repository's .env.example, turns healthy: the
// run gets the values the repository documents.
func TestInitVerify_RunsWithTheDocumentedEnvironment(t *testing.T) {
	dir := goServiceWith(t, map[string]string{".env.example": "# copy to .env\nSECRET_KEY=change-me\nEMPTY=\n"},
		[2]string{`	mux := http.NewServeMux()`, "\tif os.Getenv(\"SECRET_KEY\") == \"\" {\n\t\tlog.Fatal(\"environment variable SECRET_KEY is required\")\n\t}\n\tmux := http.NewServeMux()"},
	)
	code, out, errOut := initVerify(t, dir)
	if code != 0 || !strings.Contains(out, "The run gets the 1 variables of .env.example") || !strings.Contains(out, "passed verify") {
		t.Fatalf("init --verify: exit %d\n%s\nstderr:\n%s", code, out, lastLines(errOut, 30))
	}
	data, err := os.ReadFile(filepath.Join(dir, ".env.example"))
	if err != nil || !strings.HasPrefix(string(data), "# copy to .env\nSECRET_KEY=change-me\n") {
		t.Errorf(".env.example was not kept as the user wrote it: %q", data)
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// rustAPIExitingWithoutItsDatabase copies examples/init/rust-api to a new
// git repository, changed to exit at start when its database is
// unreachable (as most real apps do), with edits (old → new, each must
// apply) to its main.rs.
func rustAPIExitingWithoutItsDatabase(t *testing.T, edits ...[2]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "rust-api")
	copyTree(t, filepath.Join(repoRoot(t), "examples", "init", "rust-api"), dir)
	const mainStart = "fn main() {\n"
	edits = append(edits, [2]string{mainStart, mainStart + "    if let Err(e) = database_ok() {\n        eprintln!(\"database unreachable: {e}\");\n        std::process::exit(1);\n    }\n"})
	editFile(t, filepath.Join(dir, "src", "main.rs"), "examples/init/rust-api/src/main.rs", edits)
	commitAllNoLeftovers(t, dir, "needs its database")
	t.Cleanup(noneLeft(t, "init --verify left its network", "network", "ls", "-q", "--filter", "label=dev.shipshape.verify=accessory"))
	return dir
}

// editFile makes each edit (old, new) once in file, failing the test when
// the file (named as source) no longer holds an old text.
func editFile(t *testing.T, file, source string, edits [][2]string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	code := string(data)
	for _, e := range edits {
		if !strings.Contains(code, e[0]) {
			t.Fatalf("%s no longer holds %q: update the test", source, e[0])
		}
		code = strings.Replace(code, e[0], e[1], 1)
	}
	if err := os.WriteFile(file, []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
}

// commitAllNoLeftovers is commitAll, and a check at the test's end that
// init --verify left no accessory (database) running.
func commitAllNoLeftovers(t *testing.T, dir, message string) {
	t.Helper()
	commitAll(t, dir, message)
	t.Cleanup(noneLeft(t, "init --verify left its database running", "ps", "-aq", "--filter", "label=dev.shipshape.verify=accessory"))
}

// TestInitVerify_StandInForAnImageTheEngineLacks: rust-api changed to talk
// to MySQL (the URL its code documents is mysql://…:3306) and to exit at
// start without it. init writes mysql:8.4.3, which this engine does not
// have; with --verify-image mysql=mariadb:10.11 the run starts the MariaDB
// stand-in (scripts/engine.sh, MYSQL_* honoured by its entrypoint) under
// the alias the app's DATABASE_URL names, the app reaches it and passes,
// the output says what stood in for what, and compose.yaml still names
// mysql:8.4.3: the substitution is the run's, not the files'.
func TestInitVerify_StandInForAnImageTheEngineLacks(t *testing.T) {
	dir := rustAPIExitingWithoutItsDatabase(t,
		[2]string{"postgres://app:secret@db:5432/app", "mysql://app:secret@db:3306/app"},
		[2]string{`format!("{host}:5432")`, `format!("{host}:3306")`})
	verifyWithStandIn(t, dir, "mysql", "mysql", "db", "mariadb:10.11")
}

// verifyWithStandIn runs init --verify in dir with --verify-image
// flag=standIn and requires it to pass, to say what stood in for what,
// and to leave compose.yaml naming the image of service (its alias in the
// run: alias) and nothing of the stand-in. It returns init's output and
// compose.yaml.
func verifyWithStandIn(t *testing.T, dir, flag, service, alias, standIn string) (out, compose string) {
	t.Helper()
	if _, err := try("image", "inspect", standIn); err != nil {
		t.Fatalf("the engine has no %s: scripts/engine.sh builds it", standIn)
	}
	c, out, errOut := initVerify(t, dir, "--verify-image", flag+"="+standIn)
	if c != 0 {
		t.Fatalf("init --verify: exit %d\n%s\nstderr:\n%s", c, out, lastLines(errOut, 30))
	}
	data, err := os.ReadFile(filepath.Join(dir, "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	compose = string(data)
	image := regexp.MustCompile(`image: (` + service + `:\S+)`).FindStringSubmatch(compose)
	standInName, _, _ := strings.Cut(standIn, ":")
	if image == nil || strings.Contains(compose, standInName) {
		t.Fatalf("compose.yaml should name %s, and nothing of the stand-in:\n%s", service, compose)
	}
	for _, want := range []string{
		"--verify-image: " + alias + " (" + image[1] + ") runs from " + standIn + " for this run only",
		"The app talks to " + alias + " (" + standIn + "): started for the run",
		"passed verify",
		"Verified with " + standIn + " standing in for " + image[1] + " (--verify-image, this run only)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	return out, compose
}

// TestInitVerify_StartsTheDatabaseTheAppNeeds: rust-api changed to exit at
// start when its database is unreachable (as most real apps do) turns
// healthy under init --verify, which starts the Postgres compose.yaml runs,
// on a network of its own with the app's DATABASE_URL pointing at it, and
// removes it afterwards. Its .env.example points DATABASE_URL at
// localhost, as docmost's does: the run replaces that with the started
// database, and its note on the database's login says the app gets it
// through DATABASE_URL (it said "no variable" when worded before the
// replacement).
func TestInitVerify_StartsTheDatabaseTheAppNeeds(t *testing.T) {
	dir := rustAPIExitingWithoutItsDatabase(t)
	if err := os.WriteFile(filepath.Join(dir, ".env.example"), []byte("DATABASE_URL=postgres://app:secret@localhost:5432/app\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	commitAll(t, dir, "an example env file, as docmost's")
	c, out, errOut := initVerify(t, dir)
	if c != 0 || !strings.Contains(out, "The app talks to db (postgres:") || !strings.Contains(out, "passed verify") {
		t.Fatalf("init --verify: exit %d\n%s\nstderr:\n%s", c, out, lastLines(errOut, 30))
	}
	if !strings.Contains(out, "which the app gets through DATABASE_URL") {
		t.Errorf("the note on the database's login should name DATABASE_URL, which the run points at db:\n%s", out)
	}
	// It connects at start: the run sees the connection in its sockets.
	if !strings.Contains(out, "ok   connects        connected to db (") {
		t.Errorf("the run should see the app's connection to db:\n%s", out)
	}
}

// greetingsApp is a Go service whose health route counts the rows of a
// table that only the repository's own set-up file creates: it answers
// 500 on an empty database. Its compose.yaml mounts db/init into
// Postgres's init directory and names the database, as many repositories
// do (go-clean-arch's article.sql).
const greetingsMain = `package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	_ "github.com/lib/pq"
)

func main() {
	db, err := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		panic(err)
	}
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		var n int
		if err := db.QueryRowContext(r.Context(), "SELECT count(*) FROM greetings").Scan(&n); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(w, "%d greetings\n", n)
	})
	srv := &http.Server{Addr: ":8080"}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		_ = srv.Shutdown(context.Background())
	}()
	if err := srv.ListenAndServe(); err != http.ErrServerClosed {
		panic(err)
	}
}
`

// TestInitVerify_CarriesTheRepositorysDatabaseSetup: the repository's
// compose mounts its schema and seed into Postgres's init directory. init
// prints them as evidence, and init --verify's database gets the same
// files (copied in before it starts) and the database name they are
// written for; the app's health route, which reads the table they
// create, passes. The repository's compose file is its own: left alone.
func TestInitVerify_CarriesTheRepositorysDatabaseSetup(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "greetings")
	writeCommitted(t, dir, greetingsWithSetup())
	t.Cleanup(noneLeft(t, "init --verify left its database running", "ps", "-aq", "--filter", "label=dev.shipshape.verify=accessory"))
	c, out, errOut := initVerify(t, dir)
	if c != 0 {
		t.Fatalf("init --verify: exit %d\n%s\nstderr:\n%s", c, out, lastLines(errOut, 30))
	}
	for _, want := range []string{
		"db setup     db/init/01-schema.sql",
		"db name      greetings",
		"db/init/README.md",
		"db gets the repository's set-up files db/init/01-schema.sql, db/init/02-seed.sql at /docker-entrypoint-initdb.d",
		"GET /healthz on port 8080: 200",
		"passed verify",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "compose.yaml")); err == nil {
		t.Errorf("init wrote compose.yaml beside the repository's docker-compose.yml")
	}
}

// greetingsWithSetup is the repository of greetingsMain whose compose
// file mounts its schema and seed into Postgres's init directory.
func greetingsWithSetup() map[string]string {
	return map[string]string{
		"go.mod":                "module example.com/greetings\n\ngo 1.26\n\nrequire github.com/lib/pq v1.10.9\n",
		"go.sum":                libpqSum,
		"main.go":               greetingsMain,
		"db/init/01-schema.sql": "CREATE TABLE greetings (id serial PRIMARY KEY, text text NOT NULL);\n",
		"db/init/02-seed.sql":   "INSERT INTO greetings (text) VALUES ('hello'), ('salut');\n",
		"db/init/README.md":     "Run by Postgres on an empty database.\n",
		"docker-compose.yml": "services:\n  app:\n    build: .\n    environment:\n      DATABASE_URL: postgres://app:app@postgres:5432/greetings?sslmode=disable\n" +
			"  postgres:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: app\n      POSTGRES_PASSWORD: app\n      POSTGRES_DB: greetings\n" +
			"    volumes:\n      - ./db/init:/docker-entrypoint-initdb.d:ro\n",
	}
}

// writeCommitted writes files (path → content) under dir and commits
// them, as a clone of the repository would hold them.
func writeCommitted(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	commitAll(t, dir, "source")
}

// libpqSum is go.sum for greetingsMain's one dependency.
const libpqSum = `github.com/lib/pq v1.10.9 h1:YXG7RB+JIjhP29X+OtkiDnYaXQwpS4JEWq7dtCCRUEw=
github.com/lib/pq v1.10.9/go.mod h1:AlVN5x4E4T544tWzH6hKfbfQvm3HdbOxrmggDNAPY9o=
`

// libpqApp is the tree of a Go module example.com/name whose main.go
// talks to Postgres through lib/pq.
func libpqApp(name, main string) map[string]string {
	return map[string]string{
		"go.mod":  "module example.com/" + name + "\n\ngo 1.26\n\nrequire github.com/lib/pq v1.10.9\n",
		"go.sum":  libpqSum,
		"main.go": main,
	}
}

// greetingsMigrateMain is greetingsMain whose schema comes from its own
// -migrate flag, run once per release (miniflux's shape): without it the
// health route answers 500.
var greetingsMigrateMain = strings.NewReplacer(
	`"fmt"`, `"flag"`+"\n\t"+`"fmt"`,
	"func main() {\n", "var flagMigrate bool\n\nfunc main() {\n\tflag.BoolVar(&flagMigrate, \"migrate\", false, \"apply the migrations and exit\")\n\tflag.Parse()\n",
	"\t\tpanic(err)\n\t}\n\thttp.HandleFunc", "\t\tpanic(err)\n\t}\n\tif flagMigrate {\n\t\tif err := migrate(db); err != nil {\n\t\t\tpanic(err)\n\t\t}\n\t\treturn\n\t}\n\thttp.HandleFunc",
).Replace(greetingsMain) + `
func migrate(db *sql.DB) error {
	_, err := db.Exec("CREATE TABLE greetings (id serial PRIMARY KEY, text text NOT NULL); INSERT INTO greetings (text) VALUES ('hello')")
	return err
}
`

// TestInitVerify_AppliesTheMigrationsFirst: an app whose schema comes
// from its own -migrate flag turns healthy under init --verify, which
// runs that release step against the run's new database before the app
// starts, as compose's app-migrate service does. Without the step its
// health route answers 500 (miniflux exited "the database schema is not
// up to date"). A SQLite app's step runs too, on the volume the app then
// mounts (rtzll/flask-todolist passed verify on a page that reads no
// table, while its migrations were never run and had nowhere to write).
func TestInitVerify_AppliesTheMigrationsFirst(t *testing.T) {
	sqlite := map[string]string{
		"go.mod": "module example.com/greetings\n\ngo 1.26\n\nrequire github.com/mattn/go-sqlite3 v1.14.53\n",
		"go.sum": "github.com/mattn/go-sqlite3 v1.14.53 h1:mnTM0owzUMrKuLo+0w51NUiB0ir2Fo7kFXlPt/l3BGs=\ngithub.com/mattn/go-sqlite3 v1.14.53/go.mod h1:6JTjA44L93a0QCyJef5YvlPoKXntQPjzWv5gtm9sB6w=\n",
		"main.go": strings.NewReplacer(
			`_ "github.com/lib/pq"`, `_ "github.com/mattn/go-sqlite3"`,
			`sql.Open("postgres", os.Getenv("DATABASE_URL"))`, `sql.Open("sqlite3", "data/greetings.db")`,
			"id serial PRIMARY KEY", "id integer PRIMARY KEY",
		).Replace(greetingsMigrateMain),
	}
	for _, tc := range []struct {
		name  string
		files map[string]string
	}{{"postgres", libpqApp("greetings", greetingsMigrateMain)}, {"sqlite", sqlite}} {
		files := tc.files
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "greetings")
			writeCommitted(t, dir, files)
			c, out, errOut := initVerify(t, dir)
			if c != 0 {
				t.Fatalf("init --verify: exit %d\n%s\nstderr:\n%s", c, out, lastLines(errOut, 30))
			}
			for _, want := range []string{
				"The run applies the migrations first, as compose.yaml's migrate service does: /app/server -migrate (main.go:",
				"GET /healthz on port 8080: 200",
				"passed verify",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("the output lacks %q:\n%s", want, out)
				}
			}
			if strings.Contains(out, "the migrations failed") {
				t.Errorf("the migrations failed:\n%s", out)
			}
		})
	}
}

// TestInitVerify_RunsTheMigrationCLI: an app whose schema comes from
// golang-migrate's or goose's CLI, which its Makefile runs (qiangxue/go-
// rest-api's and olefirenque/brarcher's shapes), passes init --verify:
// the image carries the CLI, built from the module proxy, and the run
// applies the migrations to its new Postgres first, with the URL the app
// reads. greetingsMain's health route counts a table the migration makes,
// so it answers 500 without them. The compose project init wrote then
// comes up healthy too: its app-migrate service gets the same URL from
// compose's own interpolation of .env, and the app waits for it.
func TestInitVerify_RunsTheMigrationCLI(t *testing.T) {
	for _, tc := range []struct {
		name, makefile, file, migration, command string
		compose                                  bool
	}{
		{"golang-migrate", "migrateup:\n\tmigrate -path db/migrations -database \"$(DATABASE_URL)\" -verbose up\n",
			"db/migrations/000001_greetings.up.sql", "CREATE TABLE greetings (id serial PRIMARY KEY, text text NOT NULL);\nINSERT INTO greetings (text) VALUES ('hello');\n",
			"/app/migrate -path /app/db/migrations -database $(DATABASE_URL) up (Makefile:2)", true},
		{"goose", "MIGRATIONS_DIR = ./db/migrations\n\nup:\n\tgoose -dir $(MIGRATIONS_DIR) postgres \"$(DATABASE_URL)\" up\n",
			"db/migrations/20240101000000_greetings.sql", "-- +goose Up\nCREATE TABLE greetings (id serial PRIMARY KEY, text text NOT NULL);\nINSERT INTO greetings (text) VALUES ('hello');\n\n-- +goose Down\nDROP TABLE greetings;\n",
			"/app/migrate -dir /app/db/migrations postgres $(DATABASE_URL) up (Makefile:4)", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "greetings-"+tc.name)
			writeCommitted(t, dir, map[string]string{
				"go.mod":   "module example.com/greetings\n\ngo 1.26\n\nrequire github.com/lib/pq v1.10.9\n",
				"go.sum":   libpqSum,
				"main.go":  greetingsMain,
				"Makefile": tc.makefile,
				tc.file:    tc.migration,
			})
			migratesThenServes(t, dir, tc.command, 8080, tc.compose, "migrate-cli")
		})
	}
}

// migratesThenServes runs init --verify on dir, whose health route counts
// a table only its migrations make, and requires the run to apply them
// with command before the app passes; with compose, the compose project
// init wrote (project name e2e-NAME) comes up and answers the migrated
// row through its proxy.
func migratesThenServes(t *testing.T, dir, command string, port int, compose bool, name string) {
	t.Helper()
	c, out, errOut := initVerify(t, dir)
	if c != 0 {
		t.Fatalf("init --verify: exit %d\n%s\nstderr:\n%s", c, out, lastLines(errOut, 30))
	}
	for _, want := range []string{
		"The run applies the migrations first, as compose.yaml's migrate service does: " + command,
		fmt.Sprintf("GET /healthz on port %d: 200", port),
		"passed verify",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "the migrations failed") {
		t.Errorf("the migrations failed:\n%s", out)
	}
	if !compose || t.Failed() {
		return
	}
	m := builtRef.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no image built:\n%s", out)
	}
	_, sha, _ := strings.Cut(m[1], ":")
	url := composeUp(t, dir, name, sha)
	resp, err := http.Get(url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "1 greetings") {
		t.Errorf("through the compose project's proxy: %d %s; want 200 and the migrated row", resp.StatusCode, body)
	}
}

// TestInitVerify_RunsKnexMigrations: a Node app whose schema comes from
// knex's migrations passes init --verify, which runs knex's CLI from the
// image's node_modules against the run's new Postgres before the app
// starts; the app's health route counts a table only the migration makes.
// The evidence comes in the two shapes real repositories hold: a
// `knex migrate:latest` script (0xvoider42/CMWAPP-API), and a knexfile
// whose migrations directory holds JavaScript migrations with no script
// (aldrichvalentino/node-postgres, whose README says to run it). knex
// and pg come from the npm registry at the lock file's versions. The
// compose project init wrote for the first comes up healthy through its
// proxy, its app waiting for app-migrate.
func TestInitVerify_RunsKnexMigrations(t *testing.T) {
	for _, tc := range []struct {
		name, evidence  string
		script, compose bool
	}{
		{"script", "(package.json:9)", true, true},
		{"knexfile", "(knexfile.js", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "knex-"+tc.name)
			copyTree(t, filepath.Join("testdata", "knex-greetings"), dir)
			if !tc.script {
				pkg := filepath.Join(dir, "package.json")
				data, err := os.ReadFile(pkg)
				if err != nil {
					t.Fatal(err)
				}
				trimmed := strings.Replace(string(data), "\"start\": \"node server.js\",\n    \"migrate\": \"knex migrate:latest\"", "\"start\": \"node server.js\"", 1)
				if trimmed == string(data) {
					t.Fatal("testdata/knex-greetings/package.json has no migrate script to remove")
				}
				if err := os.WriteFile(pkg, []byte(trimmed), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			commitAllNoLeftovers(t, dir, "source")
			migratesThenServes(t, dir, "/nodejs/bin/node node_modules/knex/bin/cli.js migrate:latest --knexfile knexfile.js "+tc.evidence, 3000, tc.compose, "knex")
		})
	}
}

// TestInitVerify_DatabaseOnLoopbackIsNoPass: an app whose code opens its
// database at localhost (romihakiem/node-express-sequelize-postgresql-api-
// crud's shape: a health route that reads no table, every API call
// refused) starts, turns healthy and passes every check, and init
// --verify still exits 1: in any container that address is the container
// itself. The output names the line and the address to put there.
func TestInitVerify_DatabaseOnLoopbackIsNoPass(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "hardwired")
	writeCommitted(t, dir, libpqApp("hardwired", hardwiredMain))
	t.Cleanup(noneLeft(t, "init --verify left its database running", "ps", "-aq", "--filter", "label=dev.shipshape.verify=accessory"))
	c, out, errOut := initVerify(t, dir)
	if c != 1 {
		t.Fatalf("init --verify: exit %d, want 1\n%s\nstderr:\n%s", c, out, lastLines(errOut, 30))
	}
	for _, want := range []string{
		"main.go:15 points the app at postgres on localhost:5432, which in a container is the container itself",
		"passed verify",
		"But it cannot reach its postgres: main.go:15 puts it at localhost:5432 (the note above)",
		"Change that line to db:5432",
		// sql.Open connects on first use: the run sees no connection.
		"That it can use the services the run started beside it was not proven: no connection to db (",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "did not pass") {
		t.Errorf("stderr lacks the verdict:\n%s", errOut)
	}
}

// hardwiredMain opens its database at localhost and serves a health route
// that does not use it, and /items, which does.
const hardwiredMain = `package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	_ "github.com/lib/pq"
)

const dsn = "postgres://app:app@localhost:5432/app?sslmode=disable"

func main() {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		panic(err)
	}
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	http.HandleFunc("/items", func(w http.ResponseWriter, r *http.Request) {
		if err := db.PingContext(r.Context()); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
` + serveOn8080

// TestInitVerify_AppThatGivesUpOnItsDatabaseFails: an app that serves its
// health route at once and exits when its database stays out of reach
// (Mongoose's shape: bezkoder/node-express-mongodb connects to an address
// written in its code, answered / in 2 s, passed verify, and exited at
// 30 s) does not pass: init --verify watches a serving app until it has
// connected to the database the run started, and this one never does.
// The app here gives up after 6 s on an address no variable moves.
func TestInitVerify_AppThatGivesUpOnItsDatabaseFails(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "givesup")
	writeCommitted(t, dir, libpqApp("givesup", givesUpMain))
	t.Cleanup(noneLeft(t, "init --verify left its database running", "ps", "-aq", "--filter", "label=dev.shipshape.verify=accessory"))
	c, out, errOut := initVerify(t, dir)
	if c != 1 {
		t.Fatalf("init --verify: exit %d, want 1\n%s\nstderr:\n%s", c, out, lastLines(errOut, 30))
	}
	for _, want := range []string{
		"The app talks to db (postgres:",
		"ok   health-path",
		"FAIL keeps-running   exited with code 1",
		"before it connected to db (",
		"The container served, then exited with code 1 without having connected to db (",
		"giving up: the database at 10.255.255.1:5432 does not answer",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "passed verify") {
		t.Errorf("an app that exited passed:\n%s", out)
	}
}

// givesUpMain serves its health route at once and exits after 6 s of
// failing to reach the database its code names, whatever DATABASE_URL says.
const givesUpMain = `package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	_ "github.com/lib/pq"
)

const dsn = "postgres://app:app@10.255.255.1:5432/app?sslmode=disable&connect_timeout=1"

func main() {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		panic(err)
	}
	go func() {
		for i := 0; i < 6; i++ {
			if db.Ping() == nil {
				return
			}
			time.Sleep(time.Second)
		}
		fmt.Fprintln(os.Stderr, "giving up: the database at 10.255.255.1:5432 does not answer")
		os.Exit(1)
	}()
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
` + serveOn8080

// serveOn8080 ends a test program's main: it serves on :8080 until
// SIGTERM, then shuts down.
const serveOn8080 = `	srv := &http.Server{Addr: ":8080"}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		_ = srv.Shutdown(context.Background())
	}()
	if err := srv.ListenAndServe(); err != http.ErrServerClosed {
		panic(err)
	}
}
`

// TestInitVerify_ReachesTheHostTheCodeNames: the app's code writes its
// database's address whole, host and all, as the repository's own compose
// file names the service ("postgres://app:app@postgres:5432/greetings":
// rickding/HelloDocker's Redis(host="cache"), guestbook-go's
// "redis-master:6379"), and its health route answers 500 when the database
// does not answer. init --verify's database answers to that name too (a
// network alias), and compose.yaml gives its db service the same alias.
func TestInitVerify_ReachesTheHostTheCodeNames(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "greetings")
	main := strings.NewReplacer(
		`os.Getenv("DATABASE_URL")`, `"postgres://app:app@postgres:5432/greetings?sslmode=disable"`,
		`"SELECT count(*) FROM greetings"`, `"SELECT 1"`,
	).Replace(greetingsMain)
	writeCommitted(t, dir, libpqApp("greetings", main))
	t.Cleanup(noneLeft(t, "init --verify left its database running", "ps", "-aq", "--filter", "label=dev.shipshape.verify=accessory"))
	c, out, errOut := initVerify(t, dir)
	if c != 0 {
		t.Fatalf("init --verify: exit %d\n%s\nstderr:\n%s", c, out, lastLines(errOut, 30))
	}
	for _, want := range []string{
		"db host      postgres                     main.go:",
		`names postgres's host "postgres": compose.yaml and init --verify's run give the service "db" that name too`,
		"ok   connects        connected to db (",
		"GET /healthz on port 8080: 200",
		"passed verify",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	compose, err := os.ReadFile(filepath.Join(dir, "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(compose), "  db:\n") || !strings.Contains(string(compose), "        aliases: [postgres]\n") {
		t.Errorf("compose.yaml's db should answer to postgres too:\n%s", compose)
	}
}
