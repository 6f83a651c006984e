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
