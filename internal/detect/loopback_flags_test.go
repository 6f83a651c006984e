package detect

import (
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// A Go flag whose default puts the database on loopback
// (microservices-docker-go-mongodb's movies/cmd/app/main.go:28) is
// reported; a flag for a database the code does not talk to, a test's
// flag and a commented-out one are not.
func TestDetect_LoopbackFlagDefault(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"go.mod": "module movies\n\ngo 1.19\n\nrequire (\n\tgithub.com/gorilla/mux v1.8.0\n\tgo.mongodb.org/mongo-driver v1.11.1\n)\n",
		"cmd/app/main.go": "package main\n\nimport (\n\t\"flag\"\n\t\"net/http\"\n\n\t\"github.com/gorilla/mux\"\n\t\"go.mongodb.org/mongo-driver/mongo\"\n\t\"go.mongodb.org/mongo-driver/mongo/options\"\n)\n\n" +
			"func main() {\n" +
			"\t// cache := flag.String(\"cache\", \"localhost:6379\", \"Redis\")\n" +
			"\tserverPort := flag.Int(\"serverPort\", 4000, \"HTTP server network port\")\n" +
			"\tmongoURI := flag.String(\"mongoURI\", \"mongodb://localhost:27017\", \"Database hostname url\")\n" +
			"\tredis := flag.String(\"redis\", \"localhost:6379\", \"unused\")\n" +
			"\tflag.Parse()\n\t_, _ = mongo.NewClient(options.Client().ApplyURI(*mongoURI))\n\t_ = redis\n" +
			"\tr := mux.NewRouter()\n\thttp.ListenAndServe(fmt.Sprintf(\":%d\", *serverPort), r)\n}\n",
		"cmd/app/main_test.go": "package main\n\nvar pg = flag.String(\"pg\", \"postgres://localhost:5432/x\", \"\")\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.LoopbackConfig) != 0 || len(s.LoopbackFlags) != 1 {
		t.Fatalf("loopback config %v, flags %+v: want one flag", s.LoopbackConfig, s.LoopbackFlags)
	}
	if f := s.LoopbackFlags[0]; ev(&f.Evidence) != "mongodb@cmd/app/main.go:15" || f.Name != "mongoURI" || f.Default != "mongodb://localhost:27017" {
		t.Errorf("flag = %+v, want mongoURI with mongodb://localhost:27017 at cmd/app/main.go:15", f)
	}
}

// joeferner/redis-commander takes its Redis host from a yargs option
// alone (bin/redis-commander.js:28, falling back to localhost): compose
// and the verify run pass --redis-host=redis. A program whose start
// command passes arguments of its own, or an option for a database it
// does not talk to, gets none.
func TestDetect_NodeHostOption(t *testing.T) {
	files := map[string]string{
		"package.json": `{"name":"redis-commander","bin":{"redis-commander":"bin/redis-commander.js"},"dependencies":{"express":"4","ioredis":"5","yargs":"17"}}`,
		"bin/redis-commander.js": "#!/usr/bin/env node\nconst yargs = require('yargs');\nconst Redis = require('ioredis');\nconst app = require('express')();\n" +
			"const args = yargs\n  .options('redis-port', { type: 'number' })\n  .options('redis-host', {\n    type: 'string',\n  })\n  .argv;\n" +
			"const client = new Redis({ host: args['redis-host'] || 'localhost' });\napp.listen(8081);\n",
	}
	s, err := Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.LoopbackFlags) != 1 || ev(&s.LoopbackFlags[0].Evidence) != "redis@bin/redis-commander.js:7" || s.LoopbackFlags[0].Name != "redis-host" || s.LoopbackFlags[0].Default != "localhost" {
		t.Errorf("loopback flags %+v, want redis-host from bin/redis-commander.js:7", s.LoopbackFlags)
	}
	files["package.json"] = `{"name":"redis-commander","main":"bin/redis-commander.js","scripts":{"start":"node bin/redis-commander.js --port 9000"},"dependencies":{"express":"4","ioredis":"5","yargs":"17"}}`
	if s, err = Detect(testutil.WriteTree(t, files)); err != nil {
		t.Fatal(err)
	}
	if len(s.LoopbackFlags) != 0 {
		t.Errorf("loopback flags %+v beside the start command's own arguments", s.LoopbackFlags)
	}
}
