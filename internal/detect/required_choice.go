package detect

import (
	"go/ast"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// objectStores are values of a setting that name a remote store of
// files: a switch among them and "local" chooses where uploads go.
var objectStores = map[string]bool{"s3": true, "gcs": true, "azure": true, "gdrive": true, "storj": true, "minio": true,
	"swift": true, "b2": true, "oss": true, "cos": true, "sftp": true, "webdav": true}

// dirSettingKey is a setting naming a directory: basedir, base-dir,
// storage-path, data-dir, root.
var dirSettingKey = regexp.MustCompile(`(?i)^(?:[\w-]*[-_.])?(?:base[-_]?dir|dir|directory|path|root|folder)$`)

// A cliFlag is a string flag a Go program declares, with its default.
type cliFlag struct {
	name, def string
	line      int
	file      string
}

// requiredStoreChoice sets a storage setting the program cannot start
// without to the choice that keeps files on the image's data volume:
// dutchcoders/transfer.sh's --provider has no default, and its switch
// takes "s3", "gdrive", "storj" or "local", its default case returning
// "Provider not set or invalid."; "local" needs only --basedir, which the
// case reads. The image passes --provider=local and --basedir on the
// volume (ServeFlags), and init says so. A setting with a default, a
// switch without a local choice, with a case for the empty value
// (yopass's --file-store, whose case "" keeps files in its database) or
// whose default case does not stop is left as it is.
func (r *repo) requiredStoreChoice(s *Stack) {
	if s.Language != "go" || len(s.Entrypoints) == 0 || s.ambiguousEntry() {
		return
	}
	program := r.programFiles(s)
	var flags []cliFlag
	type choice struct {
		key, local string
		values     []string // the cases' values
		dirs       []string // settings the local case reads that name a directory
		at         Evidence
	}
	var choices []choice
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") || strings.HasSuffix(f, "_test.go") || !program(f) {
			continue
		}
		for _, fl := range r.goStringFlags(f) {
			flags = append(flags, cliFlag{name: fl.name, def: fl.value, line: fl.line, file: f})
		}
		file, _ := r.goFile(f)
		if file == nil {
			continue
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CompositeLit:
				// urfave/cli: &cli.StringFlag{Name: "provider", Value: ""}.
				if sel, ok := n.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "StringFlag" {
					fl := cliFlag{line: r.goFset().Position(n.Pos()).Line, file: f}
					for _, el := range n.Elts {
						kv, ok := el.(*ast.KeyValueExpr)
						if !ok {
							continue
						}
						k, _ := kv.Key.(*ast.Ident)
						if k == nil {
							continue
						}
						switch v, lit := goStringLit(kv.Value); k.Name {
						case "Name":
							fl.name = v
						case "Value":
							if fl.def = v; !lit {
								fl.def = "?" // computed: a default all the same
							}
						}
					}
					if fl.name != "" {
						flags = append(flags, fl)
					}
				}
			case *ast.SwitchStmt:
				if n.Tag == nil {
					return true
				}
				key := settingTag(switchTag(n))
				var values []string
				var local *ast.CaseClause
				stops := false
				for _, st := range n.Body.List {
					cc, ok := st.(*ast.CaseClause)
					if !ok {
						continue
					}
					if cc.List == nil {
						stops = clauseStops(cc)
					}
					for _, e := range cc.List {
						if v, ok := goStringLit(e); ok {
							values = append(values, strings.ToLower(v))
							if storageChoices[strings.ToLower(v)] && strings.ToLower(v) != "memory" && local == nil {
								local = cc
							}
						}
					}
				}
				if key == "" || local == nil || !stops || !slices.ContainsFunc(values, func(v string) bool { return objectStores[v] }) {
					return true
				}
				c := choice{key: key, values: values, at: Evidence{File: f, Line: r.goFset().Position(n.Pos()).Line}}
				c.local, _ = goStringLit(local.List[0])
				ast.Inspect(local, func(m ast.Node) bool {
					if call, ok := m.(*ast.CallExpr); ok && len(call.Args) == 1 {
						if k, ok := goStringLit(call.Args[0]); ok && dirSettingKey.MatchString(k) && !slices.Contains(c.dirs, k) {
							c.dirs = append(c.dirs, k)
						}
					}
					return true
				})
				choices = append(choices, c)
			}
			return true
		})
	}
	for _, c := range choices {
		at := slices.IndexFunc(flags, func(fl cliFlag) bool { return settingKey([]string{fl.name}) == c.key })
		if at < 0 || flags[at].def != "" || slices.Contains(c.values, "") || argSets(s.ArgWords, flags[at].name) {
			// A default, or a case for none (yopass's --file-store: case
			// "" keeps files in its database): the program starts as it is.
			continue
		}
		fl := flags[at]
		s.ServeFlags = append(s.ServeFlags, ServeFlag{Kind: "choice", Default: c.local, Evidence: Evidence{Value: fl.name, File: fl.file, Line: fl.line,
			Why: "unset, the program stops (the switch at " + c.at.Where() + " has no case for it); " + strconv.Quote(c.local) + " keeps files on disk, which needs no other service"}})
		hasData := slices.ContainsFunc(s.ServeFlags, func(f ServeFlag) bool { return strings.HasPrefix(f.Kind, "data-") })
		for _, d := range c.dirs {
			i := slices.IndexFunc(flags, func(fl cliFlag) bool { return fl.name == d })
			if i < 0 || hasData || argSets(s.ArgWords, d) {
				continue
			}
			hasData = true
			s.ServeFlags = append(s.ServeFlags, ServeFlag{Kind: "data-dir", Default: flags[i].def, Evidence: Evidence{Value: d, File: flags[i].file, Line: flags[i].line,
				Why: "where " + strconv.Quote(c.local) + " keeps the files (read at " + c.at.Where() + "): the image's data volume"}})
		}
		return
	}
}

// clauseStops reports whether a switch clause returns an error or ends
// the program: return errors.New(...), fmt.Errorf, log.Fatal, panic.
func clauseStops(cc *ast.CaseClause) bool {
	stops := false
	for _, st := range cc.Body {
		ast.Inspect(st, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ReturnStmt:
				for _, e := range n.Results {
					if c, ok := e.(*ast.CallExpr); ok {
						name := calleeName(c)
						stops = stops || name == "New" || name == "Errorf"
					}
				}
			case *ast.CallExpr:
				name := calleeName(n)
				stops = stops || name == "panic" || strings.HasPrefix(name, "Fatal") || name == "Exit"
			}
			return true
		})
	}
	return stops
}
