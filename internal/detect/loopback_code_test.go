package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// The app's own code puts a database it talks to on the loopback
// interface, with nothing that reads a variable instead: the shapes the
// twelfth try met (each repository named), and what must not count.
func TestDetect_LoopbackCode(t *testing.T) {
	const (
		expressPG  = `{"name":"api","main":"index.js","dependencies":{"express":"4.18.2","sequelize":"6.35.0","pg":"8.11.0"}}`
		expressApp = "const express = require('express');\nconst app = express();\nrequire('./app/models');\napp.get('/', (req, res) => res.json({ok: true}));\napp.listen(process.env.PORT || 8080);\n"
		nestPG     = `{"name":"nest","main":"dist/main.js","scripts":{"build":"nest build","start:prod":"node dist/main"},"dependencies":{"@nestjs/core":"10.0.0","@nestjs/typeorm":"10.0.0","typeorm":"0.3.17","pg":"8.11.0"}}`
		goPG       = "module api\n\ngo 1.22\n\nrequire (\n\tgorm.io/gorm v1.25.0\n\tgorm.io/driver/postgres v1.5.0\n)\n"
		goMain     = "package main\n\nimport (\n\t\"net/http\"\n\n\t\"api/database\"\n)\n\nfunc main() {\n\tdatabase.Connect()\n\thttp.HandleFunc(\"/healthz\", nil)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n"
	)
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"a Sequelize config module's HOST (romihakiem/node-express-sequelize-postgresql-api-crud)", map[string]string{
			"package.json": expressPG, "index.js": expressApp,
			"app/configs/db.js":   "module.exports = {\n    HOST: \"localhost\",\n    USERNAME: \"postgres\",\n    PASSWORD: \"psgrs\",\n    DATABASE: \"test\",\n    DIALECT: \"postgres\",\n};\n",
			"app/models/index.js": "const dbConfig = require('../configs/db.js');\nconst { Sequelize } = require('sequelize');\nmodule.exports = new Sequelize(dbConfig.DATABASE, dbConfig.USERNAME, dbConfig.PASSWORD, { host: dbConfig.HOST, dialect: dbConfig.DIALECT });\n",
		}, "postgres@app/configs/db.js:2"},
		{"TypeORM's options with a port (nasterblue/introduction-to-entry-nestjs)", map[string]string{
			"package.json":      nestPG,
			"src/cat.entity.ts": "import { Entity } from 'typeorm';\n@Entity()\nexport class Cat {}\n",
			"src/main.ts":       "import { NestFactory } from '@nestjs/core';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  await app.listen(3000);\n}\nbootstrap();\n",
			"src/app.module.ts": "import { TypeOrmModule } from '@nestjs/typeorm';\n@Module({\n  imports: [\n    TypeOrmModule.forRootAsync({\n      useFactory: () => ({\n        type: 'postgres',\n        host: 'localhost',\n        port: 5432,\n        username: 'nest',\n      }),\n    }),\n  ],\n})\nexport class AppModule {}\n",
		}, "postgres@src/app.module.ts:7"},
		{"a fmt.Sprintf URL whose host is its format's, the reads its other parts (dylanconnolly/drinkee@090c7e0e03df)", map[string]string{
			"go.mod": goPG, "main.go": goMain,
			"database/database.go": "package database\n\nimport (\n\t\"fmt\"\n\t\"os\"\n\n\t\"gorm.io/driver/postgres\"\n\t\"gorm.io/gorm\"\n)\n\nfunc Connect() {\n\tconnUrl := fmt.Sprintf(\"postgres://localhost:5432/%s?sslmode=%s\", os.Getenv(\"POSTGRES_DBNAME\"), os.Getenv(\"POSTGRES_SSLMODE\"))\n\tgorm.Open(postgres.Open(connUrl))\n}\n",
		}, "postgres@database/database.go:12"},
		{"a fmt.Sprintf URL that is a variable's fallback", map[string]string{
			"go.mod": goPG, "main.go": goMain,
			"database/database.go": "package database\n\nimport (\n\t\"fmt\"\n\n\t\"gorm.io/driver/postgres\"\n\t\"gorm.io/gorm\"\n)\n\nfunc Connect() {\n\tdsn := getEnv(\"DSN\", fmt.Sprintf(\"postgres://localhost:5432/%s\", name))\n\tgorm.Open(postgres.Open(dsn))\n}\n",
		}, ""},
		{"a gorm keyword DSN (oivinig/go-gin-rest-api)", map[string]string{
			"go.mod": goPG, "main.go": goMain,
			"database/database.go": "package database\n\nimport (\n\t\"gorm.io/driver/postgres\"\n\t\"gorm.io/gorm\"\n)\n\nfunc Connect() {\n\tdsn := \"host=localhost user=root password=root dbname=root port=5432 sslmode=disable\"\n\tgorm.Open(postgres.Open(dsn))\n}\n",
		}, "postgres@database/database.go:9"},
		{"a URL literal (Phathdt/bunko's main.go)", map[string]string{
			"go.mod":  goPG,
			"main.go": "package main\n\nimport (\n\t\"net/http\"\n\n\t_ \"gorm.io/driver/postgres\"\n)\n\nfunc main() {\n\tstore := open(\"postgresql://postgres:secret@localhost:5432/bunko?sslmode=disable\")\n\thttp.ListenAndServe(\":3000\", store)\n}\n",
		}, "postgres@main.go:10"},
		{"a URL with no port: Mongoose's tutorials' connect", map[string]string{
			"package.json": `{"name":"api","main":"index.js","dependencies":{"express":"4.18.2","mongoose":"8.0.0"}}`, "index.js": expressApp,
			"app/models/index.js": "const mongoose = require('mongoose');\nconst api = 'http://localhost/api';\nmongoose.connect('mongodb://localhost/playground');\n",
			"test/setup.js":       "mongoose.connect('mongodb://localhost/test');\n",
		}, "mongodb@app/models/index.js:3"},
		{"0.0.0.0 as the address to connect to (bezkoder/node-express-mongodb's db.config.js)", map[string]string{
			"package.json": `{"name":"api","main":"server.js","dependencies":{"express":"4.18.2","mongoose":"8.0.0"}}`, "server.js": expressApp,
			"app/config/db.config.js": "module.exports = {\n  url: \"mongodb://0.0.0.0:27017/bezkoder_db\"\n};\n",
		}, "mongodb@app/config/db.config.js:2"},
		{"a URL with a password and no port: redis-py's from_url", map[string]string{
			"requirements.txt": "Flask==3.0.0\nredis==5.0.0\n",
			"app.py":           "from flask import Flask\nimport redis\napp = Flask(__name__)\ncache = redis.from_url(\"redis://:s3cret@127.0.0.1/0\")\n",
		}, "redis@app.py:4"},
		{"Go constants beside another service's port (eminetto/clean-architecture-go-v2)", map[string]string{
			"go.mod":                "module api\n\ngo 1.22\n\nrequire github.com/go-sql-driver/mysql v1.7.0\n",
			"main.go":               "package main\n\nimport (\n\t\"net/http\"\n\n\t_ \"github.com/go-sql-driver/mysql\"\n)\n\nfunc main() {\n\thttp.HandleFunc(\"/healthz\", nil)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
			"config/config_prod.go": "package config\n\nconst (\n\tDB_USER     = \"app\"\n\tDB_DATABASE = \"app\"\n\tDB_HOST     = \"127.0.0.1\"\n\tAPI_PORT    = 8080\n)\n",
		}, "mysql@config/config_prod.go:6"},
		{"Django's DATABASES", map[string]string{
			"requirements.txt": "Django==4.2\npsycopg2-binary==2.9.9\n", "manage.py": "import os\n",
			"mysite/settings.py": "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'NAME': 'mysite',\n        'HOST': 'localhost',\n        'PORT': '',\n    }\n}\n",
			"mysite/wsgi.py":     "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
		}, "postgres@mysite/settings.py:5"},

		{"an environment variable's default", map[string]string{
			"package.json": expressPG, "index.js": expressApp,
			"app/configs/db.js": "const url = process.env.DATABASE_URL || 'postgres://localhost:5432/app';\nmodule.exports = {\n    HOST: process.env.DB_HOST || \"localhost\",\n    URL: process.env.DATABASE_URL ||\n      'postgres://localhost:5432/app',\n    DATABASE: \"test\",\n};\n",
		}, ""},
		{"Django's HOST from the environment", map[string]string{
			"requirements.txt": "Django==4.2\npsycopg2-binary==2.9.9\n", "manage.py": "import os\n",
			"mysite/settings.py": "import os\nDATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'HOST': os.environ.get('DB_HOST', 'localhost'),\n    }\n}\n",
			"mysite/wsgi.py":     "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
		}, ""},
		{"pydantic's settings (Techn-sphere/Barter)", map[string]string{
			"requirements.txt": "fastapi==0.110.0\nuvicorn==0.29.0\nredis==5.0.0\n",
			"main.py":          "from fastapi import FastAPI\nimport redis\napp = FastAPI()\n",
			"settings.py":      "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n    redis_url: str = \"redis://localhost:6379/0\"\n",
		}, ""},
		{"a knexfile's development entry and a seed script (umami's scripts/seed)", map[string]string{
			"package.json": `{"name":"api","main":"index.js","dependencies":{"express":"4.18.2","knex":"3.1.0","pg":"8.11.0"}}`, "index.js": expressApp,
			"knexfile.js":           "module.exports = {\n  development: {\n    client: 'pg',\n    connection: 'postgres://postgres:postgres@localhost:5432/app',\n  },\n  production: {\n    client: 'pg',\n    connection: process.env.DATABASE_URL,\n  },\n};\n",
			"scripts/seed/index.js": "const url = 'postgresql://user:password@localhost:5432/umami';\n",
		}, ""},
		{"a message, a doc comment and a formatter's broken statements", map[string]string{
			"package.json": expressPG, "index.js": expressApp,
			"app/models/index.js": "const { Sequelize } = require('sequelize');\n/**\n * e.g. 'postgres://localhost:5432/app'\n */\nconsole.error('Is Postgres running on localhost:5432?');\nconst {\n  DB_HOST = 'localhost',\n  DB_PORT = 5432,\n} = process.env;\n",
		}, ""},
		{"black's and rustfmt's shapes, a mail block, a development class", map[string]string{
			"requirements.txt": "Flask==3.0.0\nFlask-SQLAlchemy==3.1.1\npsycopg2-binary==2.9.9\n",
			"app.py":           "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\n",
			"config.py": "import os\n\nclass Config:\n    SQLALCHEMY_DATABASE_URI = os.environ.get(\n        \"DATABASE_URL\",\n        \"postgresql://localhost:5432/app\",\n    )\n    MAIL = {\n        'driver': 'smtp',\n        'host': 'localhost',\n        'port': 1025,\n    }\n\n" +
				"EMAIL_HOST = 'localhost'\nCACHE_HOST = 'localhost'\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\nSETTINGS = {\n    'database': 'app',\n    'smtp_host': 'localhost',\n}\n\n" +
				"class DevelopmentConfig(Config):\n    SQLALCHEMY_DATABASE_URI = 'postgresql://localhost:5432/dev'\n",
			"internal/testutil/db.py": "URL = 'postgresql://localhost:5432/test'\n",
		}, ""},
		{"a listen host", map[string]string{
			"package.json": expressPG,
			"index.js":     "const express = require('express');\nconst app = express();\napp.listen({\n  host: 'localhost',\n  port: 3000,\n});\n",
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Detect(testutil.WriteTree(t, tc.files))
			if err != nil {
				t.Fatal(err)
			}
			if got := evs(s.LoopbackConfig); got != tc.want {
				t.Errorf("loopback config = %q, want %q (databases %v)", got, tc.want, s.Databases)
			}
		})
	}
}

// A requirements.txt that PowerShell wrote (UTF-16 with its byte order
// mark, CRLF: leinadpb/BooksAPI's) is read as pip reads it: Flask is the
// framework. An in-memory SQLite fallback (jdidcote/fastapi-postgres-
// template's "sqlite://" while DB_URL is unset) and a seed script's file
// (seedModel.py) are no database of the app's to keep on a volume.
func TestDetect_UTF16RequirementsAndNoSQLiteFile(t *testing.T) {
	utf16le := func(s string) string {
		b := []byte{0xFF, 0xFE}
		for _, r := range s {
			b = append(b, byte(r), 0)
		}
		return string(b)
	}
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"requirements.txt": utf16le("Flask==3.0.0\r\nFlask-SQLAlchemy==3.1.1\r\npsycopg2-binary==2.9.9\r\n"),
		"app.py": "import os\nfrom flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\nfrom sqlalchemy.pool import StaticPool\n" +
			"app = Flask(__name__)\nurl = os.getenv('DB_URL')\nif not url:\n    engine = create_engine(\n        \"sqlite://\",\n        poolclass=StaticPool,\n    )\n" +
			"app.config['SQLALCHEMY_DATABASE_URI'] = url\ndb = SQLAlchemy(app)\n\n@app.route('/healthz')\ndef health():\n    return 'ok'\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if ev(s.Framework) != "flask@requirements.txt:1" {
		t.Errorf("framework = %q, want flask@requirements.txt:1 (the UTF-16 file decoded)", ev(s.Framework))
	}
	if got := evs(s.Databases); got != "postgres@requirements.txt:3" {
		t.Errorf("databases = %q, want postgres@requirements.txt:3 alone (no in-memory SQLite)", got)
	}
	s, err = Detect(testutil.WriteTree(t, map[string]string{
		"requirements.txt":      "Flask==3.0.0\nFlask-SQLAlchemy==3.1.1\npsycopg2-binary==2.9.9\n",
		"app.py":                "import os\nfrom flask import Flask\napp = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = os.environ.get('DATABASE_URL')\n",
		"database/seedModel.py": "from sqlalchemy import create_engine\nengine = create_engine('sqlite:///database.db')\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if got := evs(s.Databases); got != "postgres@requirements.txt:3" {
		t.Errorf("databases = %q, want postgres@requirements.txt:3 alone (no seed script's SQLite)", got)
	}
}

// eminetto/clean-architecture-go-v2's shape: every file of its config
// package carries a build constraint (// +build dev, prod, ...), and its
// Makefile builds with `-tags $(LIBRARY_ENV)`, `LIBRARY_ENV ?= dev`, the
// main package named by its file (api/main.go). Without the tag the image's
// build stopped ("build constraints exclude all Go files in /src/config").
// The tags are the Makefile's default, and the database host the note
// names is the one the tagged build compiles in (config_dev.go, whatever
// its name says), not prod's. A variable with no default gives no tags.
func TestDetect_MakefileBuildTagsAndTheFileTheyBuild(t *testing.T) {
	config := func(tag, host string) string {
		return "// +build " + tag + "\n\npackage config\n\nconst (\n\tDB_USER     = \"app\"\n\tDB_DATABASE = \"app\"\n\tDB_HOST     = \"" + host + "\"\n\tAPI_PORT    = 8080\n)\n"
	}
	files := map[string]string{
		"go.mod":                "module example.com/ca\n\ngo 1.18\n\nrequire github.com/go-sql-driver/mysql v1.7.0\n",
		"api/main.go":           "package main\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n\n\t\"example.com/ca/config\"\n\t_ \"github.com/go-sql-driver/mysql\"\n)\n\nfunc main() {\n\t_ = fmt.Sprintf(\"%s@tcp(%s:3306)/%s\", config.DB_USER, config.DB_HOST, config.DB_DATABASE)\n\thttp.HandleFunc(\"/ping\", nil)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"config/config_dev.go":  config("dev", "127.0.0.1"),
		"config/config_prod.go": config("prod", "127.0.0.1"),
		"Makefile":              "SHELL  := env LIBRARY_ENV=$(LIBRARY_ENV) $(SHELL)\nLIBRARY_ENV ?= dev\n\nbuild-api:\n\tgo build -tags $(LIBRARY_ENV) -o ./bin/api api/main.go\n",
	}
	s, err := Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if s.BuildTags == nil || s.BuildTags.Value != "dev" || s.BuildTags.Where() != "Makefile:5" || !strings.Contains(s.BuildTags.Why, "$(LIBRARY_ENV)") {
		t.Fatalf("build tags %+v, want dev from Makefile:5 naming $(LIBRARY_ENV)", s.BuildTags)
	}
	if got := evs(s.LoopbackConfig); got != "mysql@config/config_dev.go:8" {
		t.Errorf("loopback config = %q, want the tagged build's mysql@config/config_dev.go:8", got)
	}
	files["Makefile"] = "build-api:\n\tgo build -tags $(LIBRARY_ENV) -o ./bin/api api/main.go\n"
	if s, err = Detect(testutil.WriteTree(t, files)); err != nil {
		t.Fatal(err)
	}
	if s.BuildTags != nil {
		t.Errorf("a variable with no default gave build tags %+v", s.BuildTags)
	}
}
