package detect

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// Flags whose defaults do not work in a container, from the shapes of
// filebrowser/filebrowser (cobra persistent flags: --database
// ./filebrowser.db, --address 127.0.0.1) and usememos/memos (--data unset,
// the working directory); and defaults that do work, which the image
// leaves alone.
func TestDetect_ServeFlags(t *testing.T) {
	gomod := "module example.com/app\n\ngo 1.25\n"
	for _, c := range []struct {
		name, code, want string
	}{{
		name: "filebrowser",
		code: "package main\n\nfunc init() {\n\tpersistent := rootCmd.PersistentFlags()\n" +
			"\tpersistent.StringP(\"database\", \"d\", \"./filebrowser.db\", \"database path\")\n" +
			"\tflags.StringP(\"address\", \"a\", \"127.0.0.1\", \"address to listen on\")\n" +
			"\tflags.StringP(\"port\", \"p\", \"8080\", \"port to listen on\")\n}\n",
		want: "data-file --database=./filebrowser.db@main.go:5; listen --address=127.0.0.1@main.go:6",
	}, {
		// memos binds its flags to viper, which reads MEMOS_*: the image
		// sets the variable.
		name: "memos",
		code: "package main\n\nfunc init() {\n\trootCmd.Flags().String(\"addr\", \"\", \"address of server\")\n" +
			"\trootCmd.Flags().String(\"data\", \"\", \"data directory\")\n\trootCmd.Flags().String(\"driver\", \"sqlite\", \"database driver\")\n" +
			"\tviper.BindPFlag(\"data\", rootCmd.Flags().Lookup(\"data\"))\n\tviper.SetEnvPrefix(\"memos\")\n\tviper.AutomaticEnv()\n}\n",
		want: "data-dir --data=@main.go:5 $MEMOS_DATA",
	}, {
		name: "stdlib flag, host:port on loopback",
		code: "package main\n\nvar addr = flag.String(\"listen-addr\", \"localhost:9000\", \"listen address\")\n",
		want: "listen --listen-addr=localhost:9000@main.go:3",
	}, {
		// pocketbase: declarations over several lines, a data directory
		// whose default is computed (beside the executable), and --http
		// unset, whose usage says it then binds 127.0.0.1:8090.
		name: "pocketbase",
		code: "package main\n\nfunc init() {\n\tpb.RootCmd.PersistentFlags().StringVar(\n\t\t&pb.dataDir,\n\t\t\"dir\",\n\t\tbaseDir,\n\t\t\"the PocketBase data directory\",\n\t)\n" +
			"\tcommand.PersistentFlags().StringVar(\n\t\t&httpAddr,\n\t\t\"http\",\n\t\t\"\",\n\t\t\"TCP address to listen for the HTTP server\\n(if domain args are specified - default to 0.0.0.0:80, otherwise - default to 127.0.0.1:8090)\",\n\t)\n}\n",
		want: "data-dir --dir=@main.go:4; listen --http=127.0.0.1:8090@main.go:10",
	}, {
		// tus/tusd: uploads kept under ./data, a flag named for them.
		name: "tusd",
		code: "package main\n\nfunc init() {\n\tf.StringVar(&Flags.UploadDir, \"upload-dir\", \"./data\", \"Directory to store uploads in\")\n}\n",
		want: "data-dir --upload-dir=./data@main.go:4",
	}, {
		// Defaults that work: every address, an absolute data path, a
		// database URL, a metrics listener, a name that is no place.
		name: "fine as they are",
		code: "package main\n\nfunc init() {\n\tflag.StringVar(&c.Addr, \"addr\", \":8080\", \"listen address\")\n" +
			"\tflag.String(\"data\", \"/var/lib/app\", \"data directory\")\n\tflag.String(\"db\", \"postgres://localhost/app\", \"database URL\")\n" +
			"\tflag.String(\"metrics-addr\", \"127.0.0.1:9090\", \"metrics listen address\")\n\tflag.String(\"database\", \"app\", \"database name\")\n}\n",
		want: "",
	}} {
		t.Run(c.name, func(t *testing.T) {
			s, _ := goShape(t, map[string]string{"go.mod": gomod, "main.go": c.code + "\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n"})
			var got []string
			for _, f := range s.ServeFlags {
				g := fmt.Sprintf("%s --%s=%s@%s", f.Kind, f.Value, f.Default, f.Where())
				if f.Env != "" {
					g += " $" + f.Env
				}
				got = append(got, g)
			}
			if strings.Join(got, "; ") != c.want {
				t.Errorf("serve flags %q, want %q", strings.Join(got, "; "), c.want)
			}
		})
	}
}

// shadcn-ui/taxonomy's shape: pnpm-lock.yaml lockfileVersion '6.0' and
// no packageManager in package.json. Corepack would take the newest pnpm,
// which refuses that lock file (ERR_PNPM_BROKEN_LOCKFILE, seen with pnpm
// 12): the image prepares pnpm 8, which wrote it. A package that names its
// manager gets no pin.
func TestDetect_PnpmOfTheLockFile(t *testing.T) {
	for _, c := range []struct {
		pkg, lock, want string
		workspace       string
	}{
		// pnpm 10's settings in pnpm-workspace.yaml without members
		// (WilliamGroc/dnd-tool), which pnpm 9 refuses.
		{`{"dependencies":{"react-router":"7.0.0"}}`, "lockfileVersion: '9.0'\n", "pnpm@10@pnpm-lock.yaml:1", "onlyBuiltDependencies:\n  - esbuild\n"},
		{`{"dependencies":{"react-router":"7.0.0"}}`, "lockfileVersion: '9.0'\n", "pnpm@9@pnpm-lock.yaml:1", "packages:\n  - apps/*\nonlyBuiltDependencies:\n  - esbuild\n"},
		{`{"dependencies":{"next":"13.3.2"}}`, "lockfileVersion: '6.0'\n\ndependencies:\n", "pnpm@8@pnpm-lock.yaml:1", ""},
		{`{"dependencies":{"next":"13.3.2"}}`, "lockfileVersion: 5.4\n", "pnpm@7@pnpm-lock.yaml:1", ""},
		{`{"packageManager":"pnpm@8.6.0","dependencies":{"next":"13.3.2"}}`, "lockfileVersion: '6.0'\n", "-", ""},
		// The newest pnpm reads 9.0 but stops on the dependencies' build
		// scripts nobody approved (ERR_PNPM_IGNORED_BUILDS, bcrypt's).
		{`{"dependencies":{"next":"15.0.0"}}`, "lockfileVersion: '9.0'\n", "pnpm@9@pnpm-lock.yaml:1", ""},
		{`{"packageManager":"pnpm@10.4.0","dependencies":{"next":"15.0.0"}}`, "lockfileVersion: '9.0'\n", "-", ""},
	} {
		files := map[string]string{"package.json": c.pkg, "pnpm-lock.yaml": c.lock}
		if c.workspace != "" {
			files["pnpm-workspace.yaml"] = c.workspace
		}
		s, err := Detect(testutil.WriteTree(t, files))
		if err != nil {
			t.Fatal(err)
		}
		if got := ev(s.ManagerPin); got != c.want {
			t.Errorf("%s + %q: pin %s, want %s", c.pkg, c.lock, got, c.want)
		}
	}
}

// A compiled program whose code names no port the detectors read gets the
// one its own Dockerfile exposes; a Dockerfile exposing two says nothing.
func TestDetect_PortFromTheRepositorysDockerfile(t *testing.T) {
	for _, c := range []struct{ dockerfile, want string }{
		{"FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM alpine\nEXPOSE 8000\nENTRYPOINT [\"/app\"]\n", "8000@Dockerfile:4"},
		{"FROM alpine\nEXPOSE 8000\nEXPOSE 9000\n", "-"},
	} {
		s, _ := goShape(t, map[string]string{"go.mod": "module x\n\ngo 1.23\n", "main.go": "package main\n\nfunc main() { http.ListenAndServe(addr, nil) }\n", "Dockerfile": c.dockerfile})
		if got := ev(s.Port); got != c.want {
			t.Errorf("%q: port %s, want %s", c.dockerfile, got, c.want)
		}
	}
}

// pocketbase's examples/base: a cobra program whose server is its `serve`
// subcommand (the root prints its help), listening by default where
// --http's usage says, 127.0.0.1:8090: the image runs `serve`, on 8090,
// with --http=0.0.0.0:8090 and --dir on the data volume.
func TestDetect_CobraServeAndTheListenFlagsPort(t *testing.T) {
	s, got := goShape(t, map[string]string{
		"go.mod":  "module example.com/pb\n\ngo 1.25\n",
		"main.go": "package main\n\nfunc main() {\n\troot := &cobra.Command{Use: \"pb\"}\n\troot.AddCommand(newServe())\n\troot.Execute()\n}\n",
		"serve.go": "package main\n\nfunc newServe() *cobra.Command {\n\tvar httpAddr string\n\tcommand := &cobra.Command{\n\t\tUse: \"serve [domain(s)]\",\n\t\tRunE: func(c *cobra.Command, args []string) error {\n" +
			"\t\t\tif httpAddr == \"\" {\n\t\t\t\thttpAddr = \"127.0.0.1:8090\"\n\t\t\t}\n\t\t\treturn http.ListenAndServe(httpAddr, nil)\n\t\t},\n\t}\n" +
			"\tcommand.PersistentFlags().StringVar(&httpAddr, \"http\", \"\", \"TCP address to listen for the HTTP server (default to 127.0.0.1:8090)\")\n\treturn command\n}\n",
	})
	if got["port"] != "8090@serve.go:14" || ev(s.Args) != "serve@serve.go:6" {
		t.Errorf("port %s, args %s; want 8090 from --http's default and the serve subcommand", got["port"], ev(s.Args))
	}
}
