package detect

import (
	"path"
	"strings"

	"github.com/shipshape/shipshape/internal/source/dockerfile"
)

// A CarriedFile is a file of the repository that its own Dockerfile puts
// at a path the arguments it passes the program name (prometheus's COPY
// documentation/examples/prometheus.yml /etc/prometheus/prometheus.yml,
// then CMD --config.file=/etc/prometheus/prometheus.yml): the image puts
// it there too. Evidence.Value is the source in the repository, File and
// Line the COPY.
type CarriedFile struct {
	Evidence
	Dest string
}

// dockerfileArgPaths reads the absolute paths among the arguments the
// repository's Dockerfile passes the program (s.Args): one its COPY puts
// a repository file at is carried (s.CarriedFiles); one it declares a
// VOLUME holds the program's data, so the flag becomes a data-dir serve
// flag given the image's data volume (alertmanager's --storage.path=
// /alertmanager) and leaves the arguments. Others stay as they are.
func (r *repo) dockerfileArgPaths(s *Stack) {
	if s.Args == nil || !strings.Contains(s.Args.Value, "/") {
		return
	}
	final := r.dockerfileFinal(s.Args.File)
	if final == nil {
		return
	}
	var volumes []string
	for _, in := range final.All("VOLUME") {
		for _, a := range in.Args {
			volumes = append(volumes, words(a)...)
		}
	}
	hasData := false
	for _, fl := range s.ServeFlags {
		hasData = hasData || fl.Kind != "listen"
	}
	var kept []string
	for _, a := range strings.Fields(s.Args.Value) {
		name, value, ok := strings.Cut(a, "=")
		if !ok && path.IsAbs(a) {
			// A path the program takes as an argument of its own
			// (distribution's `serve /etc/distribution/config.yml`).
			if c, ok := copiedTo(s.Args.File, final, a); ok {
				s.CarriedFiles = append(s.CarriedFiles, c)
			}
			kept = append(kept, a)
			continue
		}
		if !ok || !strings.HasPrefix(name, "--") || !path.IsAbs(value) {
			kept = append(kept, a)
			continue
		}
		if c, ok := copiedTo(s.Args.File, final, value); ok {
			s.CarriedFiles = append(s.CarriedFiles, c)
			kept = append(kept, a)
			continue
		}
		if under(value, volumes) && !hasData {
			hasData = true
			s.ServeFlags = append(s.ServeFlags, ServeFlag{Kind: "data-dir", Default: value,
				Evidence: Evidence{Value: strings.TrimPrefix(name, "--"), File: s.Args.File, Line: s.Args.Line,
					Why: s.Args.File + " passes " + value + ", a VOLUME of its own: the program's data, on the image's data volume"}})
			continue
		}
		kept = append(kept, a)
	}
	// A VOLUME of its own that a carried file names (distribution's
	// config.yml: rootdirectory: /var/lib/registry) is where the program
	// keeps its data: the image's data volume is there.
	for _, v := range volumes {
		for _, c := range s.CarriedFiles {
			if hasData || s.DataVolume != nil {
				break
			}
			for i, line := range r.read(c.Value) {
				if strings.Contains(line, v) && (strings.HasSuffix(strings.TrimSpace(line), v) || strings.Contains(line, v+"/") || strings.Contains(line, v+"\"")) {
					s.DataVolume = &Evidence{Value: path.Clean(v), File: c.Value, Line: i + 1,
						Why: "a VOLUME of " + s.Args.File + " that the file it carries names: the program's data"}
					break
				}
			}
		}
	}
	r.unconfiguredDatabases(s)
	if len(kept) == 0 {
		s.Args = nil
		return
	}
	s.Args.Value = strings.Join(kept, " ")
}

// databaseWords are the words a configuration file configures a database
// kind with.
var databaseWords = map[string][]string{
	"redis": {"redis"}, "postgres": {"postgres"}, "mysql": {"mysql", "mariadb"}, "mongo": {"mongo"},
}

// unconfiguredDatabases sets aside the databases the code only imports
// (a client library) that no configuration file the image carries
// mentions: distribution imports go-redis for a cache its config-dev.yml
// does not configure ("redis not configured", it logs), so none is
// started beside it. Said in a note.
func (r *repo) unconfiguredDatabases(s *Stack) {
	var configs []CarriedFile
	for _, c := range s.CarriedFiles {
		switch path.Ext(c.Value) {
		case ".yml", ".yaml", ".toml", ".json", ".ini", ".conf", ".cfg":
			configs = append(configs, c)
		}
	}
	if len(configs) == 0 {
		return
	}
	var kept []Evidence
	for _, db := range s.Databases {
		words := databaseWords[db.Value]
		if db.Why != "imported by the code" || words == nil {
			kept = append(kept, db)
			continue
		}
		mentioned := false
		for _, c := range configs {
			text := strings.ToLower(strings.Join(r.read(c.Value), "\n"))
			for _, w := range words {
				mentioned = mentioned || strings.Contains(text, w)
			}
		}
		if mentioned {
			kept = append(kept, db)
			continue
		}
		db.Why = "imported by the code; " + configs[0].Value + ", the configuration the image carries, does not configure it"
		s.Unconfigured = append(s.Unconfigured, db)
	}
	s.Databases = kept
}

// copiedTo is the COPY of a repository file (not from another stage or
// image) that puts it at p, or whose destination directory holds p.
func copiedTo(file string, st *dockerfile.Stage, p string) (CarriedFile, bool) {
	for _, in := range st.All("COPY") {
		if len(in.Args) != 2 {
			continue // one source: several would need the file's own name
		}
		from := false
		for _, fl := range in.Flags {
			from = from || fl.Name == "from"
		}
		src, dest := path.Clean(strings.TrimPrefix(in.Args[0], "./")), in.Args[1]
		if from || strings.ContainsAny(src, "*?[$") || strings.HasPrefix(src, "..") {
			continue
		}
		if dest == p || strings.HasSuffix(dest, "/") && path.Join(dest, path.Base(src)) == p {
			return CarriedFile{Evidence: Evidence{Value: src, File: file, Line: in.Line,
				Why: "the repository's Dockerfile puts it where its arguments name it"}, Dest: p}, true
		}
	}
	return CarriedFile{}, false
}

// under reports whether p is one of dirs or inside one.
func under(p string, dirs []string) bool {
	for _, d := range dirs {
		d = path.Clean(d)
		if p == d || strings.HasPrefix(p, d+"/") {
			return true
		}
	}
	return false
}
