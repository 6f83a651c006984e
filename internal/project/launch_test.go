package project

import (
	"path/filepath"
	"regexp"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

func TestModelLaunch_FilesTheCommandRuns(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"docker/entrypoint.sh": "#!/bin/sh\nset -e\n# exec uvicorn commented out\n./bin/migrate.sh\nexec uvicorn app.main:app --host 0.0.0.0\n",
		"bin/migrate.sh":       "#!/bin/sh\nalembic upgrade head\n",
		"Procfile":             "web: gunicorn app:app -c config/gunicorn.py\n",
		"config/gunicorn.py":   "forwarded_allow_ips = '*'\n",
		"serve.py":             "import uvicorn\nuvicorn.run('app:app', port=8080)\n",
		"worker/__main__.py":   "print('worker')\n",
	})
	cases := []struct {
		command string
		want    string // pattern of a followed line
		file    string
		line    int
	}{
		{"/app/docker/entrypoint.sh", `^exec uvicorn`, "docker/entrypoint.sh", 5},
		{"/app/docker/entrypoint.sh", `^alembic`, "bin/migrate.sh", 2},
		{`sh -c "./docker/entrypoint.sh"`, `^exec uvicorn`, "docker/entrypoint.sh", 5},
		{"honcho start", `^forwarded_allow_ips`, "config/gunicorn.py", 1},
		{"python3 -u serve.py", `uvicorn\.run`, "serve.py", 2},
		{"python -m worker", `print`, "worker/__main__.py", 1},
	}
	for _, c := range cases {
		e, ok := NewModel().Launch(dir, c.command).Find(regexp.MustCompile(c.want))
		if !ok || e.File != filepath.Join(dir, c.file) || e.Line != c.line {
			t.Errorf("%q: %q found at %s:%d (%v), want %s:%d", c.command, c.want, e.File, e.Line, ok, c.file, c.line)
		}
	}
	if _, ok := NewModel().Launch(dir, "/app/docker/entrypoint.sh").Find(regexp.MustCompile(`commented`)); ok {
		t.Error("a comment of the script was read as a command")
	}
	if l := NewModel().Launch(dir, "/usr/local/bin/other.sh"); len(l.Lines) != 1 {
		t.Errorf("a script outside the context was followed: %+v", l.Lines)
	}
}

func TestModelProxies_ConfigsInTheProject(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"deploy/nginx/site.conf":   "server {\n    listen 80;\n\n    location / {\n        proxy_pass http://app:8000;\n    }\n}\n",
		"k8s/ingress.yaml":         "apiVersion: networking.k8s.io/v1\nkind: Ingress\n",
		"supervisord.conf":         "[program:app]\ncommand=gunicorn app:app\n",
		"node_modules/x/Caddyfile": "reverse_proxy app:8000\n",
	})
	got := map[string]int{}
	for _, p := range NewModel().Proxies(dir) {
		rel, _ := filepath.Rel(dir, p.File)
		got[p.Value+" "+filepath.ToSlash(rel)] = p.Line
	}
	want := map[string]int{"nginx deploy/nginx/site.conf": 5, "ingress k8s/ingress.yaml": 2}
	if len(got) != len(want) {
		t.Fatalf("proxies %v, want %v", got, want)
	}
	for k, line := range want {
		if got[k] != line {
			t.Errorf("%s at line %d, want %d", k, got[k], line)
		}
	}
	if len(NewModel().Proxies(t.TempDir())) != 0 {
		t.Error("an empty project has a proxy")
	}
}

func TestServes_RoutesMountedUnderAPrefix(t *testing.T) {
	app := &App{Routes: []Evidence{{Value: "/health-check/"}, {Value: "/{id}"}, {Value: "/"}}}
	if !app.Serves("/api/v1/utils/health-check/") {
		t.Error("a router's /health-check/ does not answer /api/v1/utils/health-check/")
	}
	if app.Serves("/api/healthz") {
		t.Error("a parameter-only or root route answers every path")
	}
}
