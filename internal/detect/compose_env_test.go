package detect

import (
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// TestDetect_WhatTheRepositorysComposeGivesTheApp: zhang2092/go-url-
// shortener's shape. Its docker-compose.yaml gives the service it builds
// SERVER_PORT "9090", which main.go reads with no default (init chose
// 8080; under that compose the image probed 8080 and turned unhealthy),
// and REDIS_DB "2", which main.go exits without. Both are documented
// values; the Redis password, a secret of the repository's own Redis, is
// not; nor a variable the code does not read, a reference compose
// interpolates, or another service's environment.
func TestDetect_WhatTheRepositorysComposeGivesTheApp(t *testing.T) {
	main := "package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n\t\"strconv\"\n\n\t\"github.com/redis/go-redis/v9\"\n)\n\n" +
		"func main() {\n\tdb, err := strconv.Atoi(os.Getenv(\"REDIS_DB\"))\n\tif err != nil {\n\t\tpanic(err)\n\t}\n" +
		"\t_ = redis.NewClient(&redis.Options{Addr: os.Getenv(\"REDIS_ADDR\"), Password: os.Getenv(\"REDIS_PASSWORD\"), DB: db})\n" +
		"\t_ = os.Getenv(\"LOG_LEVEL\")\n\t_ = os.Getenv(\"REGION\")\n\t_ = os.Getenv(\"NODE_ENV\") + os.Getenv(\"DEBUG\")\n" +
		"\thttp.HandleFunc(\"/\", func(w http.ResponseWriter, r *http.Request) {})\n" +
		"\t_ = http.ListenAndServe(\"0.0.0.0:\"+os.Getenv(\"SERVER_PORT\"), nil)\n}\n"
	for _, tc := range []struct {
		name, compose, want, port string
	}{
		{"a mapping, build: .", "services:\n  url-short-service:\n    build:\n      context: .\n      dockerfile: Dockerfile\n    environment:\n      SERVER_PORT: \"9090\"\n      REDIS_ADDR: \"redis:6379\"\n      REDIS_PASSWORD: \"hPxyR4\"\n      REDIS_DB: \"2\"\n      LOG_LEVEL: ${LOG_LEVEL:-info}\n      UNREAD: \"x\"\n      NODE_ENV: development\n      DEBUG: \"1\"\n" +
			"  redis:\n    image: redis:7.2.3\n    environment:\n      REGION: eu\n",
			"SERVER_PORT=9090@docker-compose.yaml:7 REDIS_ADDR=redis:6379@docker-compose.yaml:8 REDIS_DB=2@docker-compose.yaml:10", "9090@docker-compose.yaml:7"},
		{"a list, build: ./", "services:\n  api:\n    build: ./\n    environment:\n      - SERVER_PORT=8081\n      - REGION=eu\n      - REDIS_DB\n",
			"SERVER_PORT=8081@docker-compose.yaml:5 REGION=eu@docker-compose.yaml:6", "8081@docker-compose.yaml:5"},
		{"another directory's build", "services:\n  api:\n    build: ./api\n    environment:\n      SERVER_PORT: \"9090\"\n", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Detect(testutil.WriteTree(t, map[string]string{
				"go.mod":              "module example.com/short\n\ngo 1.22\n\nrequire github.com/redis/go-redis/v9 v9.0.0\n",
				"main.go":             main,
				"docker-compose.yaml": tc.compose,
			}))
			if err != nil {
				t.Fatal(err)
			}
			var got string
			for _, e := range s.ComposeEnv {
				if got != "" {
					got += " "
				}
				got += e.Why + "@" + e.Where()
			}
			if got != tc.want {
				t.Errorf("compose env = %q, want %q", got, tc.want)
			}
			port := ""
			if s.Port != nil {
				port = s.Port.Value + "@" + s.Port.Where()
			}
			if port != tc.port {
				t.Errorf("port = %q, want %q", port, tc.port)
			}
		})
	}
}
