package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// hay-kot/homebox keeps its settings in ardanlabs/conf structs across the
// files of one package: Config (conf.go, conf.Parse("HBOX", ...)) holds
// Storage, declared in conf_database.go, whose Data defaults to ./.data
// (which main creates: "mkdir ./.data: read-only file system") and whose
// SqliteURL to a file in it. The variables are named from the whole
// path (HBOX_STORAGE_DATA, not DATA), the directory is one the code
// writes, and the SQLite file's variable is the one the image points at
// its volume.
func TestDetect_ConfigStructsAcrossFiles(t *testing.T) {
	s, _ := goShape(t, map[string]string{
		"go.mod": "module example.com/homebox\n\ngo 1.23\n\nrequire (\n\tgithub.com/ardanlabs/conf/v3 v3.1.8\n\tmodernc.org/sqlite v1.34.1\n)\n",
		"internal/config/conf.go": "package config\n\nimport \"github.com/ardanlabs/conf/v3\"\n\ntype Config struct {\n\tWeb     WebConfig\n\tStorage Storage\n}\n\n" +
			"type WebConfig struct {\n\tPort string `yaml:\"port\" conf:\"default:7745\"`\n\tHost string `yaml:\"host\"`\n}\n\n" +
			"func New() (*Config, error) {\n\tvar cfg Config\n\t_, err := conf.Parse(\"HBOX\", &cfg)\n\treturn &cfg, err\n}\n",
		"internal/config/conf_database.go": "package config\n\ntype Storage struct {\n\t// Data is the path to the root directory\n\tData      string `yaml:\"data\"       conf:\"default:./.data\"`\n" +
			"\tSqliteURL string `yaml:\"sqlite-url\" conf:\"default:./.data/homebox.db?_pragma=busy_timeout=999&_fk=1\"`\n}\n",
		"main.go": "package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n\n\t_ \"modernc.org/sqlite\"\n\t\"example.com/homebox/internal/config\"\n)\n\n" +
			"func main() {\n\tcfg, _ := config.New()\n\t_ = os.MkdirAll(cfg.Storage.Data, 0o755)\n\thttp.HandleFunc(\"/api/v1/status\", func(w http.ResponseWriter, r *http.Request) {})\n\t_ = http.ListenAndServe(\":\"+cfg.Web.Port, nil)\n}\n",
	})
	var dirs []string
	for _, d := range s.ConfigWriteDirs {
		dirs = append(dirs, d.Value+"="+d.Dir+"@"+d.Where())
	}
	if got := strings.Join(dirs, " "); got != "HBOX_STORAGE_DATA=.data@internal/config/conf_database.go:5" {
		t.Errorf("directories the code writes %q", got)
	}
	if got := ev(s.SQLiteVar); got != "HBOX_STORAGE_SQLITE_URL@internal/config/conf_database.go:6" {
		t.Errorf("SQLite variable %s", got)
	}
	if got := ev(s.PortVar); got != "HBOX_WEB_PORT@internal/config/conf.go:11" {
		t.Errorf("port variable %s", got)
	}
}

// khalilnazari/NestJS-TypeORM-PostgreSQL-Starter: tsconfig.json names
// outDir ./dist and no rootDir or include, and TypeScript compiles
// datasource.ts and migrations/ beside src/, so its computed rootDir is
// the root and nest build writes dist/src/main.js, whatever start:prod
// (node dist/main) says. Where every input is under src/, or the others
// are excluded, dist/main.js stays.
func TestDetect_TypeScriptRootDirOfItsInputs(t *testing.T) {
	tree := func(extra map[string]string) map[string]string {
		files := map[string]string{
			"package.json": `{"name": "starter", "scripts": {"build": "nest build", "start:prod": "node dist/main"},` +
				` "dependencies": {"@nestjs/core": "^11.0.0", "@nestjs/common": "^11.0.0"}, "devDependencies": {"typescript": "^5.7.0"}}`,
			"pnpm-lock.yaml":        "lockfileVersion: '9.0'\n",
			"tsconfig.json":         "{\n  \"compilerOptions\": {\n    \"outDir\": \"./dist\",\n    \"baseUrl\": \"./\"\n  }\n}\n",
			"tsconfig.build.json":   "{\n  \"extends\": \"./tsconfig.json\",\n  \"exclude\": [\"node_modules\", \"test\", \"dist\", \"**/*spec.ts\"]\n}\n",
			"src/main.ts":           "import { NestFactory } from '@nestjs/core';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  await app.listen(process.env.PORT ?? 3000);\n}\nbootstrap();\n",
			"src/app.controller.ts": "@Controller()\nexport class AppController {\n  @Get('healthz')\n  health() { return 'ok'; }\n}\n",
			"test/app.e2e-spec.ts":  "describe('app', () => {});\n",
		}
		for k, v := range extra {
			files[k] = v
		}
		return files
	}
	for _, c := range []struct {
		name  string
		extra map[string]string
		want  string
	}{
		{"a data source beside src", map[string]string{"datasource.ts": "export default new DataSource({});\n", "migrations/1-init.ts": "export class Init {}\n"}, "dist/src/main.js"},
		{"every input under src", nil, "dist/main.js"},
		{"the other one excluded", map[string]string{"test/helpers.ts": "export const x = 1;\n"}, "dist/main.js"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := Detect(testutil.WriteTree(t, tree(c.extra)))
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Entrypoints) == 0 || s.Entrypoints[0].Value != c.want {
				t.Errorf("entry points %v, want %s", s.Entrypoints, c.want)
			}
		})
	}
}
