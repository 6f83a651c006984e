package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// TestProject_StartsTheBrokersTheCodeImports: evrone/go-clean-template's
// shape. The code imports RabbitMQ's and NATS's Go clients and reads
// RMQ_URL and NATS_URL (caarlos0/env tags, required); compose.yaml runs
// both beside Postgres, points those variables at them (RabbitMQ's
// password from .env) and the app waits for them; init --verify's run
// starts them too, with a one-run password, and no note says they are
// not started. RMQ_RPC_SERVER, an exchange's name, is left alone.
func TestProject_StartsTheBrokersTheCodeImports(t *testing.T) {
	s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
		"go.mod": "module app\n\ngo 1.25\n\nrequire (\n\tgithub.com/caarlos0/env/v11 v11.3.1\n\tgithub.com/gofiber/fiber/v2 v2.52.9\n\tgithub.com/jackc/pgx/v5 v5.7.5\n" +
			"\tgithub.com/nats-io/nats.go v1.43.0\n\tgithub.com/rabbitmq/amqp091-go v1.10.0\n)\n",
		"cmd/app/main.go": "package main\n\nimport (\n\t\"app/config\"\n\t\"app/internal/app\"\n)\n\nfunc main() {\n\tcfg, _ := config.NewConfig()\n\tapp.Run(cfg)\n}\n",
		"config/config.go": "package config\n\ntype Config struct {\n" +
			"\tPort string `env:\"HTTP_PORT\" envDefault:\"8080\"`\n" +
			"\tPGURL string `env:\"PG_URL,required\"`\n" +
			"\tRMQServer string `env:\"RMQ_RPC_SERVER,required\"`\n" +
			"\tRMQURL string `env:\"RMQ_URL,required\"`\n" +
			"\tNATSURL string `env:\"NATS_URL,required\"`\n}\n",
		"internal/app/app.go": "package app\n\nimport (\n\t_ \"github.com/jackc/pgx/v5/pgxpool\"\n\t\"github.com/gofiber/fiber/v2\"\n\t_ \"github.com/nats-io/nats.go\"\n\t_ \"github.com/rabbitmq/amqp091-go\"\n)\n\n" +
			"func Run() {\n\tapp := fiber.New()\n\tapp.Get(\"/healthz\", func(c *fiber.Ctx) error { return c.SendStatus(200) })\n\tapp.Listen(\":8080\")\n}\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	files := projectFiles(t, s, generate.Options{Name: "app"})
	compose := files["compose.yaml"]
	for _, want := range []string{
		"      RMQ_URL: amqp://app:${RABBITMQ_PASSWORD:?set RABBITMQ_PASSWORD in .env}@rabbitmq:5672/\n",
		"      NATS_URL: nats://nats:4222\n",
		"      rabbitmq:\n        condition: service_healthy\n",
		"      nats:\n        condition: service_started\n",
		"  rabbitmq:\n    image: rabbitmq:",
		"      RABBITMQ_DEFAULT_PASS: ${RABBITMQ_PASSWORD:?set RABBITMQ_PASSWORD in .env}\n",
		`      test: ["CMD", "rabbitmq-diagnostics", "-q", "ping"]`,
		"  nats:\n    image: nats:",
		"  rabbitmq_data:\n",
	} {
		if !strings.Contains(compose, want) {
			t.Errorf("compose.yaml lacks %q:\n%s", want, compose)
		}
	}
	if strings.Contains(compose, "RMQ_RPC_SERVER") {
		t.Errorf("compose.yaml sets RMQ_RPC_SERVER, an exchange's name:\n%s", compose)
	}
	if !strings.Contains(files[".env.example"], "RABBITMQ_PASSWORD=\n") {
		t.Errorf(".env.example lacks RABBITMQ_PASSWORD:\n%s", files[".env.example"])
	}
	p, err := generate.Resolve(s, generate.Options{Name: "app"})
	if err != nil {
		t.Fatal(err)
	}
	if notes := strings.Join(p.Notes, "\n"); strings.Contains(notes, "init starts no") {
		t.Errorf("a note says a broker is not started:\n%s", notes)
	}
	deps, env := generate.Dependencies(p, "pw")
	var aliases []string
	for _, d := range deps {
		aliases = append(aliases, d.Alias+"="+d.Image)
	}
	if got := strings.Join(aliases, " "); !strings.Contains(got, "rabbitmq=rabbitmq:") || !strings.Contains(got, "nats=nats:") {
		t.Errorf("the run starts %s, want rabbitmq and nats besides db", got)
	}
	if got := strings.Join(env, " "); !strings.Contains(got, "RMQ_URL=amqp://app:pw@rabbitmq:5672/") || !strings.Contains(got, "NATS_URL=nats://nats:4222") {
		t.Errorf("the run's app gets %s", got)
	}
	if !strings.Contains(strings.Join(deps[len(deps)-2].Env, " "), "RABBITMQ_DEFAULT_PASS=pw") {
		t.Errorf("the run's rabbitmq gets %v, want the one-run password", deps[len(deps)-2].Env)
	}
}

// A database the configuration puts on loopback is a cause only where
// the files start it: gorush's Redis address (config.go:273) is no note
// and no likely cause while its stat engine's default needs no Redis.
func TestResolve_LoopbackConfigOfAnUnstartedDatabase(t *testing.T) {
	for _, started := range []bool{true, false} {
		s := &detect.Stack{Language: "go", Entrypoints: []detect.Evidence{{Value: ".", File: "main.go", Line: 1}}, HealthPath: &detect.Evidence{Value: "/healthz", File: "main.go", Line: 5},
			LoopbackConfig: []detect.Evidence{{Value: "redis", File: "config/config.go", Line: 273, Why: "127.0.0.1:6379"}}}
		redis := detect.Evidence{Value: "redis", File: "storage/redis/redis.go", Line: 12, Why: "imported by the code"}
		if started {
			s.Databases = []detect.Evidence{redis}
		} else {
			s.Unconfigured = []detect.Evidence{redis}
		}
		p, err := generate.Resolve(s, generate.Options{Name: "gorush"})
		if err != nil {
			t.Fatal(err)
		}
		noted := strings.Contains(strings.Join(p.Notes, "\n"), "config/config.go:273 points the app at redis")
		if noted != started || (len(p.LoopbackConfig()) == 1) != started {
			t.Errorf("redis started %v: noted %v, causes %v", started, noted, p.LoopbackConfig())
		}
	}
}
