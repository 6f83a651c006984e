package detect

import (
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// fastapi[standard] installs uvicorn (fastapi/full-stack-fastapi-template's
// pyproject.toml:7, rednafi/fastapi-nano's): it is the project's server,
// so the image adds no uvicorn pin of its own beside the lock's.
func TestDetect_FastAPIStandardBringsUvicorn(t *testing.T) {
	for deps, want := range map[string]string{
		`"fastapi[standard]<1.0.0,>=0.114.2"`: "uvicorn@pyproject.toml:3",
		`"fastapi[all]>=0.100"`:               "uvicorn@pyproject.toml:3",
		`"fastapi>=0.100"`:                    "",
	} {
		s, err := Detect(testutil.WriteTree(t, map[string]string{
			"pyproject.toml": "[project]\nname = \"app\"\ndependencies = [" + deps + "]\n",
			"app/main.py":    "from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.get('/health')\ndef health():\n    return {}\n",
		}))
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if s.Server != nil {
			got = s.Server.Value + "@" + s.Server.Where()
		}
		if got != want {
			t.Errorf("%s: server %q, want %q", deps, got, want)
		}
	}
}
