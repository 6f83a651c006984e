package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// The most common layout of the same shape: a config package whose
// LoadConfig returns godotenv.Load's error, and main, in another package,
// log.Fatal's on it. The program stops without a .env just as
// shortlinks' does.
func TestReview61_GoEnvLoadReturnedFromConfigPackage(t *testing.T) {
	files := map[string]string{
		"go.mod": "module api\n\ngo 1.22\n\nrequire github.com/joho/godotenv v1.5.1\n",
		"config/config.go": "package config\n\nimport (\n\t\"fmt\"\n\t\"os\"\n\n\t\"github.com/joho/godotenv\"\n)\n\ntype Config struct{ Port string }\n\n" +
			"func LoadConfig() (*Config, error) {\n\tif err := godotenv.Load(); err != nil {\n\t\treturn nil, fmt.Errorf(\"load .env: %w\", err)\n\t}\n\treturn &Config{Port: os.Getenv(\"PORT\")}, nil\n}\n",
		"main.go": "package main\n\nimport (\n\t\"log\"\n\t\"net/http\"\n\n\t\"api/config\"\n)\n\nfunc main() {\n\tcfg, err := config.LoadConfig()\n\tif err != nil {\n\t\tlog.Fatal(err)\n\t}\n\thttp.ListenAndServe(\":\"+cfg.Port, nil)\n}\n",
	}
	s, _ := goShape(t, files)
	if got := ev(s.EnvFile); got != ".env@config/config.go:13" {
		t.Errorf("env file %q, want .env@config/config.go:13 (main stops on LoadConfig's error)", got)
	}
}

// A list checked in a loop whose error the caller only logs: nothing
// stops, so none is required (the doc comment's own condition), yet a
// returned error alone makes them required.
func TestReview61_GoRequiredListCallerOnlyLogs(t *testing.T) {
	main := "package main\n\nimport (\n\t\"fmt\"\n\t\"log\"\n\t\"net/http\"\n\t\"os\"\n)\n\n" +
		"func main() {\n\tif err := checkEnv(); err != nil {\n\t\tlog.Printf(\"warning: %v; features disabled\", err)\n\t}\n\thttp.ListenAndServe(\":8080\", nil)\n}\n\n" +
		"func checkEnv() error {\n\toptional := []string{\"SENTRY_DSN\", \"SMTP_HOST\"}\n\n" +
		"\tfor _, x := range optional {\n\t\tif _, ok := os.LookupEnv(x); !ok {\n\t\t\treturn fmt.Errorf(\"%s is not set\", x)\n\t\t}\n\t}\n\treturn nil\n}\n"
	s, _ := goShape(t, map[string]string{"go.mod": "module svc\n\ngo 1.22\n", "main.go": main})
	var required []string
	for _, e := range s.Required {
		required = append(required, e.Value)
	}
	if len(required) != 0 {
		t.Errorf("required %v, want none: the caller logs checkEnv's error and goes on", required)
	}
}

// miguelgrinberg/flasky's config.py shape with the production config
// chosen: DevelopmentConfig (first) reads DEV_DATABASE_URL or
// data-dev.sqlite, ProductionConfig DATABASE_URL or data.sqlite, and the
// app runs create_app("production"). The variable the image must set is
// DATABASE_URL; DEV_DATABASE_URL moves nothing.
func TestReview61_SQLiteURLVariableOfTheConfigUsed(t *testing.T) {
	config := "import os\nbasedir = os.path.abspath(os.path.dirname(__file__))\n\n\nclass Config:\n    SECRET_KEY = os.environ.get('SECRET_KEY') or 'hard to guess string'\n\n\n" +
		"class DevelopmentConfig(Config):\n    DEBUG = True\n    SQLALCHEMY_DATABASE_URI = os.environ.get('DEV_DATABASE_URL') or \\\n        'sqlite:///' + os.path.join(basedir, 'data-dev.sqlite')\n\n\n" +
		"class TestingConfig(Config):\n    TESTING = True\n    SQLALCHEMY_DATABASE_URI = os.environ.get('TEST_DATABASE_URL') or \\\n        'sqlite://'\n\n\n" +
		"class ProductionConfig(Config):\n    SQLALCHEMY_DATABASE_URI = os.environ.get('DATABASE_URL') or \\\n        'sqlite:///' + os.path.join(basedir, 'data.sqlite')\n\n\n" +
		"config = {\n    'development': DevelopmentConfig,\n    'testing': TestingConfig,\n    'production': ProductionConfig,\n    'default': DevelopmentConfig\n}\n"
	tree := map[string]string{
		"requirements.txt": "flask\nflask-sqlalchemy\nflask-migrate\ngunicorn\n",
		"flasky.py":        "import os\nfrom app import create_app, db\n\napp = create_app(os.environ.get('FLASK_CONFIG', 'production'))\n",
		"app/__init__.py":  "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\nfrom config import config\n\ndb = SQLAlchemy()\n\ndef create_app(config_name):\n    app = Flask(__name__)\n    app.config.from_object(config[config_name])\n    db.init_app(app)\n    return app\n",
		"config.py":        config,
	}
	s, err := Detect(testutil.WriteTree(t, tree))
	if err != nil {
		t.Fatal(err)
	}
	if v := s.SQLiteVar; v == nil || v.Value != "DATABASE_URL" {
		t.Errorf("SQLite variable %+v, want DATABASE_URL (ProductionConfig, the config the app runs)", s.SQLiteVar)
	}
	_ = strings.Join
}
