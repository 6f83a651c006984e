package detect

import (
	"regexp"
	"strings"
)

// brokerClients are message brokers' client libraries as code imports
// them (Go, Python, Node) or a manifest names them (Rust's Cargo.toml).
var brokerClients = []struct {
	name string
	re   *regexp.Regexp
}{
	{"rabbitmq", regexp.MustCompile(`"github\.com/(?:rabbitmq/amqp091-go|streadway/amqp)"|^\s*(?:import|from)\s+(?:pika|aio_pika|kombu)\b|(?:require\(\s*|from\s+)['"](?:amqplib|amqp-connection-manager)['"]|^\s*lapin\s*=`)},
	{"nats", regexp.MustCompile(`"github\.com/nats-io/nats\.go"|^\s*(?:import|from)\s+nats\b|(?:require\(\s*|from\s+)['"]nats['"]|^\s*async-nats\s*=`)},
	{"kafka", regexp.MustCompile(`"github\.com/(?:segmentio/kafka-go|IBM/sarama|Shopify/sarama|confluentinc/confluent-kafka-go[^"]*)"|^\s*(?:import|from)\s+(?:kafka|confluent_kafka|aiokafka)\b|(?:require\(\s*|from\s+)['"]kafkajs['"]|^\s*rdkafka\s*=`)},
}

// brokers are the message brokers the code's clients talk to, each at its
// first import. init starts RabbitMQ and NATS beside the app, as it starts
// databases, and names the others in a note.
func (r *repo) brokers() []Evidence {
	var out []Evidence
	for _, b := range brokerClients {
		for _, f := range r.codeFiles() {
			if strings.HasSuffix(f, ".env") {
				continue
			}
			if e := r.find(f, b.re); e != nil && !isComment(r.read(f)[e.Line-1]) {
				e.Value = b.name
				e.Why = "its client is imported"
				out = append(out, *e)
				break
			}
		}
	}
	return out
}
