package detect

import (
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
)

var (
	// pyUploadSetting is a setting of where uploads go, a path under a
	// base the code reads: MEDIA_FOLDER = f"{os.getenv('APP_FOLDER')}/
	// project/media", UPLOAD_FOLDER = os.path.join(basedir, 'uploads').
	// The setting's name, then the path in one of the two forms.
	pyUploadSetting = regexp.MustCompile(`^\s*(\w*(?:UPLOAD|MEDIA)\w*)\s*=\s*(?:f?["'](?:\{[^}]*\})?/?([\w./-]+)["']|os\.path\.join\(\s*[^,()]+(?:\([^()]*\))?\s*,\s*["']([\w./-]+)["']\s*\))\s*$`)
	// pySaveInto saves an uploaded file into a setting's directory:
	// file.save(os.path.join(app.config["MEDIA_FOLDER"], filename)).
	pySaveInto = regexp.MustCompile(`\.save\(\s*os\.path\.join\(\s*[\w.]*?(?:config\[\s*["'](\w+)["']\s*\]|\b([A-Z]\w*))`)
)

// pythonWriteDir is the directory of the app's tree that its code saves
// uploaded files into (Flask's file.save into a MEDIA_FOLDER or
// UPLOAD_FOLDER setting that names a directory the repository holds):
// on a read-only root it needs a volume. testdrivenio/flask-on-docker's
// POST /upload answered 500 (Errno 30, read-only file system at
// /app/project/media) after init gave it its APP_FOLDER.
func (r *repo) pythonWriteDir() *Evidence {
	settings := map[string]Evidence{}
	saved := map[string]bool{}
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".py") || devPath(f) {
			continue
		}
		for i, line := range r.read(f) {
			if isComment(line) {
				continue
			}
			if m := pyUploadSetting.FindStringSubmatch(line); m != nil {
				dir := path.Clean(m[2] + m[3])
				if _, ok := settings[m[1]]; !ok && isDir(r.dir, dir) && !strings.HasPrefix(dir, "..") && dir != "." {
					settings[m[1]] = Evidence{Value: dir, File: f, Line: i + 1}
				}
			}
			if m := pySaveInto.FindStringSubmatch(line); m != nil {
				saved[m[1]+m[2]] = true
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(settings)) {
		if e := settings[name]; saved[name] {
			e.Why = "uploads are saved into " + name + ", which names it"
			return &e
		}
	}
	return nil
}
