package detect

import "testing"

// gotenberg/gotenberg's build/Dockerfile sets PDFTK_BIN_PATH=/usr/bin/pdftk
// and QPDF_BIN_PATH=/usr/bin/qpdf, programs the image installs; its
// pkg/modules/pdftk and pkg/modules/qpdf are Go packages of the same
// names, not what the variables point at. A TEMPLATES dir the Dockerfile
// names still is (bnkamalesh/goapp's shape).
func TestDetect_ProgramPathsAreNoAssetDirs(t *testing.T) {
	s, _ := goShape(t, map[string]string{
		"go.mod":                     "module github.com/gotenberg/gotenberg/v8\n\ngo 1.26\n",
		"build/Dockerfile":           "FROM debian:12-slim\nENV PDFTK_BIN_PATH=/usr/bin/pdftk\nENV QPDF_BIN_PATH=/usr/bin/qpdf\nENV TEMPLATES_BASEPATH=/srv/web/templates\nCMD [\"gotenberg\"]\n",
		"main.go":                    "package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n)\n\nfunc main() {\n\t_ = os.Getenv(\"PDFTK_BIN_PATH\") + os.Getenv(\"QPDF_BIN_PATH\") + os.Getenv(\"TEMPLATES_BASEPATH\")\n\thttp.ListenAndServe(\":3000\", nil)\n}\n",
		"pkg/modules/pdftk/pdftk.go": "package pdftk\n",
		"pkg/modules/qpdf/qpdf.go":   "package qpdf\n",
		"web/templates/index.html":   "<html></html>\n",
	})
	if len(s.AssetDirs) != 1 || s.AssetDirs[0].Value != "TEMPLATES_BASEPATH" || s.AssetDirs[0].Dir != "web/templates" {
		t.Errorf("asset dirs %+v, want TEMPLATES_BASEPATH's web/templates alone", s.AssetDirs)
	}
}
