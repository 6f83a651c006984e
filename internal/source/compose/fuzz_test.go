package compose

import (
	"context"
	"errors"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// FuzzLoad: any bytes give a project or a LoadError naming a line, never a panic.
func FuzzLoad(f *testing.F) {
	f.Add([]byte("name: x\nservices:\n  web:\n    image: nginx:1.27.3\n    ports: [\"80:80\"]\n    depends_on: [db]\n  db:\n    image: postgres:16.6\n"))
	f.Add([]byte("services:\n  a:\n    image: ${A:-latest}\n    volumes: [./x:/app]\n    environment: [A=1, B]\n"))
	f.Add([]byte("version: '3'\nservices:\n  a:\n    build: {context: ., dockerfile: D}\n    healthcheck: {test: [CMD, curl, x]}\n"))
	f.Add([]byte("x-base: &b\n  image: a:1\nservices:\n  a: *b\n  c:\n    <<: *b\n"))
	f.Add([]byte("services:\n A:\n"))
	f.Add([]byte(testutil.BillionLaughs("services:\n  web:\n    image: nginx:1.27.3\n")))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Load(context.Background(), Options{Files: []string{"compose.yaml"}, Contents: map[string][]byte{"compose.yaml": data}, WorkingDir: t.TempDir()})
		if err != nil {
			var le *LoadError
			if !errors.As(err, &le) || le.Line < 1 {
				t.Fatalf("error without a line: %T %v", err, err)
			}
			return
		}
		for _, name := range p.ServiceNames() {
			p.Locate("services", name, "image")
			p.Items("services", name, "volumes")
		}
	})
}
