package detect

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/shipshape/shipshape/internal/source/bounds"
	"github.com/shipshape/shipshape/internal/source/compose"
	"github.com/shipshape/shipshape/internal/source/yamlindex"
)

// DBSetup is the repository's own set-up of its SQL database: the files its
// compose project mounts into the database image's init directory, which
// the official Postgres, MySQL and MariaDB images run once, in name order,
// on an empty database; and the database name the project gives them,
// which the files are written for (article.sql's `USE article`).
type DBSetup struct {
	Kind string // postgres or mysql (MariaDB included)
	// Database is the project's POSTGRES_DB, MYSQL_DATABASE or
	// MARIADB_DATABASE when it is a literal name; "" otherwise.
	Database *Evidence
	Files    []DBFile
	// Skipped says what of the mounts was left out and why (a path
	// outside the repository, a file the images do not run).
	Skipped []Evidence
}

// A DBFile is one file of a DBSetup.
type DBFile struct {
	// Source is the file in the repository, relative to the service's
	// directory, slash-separated.
	Source string
	// Name is its name in the init directory, which orders the run.
	Name string
	// Size is its size in bytes when detection read it.
	Size int64
	// At is the volume line that mounts it.
	At Evidence
}

// InitDir is where the official database images look for set-up files.
const InitDir = "/docker-entrypoint-initdb.d"

// Bounds on what a repository's set-up may make init carry.
const (
	maxDBFiles     = 64
	maxDBFileBytes = 64 << 20 // all files together
)

// dbImage is an image the official init-directory convention applies to:
// postgres, postgis/postgis, bitnami/postgresql, mysql, mariadb, percona.
var dbImage = regexp.MustCompile(`^(?:[\w.:-]+/)*(postgres|postgresql|postgis|mysql|mariadb|percona|percona-server)(?:[:@].*)?$`)

// dbNameVars are the variables that name the database the image creates.
var dbNameVars = map[string]string{"POSTGRES_DB": "postgres", "MYSQL_DATABASE": "mysql", "MARIADB_DATABASE": "mysql"}

// dbName is a database name the files can use as it is: no quoting needed
// in SQL or in a URL.
var dbName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)

// dbSetup reads the repository's compose files for a service of kind's
// image (postgres or mysql) that mounts files into InitDir; nil when none
// does. Only files inside the service's directory count.
func (r *repo) dbSetup(kind string) *DBSetup {
	for _, f := range composeFiles() {
		if s := r.dbSetupIn(f, kind); s != nil {
			return s
		}
	}
	return nil
}

// composeServices is the services mapping of a compose file of the
// repository, nil when it has none or does not parse.
func (r *repo) composeServices(file string) *yaml.Node {
	lines := r.read(file)
	if len(lines) == 0 {
		return nil
	}
	var doc yaml.Node
	if yaml.Unmarshal([]byte(strings.Join(lines, "\n")), &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	services := yamlindex.MapValue(doc.Content[0], "services")
	if services == nil || services.Kind != yaml.MappingNode {
		return nil
	}
	return services
}

func (r *repo) dbSetupIn(file, kind string) *DBSetup {
	services := r.composeServices(file)
	if services == nil {
		return nil
	}
	for i := 0; i+1 < len(services.Content); i += 2 {
		svc := services.Content[i+1]
		image := yamlindex.MapValue(svc, "image")
		if image == nil || image.Kind != yaml.ScalarNode {
			continue
		}
		m := dbImage.FindStringSubmatch(strings.ToLower(image.Value))
		if m == nil || imageKind(m[1]) != kind {
			continue
		}
		s := &DBSetup{Kind: kind}
		r.setupMounts(file, yamlindex.MapValue(svc, "volumes"), s)
		if len(s.Files) == 0 && len(s.Skipped) == 0 {
			continue
		}
		s.Database = r.setupDatabase(file, yamlindex.MapValue(svc, "environment"))
		return s
	}
	return nil
}

func imageKind(name string) string {
	if strings.HasPrefix(name, "postg") {
		return "postgres"
	}
	return "mysql"
}

// setupMounts adds to s the files each volume of a service mounts into
// InitDir: a file, or a directory's files (not its subdirectories, as the
// images read it).
func (r *repo) setupMounts(file string, volumes *yaml.Node, s *DBSetup) {
	if volumes == nil || volumes.Kind != yaml.SequenceNode {
		return
	}
	var total int64
	for _, v := range volumes.Content {
		src, target, bind := volumeParts(v)
		target = path.Clean(target)
		if src == "" || target != InitDir && path.Dir(target) != InitDir {
			continue
		}
		at := Evidence{Value: src, File: file, Line: v.Line}
		switch {
		case strings.HasPrefix(src, "/") || strings.HasPrefix(src, "~") || strings.Contains(src, "$"):
			at.Why = "not a path in the repository: not carried"
			s.Skipped = append(s.Skipped, at)
			continue
		case !bind:
			continue // a named volume: filled by something else
		}
		rel, ok := r.inside(path.Join(path.Dir(file), src))
		if !ok {
			at.Why = "outside the repository (or missing): not carried"
			s.Skipped = append(s.Skipped, at)
			continue
		}
		full := filepath.Join(r.dir, filepath.FromSlash(rel))
		st, err := os.Stat(full)
		if err != nil {
			continue
		}
		type candidate struct {
			source, name string
			size         int64
		}
		var found []candidate
		if st.IsDir() {
			entries, err := readDirBounded(full, 4*maxDBFiles)
			if err != nil {
				at.Why = err.Error() + ": not carried"
				s.Skipped = append(s.Skipped, at)
				continue
			}
			for _, e := range entries {
				if info, err := e.Info(); err == nil && info.Mode().IsRegular() {
					found = append(found, candidate{path.Join(rel, e.Name()), e.Name(), info.Size()})
				}
			}
		} else if st.Mode().IsRegular() {
			name := path.Base(target)
			if target == InitDir {
				name = path.Base(rel)
			}
			found = append(found, candidate{rel, name, st.Size()})
		}
		for _, c := range found {
			switch {
			case !setupFile(c.name):
				s.Skipped = append(s.Skipped, Evidence{Value: c.source, File: file, Line: v.Line, Why: "the images run only *.sql, *.sql.gz and *.sh: not carried"})
			case len(s.Files) >= maxDBFiles || total+c.size > maxDBFileBytes:
				s.Skipped = append(s.Skipped, Evidence{Value: c.source, File: file, Line: v.Line, Why: "over init's bound of 64 files and 64 MiB: not carried"})
			case hasName(s.Files, c.name):
			default:
				total += c.size
				s.Files = append(s.Files, DBFile{Source: c.source, Name: c.name, Size: c.size, At: at})
			}
		}
	}
	sort.SliceStable(s.Files, func(i, j int) bool { return s.Files[i].Name < s.Files[j].Name })
}

// readDirBounded lists a directory's entries by name, refusing one of
// more than limit.
func readDirBounded(dir string, limit int) ([]os.DirEntry, error) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	entries, err := d.ReadDir(limit + 1)
	if err != nil && len(entries) == 0 {
		return nil, nil // empty
	}
	if len(entries) > limit {
		return nil, fmt.Errorf("more than %d entries", limit)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	return entries, nil
}

func setupFile(name string) bool {
	return strings.HasSuffix(name, ".sql") || strings.HasSuffix(name, ".sql.gz") || strings.HasSuffix(name, ".sh")
}

func hasName(files []DBFile, name string) bool {
	for _, f := range files {
		if f.Name == name {
			return true
		}
	}
	return false
}

// inside resolves p (relative to the repository, slash-separated) through
// any links and reports it relative to the repository, if it exists and
// stays inside.
func (r *repo) inside(p string) (string, bool) {
	p = path.Clean(p)
	if path.IsAbs(p) || p == ".." || strings.HasPrefix(p, "../") {
		return "", false
	}
	_, rel, err := bounds.Inside(r.dir, filepath.Join(r.dir, filepath.FromSlash(p)))
	if err != nil {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// volumeParts is a compose volume's source and target, in the short
// syntax (SRC:DST[:MODE], where a SRC starting with . is a path) or the
// long one (type: bind, source:, target:); bind reports a host path.
func volumeParts(v *yaml.Node) (src, target string, bind bool) {
	switch v.Kind {
	case yaml.ScalarNode:
		parts := strings.Split(v.Value, ":")
		if len(parts) < 2 {
			return "", "", false
		}
		src = parts[0]
		return src, parts[1], strings.HasPrefix(src, ".") || strings.HasPrefix(src, "/") || strings.HasPrefix(src, "~")
	case yaml.MappingNode:
		if n := yamlindex.MapValue(v, "source"); n != nil {
			src = n.Value
		}
		if n := yamlindex.MapValue(v, "target"); n != nil {
			target = n.Value
		}
		t := yamlindex.MapValue(v, "type")
		bind = t != nil && t.Value == "bind"
	}
	return src, target, bind
}

// setupDatabase is the database name a service's environment gives the
// image: a literal, or a variable compose interpolates (${DB_NAME}, with
// or without a default), read as compose would from the value the
// repository documents for it (.env.example, ... a committed .env), else
// its default.
func (r *repo) setupDatabase(file string, env *yaml.Node) *Evidence {
	if env == nil {
		return nil
	}
	pick := func(k, v string, line int) *Evidence {
		if _, ok := dbNameVars[k]; !ok {
			return nil
		}
		e := &Evidence{Value: v, File: file, Line: line, Why: "$" + k + " of the repository's compose"}
		if m := varRef.FindStringSubmatch(v); m != nil {
			name := m[1] + m[3]
			e.Value = m[2]
			for _, f := range ExampleEnvFiles {
				if d := r.envValueIn([]string{f}, name); d != nil && dbName.MatchString(d.Value) {
					d.Why = "$" + k + " of the repository's compose (" + file + ":" + fmt.Sprint(line) + ") is $" + name + ", which " + f + " sets"
					e = d
					break
				}
			}
		}
		if !dbName.MatchString(e.Value) {
			return nil
		}
		return e
	}
	switch env.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(env.Content); i += 2 {
			if e := pick(env.Content[i].Value, env.Content[i+1].Value, env.Content[i].Line); e != nil {
				return e
			}
		}
	case yaml.SequenceNode:
		for _, item := range env.Content {
			k, v, _ := strings.Cut(item.Value, "=")
			if e := pick(strings.TrimSpace(k), strings.TrimSpace(v), item.Line); e != nil {
				return e
			}
		}
	}
	return nil
}

// varRef is a compose variable reference as a whole value: ${NAME},
// ${NAME:-default}, ${NAME-default} or $NAME.
var varRef = regexp.MustCompile(`^\$\{(\w+)(?::?-([^}]*))?\}$|^\$(\w+)$`)

// composeFiles are the names of the compose files docker compose reads by
// default, each base file followed by its overrides.
func composeFiles() []string {
	var names []string
	for _, b := range compose.BaseNames {
		names = append(names, b)
		names = append(names, compose.OverrideNames(b)...)
	}
	return names
}
