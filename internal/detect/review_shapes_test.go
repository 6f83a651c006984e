package detect

import (
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// An app that keeps one connection module per backend in one directory
// (src/db/postgres.js, redis.js, mongo.js, each required by the server)
// is taken for a directory of plugins: all three databases move to
// Unconfigured and compose starts none of them. Before 0f4e2f9 all three
// were started.
func TestConnectionModulesPerBackendAreNotPlugins(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"package.json":       `{"name": "api", "main": "src/index.js", "scripts": {"start": "node src/index.js"}, "dependencies": {"express": "^4.21.0", "pg": "^8.13.0", "ioredis": "^5.4.0", "mongoose": "^8.7.0"}}`,
		"package-lock.json":  `{"lockfileVersion": 3}`,
		"src/db/postgres.js": "const { Pool } = require('pg');\nmodule.exports = new Pool({ connectionString: process.env.DATABASE_URL });\n",
		"src/db/redis.js":    "const Redis = require('ioredis');\nmodule.exports = new Redis(process.env.REDIS_URL);\n",
		"src/db/mongo.js":    "const mongoose = require('mongoose');\nmodule.exports = () => mongoose.connect(process.env.MONGODB_URI);\n",
		"src/index.js": "const express = require('express');\nconst pool = require('./db/postgres');\nconst redis = require('./db/redis');\nconst connectMongo = require('./db/mongo');\n" +
			"const app = express();\napp.get('/healthz', async (q, r) => { await pool.query('select 1'); await redis.ping(); r.send('ok'); });\nconnectMongo().then(() => app.listen(process.env.PORT || 3000));\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Databases) != 3 {
		t.Errorf("databases = %s, want postgres, redis and mongodb (unconfigured: %s)", evs(s.Databases), evs(s.Unconfigured))
	}
}

// A route under a flag whose default is not empty (from a review): the
// prefix had been taken for "" whatever the flag's default, so /healthz
// was probed where the program serves /api/healthz (404). The flag's
// default, where its declaration gives one, is the prefix.
func TestRouteUnderAFlagWithADefault(t *testing.T) {
	s, _ := goShape(t, map[string]string{
		"go.mod": "module example.com/svc\n\ngo 1.22\n",
		"main.go": "package main\n\nimport (\n\t\"flag\"\n\t\"net/http\"\n)\n\nfunc main() {\n" +
			"\tprefix := flag.String(\"prefix\", \"/api\", \"the path every route is under\")\n\tflag.Parse()\n" +
			"\thttp.HandleFunc(*prefix+\"/healthz\", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(\"ok\")) })\n" +
			"\thttp.ListenAndServe(\":8080\", nil)\n}\n",
	})
	if got := ev(s.HealthPath); got != "/api/healthz@main.go:11" {
		t.Errorf("health %s: the program serves /api/healthz (flag default \"/api\", main.go:11)", got)
	}
}

// NestJS takes uploads through @nestjs/platform-express's FileInterceptor
// (multer inside): not read, so its location keeps nginx's 10m limit.
// Koa apps use koa-body for JSON alone: read as uploads, the limit goes.
func TestUploadsNestAndKoaBody(t *testing.T) {
	nest, err := Detect(testutil.WriteTree(t, map[string]string{
		"package.json":      `{"name": "api", "main": "dist/main.js", "scripts": {"build": "nest build", "start": "node dist/main.js"}, "dependencies": {"@nestjs/core": "^10.4.0", "@nestjs/common": "^10.4.0", "@nestjs/platform-express": "^10.4.0"}, "devDependencies": {"typescript": "^5.6.0"}}`,
		"package-lock.json": `{"lockfileVersion": 3}`,
		"tsconfig.json":     `{"compilerOptions": {"outDir": "dist"}}`,
		"src/main.ts":       "import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nasync function bootstrap() { const app = await NestFactory.create(AppModule); await app.listen(process.env.PORT ?? 3000); }\nbootstrap();\n",
		"src/app.module.ts": "import { Module } from '@nestjs/common';\nimport { FilesController } from './files.controller';\n@Module({ controllers: [FilesController] })\nexport class AppModule {}\n",
		"src/files.controller.ts": "import { Controller, Get, Post, UploadedFile, UseInterceptors } from '@nestjs/common';\nimport { FileInterceptor } from '@nestjs/platform-express';\n" +
			"@Controller()\nexport class FilesController {\n  @Get('healthz') health() { return 'ok'; }\n  @Post('upload') @UseInterceptors(FileInterceptor('file')) upload(@UploadedFile() file: Express.Multer.File) { return file.size; }\n}\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if nest.Uploads == nil {
		t.Errorf("NestJS FileInterceptor upload not read as uploads")
	}
	koa, err := Detect(testutil.WriteTree(t, map[string]string{
		"package.json":      `{"name": "api", "main": "index.js", "scripts": {"start": "node index.js"}, "dependencies": {"koa": "^2.15.0", "koa-body": "^6.0.1", "@koa/router": "^13.1.0"}}`,
		"package-lock.json": `{"lockfileVersion": 3}`,
		"index.js":          "const Koa = require('koa');\nconst { koaBody } = require('koa-body');\nconst Router = require('@koa/router');\nconst app = new Koa();\nconst router = new Router();\nrouter.get('/healthz', (ctx) => { ctx.body = 'ok'; });\nrouter.post('/items', (ctx) => { ctx.body = ctx.request.body; });\napp.use(koaBody()).use(router.routes());\napp.listen(process.env.PORT || 3000);\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if koa.Uploads != nil {
		t.Errorf("koa-body parsing JSON only (multipart off by default) read as uploads: %s", ev(koa.Uploads))
	}
}
