package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// BetterToPractice/go-gin-setup's shape: a cobra program whose server is
// the subcommand `runserver` (beside migrate and makemigrations), reading
// config/config.yaml, the default of its --config flag (whose usage names
// no path), where Http.Host 127.0.0.1 sits beside Http.Port 8080, joined by
// ListenAddr(). init runs runserver, carries config/, and stops before
// writing on the loopback host (before: the image printed cobra's help,
// then panicked on the missing file, then its stop blamed the database).
// With a variable the loader maps to the key, that variable is set instead.
func TestDetect_CobraRunserverAndAConfigFilesListenHost(t *testing.T) {
	sub := func(use, pkg string) string {
		return "package " + pkg + "\n\nimport \"github.com/spf13/cobra\"\n\nvar configFile string\n\nfunc init() {\n\tpf := StartCmd.PersistentFlags()\n\tpf.StringVarP(&configFile, \"config\", \"c\", \"config/config.yaml\", \"this parameter is used to start the service application\")\n}\n\nvar StartCmd = &cobra.Command{\n\tUse: \"" + use + "\",\n\tRun: func(cmd *cobra.Command, args []string) {},\n}\n"
	}
	tree := map[string]string{
		"go.mod":                     "module example.com/setup\n\ngo 1.20\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.1\n\tgithub.com/spf13/cobra v1.7.0\n\tgithub.com/spf13/viper v1.16.0\n)\n",
		"main.go":                    "package main\n\nimport \"example.com/setup/cmd\"\n\nfunc main() { cmd.Execute() }\n",
		"cmd/cmd.go":                 "package cmd\n\nimport (\n\t\"github.com/spf13/cobra\"\n\t\"example.com/setup/cmd/runserver\"\n\t\"example.com/setup/cmd/migrate\"\n)\n\nvar rootCmd = &cobra.Command{\n\tUse: \"setup\",\n}\n\nfunc Execute() {\n\trootCmd.AddCommand(runserver.StartCmd)\n\trootCmd.AddCommand(migrate.StartCmd)\n\trootCmd.Execute()\n}\n",
		"cmd/runserver/runserver.go": sub("runserver", "runserver"),
		"cmd/migrate/migrate.go":     sub("migrate", "migrate"),
		"lib/config.go":              "package lib\n\nimport (\n\t\"fmt\"\n\n\t\"github.com/gin-gonic/gin\"\n\t\"github.com/spf13/viper\"\n)\n\nfunc Run(path string, host string, port int) {\n\tviper.SetConfigFile(path)\n\t_ = viper.ReadInConfig()\n\tgin.Default().Run(fmt.Sprintf(\"%s:%d\", host, port))\n}\n",
		"config/config.yaml":         "Name: setup\n\nHttp:\n  Host: 127.0.0.1\n  Port: 8080\n\nDatabase:\n  Host: db\n",
		"api/routes/health.go":       "package routes\n\nfunc Setup(r *gin.Engine) {\n\tr.GET(\"/healthz\", nil)\n}\n",
	}
	s, err := Detect(testutil.WriteTree(t, tree))
	if err != nil {
		t.Fatal(err)
	}
	if s.Args == nil || s.Args.Value != "runserver" || s.Args.Where() != "cmd/runserver/runserver.go:13" {
		t.Errorf("arguments %+v, want runserver from cmd/runserver/runserver.go:13", s.Args)
	}
	files := ""
	for _, f := range s.RuntimeFiles {
		files += f.Value + " "
	}
	if !strings.Contains(files, "config ") {
		t.Errorf("run-time files %q lack config/, the --config flag's default", files)
	}
	if len(s.Needs) != 1 || s.Needs[0].Where() != "config/config.yaml:4" || !strings.Contains(s.Needs[0].Value, "Http.Host is 127.0.0.1") {
		t.Errorf("needs %+v, want config/config.yaml:4's Http.Host on loopback", s.Needs)
	}

	tree["config/config.yaml"] = "Http:\n  Host: 0.0.0.0\n  Port: 8080\n"
	if s, err = Detect(testutil.WriteTree(t, tree)); err != nil {
		t.Fatal(err)
	}
	if len(s.Needs) != 0 {
		t.Errorf("every address: needs %+v", s.Needs)
	}
	// Two subcommands named as servers': neither is guessed.
	tree["cmd/web.go"] = strings.Replace(sub("web", "cmd"), "StartCmd", "webCmd", -1)
	if s, err = Detect(testutil.WriteTree(t, tree)); err != nil {
		t.Fatal(err)
	}
	if s.Args != nil {
		t.Errorf("two server-named subcommands (runserver, web): arguments %+v, want none", s.Args)
	}
}
