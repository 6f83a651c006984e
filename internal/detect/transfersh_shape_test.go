package detect

import (
	"strings"
	"testing"
)

// dutchcoders/transfer.sh: --provider has no default, and the switch on
// it takes s3, gdrive, storj or local, its default case returning an
// error; local reads --basedir. The image passes --provider=local and
// --basedir on its data volume. With a default, or a switch whose
// default case does not stop, nothing is passed.
func TestDetect_TransferShShape(t *testing.T) {
	s, _ := goShape(t, transferShFiles(`Value: "",`, `return errors.New("Provider not set or invalid.")`))
	var got []string
	for _, f := range s.ServeFlags {
		got = append(got, f.Kind+":"+f.Value+"="+f.Default+"@"+f.Where())
	}
	if want := "choice:provider=local@cmd/cmd.go:13 data-dir:basedir=@cmd/cmd.go:18"; strings.Join(got, " ") != want {
		t.Errorf("serve flags %q, want %q", strings.Join(got, " "), want)
	}
	for name, files := range map[string]map[string]string{
		"a default":                transferShFiles(`Value: "s3",`, `return errors.New("Provider not set or invalid.")`),
		"a default case that logs": transferShFiles(`Value: "",`, `log.Println("no provider")`),
		"a case for none (yopass's --file-store)": transferShFiles(`Value: "",`, `return errors.New("unsupported")
	case "":
		log.Println("no file store configured, using database for file storage")`),
	} {
		s, _ := goShape(t, files)
		if len(s.ServeFlags) != 0 {
			t.Errorf("%s: serve flags %+v, want none", name, s.ServeFlags)
		}
	}
}

func transferShFiles(value, defaultCase string) map[string]string {
	cmd := `package cmd

import (
	"errors"
	"log"
	"net/http"

	"github.com/urfave/cli/v2"
)

var globalFlags = []cli.Flag{
	&cli.StringFlag{Name: "listener", Value: "127.0.0.1:8080"},
	&cli.StringFlag{
		Name:  "provider",
		Usage: "s3|gdrive|local",
		` + value + `
	},
	&cli.StringFlag{
		Name:  "basedir",
		Usage: "path to storage",
		Value: "",
	},
}

func action(c *cli.Context) error {
	switch provider := c.String("provider"); provider {
	case "s3":
		if c.String("bucket") == "" {
			return errors.New("bucket not set.")
		}
	case "local":
		if v := c.String("basedir"); v == "" {
			return errors.New("basedir not set.")
		}
	default:
		` + defaultCase + `
	}
	http.HandleFunc("/health.html", nil)
	log.Fatal(http.ListenAndServe(c.String("listener"), nil))
	return nil
}

func New() *cli.App {
	return &cli.App{Flags: globalFlags, Action: action}
}
`
	return map[string]string{
		"go.mod":     "module github.com/dutchcoders/transfer.sh\n\ngo 1.22.0\n\nrequire github.com/urfave/cli/v2 v2.27.1\n",
		"main.go":    "package main\n\nimport (\n\t\"os\"\n\n\t\"github.com/dutchcoders/transfer.sh/cmd\"\n)\n\nfunc main() {\n\tcmd.New().Run(os.Args)\n}\n",
		"cmd/cmd.go": cmd,
	}
}
