package detect

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

var (
	// A directory the code creates: fs.mkdirSync(dir), fs.mkdir(dir, ...),
	// fse.ensureDir(dir), mkdirp(dir).
	nodeMkdir = regexp.MustCompile(`\b(?:mkdirSync|mkdir|ensureDirSync|ensureDir|mkdirp)\(\s*((?:this\.)?\w+)\b`)
	// jsFunctionStart is a line that begins a function's body.
	jsFunctionStart = regexp.MustCompile(`\bfunction\b[^{]*\{|=>\s*\{`)
	// Its path relative to the working directory, set in the same file,
	// perhaps as an option's default: this.basePath = options.path ||
	// './data' (seejohnrun/haste-server's file store).
	nodeRelativeDir = regexp.MustCompile(`^\s*(?:(?:const|let|var)\s+)?((?:this\.)?\w+)\s*=\s*(?:[\w.]+\s*(?:\|\||\?\?)\s*)?['"]\./([\w-][\w.-]*)/?['"]\s*;?\s*$`)
	// Its path, made from the file's own directory:
	// const dirPath = path.join(import.meta.dirname, '../..', config.UPLOAD_DIRNAME).
	nodeDirPath = regexp.MustCompile(`\b(?:const|let|var)\s+(\w+)\s*=\s*(?:path\.)?(?:join|resolve)\(\s*(?:import\.meta\.dirname|__dirname)\s*,\s*([^)]*)\)`)
	// A part of it: a string, or a setting read by name (config.UPLOAD_DIR,
	// process.env.UPLOAD_DIR).
	nodePathString  = regexp.MustCompile(`^['"]([\w./-]*)['"]$`)
	nodePathSetting = regexp.MustCompile(`^[\w.]*\.([A-Z][A-Z0-9_]*)(?:\s*(?:\|\||\?\?)\s*['"]([\w.-]+)['"])?$`)
	// A winston file transport's directory, relative to the working
	// directory: new transports.File({ filename: 'logs/error.log' }),
	// DailyRotateFile({ dirname: 'logs', ... }).
	nodeLogFile = regexp.MustCompile(`(?:transports\.(?:File|DailyRotateFile)|\bDailyRotateFile)\(\s*\{[^}]*\b(?:filename\s*:\s*['"](?:\./)?((?:[\w-][\w.-]*/)+)[\w.%-]+['"]|dirname\s*:\s*['"](?:\./)?([\w-][\w.-]*)/?['"])`)
	// multer's upload directory, relative to the working directory:
	// multer({ dest: 'uploads/' }), which it creates when the app starts;
	// diskStorage({ destination: 'uploads' }) or a destination function's
	// cb(null, 'uploads/'), where the uploads are written.
	nodeUploadDir = regexp.MustCompile(`\bmulter\(\s*\{[^}]*\bdest\s*:\s*['"](?:\./)?([\w-][\w.-]*)/?['"]|\bdiskStorage\(\s*\{[^}]*?\bdestination\s*:\s*['"](?:\./)?([\w-][\w.-]*)/?['"]|\bdiskStorage\(\s*\{[^}]*?\bdestination\b[^{]*\{[^}]*\bcb\(\s*null\s*,\s*['"](?:\./)?([\w-][\w.-]*)/?['"]`)
	// nodeLoadsMulter is a file's require or import of multer.
	nodeLoadsMulter = regexp.MustCompile(`\brequire\(\s*['"]multer['"]\s*\)|\bfrom\s+['"]multer['"]`)
	// A directory under the home directory, the last part of the path:
	// node-red's path.join(process.env.HOME || process.env.USERPROFILE,
	// ".node-red"), path.resolve(os.homedir(), '.myapp'),
	// path.join(require('os').homedir(), '.myapp').
	nodeHomePath = regexp.MustCompile(`\b(?:join|resolve)\(\s*(?:process\.env\.HOME\b|process\.env\[['"]HOME['"]\]|(?:require\(['"](?:node:)?os['"]\)\.|os\.)?homedir\(\))(?:[^,()]|\(\))*,\s*['"](\.[\w-][\w.-]*)['"]\s*\)`)
	// A call that creates or writes files: the state is the program's.
	nodeWrites = regexp.MustCompile(`\b(?:mkdirSync|mkdir|ensureDirSync|ensureDir|mkdirp|copySync|copyFileSync|copyFile|writeFileSync|writeFile|outputFileSync|outputFile)\(`)
	// Other tools' files and directories under the home directory, which
	// a program reads (credentials, configuration) and does not own.
	nodeOtherHomes = map[string]bool{".aws": true, ".npmrc": true, ".netrc": true, ".kube": true, ".ssh": true, ".docker": true, ".gnupg": true,
		".gitconfig": true, ".config": true, ".cache": true, ".local": true, ".npm": true, ".yarnrc": true, ".bashrc": true, ".profile": true}
)

// nodeHomeDir is the directory under the home directory in which the
// program keeps its state: the last part of a path joined to the home
// directory, in a file that creates or writes files, among the program's
// own files (the entry point and what it loads; when those are unknown,
// every file but the repository's scripts), outside tests. Other tools'
// files (~/.aws, ~/.npmrc) are read, not kept.
func (r *repo) nodeHomeDir(s *Stack) *Evidence {
	var scope map[string]bool
	if len(s.Entrypoints) > 0 && !s.ambiguousEntry() {
		scope = r.nodeScope(r.nodeSource(s.Entrypoints[0]))
	}
	for _, f := range r.codeFiles() {
		if !langExts["node"][path.Ext(f)] || nodeTestFile(f) || scope != nil && !scope[f] || scope == nil && nodeToolFile(f) {
			continue
		}
		lines := r.read(f)
		for i, line := range lines {
			if m := nodeHomePath.FindStringSubmatch(line); m != nil && !isComment(line) && !nodeOtherHomes[m[1]] && writesFiles(lines) {
				return &Evidence{Value: m[1], File: f, Line: i + 1, Why: "the code keeps its state in ~/" + m[1]}
			}
		}
	}
	return nil
}

// writesFiles reports whether code creates or writes files: read only for
// a file that names a home directory's path, not for every file.
func writesFiles(lines []string) bool {
	for _, line := range lines {
		if nodeWrites.MatchString(line) && !isComment(line) {
			return true
		}
	}
	return false
}

// nodeToolFile reports whether a file is a script of the repository's
// own (scripts/release.ts, tools/), not the program's, when the program's
// files are unknown (a compiled entry point).
func nodeToolFile(f string) bool {
	for _, d := range strings.Split(path.Dir(f), "/") {
		if d == "scripts" || d == "tools" || d == "script" || d == "bin" {
			return true
		}
	}
	return false
}

// nodeWriteDir is a directory in the app's tree that the code creates at
// run time (uploads): on a read-only root it needs a volume. Its path is
// resolved from the file's directory, so it holds for the compiled copy
// of a TypeScript file as well (dist mirrors src). A setting's default is
// read from the env schema (NAME: { default: 'uploads' }) or the `||`.
func (r *repo) nodeWriteDir(s *Stack) *Evidence {
	scope := r.runScope(s)
	for _, f := range r.codeFiles() {
		if strings.HasSuffix(f, ".toml") || strings.HasSuffix(f, ".env") {
			continue
		}
		lines := r.read(f)
		for i, line := range lines {
			m := nodeMkdir.FindStringSubmatch(line)
			if m == nil || isComment(line) {
				continue
			}
			if !nodeTestFile(f) && !nodeToolFile(f) && !devPath(f) && (scope == nil || scope[f]) {
				// A directory relative to the working directory, which is
				// the app's in the image, made by the program the image runs
				// (not a release script's scratch directory).
				for j := i; j >= 0 && j >= i-40; j-- {
					if j < i && !strings.HasPrefix(m[1], "this.") && jsFunctionStart.MatchString(lines[j]) {
						break // a local variable of another function (a field, this.x, is the object's)
					}
					if d := nodeRelativeDir.FindStringSubmatch(lines[j]); d != nil && d[1] == m[1] && !r.holdsFiles(d[2]) {
						return &Evidence{Value: d[2], File: f, Line: j + 1, Why: "the code creates it at run time, relative to the working directory (" + strings.TrimSpace(lines[j]) + ")"}
					}
				}
			}
			for j := i; j >= 0 && j >= i-10; j-- {
				d := nodeDirPath.FindStringSubmatch(lines[j])
				if d == nil || d[1] != m[1] {
					continue
				}
				rel, ok := r.nodePathParts(path.Dir(f), d[2])
				if !ok {
					break
				}
				return &Evidence{Value: rel, File: f, Line: i + 1, Why: "the code creates it at run time (" + strings.TrimSpace(lines[j]) + ")"}
			}
		}
	}
	for _, f := range r.codeFiles() {
		if !langExts["node"][path.Ext(f)] || nodeTestFile(f) || nodeToolFile(f) {
			continue
		}
		lines := r.read(f)
		for i, line := range lines {
			if isComment(line) {
				continue
			}
			if (strings.Contains(line, "multer(") || strings.Contains(line, "destination")) && loadsMulter(lines) {
				call := strings.Join(lines[max(0, i-2):min(len(lines), i+5)], " ")
				if m := nodeUploadDir.FindStringSubmatch(call); m != nil && !r.holdsFiles(matchValue(m)) {
					return &Evidence{Value: matchValue(m), File: f, Line: i + 1,
						Why: "multer stores uploads there, relative to the working directory"}
				}
			}
			if !strings.Contains(line, "transports.") && !strings.Contains(line, "DailyRotateFile(") {
				continue
			}
			// The options may continue over the next lines.
			call := strings.Join(lines[i:min(len(lines), i+5)], " ")
			m := nodeLogFile.FindStringSubmatch(call)
			if m == nil {
				continue
			}
			dir := strings.TrimSuffix(m[1], "/") + m[2]
			if r.holdsFiles(dir) {
				continue // the repository's own directory (logs/logger.js), not one to mount over
			}
			return &Evidence{Value: dir, File: f, Line: i + 1,
				Why: "winston logs to files there and creates it at start; in a container, log to stdout, which the engine keeps"}
		}
	}
	return nil
}

// loadsMulter reports whether a file loads multer: another object's
// destination ({ origin: 'LAX', destination: 'JFK' }) is no upload
// directory.
func loadsMulter(lines []string) bool {
	for _, line := range lines {
		if nodeLoadsMulter.MatchString(line) {
			return true
		}
	}
	return false
}

// holdsFiles reports whether a directory of the tree holds files of the
// repository's: anything but dotfiles (a .gitkeep, psitransfer's
// public/app/.gitignore), which keep a place for output git leaves empty.
func (r *repo) holdsFiles(dir string) bool {
	entries, err := os.ReadDir(filepath.Join(r.dir, filepath.FromSlash(dir)))
	if err != nil {
		return false
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			return true
		}
	}
	return false
}

// nodePathParts joins the arguments after the directory to it, and
// reports whether the result is a directory inside the service's tree.
func (r *repo) nodePathParts(dir, args string) (string, bool) {
	parts := []string{dir}
	for _, a := range strings.Split(args, ",") {
		a = strings.TrimSpace(a)
		if m := nodePathString.FindStringSubmatch(a); m != nil {
			parts = append(parts, m[1])
			continue
		}
		m := nodePathSetting.FindStringSubmatch(a)
		if m == nil {
			return "", false
		}
		v := m[2]
		if v == "" {
			v = r.nodeSettingDefault(m[1])
		}
		if v == "" {
			return "", false
		}
		parts = append(parts, v)
	}
	p := path.Join(parts...)
	if p == "." || strings.HasPrefix(p, "..") || path.IsAbs(p) {
		return "", false
	}
	return p, true
}

// nodeSettingDefault is the default an env schema gives a setting:
// NAME: { type: 'string', default: 'uploads' } (@fastify/env, ajv).
func (r *repo) nodeSettingDefault(name string) string {
	key := regexp.MustCompile(`^\s*['"]?` + quoteMeta(name) + `['"]?\s*:\s*\{`)
	def := regexp.MustCompile(`^\s*default\s*:\s*['"]([\w.-]+)['"]`)
	for _, f := range r.codeFiles() {
		lines := r.read(f)
		for i, line := range lines {
			if !key.MatchString(line) {
				continue
			}
			for j := i + 1; j < len(lines) && j <= i+8; j++ {
				if m := def.FindStringSubmatch(lines[j]); m != nil {
					return m[1]
				}
				if t := strings.TrimSpace(lines[j]); strings.HasPrefix(t, "}") {
					break // the setting's object ends
				}
			}
		}
	}
	return ""
}
