package detect

import (
	"go/ast"
	"go/token"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

// storageKey is a setting that chooses where a program keeps its data or
// queues its work: STORAGE_TYPE, storage.type, queue.engine, db.driver.
var storageKey = regexp.MustCompile(`(?i)(?:^|[._-])(?:storage|store|engine|driver|backend|database|db)(?:[._-]?(?:type|driver|engine|backend|kind))?$`)

// storageChoices are the values of such a setting that use no database
// server: files, memory, the process itself.
var storageChoices = map[string]bool{"file": true, "files": true, "fs": true, "filesystem": true, "disk": true, "local": true,
	"memory": true, "inmemory": true, "in-memory": true, "mem": true, "none": true}

// choiceKinds are the database kinds a choice among values names.
var choiceKinds = map[string]string{"postgres": "postgres", "postgresql": "postgres", "pg": "postgres", "pgx": "postgres",
	"mysql": "mysql", "mariadb": "mysql", "mongo": "mongodb", "mongodb": "mongodb", "redis": "redis"}

// A storageDefault is a setting's default that uses no database server,
// with the values it is chosen among (a switch's cases, a block of
// constants holding the default).
type storageDefault struct {
	at     Evidence // Value: the key; Why: its default
	others map[string]bool
}

// alternativeDatabases moves the databases a Go program talks to only when
// a setting chooses them out of Databases, into Unconfigured, where that
// setting's default uses none: pasty's STORAGE_TYPE defaults to "file"
// beside "postgres" and "mongodb" (its StorageType constants); gorush's
// stat.engine to "memory" beside "redis" (status.go's switch). Each was
// started and given a URL the program never read.
func (r *repo) alternativeDatabases(s *Stack) {
	if s.Language != "go" || len(s.Databases) == 0 {
		return
	}
	program := r.programFiles(s)
	var defaults []storageDefault
	var groups [][]string
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") || strings.HasSuffix(f, "_test.go") || !program(f) {
			continue
		}
		file, _ := r.goFile(f)
		if file == nil {
			continue
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				// SetDefault("stat.engine", "memory"),
				// env.MustString("STORAGE_TYPE", "file").
				for i := 0; i+1 < len(n.Args); i++ {
					key, ok1 := goStringLit(n.Args[i])
					value, ok2 := goStringLit(n.Args[i+1])
					if ok1 && ok2 && storageKey.MatchString(key) && storageChoices[strings.ToLower(value)] {
						defaults = append(defaults, storageDefault{at: Evidence{Value: key, File: f, Line: r.goFset().Position(n.Pos()).Line, Why: value}})
					}
				}
			case *ast.SwitchStmt:
				var values []string
				for _, st := range n.Body.List {
					if cc, ok := st.(*ast.CaseClause); ok {
						for _, e := range cc.List {
							if v, ok := goStringLit(e); ok {
								values = append(values, strings.ToLower(v))
							}
						}
					}
				}
				groups = append(groups, values)
			case *ast.GenDecl:
				if n.Tok != token.CONST {
					return true
				}
				var values []string
				for _, spec := range n.Specs {
					for _, v := range spec.(*ast.ValueSpec).Values {
						if c, ok := v.(*ast.CallExpr); ok && len(c.Args) == 1 {
							v = c.Args[0] // StorageType("file")
						}
						if s, ok := goStringLit(v); ok {
							values = append(values, strings.ToLower(s))
						}
					}
				}
				groups = append(groups, values)
			}
			return true
		})
	}
	if len(defaults) == 0 {
		return
	}
	chosen := map[string]Evidence{} // kind → the default that passes it over
	for _, d := range defaults {
		for _, g := range groups {
			if !slices.Contains(g, strings.ToLower(d.at.Why)) {
				continue
			}
			for _, v := range g {
				if kind, ok := choiceKinds[v]; ok {
					if _, seen := chosen[kind]; !seen {
						chosen[kind] = d.at
					}
				}
			}
		}
	}
	var kept []Evidence
	for _, db := range s.Databases {
		d, ok := chosen[db.Value]
		if !ok || db.Why != project.ImportedByCode {
			kept = append(kept, db)
			continue
		}
		db.Why = project.ImportedByCode + "; " + d.Value + " (" + d.Where() + ") chooses it, and by default " + strconv.Quote(d.Why) + ", which needs no server"
		s.Unconfigured = append(s.Unconfigured, db)
	}
	s.Databases = kept
}

// goStringLit is a string literal's value.
func goStringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	v, err := strconv.Unquote(lit.Value)
	return v, err == nil
}
