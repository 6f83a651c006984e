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
	if s.Args == nil || !strings.Contains(s.Args.Value, "=/") {
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
	if len(kept) == 0 {
		s.Args = nil
		return
	}
	s.Args.Value = strings.Join(kept, " ")
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
