package project

import (
	"os"
	"path/filepath"
	"testing"
)

func TestScan_RoutesAndRequiredEnv(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		p := filepath.Join(dir, name)
		_ = os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("app/main.py", "import os\nfrom fastapi import FastAPI\napp = FastAPI()\nDB = os.environ[\"DATABASE_URL\"]\nLEVEL = os.environ.get(\"LOG_LEVEL\", \"info\")\n\n@app.get(\"/healthz\")\ndef healthz():\n    return {}\n\n@router.get('/items/{item_id}')\ndef item(item_id: int): ...\n")
	write("svc/main.go", "package main\nfunc main() {\n\thttp.HandleFunc(\"GET /livez\", live)\n\tr.Get(\"/api/v1/users\", users)\n}\n")
	write("web/server.js", "app.get('/ready', (req, res) => res.send('ok'))\n")
	write("node_modules/x/index.js", "app.get('/hidden', h)\n")
	app := Scan(dir)
	for _, path := range []string{"/healthz", "/items/42", "/livez", "/api/v1/users", "/ready", "/healthz/"} {
		if !app.Serves(path) {
			t.Errorf("%s not found in %v", path, app.Routes)
		}
	}
	if app.Serves("/hidden") || app.Serves("/health") {
		t.Error("routes found where there are none")
	}
	if len(app.RequiredEnv) != 1 || app.RequiredEnv[0].Value != "DATABASE_URL" || app.RequiredEnv[0].Line != 4 {
		t.Fatalf("required env = %+v", app.RequiredEnv)
	}
}
