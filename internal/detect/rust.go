package detect

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

func detectRust(r *repo) *Stack {
	dir := r.dir
	s := &Stack{Language: "rust", PackageManager: &Evidence{Value: "cargo", File: "Cargo.toml"}}
	s.Version = r.firstOf(
		probe{"rust-toolchain.toml", regexp.MustCompile(`channel\s*=\s*"(\d+\.\d+(?:\.\d+)?)"`), ""},
		probe{"rust-toolchain", regexp.MustCompile(`^\s*(\d+\.\d+(?:\.\d+)?)`), ""},
		probe{"Cargo.toml", regexp.MustCompile(`rust-version\s*=\s*"(\d+\.\d+(?:\.\d+)?)"`), ""})
	manifests := []string{"Cargo.toml"}
	if ws := r.find("Cargo.toml", regexp.MustCompile(`^\[workspace\]`)); ws != nil {
		ws.Value, ws.Why = "workspace", "a Cargo workspace: its members' manifests come with the dependencies"
		s.Workspace = ws
		members, _ := filepath.Glob(filepath.Join(dir, "*", "Cargo.toml"))
		more, _ := filepath.Glob(filepath.Join(dir, "crates", "*", "Cargo.toml"))
		members = append(members, more...)
		for _, pattern := range r.cargoMembers() {
			listed, _ := filepath.Glob(filepath.Join(dir, filepath.FromSlash(pattern), "Cargo.toml"))
			members = append(members, listed...)
		}
		seen := map[string]bool{}
		for _, m := range members {
			if seen[m] {
				continue
			}
			seen[m] = true
			file, _ := filepath.Rel(dir, m)
			manifests = append(manifests, filepath.ToSlash(file))
		}
	}
	for _, m := range manifests {
		for _, fw := range []string{"axum", "actix-web", "rocket"} {
			if s.Framework == nil {
				if e := r.find(m, regexp.MustCompile(`^`+quoteMeta(fw)+`\s*=`)); e != nil {
					e.Value = fw
					s.Framework = e
				}
			}
		}
		s.Entrypoints = append(s.Entrypoints, r.rustBins(m)...)
	}
	if len(s.Entrypoints) > 1 && s.Entrypoints[0].Why != "default-run" {
		var servers, rest []Evidence
		for _, e := range s.Entrypoints {
			if strings.Contains(e.Why, "serves") {
				servers = append(servers, e)
			} else {
				rest = append(rest, e)
			}
		}
		if len(servers) != 1 {
			s.ambiguous("entry point", "--entrypoint", s.Entrypoints)
		} else {
			s.Entrypoints = append(servers, rest...)
		}
	}
	s.Migrations = r.migrations()
	s.RuntimeFiles = r.runtimeFiles(".rs")
	return s
}

var (
	cargoName       = regexp.MustCompile(`^name\s*=\s*"([^"]+)"`)
	cargoDefaultRun = regexp.MustCompile(`^default-run\s*=\s*"([^"]+)"`)
	cargoPath       = regexp.MustCompile(`^path\s*=\s*"([^"]+)"`)
	rustServes      = regexp.MustCompile(`\.bind\(|axum::serve|HttpServer::new|rocket::build|#\[launch\]|TcpListener::bind|\.serve\(|\.launch\(`)
)

// rustBins lists a package's binaries: default-run alone when set, else
// src/main.rs (named after the package), [[bin]] targets and src/bin/*.rs,
// each marked when its source starts a server.
func (r *repo) rustBins(manifest string) []Evidence {
	if r.find(manifest, regexp.MustCompile(`^\[workspace\]`)) != nil && r.find(manifest, regexp.MustCompile(`^\[package\]`)) == nil {
		return nil
	}
	dir := path.Dir(manifest)
	if e := r.find(manifest, cargoDefaultRun); e != nil {
		e.Why = "default-run"
		return []Evidence{*e}
	}
	var bins []Evidence
	add := func(e Evidence, src string) {
		for _, b := range bins {
			if b.Value == e.Value {
				return
			}
		}
		if src != "" && r.find(path.Join(dir, src), rustServes) != nil {
			e.Why = "its source serves"
		}
		bins = append(bins, e)
	}
	pkg := r.find(manifest, cargoName)
	// Cargo makes the package's own binary from src/main.rs unless a
	// [[bin]] takes that path.
	claimed := r.find(manifest, regexp.MustCompile(`^path\s*=\s*"(?:\./)?src/main\.rs"`)) != nil
	if pkg != nil && exists(r.dir, path.Join(dir, "src/main.rs")) && !claimed {
		add(*pkg, "src/main.rs")
	}
	lines := r.read(manifest)
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "[[bin]]" {
			continue
		}
		var name *Evidence
		src := ""
		for j := i + 1; j < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[j]), "["); j++ {
			if m := cargoName.FindStringSubmatch(strings.TrimSpace(lines[j])); m != nil {
				name = &Evidence{Value: m[1], File: manifest, Line: j + 1}
			}
			if m := cargoPath.FindStringSubmatch(strings.TrimSpace(lines[j])); m != nil {
				src = m[1]
			}
		}
		if name != nil {
			if src == "" {
				src = "src/bin/" + name.Value + ".rs"
			}
			add(*name, src)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(r.dir, dir, "src", "bin"))
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".rs")
		src := path.Join("src/bin", e.Name())
		if e.IsDir() {
			src = path.Join("src/bin", e.Name(), "main.rs")
		} else if !strings.HasSuffix(e.Name(), ".rs") {
			continue
		}
		add(Evidence{Value: name, File: path.Join(dir, src), Line: 0}, src)
	}
	return bins
}

var cargoMember = regexp.MustCompile(`"([^"]+)"`)

// cargoMembers are the paths (globs) of the workspace's members list.
func (r *repo) cargoMembers() []string {
	var out []string
	in := false
	for _, line := range r.read("Cargo.toml") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "members") {
			in = true
		}
		if in {
			for _, m := range cargoMember.FindAllStringSubmatch(t, -1) {
				out = append(out, m[1])
			}
			if strings.Contains(t, "]") {
				in = false
			}
		}
	}
	return out
}
