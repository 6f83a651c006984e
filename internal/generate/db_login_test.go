package generate_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// TestProject_TheDatabaseTheCodeLogsInTo: example-voting-app's result
// connects with 'postgres://postgres:postgres@db/postgres', written in
// server.js. The run's database had user app, database app and a random
// password, so the app never logged in, while its page answered 200 and
// verify passed. The db service, compose's and the run's, is now made
// with the code's user, database and password (.env.example gives it);
// MySQL's root gets the root password. A host of one label is the
// repository's own name for the service, which init's db answers to too;
// a URL to another host is said, and changes nothing.
func TestProject_TheDatabaseTheCodeLogsInTo(t *testing.T) {
	pg := map[string]string{
		"package.json": `{"name": "result", "scripts": {"start": "node server.js"}, "dependencies": {"express": "^4.18.0", "pg": "^8.0.0"}}`,
		"server.js":    "const express = require('express');\nconst { Pool } = require('pg');\nconst app = express();\nvar pool = new Pool({\n  connectionString: 'postgres://postgres:postgres@db/postgres'\n});\napp.get('/', (req, res) => res.send('ok'));\napp.listen(4000);\n",
	}
	files, p := loginProject(t, pg)
	testutil.Contains(t, "compose.yaml", files["compose.yaml"],
		"      POSTGRES_USER: postgres\n      POSTGRES_DB: postgres\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}\n",
		`test: ["CMD", "pg_isready", "-U", "postgres", "-d", "postgres"]`)
	testutil.Contains(t, ".env.example", files[".env.example"],
		"# The password server.js:5 connects with, which the code holds: the database must have it.\nPOSTGRES_PASSWORD=postgres\n")
	deps, _ := generate.Dependencies(p, "random")
	if got := strings.Join(deps[0].Env, " "); got != "POSTGRES_USER=postgres POSTGRES_DB=postgres POSTGRES_PASSWORD=postgres" {
		t.Errorf("the run's database gets %q", got)
	}
	if notes := strings.Join(p.Notes, "\n"); !strings.Contains(notes, "server.js:5 connects with a URL the code holds whole (postgres://postgres:***@db/postgres): the db service is made with its user postgres, its database postgres") {
		t.Errorf("notes lack the login:\n%s", notes)
	}

	mysql := map[string]string{
		"package.json": `{"name": "api", "scripts": {"start": "node app.js"}, "dependencies": {"express": "^4.18.0", "mysql2": "^3.0.0"}}`,
		"app.js":       "const mysql = require('mysql2');\nconst pool = mysql.createPool('mysql://root:123456@db:3306/testdb');\nconst app = require('express')();\napp.get('/', (req, res) => res.send('ok'));\napp.listen(8080);\n",
	}
	files, p = loginProject(t, mysql)
	testutil.Contains(t, "compose.yaml", files["compose.yaml"],
		"      MYSQL_DATABASE: testdb\n      MYSQL_ROOT_PASSWORD: ${MYSQL_PASSWORD:?set MYSQL_PASSWORD in .env}\n")
	if strings.Contains(files["compose.yaml"], "MYSQL_USER") {
		t.Errorf("a root login needs no MYSQL_USER:\n%s", files["compose.yaml"])
	}
	deps, _ = generate.Dependencies(p, "random")
	if got := strings.Join(deps[0].Env, " "); got != "MYSQL_ROOT_PASSWORD=123456 MYSQL_DATABASE=testdb" {
		t.Errorf("the run's database gets %q", got)
	}

	// A name of one label is the repository's own compose service's:
	// init's db answers to it too (an alias), so the login holds.
	named := map[string]string{"package.json": pg["package.json"], "server.js": strings.Replace(pg["server.js"], "@db/", "@postgres-primary/", 1)}
	files, p = loginProject(t, named)
	testutil.Contains(t, "compose.yaml", files["compose.yaml"], "      POSTGRES_USER: postgres\n", "        aliases: [postgres-primary]\n")
	if notes := strings.Join(p.Notes, "\n"); !strings.Contains(notes, "the db service is made with its user postgres") {
		t.Errorf("notes lack the login:\n%s", notes)
	}

	// A host elsewhere (a dotted name) is none of the project's.
	pg["server.js"] = strings.Replace(pg["server.js"], "@db/", "@pg.internal.example.com/", 1)
	files, p = loginProject(t, pg)
	testutil.Contains(t, "compose.yaml", files["compose.yaml"], "      POSTGRES_USER: app\n")
	if notes := strings.Join(p.Notes, "\n"); !strings.Contains(notes, "to host pg.internal.example.com: the database init starts is db, which the app never reaches") {
		t.Errorf("notes lack the host:\n%s", notes)
	}
}

func loginProject(t *testing.T, tree map[string]string) (map[string]string, *generate.Plan) {
	t.Helper()
	s, err := detect.Detect(testutil.WriteTree(t, tree))
	if err != nil {
		t.Fatal(err)
	}
	p, err := generate.Resolve(s, generate.Options{Name: "app", HealthPath: "/"})
	if err != nil {
		t.Fatal(err)
	}
	return projectFiles(t, s, generate.Options{Name: "app", HealthPath: "/"}), p
}

// TestProject_NoLockFileIsSaid: a Node repository without a lock file
// (eliyahukoren/monorepo's pnpm workspace, whose lock file git ignores)
// builds, and the notes say that its dependencies are resolved then.
func TestProject_NoLockFileIsSaid(t *testing.T) {
	for tree, want := range map[string]string{
		"pnpm-workspace.yaml": "pnpm-workspace.yaml names pnpm, and the repository holds no lock file",
		"pnpm-lock.yaml":      "",
	} {
		files := map[string]string{
			"package.json":        `{"name": "api", "scripts": {"start": "node server.js"}, "dependencies": {"express": "^4.21.0"}}`,
			"server.js":           "const app = require('express')();\napp.get('/', (q, r) => r.send('ok'));\napp.listen(3000);\n",
			"pnpm-workspace.yaml": "packages:\n  - 'lib'\n",
			"lib/package.json":    `{"name": "lib"}`,
		}
		if tree == "pnpm-lock.yaml" {
			files["pnpm-lock.yaml"] = "lockfileVersion: '9.0'\n"
		}
		out, p := loginProject(t, files)
		notes := strings.Join(p.Notes, "\n")
		if want != "" && !strings.Contains(notes, want) || want == "" && strings.Contains(notes, "no lock file") {
			t.Errorf("%s: notes %q, want %q", tree, notes, want)
		}
		if frozen := strings.Contains(out["Dockerfile"], " --frozen-lockfile"); frozen == (want != "") {
			t.Errorf("%s: a frozen install %v:\n%s", tree, frozen, out["Dockerfile"])
		}
	}
}

// TestProject_WorkspaceInstallShapes: Yarn 2+ named by packageManager
// without a lock file installs without --immutable and copies no
// yarn.lock; a workspace of more members than the install copies one by
// one copies the tree first.
func TestProject_WorkspaceInstallShapes(t *testing.T) {
	berry := map[string]string{
		"package.json":            `{"name": "mono", "packageManager": "yarn@4.5.0", "workspaces": ["packages/*"], "scripts": {"start": "node server.js"}, "dependencies": {"express": "^4.21.0"}}`,
		"server.js":               "const app = require('express')();\napp.get('/', (q, r) => r.send('ok'));\napp.listen(3000);\n",
		"packages/a/package.json": `{"name": "a"}`,
	}
	out, _ := loginProject(t, berry)
	if d := out["Dockerfile"]; strings.Contains(d, "yarn.lock") || strings.Contains(d, "--immutable") || !strings.Contains(d, "COPY packages/a/package.json packages/a/") {
		t.Errorf("Yarn 4 without a lock file:\n%s", d)
	}
	many := map[string]string{
		"package.json":      `{"name": "mono", "workspaces": ["packages/*"], "scripts": {"start": "node server.js"}, "dependencies": {"express": "^4.21.0"}}`,
		"package-lock.json": `{"lockfileVersion": 3}`,
		"server.js":         "const app = require('express')();\napp.get('/', (q, r) => r.send('ok'));\napp.listen(3000);\n",
	}
	for i := 0; i < 41; i++ {
		many[fmt.Sprintf("packages/p%02d/package.json", i)] = fmt.Sprintf(`{"name": "p%02d"}`, i)
	}
	out, _ = loginProject(t, many)
	d := out["Dockerfile"]
	if strings.Contains(d, "COPY packages/p00/package.json") || !strings.Contains(d, "a workspace of 41 members, whose package.json the install reads: the tree comes first.\n# shipshape:ignore DF075") {
		t.Errorf("41 members:\n%s", d)
	}
}

// JFMajer/nestjs-task-management's app.module.ts: TypeORM's options take
// the host and password from variables but name the user postgres and the
// database tasks. init made the database with user app and database app,
// and the app was refused ("password authentication failed for user
// postgres"). The database is made with the code's user and name, and
// the password stays the one compose and the run give it: the code holds
// none. An options object whose host is written in it is not read so.
func TestProject_LoginOfConnectionOptions(t *testing.T) {
	module := "import { Module } from '@nestjs/common';\nimport { TypeOrmModule } from '@nestjs/typeorm';\n\n@Module({\n  imports: [\n    TypeOrmModule.forRoot({\n      type: 'postgres',\n" +
		"      host: process.env.DB_HOST || 'localhost',\n      port: 5432,\n      username: 'postgres',\n      password: process.env.DB_PASSWORD || 'postgres',\n      database: 'tasks',\n      autoLoadEntities: true,\n    }),\n  ],\n})\nexport class AppModule {}\n"
	tree := map[string]string{
		"package.json":             "{\n  \"name\": \"tasks\",\n  \"scripts\": {\n    \"build\": \"nest build\",\n    \"start:prod\": \"node dist/main\"\n  },\n  \"dependencies\": {\n    \"@nestjs/core\": \"^10.0.0\",\n    \"@nestjs/typeorm\": \"^10.0.0\",\n    \"pg\": \"^8.11.0\",\n    \"typeorm\": \"^0.3.0\"\n  }\n}\n",
		"package-lock.json":        `{"lockfileVersion":3}`,
		"src/main.ts":              "import { NestFactory } from '@nestjs/core';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  await app.listen(3000);\n}\nbootstrap();\n",
		"src/app.module.ts":        module,
		"src/tasks/task.entity.ts": "import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';\n@Entity()\nexport class Task {\n  @PrimaryGeneratedColumn('uuid')\n  id: string;\n}\n",
		"src/health.controller.ts": "import { Controller, Get } from '@nestjs/common';\n@Controller('health')\nexport class HealthController {\n  @Get()\n  check() { return 'ok'; }\n}\n",
	}
	files, p := loginProject(t, tree)
	l := p.Stack.CodeLogin
	if l == nil || l.User != "postgres" || l.Database != "tasks" || l.Password != "" || l.Where() != "src/app.module.ts:7" {
		t.Fatalf("login %+v, want user postgres, database tasks, no password, at src/app.module.ts:7", l)
	}
	for _, want := range []string{"POSTGRES_USER: postgres\n", "POSTGRES_DB: tasks\n", "DB_PASSWORD: ${POSTGRES_PASSWORD:?"} {
		if !strings.Contains(files["compose.yaml"], want) {
			t.Errorf("compose.yaml lacks %q:\n%s", want, files["compose.yaml"])
		}
	}
	if strings.Contains(files[".env.example"], "which the code holds") {
		t.Errorf(".env.example says the code holds a password it reads:\n%s", files[".env.example"])
	}
	deps, _ := generate.Dependencies(p, "run-secret")
	if got := strings.Join(deps[0].Env, " "); got != "POSTGRES_USER=postgres POSTGRES_DB=tasks POSTGRES_PASSWORD=run-secret" {
		t.Errorf("the run's database gets %q, want user postgres, database tasks and the run's password", got)
	}
	tree["src/app.module.ts"] = strings.Replace(module, "process.env.DB_HOST || 'localhost'", "'pg.internal'", 1)
	s, err := detect.Detect(testutil.WriteTree(t, tree))
	if err != nil {
		t.Fatal(err)
	}
	if s.CodeLogin != nil {
		t.Errorf("a host written in the options: login %+v, want none", s.CodeLogin)
	}
}
