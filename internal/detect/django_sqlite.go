package detect

import (
	"regexp"
	"strings"
)

var (
	djangoSQLiteEngine = regexp.MustCompile(`['"]ENGINE['"]\s*:\s*['"]django\.db\.backends\.sqlite3['"]`)
	// djangoFixedName is a database NAME built from the project's own
	// directory: BASE_DIR / 'db.sqlite3', os.path.join(BASE_DIR, ...).
	djangoFixedName = regexp.MustCompile(`['"]NAME['"]\s*:\s*(?:BASE_DIR\s*/\s*['"]([\w./-]+)['"]|os\.path\.join\(\s*BASE_DIR\s*,\s*['"]([\w./-]+)['"]\s*\))`)
)

// djangoFixedSQLite is where a Django settings module puts its SQLite
// file at a path fixed beside the code (Azure-Samples' Django quickstart:
// 'NAME': BASE_DIR / 'db.sqlite3'), which no variable moves: in the image
// that is /app, on the read-only root, not the data volume. nil when the
// name is read from the environment or the engine is not SQLite.
func (r *repo) djangoFixedSQLite(s *Stack) *Evidence {
	if s.Framework == nil || s.Framework.Value != "django" {
		return nil
	}
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".py") || r.find(f, djangoSQLiteEngine) == nil {
			continue
		}
		for i, line := range r.read(f) {
			if m := djangoFixedName.FindStringSubmatch(line); m != nil && !strings.Contains(line, "environ") && !strings.Contains(line, "getenv") {
				return &Evidence{Value: m[1] + m[2], File: f, Line: i + 1, Why: strings.TrimSpace(line)}
			}
		}
	}
	return nil
}
