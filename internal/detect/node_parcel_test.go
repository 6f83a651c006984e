package detect

import (
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// A Node server that builds its client with Parcel is still a server: Parcel
// counts as a static single-page app's build only for a front end a Go
// program serves (scriptWriting), not for the Node app's own kind.
func TestDetect_NodeServerWithParcelClient(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"package.json": "{\n  \"scripts\": {\n    \"build\": \"parcel build client/index.html\",\n    \"start\": \"node server.js\"\n  },\n" +
			"  \"dependencies\": {\n    \"socket.io\": \"^4.8.0\"\n  },\n  \"devDependencies\": {\n    \"parcel\": \"^2.16.4\"\n  }\n}\n",
		"package-lock.json": "{\"lockfileVersion\": 3}\n",
		"server.js":         "const http = require('http');\nhttp.createServer((req, res) => res.end('ok')).listen(process.env.PORT || 3000);\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if s.Static != nil {
		t.Errorf("a server read as a static app: %s", ev(s.Static))
	}
	if len(s.Entrypoints) == 0 || s.Entrypoints[0].Value != "server.js" {
		t.Errorf("entry points %v, want server.js", s.Entrypoints)
	}
}
