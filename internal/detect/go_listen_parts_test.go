package detect

import (
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// TestDetect_GoHostAndPortReadApart: ashishjuyal/banking reads
// SERVER_ADDRESS and SERVER_PORT and listens on fmt.Sprintf("%s:%s",
// address, port). Both names look like a port's variable: the first read
// was taken, the image set SERVER_ADDRESS=:8080 and the app listened on
// ":8080:" + SERVER_PORT ("too many colons in address"). The part after
// the colon is the port, the part before the host, in a Sprintf, a
// concatenation, or an address assigned and then listened on.
func TestDetect_GoHostAndPortReadApart(t *testing.T) {
	gomod := "module example.com/app\n\ngo 1.22\n\nrequire github.com/gorilla/mux v1.8.0\n"
	head := "package main\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n\t\"os\"\n\n\t\"github.com/gorilla/mux\"\n)\n\nfunc main() {\n\trouter := mux.NewRouter()\n\trouter.HandleFunc(\"/healthz\", nil)\n"
	for _, tc := range []struct{ name, body, port, host string }{
		{"banking's Sprintf", "\taddress := os.Getenv(\"SERVER_ADDRESS\")\n\tport := os.Getenv(\"SERVER_PORT\")\n\thttp.ListenAndServe(fmt.Sprintf(\"%s:%s\", address, port), router)\n}\n",
			"SERVER_PORT@main.go:16", "SERVER_ADDRESS@main.go:16"},
		{"a concatenation of the reads", "\thttp.ListenAndServe(os.Getenv(\"LISTEN_ADDR\")+\":\"+os.Getenv(\"APP_PORT\"), router)\n}\n",
			"APP_PORT@main.go:14", "LISTEN_ADDR@main.go:14"},
		{"an address assigned, then a server's Addr", "\thost := os.Getenv(\"HTTP_ADDR\")\n\tport := os.Getenv(\"PORT\")\n\taddr := fmt.Sprintf(\"%s:%s\", host, port)\n\tsrv := &http.Server{\n\t\tAddr:    addr,\n\t\tHandler: router,\n\t}\n\tsrv.ListenAndServe()\n}\n",
			"PORT@main.go:16", "HTTP_ADDR@main.go:16"},
		// A client's address is not a listen: a redis client's options, a
		// MySQL config's Addr, built of host and port alike (the review's
		// cases); the app's own port stays PORT.
		{"a redis client's Addr", "\trdb := redis.NewClient(&redis.Options{Addr: os.Getenv(\"REDIS_HOST\") + \":\" + os.Getenv(\"REDIS_PORT\")})\n\t_ = rdb\n\thttp.ListenAndServe(\":\"+os.Getenv(\"PORT\"), router)\n}\n",
			"PORT@main.go:16", ""},
		{"a MySQL config's Addr", "\tdbHost := os.Getenv(\"DB_HOST\")\n\tdbPort := os.Getenv(\"DB_PORT\")\n\tcfg := mysql.Config{\n\t\tAddr: fmt.Sprintf(\"%s:%s\", dbHost, dbPort),\n\t}\n\t_ = cfg\n\thttp.ListenAndServe(\":\"+os.Getenv(\"PORT\"), router)\n}\n",
			"PORT@main.go:20", ""},
		// A URL printed with the same format is not what the app listens on.
		{"a message, not a listen", "\taddress := os.Getenv(\"SERVER_ADDRESS\")\n\tport := os.Getenv(\"SERVER_PORT\")\n\tfmt.Println(fmt.Sprintf(\"%s:%s\", address, port))\n\thttp.ListenAndServe(address, router)\n}\n",
			"SERVER_ADDRESS@main.go:14", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Detect(testutil.WriteTree(t, map[string]string{"go.mod": gomod, "main.go": head + tc.body}))
			if err != nil {
				t.Fatal(err)
			}
			at := func(e *Evidence) string {
				if e == nil {
					return ""
				}
				return e.Value + "@" + e.Where()
			}
			if got := at(s.PortVar); got != tc.port {
				t.Errorf("port variable %q, want %q", got, tc.port)
			}
			if got := at(s.HostVar); got != tc.host {
				t.Errorf("host variable %q, want %q", got, tc.host)
			}
		})
	}
}
