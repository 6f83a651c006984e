package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
)

// webpack 4 builds on Node 17 and later only with OpenSSL's legacy
// provider: the stages that install and build set NODE_OPTIONS for it,
// with the reason; on Node 16, which does not know the flag (and whose
// OpenSSL hashes md4), they do not.
func TestDockerfile_LegacyOpenSSLForWebpack4(t *testing.T) {
	legacy := detect.Evidence{Value: detect.LegacyOpenSSL, File: "package.json", Line: 5,
		Why: "react-scripts ^3.2.0 builds with webpack 4, whose md4 hashes Node 17 and later refuse without OpenSSL's legacy provider (ERR_OSSL_EVP_UNSUPPORTED)"}
	stack := func(version string) *detect.Stack {
		s := &detect.Stack{Language: "node", PackageManager: &detect.Evidence{Value: "npm", File: "package-lock.json"},
			Entrypoints: []detect.Evidence{{Value: "server.js", File: "package.json", Line: 3}},
			HealthPath:  &detect.Evidence{Value: "/healthz", File: "server.js", Line: 9},
			SIGTERM:     &detect.Evidence{Value: "SIGTERM", File: "server.js", Line: 12},
			BuildScript: &detect.Evidence{Value: "react-scripts build", File: "package.json", Line: 8},
			InstallEnv:  []detect.Evidence{legacy}}
		if version != "" {
			s.Version = &detect.Evidence{Value: version, File: ".nvmrc", Line: 1}
		}
		return s
	}
	df := projectFiles(t, stack(""), generate.Options{Name: "app"})["Dockerfile"]
	if !strings.Contains(df, "# package.json:5: react-scripts ^3.2.0 builds with webpack 4, whose md4 hashes Node 17 and later refuse without OpenSSL's legacy provider (ERR_OSSL_EVP_UNSUPPORTED).\nENV NODE_OPTIONS=--openssl-legacy-provider\n") {
		t.Errorf("Node 24's stages do not set the legacy provider:\n%s", df)
	}
	if df := projectFiles(t, stack("16.20.2"), generate.Options{Name: "app"})["Dockerfile"]; strings.Contains(df, "openssl-legacy-provider") {
		t.Errorf("Node 16's stages set a flag it does not know:\n%s", df)
	}
}

// A port variable that holds an address although its name says port (a
// urfave/cli flag's default ":8090", read from APP_PORT) gets one.
func TestDockerfile_PortVariableHoldingAnAddress(t *testing.T) {
	s := &detect.Stack{Language: "go", Entrypoints: []detect.Evidence{{Value: ".", File: "main.go", Line: 1}},
		HealthPath: &detect.Evidence{Value: "/healthz", File: "main.go", Line: 9},
		Port:       &detect.Evidence{Value: "8090", File: "cmd/serve.go", Line: 10, Why: "the default of its urfave/cli flag --port, \":8090\", read from $APP_PORT too, an address"},
		PortVar:    &detect.Evidence{Value: "APP_PORT", File: "cmd/serve.go", Line: 10}, PortVarAddress: true}
	if df := projectFiles(t, s, generate.Options{Name: "app"})["Dockerfile"]; !strings.Contains(df, "ENV APP_PORT=:8090\n") {
		t.Errorf("Dockerfile does not set APP_PORT to the address :8090:\n%s", df)
	}
}
