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
