package detect

import "testing"

// statping-ng/statping-ng: its port is cobra's
// cmd.PersistentFlags().IntVarP(&port, "port", "p", 8080, ...); :80 is a
// redirect in startLetsEncryptServer and :9090 a pprof mux when DEBUG
// is set, neither the app's; r.Use(basicAuthHandler) runs only when
// AUTH_USERNAME and AUTH_PASSWORD are set, so /health answers without a
// session as the image runs it.
func TestDetect_StatpingShape(t *testing.T) {
	s, _ := goShape(t, map[string]string{
		"go.mod": "module github.com/statping-ng/statping-ng\n\ngo 1.20\n\nrequire (\n\tgithub.com/gorilla/mux v1.8.0\n\tgithub.com/spf13/cobra v1.7.0\n)\n",
		"cmd/main.go": "package main\n\nimport (\n\t\"github.com/spf13/cobra\"\n\t\"github.com/statping-ng/statping-ng/handlers\"\n)\n\nvar port int\n\n" +
			"func main() {\n\tcmd := &cobra.Command{Run: func(*cobra.Command, []string) { handlers.RunHTTPServer(port) }}\n" +
			"\tcmd.PersistentFlags().IntVarP(&port, \"port\", \"p\", 8080, \"server port\")\n\tcmd.Execute()\n}\n",
		"handlers/server.go": "package handlers\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n)\n\n" +
			"func RunHTTPServer(port int) error {\n\tsrv := &http.Server{Addr: fmt.Sprintf(\":%d\", port), Handler: Router()}\n\treturn srv.ListenAndServe()\n}\n\n" +
			"func startLetsEncryptServer(ip string) error {\n\tgo http.ListenAndServe(\":80\", http.HandlerFunc(simplecert.Redirect))\n\treturn nil\n}\n",
		"handlers/routes.go": "package handlers\n\nimport (\n\t\"net/http\"\n\t\"net/http/pprof\"\n\n\t\"github.com/gorilla/mux\"\n)\n\n" +
			"func Router() *mux.Router {\n\tr := mux.NewRouter()\n\tauthUser := Params.GetString(\"AUTH_USERNAME\")\n\tauthPass := Params.GetString(\"AUTH_PASSWORD\")\n" +
			"\tif authUser != \"\" && authPass != \"\" {\n\t\tr.Use(basicAuthHandler)\n\t}\n" +
			"\tif Params.GetBool(\"DEBUG\") {\n\t\tgo func() {\n\t\t\tr := http.NewServeMux()\n\t\t\tr.HandleFunc(\"/debug/pprof/\", pprof.Index)\n\t\t\thttp.ListenAndServe(\":9090\", r)\n\t\t}()\n\t}\n" +
			"\tr.Handle(\"/health\", http.HandlerFunc(healthCheckHandler))\n\treturn r\n}\n",
	})
	if s.Port == nil || s.Port.Value != "8080" || s.Port.File != "cmd/main.go" {
		t.Errorf("port %s, want 8080 from the port flag (cmd/main.go)", ev(s.Port))
	}
	if s.HealthPath == nil || s.HealthPath.Value != "/health" {
		t.Errorf("health %s, want /health: the login is on only when configured", ev(s.HealthPath))
	}
}
