package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// A Bun app (todo-all-framework's hono-todo: bun.lockb, `bun run`, an
// `export default app` Bun serves) is no Node app: init stops and says
// so. A Node app with a stray bun.lock beside its package-lock.json, or
// whose scripts do not run bun, is read as Node.
func TestDetect_BunAppStops(t *testing.T) {
	pkg := `{"scripts": {"dev": "bun run --hot src/index.ts"}, "dependencies": {"hono": "^4.0.0"}}`
	for _, c := range []struct {
		files map[string]string
		stop  bool
	}{
		{map[string]string{"package.json": pkg, "bun.lockb": "x", "src/index.ts": "const app = new Hono()\nexport default app\n"}, true},
		{map[string]string{"package.json": pkg, "bun.lock": "{}", "package-lock.json": "{}", "src/index.ts": "app.listen(3000)\n"}, false},
		{map[string]string{"package.json": `{"scripts": {"start": "node server.js"}}`, "bun.lockb": "x", "server.js": "app.listen(3000)\n"}, false},
	} {
		s, err := Detect(testutil.WriteTree(t, c.files))
		if err != nil {
			t.Fatal(err)
		}
		stops := len(s.Needs) == 1 && strings.Contains(s.Needs[0].Value, "a Bun app (bun.lockb") && s.Needs[0].Where() == "package.json:1"
		if stops != c.stop {
			t.Errorf("%v: needs %+v, want a Bun stop %v", c.files["package.json"], s.Needs, c.stop)
		}
	}
}

// bagashiz/go-pos's shape: the listen address is built from HTTP_URL and
// HTTP_PORT, and .env.example sets HTTP_URL="127.0.0.1": the host
// variable the image sets to every address. APP_URL, a public URL, is
// not. Where the example's value is no loopback host (a full URL), the
// variable is still the host before the colon of the address the code
// listens on (go_listen_parts.go), and is named by that line.
func TestDetect_ListenHostNamedURL(t *testing.T) {
	main := "package main\n\nfunc main() {\n\thost := os.Getenv(\"HTTP_URL\")\n\tport := os.Getenv(\"HTTP_PORT\")\n\tappURL := os.Getenv(\"APP_URL\")\n\t_ = appURL\n" +
		"\thttp.ListenAndServe(fmt.Sprintf(\"%s:%s\", host, port), nil)\n}\n"
	for example, want := range map[string]string{
		"HTTP_URL=\"127.0.0.1\"\nHTTP_PORT=8080\nAPP_URL=localhost\n":         "HTTP_URL@.env.example:1",
		"HTTP_URL=http://localhost:8080\nHTTP_PORT=8080\nAPP_URL=localhost\n": "HTTP_URL@main.go:8",
	} {
		s, _ := goShape(t, map[string]string{"go.mod": "module x\n\ngo 1.22\n", "main.go": main, ".env.example": example})
		if got := ev(s.HostVar); got != want {
			t.Errorf("%q: host variable %s, want %s", example, got, want)
		}
	}
}
