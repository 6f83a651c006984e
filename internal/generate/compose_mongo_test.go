package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// TestProject_MongoURLByTheDriversFile: mongodb-express-rest-api-example's
// shape. db/conn.mjs reads ATLAS_URI, a name no rule knows, and hands it
// to new MongoClient: read in the file that imports the driver, it is the
// driver's URL, and compose.yaml and the verification run point it at
// mongo. API_URL, read elsewhere, is not; nor is MONGODB_URI added beside.
func TestProject_MongoURLByTheDriversFile(t *testing.T) {
	s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
		"package.json": `{"name": "server", "type": "module", "scripts": {"start": "node index.mjs"},
  "dependencies": {"express": "^4.18.2", "mongodb": "^5.0.0"}}`,
		"index.mjs": `import express from "express";
import posts from "./routes/posts.mjs";
const PORT = process.env.PORT || 5050;
const app = express();
app.get("/healthz", (req, res) => res.send("ok"));
app.use("/posts", posts);
app.listen(PORT, () => console.log(process.env.API_URL));
`,
		"routes/posts.mjs": `import express from "express";
import db from "../db/conn.mjs";
const router = express.Router();
router.get("/", async (req, res) => res.send(await db.collection("posts").find({}).toArray()));
export default router;
`,
		"db/conn.mjs": `import { MongoClient } from "mongodb";

const connectionString = process.env.ATLAS_URI || "";

const client = new MongoClient(connectionString);
let conn = await client.connect();
export default conn.db("sample_training");
`,
	}))
	if err != nil {
		t.Fatal(err)
	}
	p, err := generate.Resolve(s, generate.Options{Name: "server"})
	if err != nil {
		t.Fatal(err)
	}
	compose := projectFiles(t, s, generate.Options{Name: "server"})["compose.yaml"]
	if !strings.Contains(compose, "      ATLAS_URI: mongodb://mongo:27017/app\n") || strings.Contains(compose, "API_URL") || strings.Contains(compose, "MONGODB_URI") {
		t.Errorf("compose.yaml should point ATLAS_URI, and only it, at mongo:\n%s", compose)
	}
	_, env := generate.Dependencies(p, "pw")
	if got := strings.Join(env, " "); got != "ATLAS_URI=mongodb://mongo:27017/app" {
		t.Errorf("the verification run's app gets %q, want ATLAS_URI=mongodb://mongo:27017/app", got)
	}
}

// An app that talks to a database through no variable init knows
// (mrvautin/adminMongo builds its URL from CONN_NAME and DB_HOST;
// joeferner/redis-commander takes --redis-host) gets the usual name set
// and a note that says the code may not read it; an app that reads it,
// or whose flag init passes, gets none.
func TestResolve_UnreadServiceVariableSaid(t *testing.T) {
	note := func(s *detect.Stack) string {
		t.Helper()
		p, err := generate.Resolve(s, generate.Options{Name: "app"})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range p.Notes {
			if strings.Contains(n, "reads no variable init knows") {
				return n
			}
		}
		return ""
	}
	stack := func(env ...string) *detect.Stack {
		s := &detect.Stack{Language: "node", Entrypoints: []detect.Evidence{{Value: "app.js", File: "Procfile", Line: 1}},
			HealthPath: &detect.Evidence{Value: "/", File: "routes/index.js", Line: 12},
			SIGTERM:    &detect.Evidence{Value: "SIGTERM", File: "app.js", Line: 3},
			Databases:  []detect.Evidence{{Value: "mongodb", File: "app.js", Line: 116}}}
		for _, e := range env {
			s.Env = append(s.Env, detect.Evidence{Value: e, File: "app.js", Line: 113})
		}
		return s
	}
	if got := note(stack("CONN_NAME", "DB_HOST")); !strings.Contains(got, "the app talks to mongodb (app.js:116) but its code reads no variable init knows for its address: compose.yaml and Kubernetes set $MONGODB_URI, the usual name, which it may not read; point the app at the service \"mongo\"") {
		t.Errorf("note %q", got)
	}
	if got := note(stack("MONGO_URL")); got != "" {
		t.Errorf("an app that reads MONGO_URL noted: %q", got)
	}
	if got := note(stack("MONGODB_URI")); got != "" {
		t.Errorf("an app that reads MONGODB_URI noted: %q", got)
	}
	s := stack()
	s.LoopbackFlags = []detect.LoopbackFlag{{Evidence: detect.Evidence{Value: "mongodb", File: "cmd/app/main.go", Line: 28, Why: "localhost:27017"}, Name: "mongoURI", Default: "mongodb://localhost:27017"}}
	if got := note(s); got != "" {
		t.Errorf("an app whose flag init passes noted: %q", got)
	}
}

// TestProject_DriversFileURLNotTheSites: the file that imports the driver
// reads the site's own URL too. sahat/hackathon-starter's app.js imports
// mongoose, connects with MONGODB_URI and reads BASE_URL, which its
// .env.example gives as http://localhost:8080: BASE_URL is no database's
// (compose.yaml gave it mongodb://mongo:27017/app). Without a name of
// Mongo's own, a URL documented with another scheme is not the driver's
// either, while an undocumented one still is.
func TestProject_DriversFileURLNotTheSites(t *testing.T) {
	for _, tc := range []struct {
		name, app, example, want string
		not                      []string
	}{
		{"reads MONGODB_URI beside it",
			"mongoose.connect(process.env.MONGODB_URI);\nconst secure = process.env.BASE_URL.startsWith('https');\n",
			"BASE_URL=http://localhost:8080\nMONGODB_URI=mongodb://localhost:27017/test\n",
			"      MONGODB_URI: mongodb://mongo:27017/app\n", []string{"BASE_URL"}},
		{"documented as http",
			"mongoose.connect(process.env.ATLAS_URI);\nconst site = process.env.PUBLIC_URL;\n",
			"PUBLIC_URL=https://example.com\n",
			"      ATLAS_URI: mongodb://mongo:27017/app\n", []string{"PUBLIC_URL:"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
				"package.json": `{"name": "site", "scripts": {"start": "node app.js"},
  "dependencies": {"express": "^4.18.2", "mongoose": "^8.0.0"}}`,
				"app.js": "const express = require('express');\nconst mongoose = require('mongoose');\n" + tc.app +
					"const app = express();\napp.get('/healthz', (req, res) => res.send('ok'));\napp.listen(process.env.PORT || 8080);\n",
				".env.example": tc.example,
			}))
			if err != nil {
				t.Fatal(err)
			}
			compose := projectFiles(t, s, generate.Options{Name: "site"})["compose.yaml"]
			if !strings.Contains(compose, tc.want) {
				t.Errorf("compose.yaml should say %q:\n%s", tc.want, compose)
			}
			for _, n := range tc.not {
				if strings.Contains(compose, "      "+n) {
					t.Errorf("compose.yaml should not set %s:\n%s", n, compose)
				}
			}
		})
	}
}
