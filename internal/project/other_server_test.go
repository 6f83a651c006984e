package project

import "testing"

// A database's port read with its default is no listen port, whether
// its name splits the words (DB_PORT) or runs them together (DBPORT:
// Azure-Samples/msdocs-fastapi-postgresql-sample-app's models.py,
// POSTGRES_PORT = os.environ.get("DBPORT", 5432), gave the image
// EXPOSE 5432 and uvicorn --port 5432).
func TestOtherServer_RunTogetherNames(t *testing.T) {
	for name, want := range map[string]bool{
		"DBPORT": true, "PGPORT": true, "REDISHOST": true, "MONGOURL": true, "SMTPPORT": true, "DB_PORT": true,
		"PORT": false, "APPPORT": false, "HTTP_PORT": false, "SERVER_PORT": false, "WEBPORT": false, "LISTEN_ADDR": false,
	} {
		if got := OtherServer(name); got != want {
			t.Errorf("OtherServer(%q) = %v, want %v", name, got, want)
		}
	}
}

// h2non/imaginary v1.2.4 declares flag.Int("p", 8088, "Port to listen")
// and flag.Int("http-read-timeout", 60, ...): init took 60, a timeout,
// for the port ("60 is privileged"), and missed -p.
func TestScan_GoPortFlagNotATimeout(t *testing.T) {
	for line, want := range map[string]string{
		`	aPort               = flag.Int("p", 8088, "Port to listen")`:                                  "8088",
		`	aReadTimeout        = flag.Int("http-read-timeout", 60, "HTTP read timeout in seconds")`:      "",
		`	aCache              = flag.Int("http-cache-ttl", 3600, "The TTL in seconds")`:                 "",
		`	addr                = flag.String("http-addr", ":8080", "address to listen on")`:              "8080",
		`	verbose             = flag.Int("p", 2, "parallelism")`:                                        "",
		`	listen              = flag.String("listen", "0.0.0.0:9000", "listen address, not a max-age")`: "9000",
	} {
		got := goFlagPortOf(line)
		if got != want {
			t.Errorf("%s: port %q, want %q", line, got, want)
		}
	}
}
