package detect

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/shipshape/shipshape/internal/project"

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
	// config is set when the arguments hand it to the program as its
	// configuration (a positional path, or a --config flag).
	config bool
}

// dockerfileArgPaths reads the absolute paths among the arguments the
// repository's Dockerfile passes the program (s.Args): one its COPY puts
// a repository file at is carried (s.CarriedFiles); a flag named for data
// whose value is a VOLUME of its own becomes a data-dir serve flag given
// the image's data volume (alertmanager's --storage.path=/alertmanager)
// and leaves the arguments. Others stay as they are.
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
			for _, v := range words(a) {
				volumes = append(volumes, path.Clean(v))
			}
		}
	}
	hasData := false
	for _, fl := range s.ServeFlags {
		hasData = hasData || strings.HasPrefix(fl.Kind, "data-")
	}
	// Flags whose value is a VOLUME of their own, named for data
	// (linx-server's -filespath=/data/files/ and -metapath=/data/meta/):
	// one is the data volume; several are directories in it.
	volumeFlags := 0
	for _, a := range s.ArgWords {
		name, value, ok := strings.Cut(a, "=")
		if ok && strings.HasPrefix(name, "-") && path.IsAbs(value) && slices.Contains(volumes, path.Clean(value)) && dataFlagWord.MatchString(strings.TrimLeft(name, "-")) {
			volumeFlags++
		}
	}
	var kept []string
	for _, a := range flagValuePairs(s.ArgWords) {
		name, value, ok := strings.Cut(a, "=")
		if !ok && path.IsAbs(a) {
			// A path the program takes as an argument of its own
			// (distribution's `serve /etc/distribution/config.yml`): its
			// configuration.
			if c, ok := r.copiedTo(s.Args.File, final, a); ok {
				c.config = true
				s.CarriedFiles = append(s.CarriedFiles, c)
			}
			kept = append(kept, a)
			continue
		}
		flag := strings.TrimLeft(name, "-")
		if !ok || !strings.HasPrefix(name, "-") || !path.IsAbs(value) {
			kept = append(kept, a)
			continue
		}
		if c, ok := r.copiedTo(s.Args.File, final, value); ok {
			c.config = configFlag.MatchString(flag)
			s.CarriedFiles = append(s.CarriedFiles, c)
			kept = append(kept, a)
			continue
		}
		// The value is the volume itself (a file inside one stays), and
		// the flag is named for data (a --log.dir is not).
		if slices.Contains(volumes, path.Clean(value)) && dataFlagWord.MatchString(flag) && !hasData {
			if volumeFlags > 1 {
				s.ServeFlags = append(s.ServeFlags, ServeFlag{Kind: "data-subdir", Default: value,
					Evidence: Evidence{Value: flag, File: s.Args.File, Line: s.Args.Line,
						Why: s.Args.File + " passes " + value + ", a VOLUME of its own: the program's data, in a directory of the image's data volume"}})
				continue
			}
			hasData = true
			s.ServeFlags = append(s.ServeFlags, ServeFlag{Kind: "data-dir", Default: value,
				Evidence: Evidence{Value: flag, File: s.Args.File, Line: s.Args.Line,
					Why: s.Args.File + " passes " + value + ", a VOLUME of its own: the program's data, on the image's data volume"}})
			continue
		}
		// A data path of no volume of its own (yarr's etc/dockerfile:
		// -db /data/yarr.db): on init's read-only root it could not be
		// written; it goes on the image's data volume.
		if !hasData && dataFlagWord.MatchString(flag) && !configFlag.MatchString(flag) && !configExts[path.Ext(value)] &&
			!systemDir.MatchString(path.Dir(path.Clean(value))) && !strings.HasPrefix(value, "/app/") {
			kind, what := "data-dir", "a directory"
			if sqliteFileName.MatchString(value) {
				kind, what = "data-file", "a file"
			}
			hasData = true
			s.ServeFlags = append(s.ServeFlags, ServeFlag{Kind: kind, Default: value,
				Evidence: Evidence{Value: flag, File: s.Args.File, Line: s.Args.Line,
					Why: s.Args.File + " passes " + value + ", " + what + " of the program's data in no volume of its own: on the image's data volume"}})
			continue
		}
		kept = append(kept, a)
	}
	if !hasData {
		s.DataVolume = r.volumeNamedBy(s, volumes)
	}
	r.unconfiguredDatabases(s)
	s.setArgs(s.Args, kept)
}

var (
	// dataDirName is a directory named for a program's data: /datastore,
	// /data, /storage.
	dataDirBase = regexp.MustCompile(`(?i)^(?:data|datastore|datadir|storage|state|db|database|files|uploads|media)$`)
	// mkdirWord is a RUN's mkdir of absolute directories.
	mkdirWords = regexp.MustCompile(`\bmkdir\s+(?:-p\s+)?((?:/[\w./-]+\s*)+)`)
)

// dataDirArg is the directory a Python or Node program's arguments name
// as its data, which the repository's own Dockerfile makes (RUN mkdir) or
// declares a VOLUME: changedetection.io runs `changedetection.py -d
// /datastore` after `RUN mkdir /datastore`, and exits 2 when it lacks the
// directory. The image's data volume is mounted there, and the arguments
// stay as they are. nil when none is.
func (r *repo) dataDirArg(s *Stack) *Evidence {
	if s.Args == nil || !strings.Contains(s.Args.Value, "/") {
		return nil
	}
	final := r.dockerfileFinal(s.Args.File)
	if final == nil {
		return nil
	}
	made := map[string]bool{}
	for _, st := range final.Chain() {
		for _, in := range st.All("VOLUME") {
			for _, a := range in.Args {
				for _, v := range words(a) {
					made[path.Clean(v)] = true
				}
			}
		}
		for _, in := range st.All("RUN") {
			for _, m := range mkdirWords.FindAllStringSubmatch(strings.Join(in.Args, " "), -1) {
				for _, v := range strings.Fields(m[1]) {
					made[path.Clean(v)] = true
				}
			}
		}
	}
	for _, a := range flagValuePairs(s.ArgWords) {
		name, value, ok := strings.Cut(a, "=")
		if !ok || !strings.HasPrefix(name, "-") || !path.IsAbs(value) {
			continue
		}
		v := path.Clean(value)
		if !made[v] || systemDir.MatchString(v) || strings.HasPrefix(v, "/app/") || path.Ext(v) != "" ||
			!dataFlagWord.MatchString(strings.TrimLeft(name, "-")) && !dataDirBase.MatchString(path.Base(v)) {
			continue
		}
		return &Evidence{Value: v, File: s.Args.File, Line: s.Args.Line,
			Why: s.Args.File + " passes " + name + " " + value + ", a directory it makes: the program's data, on the image's data volume there"}
	}
	return nil
}

// flagValuePairs joins a flag and the absolute path after it into one
// word (-db /data/yarr.db is -db=/data/yarr.db), as Go's flag, pflag and
// kingpin read both: the path is then read as that flag's value.
func flagValuePairs(words []string) []string {
	var out []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		if strings.HasPrefix(w, "-") && !strings.Contains(w, "=") && len(w) > 1 && i+1 < len(words) && path.IsAbs(words[i+1]) {
			out = append(out, w+"="+words[i+1])
			i++
			continue
		}
		out = append(out, w)
	}
	return out
}

var (
	// configFlag names a flag that hands the program its configuration.
	configFlag = regexp.MustCompile(`(?i)conf(?:ig)?(?:$|[-_.])`)
	// dataFlagWord names a flag whose value is where the program keeps
	// its data: --storage.path, --data-dir, --db.path.
	dataFlagWord = regexp.MustCompile(`(?i)(?:^|[-_.])(?:data|storage|state|db|database|files?|uploads?|media|meta)(?:$|[-_.]|dir|path)`)
	// systemDir is a directory no data volume belongs over: the image's
	// own files, or the system's.
	systemDir = regexp.MustCompile(`^/(?:app|bin|sbin|lib|lib64|usr|etc|proc|sys|dev|root)?$`)
)

// volumeNamedBy is a VOLUME of the repository's Dockerfile that a carried
// configuration names as a value (distribution's config-dev.yml:
// `rootdirectory: /var/lib/registry`): where the program keeps its data,
// so the image's data volume is there. A comment, a URL's path or a
// longer path that merely starts the same way does not count.
func (r *repo) volumeNamedBy(s *Stack, volumes []string) *Evidence {
	for _, v := range volumes {
		if systemDir.MatchString(v) {
			continue
		}
		for _, c := range s.CarriedFiles {
			if !c.config {
				continue
			}
			for i, line := range r.read(c.Value) {
				if isComment(line) || strings.HasPrefix(strings.TrimSpace(line), "#") {
					continue
				}
				for _, tok := range strings.FieldsFunc(line, func(r rune) bool { return strings.ContainsRune(" \t\"'=,[]{}", r) }) {
					if tok == v || strings.HasPrefix(tok, v+"/") {
						return &Evidence{Value: v, File: c.Value, Line: i + 1,
							Why: "a VOLUME of " + s.Args.File + " that the configuration it carries names: the program's data"}
					}
				}
			}
		}
	}
	return nil
}

// databaseWords are the words a configuration file configures a database
// kind with, by the names detection gives them.
var databaseWords = map[string][]string{
	"redis": {"redis"}, "postgres": {"postgres"}, "mysql": {"mysql", "mariadb"}, "mongodb": {"mongo"},
}

// unconfiguredDatabases sets aside the databases the code only imports a
// client of, where the program is handed its configuration (a carried
// file its arguments name as such) and that configuration neither names
// the kind nor its port, and no variable the code reads names it:
// distribution imports go-redis for a cache its config-dev.yml does not
// configure ("redis not configured", it logs), so none is started beside
// it. Said in a note.
func (r *repo) unconfiguredDatabases(s *Stack) {
	var text []string
	for _, c := range s.CarriedFiles {
		if c.config {
			text = append(text, strings.ToLower(strings.Join(r.read(c.Value), "\n")))
		}
	}
	if len(text) == 0 {
		return
	}
	all := strings.Join(text, "\n")
	var kept []Evidence
	for _, db := range s.Databases {
		words := databaseWords[db.Value]
		if db.Why != project.ImportedByCode || words == nil || r.envNames(s, words) {
			kept = append(kept, db)
			continue
		}
		mentioned := false
		for _, w := range words {
			mentioned = mentioned || strings.Contains(all, w)
		}
		for port, kind := range servicePorts {
			mentioned = mentioned || kind == db.Value && strings.Contains(all, ":"+port)
		}
		if mentioned {
			kept = append(kept, db)
			continue
		}
		for _, c := range s.CarriedFiles {
			if c.config {
				db.Why = project.ImportedByCode + "; " + c.Value + ", the configuration the image carries, does not configure it"
				break
			}
		}
		s.Unconfigured = append(s.Unconfigured, db)
	}
	s.Databases = kept
}

// envNames reports whether a variable the code reads names a database of
// a kind (REDIS_URL, MONGO_URI), or is a database URL (DATABASE_URL).
func (r *repo) envNames(s *Stack, words []string) bool {
	for _, e := range s.Env {
		name := strings.ToLower(e.Value)
		if strings.Contains(name, "database") || strings.Contains(name, "dsn") {
			return true
		}
		for _, w := range words {
			if strings.Contains(name, w) || w == "postgres" && strings.HasPrefix(name, "pg") {
				return true
			}
		}
	}
	return false
}

// copiedTo is the COPY (or ADD of a local file) of a repository file
// that puts it at p: the file itself, one of several sources copied into
// a directory, or a file inside a directory copied whole (COPY conf
// /etc/app, then /etc/app/app.yml). Not from another stage or an image,
// not a heredoc, not a source the repository does not hold (a build's
// output), not the whole context; a destination with a variable is read
// with the values the Dockerfile gives it.
func (r *repo) copiedTo(file string, st *dockerfile.Stage, p string) (CarriedFile, bool) {
	p = path.Clean(p)
	found := func(in *dockerfile.Instruction, src string) (CarriedFile, bool) {
		return CarriedFile{Evidence: Evidence{Value: src, File: file, Line: in.Line,
			Why: "the repository's Dockerfile puts it where its arguments name it"}, Dest: p}, true
	}
	for _, in := range append(st.All("COPY"), st.All("ADD")...) {
		if _, from := in.Flag("from"); from {
			continue
		}
		dest, ok := in.Expand(in.Destination())
		if !ok || !path.IsAbs(dest) {
			continue // a relative destination is WORKDIR's: not read here
		}
		srcs := in.SourcePaths()
		for _, raw := range srcs {
			src := path.Clean(strings.TrimPrefix(raw, "./"))
			if src == "." || strings.ContainsAny(src, "*?[$") || strings.HasPrefix(src, "..") || strings.Contains(raw, "://") ||
				in.Keyword == "ADD" && archiveExt.MatchString(src) || !exists(r.dir, src) {
				continue
			}
			if isDir(r.dir, src) {
				// The directory's contents go to the destination.
				if rel, ok := strings.CutPrefix(p, path.Clean(dest)+"/"); ok && exists(r.dir, path.Join(src, rel)) {
					return found(in, path.Join(src, rel))
				}
				continue
			}
			if len(srcs) == 1 && path.Clean(dest) == p || strings.HasSuffix(dest, "/") && path.Join(dest, path.Base(src)) == p {
				return found(in, src)
			}
		}
	}
	return CarriedFile{}, false
}

// copyDest is where a COPY or ADD puts its sources, its destination
// expanded and made absolute against the stage's working directory wd;
// false when an argument it names has no value.
func copyDest(in *dockerfile.Instruction, wd string) (string, bool) {
	dest, ok := in.Expand(in.Destination())
	if ok && !path.IsAbs(dest) {
		dest = path.Join(wd, dest)
	}
	return dest, ok
}

// archiveExt is a local archive ADD unpacks rather than copies.
var archiveExt = regexp.MustCompile(`\.(?:tar|tgz|tar\.\w+|txz|tbz2?)$`)

// workdirCopies are the repository's files and directories its own
// Dockerfile copies, from the build context, into its final stage beside
// the program, which an earlier stage built (a stage that builds it copies
// its sources): to the same path under that stage's WORKDIR, where the
// program reads them by a relative path (mayswind/ezbookkeeping's COPY
// conf /ezbookkeeping/conf and COPY templates /ezbookkeeping/templates
// under WORKDIR /ezbookkeeping: it loads conf/ezbookkeeping.ini from its
// working directory). A compiled program's image carries them at that
// path under /app. A licence, a document, a script, a secret or a file
// git ignores is left out.
func (r *repo) workdirCopies(s *Stack) []Evidence {
	for _, name := range r.repoDockerfiles() {
		final := r.dockerfileFinal(name)
		if final == nil {
			continue
		}
		if !slices.ContainsFunc(final.All("COPY"), func(in *dockerfile.Instruction) bool { _, from := in.Flag("from"); return from }) {
			return nil // the program is built in this stage: its COPYs are the sources
		}
		wd := workdir(final)
		var out []Evidence
		for _, in := range append(final.All("COPY"), final.All("ADD")...) {
			if _, from := in.Flag("from"); from {
				continue
			}
			dest, ok := copyDest(in, wd)
			if !ok {
				continue
			}
			srcs := in.SourcePaths()
			for _, raw := range srcs {
				src := path.Clean(strings.TrimPrefix(raw, "./"))
				if src == "." || strings.ContainsAny(src, "*?[$") || strings.HasPrefix(src, "..") || strings.Contains(raw, "://") ||
					in.Keyword == "ADD" && archiveExt.MatchString(src) || !exists(r.dir, src) || !r.shippable(src) || notRuntimeFile.MatchString(path.Base(src)) {
					continue
				}
				target := path.Clean(dest)
				if len(srcs) > 1 || strings.HasSuffix(in.Destination(), "/") && !isDir(r.dir, src) {
					target = path.Join(dest, path.Base(src))
				}
				if target != path.Join(wd, src) || slices.ContainsFunc(s.RuntimeFiles, func(e Evidence) bool { return e.Value == src }) ||
					r.shellScript(src) {
					// picoshare's docker-entrypoint, its ENTRYPOINT, a bash
					// script that starts litestream: the image init writes
					// runs the program itself and has no shell.
					continue
				}
				out = append(out, Evidence{Value: src, File: name, Line: in.Line, Why: "the repository's Dockerfile copies it beside the program"})
			}
		}
		return out
	}
	return nil
}

// shellShebang is a shell script's first line.
var shellShebang = regexp.MustCompile(`^#!\s*(?:/usr)?/bin/(?:env\s+)?(?:ba|da|z|k)?sh\b`)

// shellScript reports whether a file of the repository is a shell script
// by its first line (docker-entrypoint has no .sh).
func (r *repo) shellScript(f string) bool {
	if !isFile(r.dir, f) {
		return false
	}
	lines := r.read(f)
	return len(lines) > 0 && shellShebang.MatchString(lines[0])
}

// notRuntimeFile is a file an image carries for people, or to start
// the program with a shell: no file the program reads.
var notRuntimeFile = regexp.MustCompile(`(?i)^(?:LICEN[CS]E|COPYING|NOTICE|README|CHANGELOG|AUTHORS|CONTRIBUTING)(?:[._-].*)?$|\.(?:md|txt|sh)$`)
