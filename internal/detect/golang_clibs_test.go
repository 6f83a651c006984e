package detect

import "testing"

// TestDetect_GoCLibraries: the Go packages that link a system C library
// through cgo, imported as real services import them: h2non/imaginary
// v1.2.4's bimg in an import block (controllers.go:12), NezuChan/
// image-proxy's govips/v2 beside fiber (cmd/server/main.go:6), and
// otiai10/ocrserver's gosseract/v2 in a package of its own
// (controllers/base64.go:13). A test's import builds into no image, and
// a program the plan does not run brings in nothing.
func TestDetect_GoCLibraries(t *testing.T) {
	gomod := "module example.com/app\n\ngo 1.22\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string // value@file:line; "" for none
	}{
		{"bimg in an import block", map[string]string{"go.mod": gomod,
			"main.go":        "package main\n\nfunc main() { http.ListenAndServe(\":8088\", nil) }\n",
			"controllers.go": "package main\n\nimport (\n\t\"encoding/json\"\n\t\"fmt\"\n\n\t\"github.com/h2non/bimg\"\n\t\"github.com/h2non/filetype\"\n)\n\nfunc info(b []byte) { bimg.NewImage(b) }\n"},
			"libvips@controllers.go:7"},
		{"govips aliased beside fiber", map[string]string{"go.mod": gomod,
			"cmd/server/main.go": "package main\n\nimport (\n\t\"errors\"\n\t\"fmt\"\n\tv \"github.com/davidbyttow/govips/v2/vips\"\n\t\"github.com/gofiber/fiber/v2\"\n)\n\nfunc main() { v.Startup(nil); fiber.New().Listen(\":3000\") }\n"},
			"libvips@cmd/server/main.go:6"},
		{"gosseract in a package of the program", map[string]string{"go.mod": gomod,
			"main.go":               "package main\n\nimport \"example.com/app/controllers\"\n\nfunc main() { http.HandleFunc(\"/\", controllers.Index); http.ListenAndServe(\":8080\", nil) }\n",
			"controllers/base64.go": "package controllers\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/otiai10/gosseract/v2\"\n)\n\nfunc Base64(w http.ResponseWriter, r *http.Request) { gosseract.NewClient() }\n"},
			"tesseract@controllers/base64.go:6"},
		{"only a test imports it", map[string]string{"go.mod": gomod,
			"main.go":      "package main\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n",
			"main_test.go": "package main\n\nimport \"github.com/h2non/bimg\"\n"},
			""},
		{"a mention in a comment", map[string]string{"go.mod": gomod,
			"main.go": "package main\n\n// Like github.com/h2non/bimg, but in pure Go.\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n"},
			""},
	} {
		s, _ := goShape(t, tc.files)
		got := ""
		if len(s.CLibs) > 0 {
			got = ev(&s.CLibs[0])
		}
		if got != tc.want || len(s.CLibs) > 1 {
			t.Errorf("%s: C libraries %v, want %q", tc.name, s.CLibs, tc.want)
		}
		if (tc.want != "") != (s.CGO != nil) {
			t.Errorf("%s: cgo %v, want it set: %v", tc.name, s.CGO, tc.want != "")
		}
	}
}
