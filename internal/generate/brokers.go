package generate

import (
	"fmt"
	"regexp"
	"strings"
)

// The message brokers init starts beside the app, as it starts its
// databases: those whose client the code imports (detect's Stack.Brokers),
// under the name the app's environment points at. Kafka is not among
// them: it is named in a note, not started.
var (
	rabbitmqImage = "rabbitmq:4.1.0"
	natsImage     = "nats:2.15.2"
)

const rabbitmqPassword = "${RABBITMQ_PASSWORD:?set RABBITMQ_PASSWORD in .env}"

var (
	rabbitmqVars = []serviceVar{
		{regexp.MustCompile(`^(?:RABBITMQ|RABBIT|RMQ|AMQP)_(?:URL|URI|DSN|ADDR)$`), "amqp://app:" + rabbitmqPassword + "@rabbitmq:5672/"},
		{regexp.MustCompile(`^(?:RABBITMQ|RABBIT|RMQ|AMQP)_?(?:HOST|HOSTNAME)$`), "rabbitmq"},
		{regexp.MustCompile(`^(?:RABBITMQ|RABBIT|RMQ|AMQP)_?PORT$`), "5672"},
		{regexp.MustCompile(`^(?:RABBITMQ|RABBIT|RMQ|AMQP)_?(?:USER|USERNAME)$`), "app"},
		{regexp.MustCompile(`^(?:RABBITMQ|RABBIT|RMQ|AMQP)_?(?:PASSWORD|PASS)$`), rabbitmqPassword},
	}
	natsVars = []serviceVar{
		{regexp.MustCompile(`^NATS_(?:URL|URI|SERVERS?|ADDR|ADDRESS)$`), "nats://nats:4222"},
		{regexp.MustCompile(`^NATS_?(?:HOST|HOSTNAME)$`), "nats"},
		{regexp.MustCompile(`^NATS_?PORT$`), "4222"},
	}
)

// StartsBroker reports whether init starts a broker of kind (rabbitmq,
// nats) for an app whose code imports its client.
func StartsBroker(kind string) bool {
	return kind == "rabbitmq" || kind == "nats"
}

// talksTo reports whether the plan's code imports a client of the broker
// kind.
func (p *Plan) talksTo(kind string) bool {
	if p.Stack == nil {
		return false
	}
	for _, b := range p.Stack.Brokers {
		if b.Value == kind {
			return true
		}
	}
	return false
}

func (s *Set) talksTo(kind string) bool {
	for _, svc := range s.Services {
		if svc.Plan.talksTo(kind) {
			return true
		}
	}
	return false
}

// brokerEnv is the environment the app gets for the brokers it talks to.
func brokerEnv(p *Plan) [][2]string {
	var env [][2]string
	if p.talksTo("rabbitmq") {
		env = append(env, serviceVars(p, rabbitmqVars, "RABBITMQ_URL", "")...)
	}
	if p.talksTo("nats") {
		env = append(env, serviceVars(p, natsVars, "NATS_URL", "")...)
	}
	return env
}

// brokerDependencies are the brokers the app talks to, for a run outside
// compose, with secret as the password. NATS's official image is a
// scratch image with nothing to run a check with: running is enough, as
// compose waits for it.
func brokerDependencies(p *Plan, secret string) []Dependency {
	var deps []Dependency
	if p.talksTo("rabbitmq") {
		deps = append(deps, Dependency{Alias: "rabbitmq", Image: rabbitmqImage,
			Env:    []string{"RABBITMQ_DEFAULT_USER=app", "RABBITMQ_DEFAULT_PASS=" + secret},
			Health: []string{"rabbitmq-diagnostics", "-q", "ping"}})
	}
	if p.talksTo("nats") {
		deps = append(deps, Dependency{Alias: "nats", Image: natsImage})
	}
	return deps
}

// composeBrokers writes the brokers' services and returns their volumes.
func composeBrokers(b *strings.Builder, set *Set) []string {
	var volumes []string
	if set.talksTo("rabbitmq") {
		fmt.Fprintf(b, `  rabbitmq:
    image: %s
    environment:
      RABBITMQ_DEFAULT_USER: app
      RABBITMQ_DEFAULT_PASS: %s
    volumes:
      - rabbitmq_data:/var/lib/rabbitmq
    healthcheck:
      test: ["CMD", "rabbitmq-diagnostics", "-q", "ping"]
      interval: 10s
      timeout: 5s
      start_period: 30s
      retries: 10
    restart: unless-stopped
`+limits("1.0", "512M"), rabbitmqImage, rabbitmqPassword)
		volumes = append(volumes, "rabbitmq_data")
	}
	if set.talksTo("nats") {
		fmt.Fprintf(b, `  nats:
    image: %s
    restart: unless-stopped
`+limits("0.5", "256M"), natsImage)
	}
	return volumes
}

// brokerDependsOn is what the app waits for: RabbitMQ healthy, NATS
// started (its image has no health check; it is ready in milliseconds).
func brokerDependsOn(p *Plan) [][2]string {
	var deps [][2]string
	if p.talksTo("rabbitmq") {
		deps = append(deps, [2]string{"rabbitmq", "service_healthy"})
	}
	if p.talksTo("nats") {
		deps = append(deps, [2]string{"nats", "service_started"})
	}
	return deps
}
