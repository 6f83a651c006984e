//go:build corpus

// The real-world corpus: repositories nobody in this project wrote, pinned
// by commit in testdata/init-corpus/*/SOURCE, with what detection must
// find judged by reading their code (expect.json). The trees themselves
// are not committed; `make corpus` extracts them from local snapshots
// (scripts/corpus.sh) and runs this test, which prints one line per
// repository and fails on every fact detection gets wrong.
package detect

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

type corpusExpect struct {
	Language   string   `json:"language"`
	Framework  string   `json:"framework"`
	Entrypoint string   `json:"entrypoint"`
	Candidates []string `json:"entrypoint_candidates"`
	Port       int      `json:"port"`
	PortEnv    string   `json:"port_env"`
	HealthPath string   `json:"health_path"`
	// Page is the page the code serves at / beside another health
	// route, which a verify run requests too; "" when there is none.
	Page      string   `json:"page"`
	Routes    []string `json:"routes_sample"`
	Databases []string `json:"databases"`
	// Frontend is the embedded front-end build the image must make
	// (gotify's ui/build), "" when there is none.
	Frontend string `json:"frontend"`
	// ServeFlags are the program's flags whose defaults do not work in a
	// container (name=kind $VARIABLE), DefaultSQL the SQL database its
	// configuration uses by default.
	ServeFlags []string `json:"serve_flags"`
	DefaultSQL string   `json:"default_sql"`
	// RequirementsFromImports reads a Python directory without a
	// manifest as init --requirements-from-imports does.
	RequirementsFromImports bool `json:"requirements_from_imports"`
	// RequiredEnv are variables the app needs set; each must be among
	// those detection finds the code reading (Stack.Env), so that
	// .env.example and the Secret's references carry them.
	RequiredEnv []string `json:"required_env"`
}

func TestCorpus(t *testing.T) {
	root := filepath.Join("..", "..", "testdata", "init-corpus")
	dirs, _ := filepath.Glob(filepath.Join(root, "*", "expect.json"))
	if len(dirs) == 0 {
		t.Fatal("no corpus entries")
	}
	tally := map[string][2]int{}
	for _, f := range dirs {
		entry := filepath.Dir(f)
		name := filepath.Base(entry)
		t.Run(name, func(t *testing.T) {
			var want corpusExpect
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &want); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			tree := filepath.Join(entry, "tree")
			src, _ := os.ReadFile(filepath.Join(entry, "SOURCE"))
			for _, line := range strings.Split(string(src), "\n") {
				if sub, ok := strings.CutPrefix(line, "subdir: "); ok {
					tree = filepath.Join(tree, strings.TrimSpace(sub))
				}
			}
			if _, err := os.Stat(tree); err != nil {
				t.Fatalf("%s is missing: run scripts/corpus.sh (it extracts each SOURCE's commit from a local snapshot)", tree)
			}
			var opts []Option
			if want.RequirementsFromImports {
				reqs, err := PythonRequirementsFromImports(tree)
				if err != nil {
					t.Fatal(err)
				}
				opts = append(opts, WithRequirements(reqs))
			}
			var s *Stack
			if want.RequirementsFromImports {
				s, err = DetectAs(tree, "python", opts...)
			} else {
				s, err = Detect(tree)
			}
			if err != nil {
				t.Fatalf("detect: %v", err)
			}
			check := func(fact string, ok bool, got, wanted any) {
				c := tally[fact]
				c[1]++
				if ok {
					c[0]++
				} else {
					t.Errorf("%s: got %v, want %v", fact, got, wanted)
				}
				tally[fact] = c
			}
			check("language", s.Language == want.Language, s.Language, want.Language)
			entry, ambiguous := "", false
			if len(s.Entrypoints) > 0 {
				entry = s.Entrypoints[0].Value
			}
			var entryChoice []string
			for _, c := range s.Ambiguous {
				if c.Flag == "--entrypoint" {
					ambiguous = true
					for _, cand := range c.Candidates {
						entryChoice = append(entryChoice, cand.Value)
					}
				}
			}
			// Right: the judged entry point, or a question whose
			// candidates include it. Wrong: another program, silently.
			okEntry := !ambiguous && sameEntry(entry, want.Entrypoint) ||
				ambiguous && slices.ContainsFunc(entryChoice, func(c string) bool { return sameEntry(c, want.Entrypoint) })
			check("entrypoint", okEntry, fmt.Sprintf("%s (ask: %v)", entry, entryChoice), want.Entrypoint)
			if ambiguous && okEntry {
				// init asks, then reads the chosen program again: its
				// port, route and databases are judged after the answer.
				if s, err = Detect(tree, append(opts, WithEntrypoint(want.Entrypoint))...); err != nil {
					t.Fatalf("detect with the answer %s: %v", want.Entrypoint, err)
				}
				entry = want.Entrypoint
			}
			port := 0
			if s.Port != nil {
				port, _ = strconv.Atoi(s.Port.Value)
			}
			portVar := ""
			if s.PortVar != nil {
				portVar = s.PortVar.Value
			}
			// Right: the judged port; or, where the app takes its port
			// from a variable, that variable (the image sets it).
			// A Python app object runs under the server the image starts
			// with the port it chooses: any port is right.
			served := want.Language == "python" && strings.Contains(entry, ":") && !strings.HasPrefix(entry, "call:")
			okPort := served || port == want.Port || want.PortEnv != "" && portVar == want.PortEnv || want.Port == 0 && port == 0
			check("port", okPort, fmt.Sprintf("%d ($%s)", port, portVar), fmt.Sprintf("%d ($%s)", want.Port, want.PortEnv))
			health, askedHealth := "", false
			if s.HealthPath != nil {
				health = s.HealthPath.Value
			}
			for _, c := range s.Ambiguous {
				askedHealth = askedHealth || c.Flag == "--health-path"
			}
			// Right: the judged health route, GET / where the app
			// serves it, or a question when it has none.
			// (A trailing slash is the same route, but "/" is not "":
			// trimmed, a guessed GET / matched a judged "no route".)
			okHealth := health != "" && want.HealthPath != "" && strings.TrimSuffix(health, "/") == strings.TrimSuffix(want.HealthPath, "/") ||
				want.HealthPath == "" && (askedHealth || health == "/" && slices.Contains(want.Routes, "/")) ||
				health == "/" && slices.Contains(want.Routes, "/")
			frontend := ""
			if s.Frontend != nil {
				frontend = s.Frontend.Out
			}
			check("frontend", frontend == want.Frontend, frontend, want.Frontend)
			check("health", okHealth, fmt.Sprintf("%q (asked: %v)", health, askedHealth), want.HealthPath)
			page := ""
			if s.Page != nil {
				page = s.Page.Value
			}
			check("page", page == want.Page, page, want.Page)
			var dbs []string
			for _, d := range s.Databases {
				name, _, _ := strings.Cut(d.Value, ":")
				dbs = append(dbs, name)
			}
			slices.Sort(dbs)
			wantDBs := slices.Clone(want.Databases)
			slices.Sort(wantDBs)
			check("databases", slices.Equal(dbs, wantDBs), dbs, wantDBs)
			// Flags whose defaults fail in a container, as name=kind and
			// the variable that sets each ($FB_ADDRESS), and the SQL
			// database the configuration picks by default: none unless
			// judged.
			var flags []string
			for _, f := range s.ServeFlags {
				flags = append(flags, fmt.Sprintf("%s=%s $%s", f.Value, f.Kind, f.Env))
			}
			check("serve flags", slices.Equal(flags, want.ServeFlags), flags, want.ServeFlags)
			defaultSQL := ""
			if s.DefaultSQL != nil {
				defaultSQL = s.DefaultSQL.Value
			}
			check("default sql", defaultSQL == want.DefaultSQL, defaultSQL, want.DefaultSQL)
			var missing []string
			for _, v := range want.RequiredEnv {
				if !slices.ContainsFunc(s.Env, func(e Evidence) bool { return e.Value == v }) {
					missing = append(missing, v)
				}
			}
			check("required env", len(missing) == 0, fmt.Sprintf("not read: %v", missing), want.RequiredEnv)
			t.Logf("%-34s entry %-28s port %-5d $%-8s health %-12q ask %v dbs %v", name, entry, port, portVar, health, len(s.Ambiguous), dbs)
		})
	}
	t.Cleanup(func() {
		for _, fact := range []string{"language", "entrypoint", "port", "health", "page", "databases", "frontend", "serve flags", "default sql", "required env"} {
			c := tally[fact]
			fmt.Printf("corpus: %-10s %d/%d right\n", fact, c[0], c[1])
		}
	})
}

// sameEntry compares entry points in the forms detection and the judged
// files write: ./cmd/api and cmd/api, module:create_app() and
// module:create_app, a console script with or without its call: prefix.
func sameEntry(got, want string) bool {
	norm := func(s string) string {
		s = strings.TrimPrefix(strings.TrimPrefix(s, "./"), "call:")
		if s == "next start" {
			s = "server.js" // Next.js's standalone output runs the same server
		}
		return strings.TrimSuffix(s, "()")
	}
	return got != "" && norm(got) == norm(want)
}
