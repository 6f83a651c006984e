package detect

import (
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

var (
	// A variable named for a data directory: SHIORI_DIR, DATA_DIR,
	// APP_DATA_DIR, STORAGE_DIR (not a path to a file, nor a temp dir).
	dataDirName = regexp.MustCompile(`^(?:[A-Z0-9]+_)*(?:DATA_)?DIR$|^(?:[A-Z0-9]+_)*(?:DATA|STORAGE)_(?:DIR|PATH|ROOT)$`)
)

// dataDirVar is the data directory's variable: one the code reads (env)
// whose name says it is a directory and which the repository's own
// Dockerfile sets to an absolute path. That Dockerfile is the evidence
// that the app keeps its data there: run from another directory, shiori
// writes under the home directory and exits `mkdir /.local: read-only
// file system` on a read-only root.
func (r *repo) dataDirVar(env []Evidence) *Evidence {
	reads := map[string]bool{}
	for _, e := range env {
		reads[e.Value] = true
	}
	// A name that says data first; then a VOLUME's variable (a config
	// directory may be a VOLUME too: DATA_DIR wins over CONFIG_PATH).
	envs := r.dockerfileEnvs()
	for _, byVolume := range []bool{false, true} {
		for _, e := range envs {
			named := dataDirName.MatchString(e.key)
			if reads[e.key] && (named && !byVolume || e.volume && byVolume) && path.IsAbs(e.value) && !strings.HasPrefix(e.value, "/tmp") {
				why := "the repository's Dockerfile keeps the app's data in " + e.value
				if byVolume {
					why += ", a VOLUME there"
				}
				return &Evidence{Value: e.key, File: e.file, Line: e.line, Why: why}
			}
		}
	}
	return nil
}

// volumeVarDirs are the other variables the code reads that the
// repository's own Dockerfile sets to a VOLUME of its own, beside the
// data directory's (akhilrex/podgrab: CONFIG=/config, its data
// directory, and DATA=/assets, where it downloads podcasts; both
// VOLUMEs): each is a directory of that name on the image's data volume.
func (r *repo) volumeVarDirs(s *Stack) []ConfigDir {
	if s.DataDirVar == nil {
		return nil
	}
	reads := map[string]bool{}
	for _, e := range s.Env {
		reads[e.Value] = true
	}
	var out []ConfigDir
	for _, e := range lastEnvs(r.dockerfileEnvs()) {
		dir := path.Base(path.Clean(e.value))
		if !e.volume || !reads[e.key] || e.key == s.DataDirVar.Value || strings.HasPrefix(e.value, "/tmp") || dir == "/" ||
			slices.ContainsFunc(out, func(d ConfigDir) bool { return d.Dir == dir }) {
			continue
		}
		out = append(out, ConfigDir{Evidence: Evidence{Value: e.key, File: e.file, Line: e.line,
			Why: "the repository's Dockerfile sets it to " + e.value + ", a VOLUME there"}, Dir: dir, Volume: true})
	}
	return out
}

// A dockerEnv is a variable the repository's own Dockerfile sets.
type dockerEnv struct {
	key, value string
	file       string
	line       int
	// volume: the same stages declare the value a VOLUME, where the app's
	// data lives (thomiceli/opengist's OG_OPENGIST_HOME=/opengist).
	volume bool
}

// dockerfileEnvs are the variables the final stages of the repository's
// Dockerfiles set with ENV (and the stages they build on), in order, each
// with the line it is on: read by the project's Dockerfile parser, so a
// list continued over lines (wakapi's ENV ENVIRONMENT=prod \ ...) and
// quoted values ('0.0.0.0') are read as Docker reads them.
func (r *repo) dockerfileEnvs() []dockerEnv {
	var out []dockerEnv
	for _, name := range r.repoDockerfiles() {
		final := r.dockerfileFinal(name)
		if final == nil {
			continue
		}
		lines := r.read(name)
		chain := final.Chain()
		volumes := map[string]bool{}
		for _, st := range chain {
			for _, in := range st.All("VOLUME") {
				for _, a := range in.Args {
					for _, v := range strings.Fields(a) {
						volumes[path.Clean(v)] = true
					}
				}
			}
		}
		for i := len(chain) - 1; i >= 0; i-- {
			for _, in := range chain[i].All("ENV") {
				for _, p := range in.Pairs {
					out = append(out, dockerEnv{key: p.Key, value: p.Value, file: name, line: pairLine(lines, in.Line, in.EndLine, p.Key),
						volume: path.IsAbs(p.Value) && volumes[path.Clean(p.Value)]})
				}
			}
		}
	}
	return out
}

// pairLine is the line of an instruction (first to last, 1-based) that
// sets key, the first when none does.
func pairLine(lines []string, first, last int, key string) int {
	for n := first; n <= last && n <= len(lines); n++ {
		l := lines[n-1]
		for _, sep := range []string{"=", " "} {
			if i := strings.Index(l, key+sep); i >= 0 && (i == 0 || l[i-1] == ' ' || l[i-1] == '\t') {
				return n
			}
		}
	}
	return first
}

// listenVarName is a variable named for the address a server binds
// (WAKAPI_LISTEN_IPV4, HOST, BIND_ADDR), not a database's (DB_HOST is
// another server's, which project.OtherServer says).
var listenVarName = regexp.MustCompile(`(?:^|_)(?:LISTEN|BIND|HOST|ADDR|ADDRESS|INTERFACE|IP|IPV4|IPV6)(?:_|$)`)

// lastEnvs keeps, of each variable the Dockerfile sets more than once
// (a base stage's, then the final stage's), the setting Docker uses: the
// last. The order is the first setting's.
func lastEnvs(envs []dockerEnv) []dockerEnv {
	last := map[string]dockerEnv{}
	for _, e := range envs {
		last[e.key] = e
	}
	var out []dockerEnv
	for _, e := range envs {
		if l, ok := last[e.key]; ok {
			out = append(out, l)
			delete(last, e.key)
		}
	}
	return out
}

// sqliteFileName is a SQLite database's file name.
var sqliteFileName = regexp.MustCompile(`\.(?:db|sqlite|sqlite3|db3)$`)

// dockerfileSettings takes, from the repository's own Dockerfile, the
// settings it gives variables the code reads where init found none of its
// own: that Dockerfile is how the authors run the program in a container.
// A listen address at every address (wakapi's WAKAPI_LISTEN_IPV4='0.0.0.0',
// whose default in the code is 127.0.0.1) is the variable the image sets
// to 0.0.0.0; a SQLite file at an absolute path (WAKAPI_DB_NAME=
// /data/wakapi.db, by default wakapi_db.db in the working directory, on
// the read-only root) is the variable the image points at that file on
// its volume.
func (r *repo) dockerfileSettings(s *Stack) {
	reads := map[string]bool{}
	for _, e := range s.Env {
		reads[e.Value] = true
	}
	for _, e := range lastEnvs(r.dockerfileEnvs()) {
		if !reads[e.key] {
			continue
		}
		at := Evidence{Value: e.key, File: e.file, Line: e.line, Why: "the repository's Dockerfile sets it to " + e.value}
		switch {
		case s.HostVar == nil && (e.value == "0.0.0.0" || e.value == "::" || e.value == "[::]") && listenVarName.MatchString(e.key) && !project.OtherServer(e.key):
			s.HostVar = &at
		case s.SQLiteVar == nil && path.IsAbs(e.value) && sqliteFileName.MatchString(e.value) && plainSQLite(s) >= 0:
			db := &s.Databases[plainSQLite(s)]
			db.Value = "sqlite:" + e.value
			db.Why = strings.TrimPrefix(db.Why+"; its file from $"+e.key+", which the repository's Dockerfile sets to "+e.value, "; ")
			at.Why = "the SQLite file's path; " + at.Why
			s.SQLiteVar = &at
		}
	}
}

// dockerfilePort is the port the repository's own Dockerfile runs the app
// on, for an app whose code gave none: the value its ENV gives the port
// variable the code reads (parse-server's ENV PORT=1337, read from a
// table of options init does not follow), else the one port it exposes
// (Unleash's EXPOSE 4242, the default of parseEnvVarNumber(process.env.
// HTTP_PORT || process.env.PORT, 4242)). Where the code reads PORT and
// init knew no port variable, PORT becomes it, so the image sets it.
func (r *repo) dockerfilePort(s *Stack) *Evidence {
	name := "PORT"
	if s.PortVar != nil {
		name = s.PortVar.Value
	}
	for _, e := range lastEnvs(r.dockerfileEnvs()) {
		m := documentedPort.FindStringSubmatch(e.value)
		if e.key != name || m == nil {
			continue
		}
		if s.PortVar == nil {
			i := slices.IndexFunc(s.Env, func(v Evidence) bool { return v.Value == name })
			switch {
			case i >= 0:
				v := s.Env[i]
				v.Why = "the variable the repository's Dockerfile gives the port in"
				s.PortVar = &v
			case slices.ContainsFunc(r.read(e.file), exposesVar(name)):
				// EXPOSE $PORT: the Dockerfile says the variable is the
				// port, which the code reads where init did not follow.
				s.PortVar = &Evidence{Value: name, File: e.file, Line: e.line, Why: "the repository's Dockerfile sets it and exposes $" + name}
			default:
				return r.dockerfileExpose() // the code reads no PORT: the value is for something else
			}
		}
		return &Evidence{Value: m[1], File: e.file, Line: e.line, Why: "the repository's Dockerfile sets $" + name + " to " + e.value}
	}
	return r.dockerfileExpose()
}

// exposesVar matches a Dockerfile line that exposes the variable name's
// value: EXPOSE $PORT, EXPOSE ${PORT}.
func exposesVar(name string) func(string) bool {
	re := regexp.MustCompile(`(?i)^\s*EXPOSE\s+\$\{?` + quoteMeta(name) + `\}?(?:/tcp)?\s*$`)
	return re.MatchString
}

// jsEnvPrefix is a computed variable name's literal start, the name read
// by index: psitransfer's config.js:80, envName = 'PSITRANSFER_' +
// k.replace(...), read as process.env[envName].
var (
	jsEnvPrefix = regexp.MustCompile(`=\s*(?:['"` + "`" + `]([A-Z][A-Z0-9_]*_)['"` + "`" + `]\s*\+|` + "`" + `([A-Z][A-Z0-9_]*_)\$\{)`)
	jsEnvIndex  = regexp.MustCompile(`process\.env\[\s*[A-Za-z_$][\w$]*\s*\]`)
)

// computedEnvReads are the variables the repository's Dockerfile sets
// whose names a Node program computes from a literal prefix and reads by
// index (psitransfer's PSITRANSFER_UPLOAD_DIR=/data, one of its config
// keys): a read of the code's as the Dockerfile names it.
func (r *repo) computedEnvReads(env []Evidence) []Evidence {
	var out []Evidence
	envs := r.dockerfileEnvs()
	if len(envs) == 0 {
		return nil
	}
	for _, f := range r.codeFiles() {
		if !langExts["node"][path.Ext(f)] {
			continue
		}
		lines := r.read(f)
		if !slices.ContainsFunc(lines, jsEnvIndex.MatchString) {
			continue
		}
		for i, line := range lines {
			m := jsEnvPrefix.FindStringSubmatch(line)
			if m == nil || isComment(line) {
				continue
			}
			if m[1] == "" {
				m[1] = m[2] // a template literal: `PSI_${k}`
			}
			for _, e := range envs {
				if strings.HasPrefix(e.key, m[1]) && len(e.key) > len(m[1]) &&
					!slices.ContainsFunc(env, func(v Evidence) bool { return v.Value == e.key }) && !slices.ContainsFunc(out, func(v Evidence) bool { return v.Value == e.key }) {
					out = append(out, Evidence{Value: e.key, File: f, Line: i + 1, Why: "read by a name computed from " + strconv.Quote(m[1]) + ", as " + e.file + " sets it"})
				}
			}
		}
	}
	return out
}
