package project

import (
	"path/filepath"
	"regexp"
	"strings"
)

// djInclude is a Django URLconf entry that mounts another: path('api/task/',
// include('task.urls')), re_path(r'^api/', include(('api.urls', 'api'))),
// and path(”, include(router.urls)), whose module is no name here.
var djInclude = regexp.MustCompile(`\b(?:re_)?path\(\s*r?["']\^?([^"'$]*)\$?["']\s*,\s*include\(\s*(?:\(\s*)?(?:["']([\w.]+)["'])?`)

var (
	// drfDefaultRouter makes a Django REST framework router that serves an
	// API root: router = DefaultRouter(), routers.DefaultRouter().
	drfDefaultRouter = regexp.MustCompile(`^\s*(\w+)\s*=\s*(?:\w+\.)?DefaultRouter\(`)
	// drfRouterURLs is include(router.urls).
	drfRouterURLs = regexp.MustCompile(`include\(\s*(\w+)\.urls\b`)
)

// djangoMount is a URLconf module mounted under a prefix, by file.
type djangoMount struct {
	prefix, module, file string
}

// applyDjangoMounts puts the routes of a URLconf module another mounts
// with include() under the mount's prefix, and its mounts' prefixes
// before that: pietrykovsky/todo-api's api/urls.py mounts task.urls at
// api/task/, so task/urls.py's routes are under /api/task/ (its
// `path(”, include(router.urls))` had been read as serving /, which
// answers 404).
func (a *App) applyDjangoMounts() {
	if len(a.djangoMounts) == 0 {
		return
	}
	for i, r := range a.Routes {
		if !strings.HasSuffix(r.File, ".py") {
			continue
		}
		if prefix := strings.Trim(a.djangoPrefix(filepath.ToSlash(r.File), 0), "/"); prefix != "" {
			a.Routes[i].Value = "/" + prefix + "/" + strings.TrimPrefix(r.Value, "/")
		}
	}
}

// djangoPrefix is the path a URLconf file is mounted under, its mounts'
// first ("" when no include() names it).
func (a *App) djangoPrefix(file string, depth int) string {
	if depth > 8 {
		return ""
	}
	for _, m := range a.djangoMounts {
		mod := strings.ReplaceAll(m.module, ".", "/") + ".py"
		if file != mod && !strings.HasSuffix(file, "/"+mod) || m.file == file {
			continue
		}
		// Empty parts (path('', include(...))) add nothing.
		return strings.Trim(strings.Trim(a.djangoPrefix(m.file, depth+1), "/")+"/"+strings.Trim(m.prefix, "/"), "/")
	}
	return ""
}
