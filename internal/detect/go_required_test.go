package detect

import (
	"strings"
	"testing"
)

// lxnewayfarer/shortlinks' main.go (MIT): setupEnvironment returns
// godotenv.Load's error and then checks a list of names with
// os.LookupEnv, returning an error for one unset, and main panics on
// either. The .env is one the program stops without, and APP_URL is
// required; a load whose error nobody stops on, and a list no loop
// checks, are neither.
func TestDetect_GoRequiredThroughAReturnedError(t *testing.T) {
	main := "package main\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n\t\"os\"\n\n\t\"github.com/joho/godotenv\"\n)\n\n" +
		"func main() {\n\tif err := setupEnvironment(); err != nil {\n\t\tpanic(err)\n\t}\n\thttp.ListenAndServe(\":\"+os.Getenv(\"PORT\"), nil)\n}\n\n" +
		"func setupEnvironment() error {\n\trequiredEnvVars := []string{\"APP_URL\", \"PORT\", \"REDIS_URL\"}\n\n\tif err := godotenv.Load(); err != nil {\n\t\treturn err\n\t}\n\n" +
		"\tfor _, x := range requiredEnvVars {\n\t\t_, exist := os.LookupEnv(x)\n\t\tif !exist {\n\t\t\treturn fmt.Errorf(\"required variable %s is missing\", x)\n\t\t}\n\t}\n\n\treturn nil\n}\n"
	files := map[string]string{"go.mod": "module shortlinks\n\ngo 1.22\n", "main.go": main}
	s, _ := goShape(t, files)
	if got := ev(s.EnvFile); got != ".env@main.go:21" {
		t.Errorf("env file %s, want .env@main.go:21", got)
	}
	var required []string
	for _, e := range s.Required {
		required = append(required, e.Value+"@"+e.Where())
	}
	if got := strings.Join(required, " "); !strings.Contains(got, "APP_URL@main.go:19") || !strings.Contains(got, "REDIS_URL@main.go:19") {
		t.Errorf("required %s, want APP_URL and REDIS_URL at main.go:19", got)
	}
	files["main.go"] = strings.Replace(strings.Replace(main, "\t\tpanic(err)\n", "\t\tlog.Println(err)\n", 1), "\t\t\treturn fmt.Errorf(\"required variable %s is missing\", x)\n", "\t\t\tcontinue\n", 1)
	s, _ = goShape(t, files)
	if s.EnvFile != nil || len(s.Required) != 0 {
		t.Errorf("nothing stops: env file %v, required %v; want none", s.EnvFile, s.Required)
	}
}
