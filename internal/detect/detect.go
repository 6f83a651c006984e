// Package detect recognises a service's stack from its repository: the
// language and its declared version, the framework and server, the package
// manager, entry points, the listen port, a health route, the databases it
// talks to, templates and migrations. Every fact carries its evidence (file
// and line) so that `shipshape init` can show why it decided what it did.
package detect

import (
	"encoding/binary"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
	"unicode/utf16"

	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/shipshape/shipshape/internal/project"
)

// Evidence is a fact and where it was found (File relative to the
// repository; Line 0 when the file itself is the evidence).
type Evidence = project.Evidence

// Stack is what Detect found.
type Stack struct {
	Language       string    // go, python, node, rust
	Version        *Evidence // the language version the project declares
	PackageManager *Evidence // go, pip, uv, poetry, pdm, pipenv, npm, yarn, pnpm, cargo
	Framework      *Evidence // net/http, gin, echo, chi, fiber; fastapi, flask, django; express, fastify, nestjs, next, nuxt, sveltekit, astro, react-router, remix; axum, actix-web, rocket
	Server         *Evidence // uvicorn, gunicorn (Python)
	// ServerUndeclared: the command names Server, and no dependency file
	// declares it (the repository's Dockerfile installs it by a line of
	// its own): the image installs it.
	ServerUndeclared bool
	// WorkerClass is the gunicorn worker class the repository runs its app
	// with (-k uvicorn.workers.UvicornWorker, aiohttp.GunicornWebWorker, or
	// worker_class in its gunicorn configuration): an ASGI or aiohttp app
	// cannot answer under the default sync worker.
	WorkerClass *Evidence
	// SelfInstall is where the code reads its own distribution's
	// metadata (importlib.metadata.version("isso")): the image installs
	// the project itself, not only its dependencies. Value is its name.
	SelfInstall *Evidence
	// SelfVersionFromGit: the build takes the project's version from git
	// (setuptools_scm, hatch-vcs), which the image's context leaves out:
	// the install pretends one.
	SelfVersionFromGit bool
	Entrypoints        []Evidence // Go main packages (".", "cmd/api"); Python module:app or script; Node file; Rust binaries
	TypeScript         *Evidence
	// RunsTypeScript: node runs the TypeScript entry itself (tsconfig's
	// noEmit; Node's type stripping), which no build compiles.
	RunsTypeScript *Evidence
	Port           *Evidence
	HealthPath     *Evidence
	// RootUnserved is set where the code's routes are read and none can
	// answer at / (no route there, no catch-all, no static files, front
	// end, templates or page framework): an API, whose smoke test asks
	// for its health route alone.
	RootUnserved bool
	// Page is the page the code serves at / when the health route is
	// another (echoip's template page beside /health): a run requests it
	// too, since a health route answers where a page's templates, static
	// files or built front end are missing from the image. nil otherwise.
	Page      *Evidence
	Databases []Evidence // postgres, mysql, redis, sqlite
	Templates *Evidence  // HTML templates rendered with generated URLs
	// UntrustedProxy is where Express is loaded without `trust proxy`:
	// behind a proxy, req.protocol and req.ip are the proxy's.
	UntrustedProxy *Evidence
	Migrations     *Evidence
	// Migrate is the tool that applies the project's migrations (alembic,
	// django, flask-migrate, prisma), which a release runs once before the
	// new version serves.
	Migrate *Evidence
	// MigratesAtStart is the code that applies the migrations when the
	// app starts (a Go file that its build tags bring in), which makes a
	// release step needless.
	MigratesAtStart *Evidence
	// KnexNoProduction is a knexfile keyed by environment without a
	// production entry, which NODE_ENV=production selects (Value: the
	// keys it has).
	KnexNoProduction *Evidence
	// Knexfile is the JavaScript knexfile knex's CLI runs the release
	// step's migrations with, where Migrate is knex.
	Knexfile *Evidence
	// OldPostgresDriver is a Postgres driver the manifest pins that
	// predates SCRAM-SHA-256 passwords, Postgres 14's default (go.mod's
	// github.com/lib/pq before v1.1.0): it cannot log in to the database
	// compose starts.
	OldPostgresDriver *Evidence
	// QueryAppended are variables whose value the code appends a query
	// string to (databaseURL += "?sslmode=disable"): the URL given for
	// one carries none of its own.
	QueryAppended []Evidence
	// BuildTags are the Go build tags the repository builds the program
	// with (Value: comma-separated), which the image's build uses too.
	BuildTags *Evidence
	// Brokers are the message brokers the code talks to (rabbitmq, nats,
	// kafka), which init does not start.
	Brokers []Evidence
	// DevModes are variables the example env file sets to a development
	// value that the code tests (STAGE_STATUS=dev): Value is NAME=the
	// production value, which a verify run uses instead.
	DevModes []Evidence
	// AddressVars are host variables the example env file gives as
	// host:port (Massad/gin-boilerplate's REDIS_HOST=127.0.0.1:6379, which
	// db/db.go hands to go-redis as Addr): a service's name alone is no
	// address for them.
	AddressVars []Evidence
	// URLVars are variables the repository documents as a connection URL
	// (go-social's DB_ADDR=postgres://...): they get the service's URL,
	// whatever their name reads as.
	URLVars []URLVar
	// URLParts are variables the code puts into one part of a connection
	// URL it builds (its host, port, user, password, database name).
	URLParts []URLPart
	// DBSetup is the repository's own set-up of its SQL database (the
	// files its compose mounts into the image's init directory), nil when
	// it has none.
	DBSetup *DBSetup
	// SQLiteVar is the variable the app reads its SQLite file's path from
	// (Node's process.env.SQLITE_DB_LOCATION || '/etc/todos/todo.db'): the
	// image sets it to a file on its volume. nil when the path is fixed.
	SQLiteVar *Evidence
	// SQLiteVarURL: SQLiteVar holds a SQLAlchemy URL, not a path
	// (flask-todolist's DATABASE_URL, whose fallback is its SQLite file):
	// the image sets it to sqlite:////app/data/FILE.
	SQLiteVarURL bool
	// DjangoHosts is Django's ALLOWED_HOSTS where the settings set it
	// without a wildcard (Value is what they set it to): behind a proxy
	// it must hold the site's name. nil otherwise.
	DjangoHosts *Evidence
	// DriverSwitch is where the code compares a value with a SQL
	// database's name (`if Dbdriver == "postgres"`), Value the name: a
	// DB_DRIVER variable it reads gets it.
	DriverSwitch *Evidence
	// DjangoHostsVar is the variable ALLOWED_HOSTS is split from
	// (os.environ.get("DJANGO_ALLOWED_HOSTS").split(" ")), Why its
	// separator: unset, the settings fail at import (None has no split),
	// the build's collectstatic among them. The image sets it to the
	// local names.
	DjangoHostsVar *Evidence
	// DjangoSettings is the settings module the image sets as
	// DJANGO_SETTINGS_MODULE, where the module Django serves sets none or
	// one for development, from the repository's deployment files.
	DjangoSettings *Evidence
	// DjangoNoStaticRoot is the settings module the app runs with where
	// it (and what it imports with *) sets no STATIC_ROOT: collectstatic
	// stops the build without one.
	DjangoNoStaticRoot *Evidence
	// SQLiteFixed is a SQLite file whose path the settings fix beside the
	// code (Django's BASE_DIR / 'db.sqlite3'): on the image's read-only
	// root, and no variable moves it to the volume.
	SQLiteFixed *Evidence
	// AssetDirs are directories of the repository the code finds through
	// a variable its own Dockerfile sets (goapp's TEMPLATES_BASEPATH):
	// the image carries each and sets the variable to it.
	AssetDirs []AssetDir
	// DataDirVar is a variable the code reads that names its data
	// directory, which the repository's own Dockerfile sets to an
	// absolute path (shiori's ENV SHIORI_DIR=/shiori): the image points
	// it at its data volume. nil when there is none.
	DataDirVar *Evidence
	// ConfigWriteDirs are directories a configuration file names relative
	// to the working directory, which the code creates (pagoda's
	// files.directory: "uploads", fs.MkdirAll(c.Config.Files.Directory)),
	// with the variable that overrides each (Value): the image points
	// each at a directory of that name on its data volume.
	ConfigWriteDirs []ConfigDir
	// WriteDir is a directory in the app's tree that the code creates and
	// writes at run time (uploads), relative to the service: it needs a
	// volume on a read-only root.
	WriteDir *Evidence
	// HomeDir is a directory under the user's home that the program keeps
	// its state in (node-red's ~/.node-red); Value is its name there. The
	// image's user has no home of its own (HOME is /, on the read-only
	// root): the image points $HOME at its data volume. nil otherwise.
	HomeDir *Evidence
	// Unreadable are the service's files that other users may not read
	// and its directories they may not enter (mode 0640, 0700: a checkout
	// under umask 027, a tarball's modes), a directory with a trailing /,
	// Why its mode; the first maxUnreadable the walk finds, and the entry
	// point's.
	// The image copies the tree with its modes and root as owner, so its
	// user cannot read them. None for the compiled stacks, whose image
	// holds the build's output only.
	Unreadable []Evidence
	// ShipsDist is set when a Node service's dist/ is part of the
	// repository (git does not ignore it), so the image copies it where it
	// builds nothing. nil otherwise.
	ShipsDist *Evidence
	// EnvFile is an env file the program loads from its working directory
	// and exits without (Go's godotenv.Load); its path is Value.
	EnvFile *Evidence
	// EnvFileOnly is an env file viper reads, without AutomaticEnv, and
	// the program exits without: the environment never reaches its
	// settings, so only a file mounted there configures it (said in a
	// note; the image carries none).
	EnvFileOnly *Evidence
	// Vendored is the vendor/modules.txt of a Go module that vendors its
	// dependencies: the build uses them and downloads nothing (umputun/
	// reproxy's, some of whose versions the module proxy refuses).
	Vendored *Evidence
	// LocalReplaces are the directories go.mod replaces modules with
	// (./api/v2): the build copies their go.mod and go.sum before it
	// downloads the dependencies.
	LocalReplaces []Evidence
	// CodeDirs are the top directories of the repository that hold the
	// language's sources (static-file-server's program is bin/serve):
	// the build context keeps them.
	CodeDirs []string
	// ExampleEnv are the variables the repository's example env file
	// documents (not .env.example, which init extends, nor a committed
	// .env), one per line: Value the name, Why the line. The verify run
	// gets them, and init's .env.example carries them, so that what is
	// deployed runs with what was verified.
	ExampleEnv []Evidence
	// ExampleEnvFile is the file ExampleEnv comes from where it is none
	// of ExampleEnvFiles (GoFr's configs/.env), "" otherwise.
	ExampleEnvFile string
	// VersionHint says Version is where the repository runs the language
	// (its Dockerfile's FROM node:12, its CI's Node), not a declaration
	// of what the package needs: a supported release is pinned, an
	// end-of-life one gives way to the default, with a note
	// (EyeOfCode/nestjs-typeorm-postgresql's node:12; excalidraw-room's
	// node:12-alpine, which serves on Node 24).
	VersionHint bool
	// ComposeEnv are the variables the repository's own compose file
	// gives the app it builds here, which the code reads (not secrets):
	// documented as ExampleEnv is, after it.
	ComposeEnv []Evidence
	// EnvFileKeys says EnvFile must hold the keys the app reads (viper
	// unmarshals only the keys its file holds), not be empty.
	EnvFileKeys bool
	// SetupCommand is a command the project declares to create its
	// database (Flask's `init-db`), its name as Value: a step for a new
	// database, not a migration a release may run again.
	SetupCommand *Evidence
	// SIGTERM is where the code handles SIGTERM; nil when it does not.
	SIGTERM *Evidence
	// ClosesOnSIGTERM is where a framework's server closes (and drains) on
	// SIGTERM without ending the process, which a database pool or a
	// timer keeps alive then (adapter-node 5, react-router-serve,
	// remix-serve): the image ends it a few seconds after the signal.
	ClosesOnSIGTERM *Evidence
	// SIGINT is where the code handles SIGINT (Ctrl-C) but not SIGTERM:
	// its image stops it with SIGINT.
	SIGINT *Evidence
	// PortVar is the variable the app reads its listen port from: the
	// image sets it, so the app listens where the image says.
	PortVar *Evidence
	// PortVarAddress is set when PortVar holds a listen address (:8090)
	// although its name says port: a urfave/cli flag's address default.
	PortVarAddress bool
	// LoopbackConfig are databases a configuration file the code loads
	// puts on the loopback interface (Why is the address): in a container
	// that is the container itself.
	LoopbackConfig []Evidence
	// NamedHosts are names the code gives a database's host (Value is
	// the database, Why the name: 'mongodb://mongodb:27017' gives
	// mongodb "mongodb"): compose.yaml and the verify run give the
	// database's service each as an alias.
	NamedHosts []Evidence
	// CodeLogin is a SQL database's URL the code holds whole, user and
	// password included, with no variable to change it.
	CodeLogin *CodeLogin
	// LoopbackFlags are Go flags whose default puts a database on the
	// loopback interface: compose.yaml and the verify run pass them.
	LoopbackFlags []LoopbackFlag
	// SettingChoices are flags whose default names a server init does
	// not start, set to a database it does (yopass's --database=redis).
	SettingChoices []SettingChoice
	// HostVar is the variable the app's listen call reads the address to
	// bind from (Fastify's host: process.env.HOST): the image sets it to
	// every address.
	HostVar *Evidence
	// Env are the variables the code reads, each at its first read.
	Env []Evidence
	// PostgresScheme is "postgres" where the repository writes its
	// Postgres URLs as postgres:// and never as postgresql://, which the
	// URLs init gives it then use; nil otherwise.
	PostgresScheme *Evidence
	// EnvBase is, for a variable a config library reads under a prefix,
	// its name without it (go-env's env.New("APP_") reads DSN from
	// APP_DSN; pydantic's env_prefix): the name says what it holds.
	EnvBase map[string]string
	// Required are the variables without which the app exits at start:
	// read with no default (os.environ["X"]), a config struct's required
	// field, a must...Env("X") call.
	Required []Evidence
	// PackageRoot is the name a Python service's code imports its own
	// directory by, as a package (Value; the directory holds __init__.py
	// and main.py says from app.config import settings): the image makes
	// the code importable by that name too. nil otherwise.
	PackageRoot *Evidence
	// RunDir is the directory of the repository a Python script runs in
	// (Value), where the repository's Dockerfile copies that directory's
	// contents into its working directory and runs the script there
	// (COPY ./src . then python main.py): the image runs it in the same
	// place, so its imports and the files it opens by relative paths
	// are found. nil otherwise.
	RunDir *Evidence
	// CGO is the dependency that needs cgo (mattn/go-sqlite3), nil when
	// none does.
	CGO *Evidence
	// CLibs are the system C libraries the program links through the Go
	// packages it imports (bimg's and govips' libvips, gosseract's
	// tesseract), one each: the build installs their development files
	// and the runtime, a Debian image, the libraries.
	CLibs []Evidence
	// Generate is the command that writes Go code the build needs and git
	// does not hold (a Makefile target or //go:generate directives that
	// use the Go toolchain alone); the image runs it before go build.
	Generate *Evidence
	// Placeholders are the steps of the repository's own build that make
	// an embedded directory the tree lacks with empty files (ntfy's
	// cli-deps-static-sites: mkdir -p server/docs, touch
	// server/docs/index.html), when nothing builds what it holds: Value
	// is the shell command, run before go build.
	Placeholders []Evidence
	// Boxes are the directories the program's packr or go.rice boxes
	// name: like //go:embed's, the build needs them.
	Boxes []Evidence
	// BoxEmbed is the step that packs them into the program (rice
	// embed-go, packr2), which the image runs after Generate, before go
	// build; nil when there are none or the repository holds its output.
	BoxEmbed *Evidence
	// BuildEnv are variables the build needs set, NAME=VALUE as Value
	// (a next.config that builds the standalone server only when
	// $BUILD_STANDALONE is true).
	BuildEnv []Evidence
	// BuildArgs are variables the build writes into its output, which must
	// be defined when it runs (SvelteKit's $env/static/* imports): the
	// build stage declares each as an ARG, empty unless passed.
	BuildArgs []Evidence
	// ManagerPin is the package manager release the lock file needs when
	// the package names none (pnpm@8 for lockfileVersion '6.0').
	ManagerPin *Evidence
	// Berry is Yarn 2 or newer (package.json's packageManager yarn@4.18.0,
	// a .yarnrc.yml, or a yarn.lock with __metadata), Value its major
	// ("4"; "" when only the files say it): it installs with --immutable,
	// has no --production (Yarn 4's workspaces focus does that), and reads
	// BerryFiles beside the lock file.
	Berry      *Evidence
	BerryFiles []string // .yarnrc.yml, .yarn (yarnPath's release, plugins, patches)
	BerryFocus bool     // workspaces focus --production installs what production needs
	// InstallEnv are variables every install of the dependencies needs
	// set, NAME=VALUE as Value (PUPPETEER_SKIP_DOWNLOAD=true: no browser
	// downloaded for tests the image does not run).
	InstallEnv []Evidence
	// UserLookup is where the code looks up its own user in /etc/passwd
	// (Go's user.Current): the image's user must have an entry there.
	UserLookup *Evidence
	// Programs are the programs the code runs by name (git, ffmpeg,
	// pg_dump), one each, sorted: the runtime image must hold them.
	Programs []Evidence
	// Static is a single-page app's build output directory (Vite, CRA):
	// files a web server serves, no Node process.
	Static *Evidence
	// Requirements are the files requirements.txt includes (-r, -c),
	// which the dependency step needs beside it.
	Requirements []string
	// HashedRequirements is where the requirements list pins hashes
	// (pip-compile --generate-hashes): pip then refuses any requirement
	// without one on the same command line.
	HashedRequirements *Evidence
	// GitRequirement is a dependency installed from a git repository
	// (`pkg @ git+https://...`, `-e git+...`): pip runs git for it.
	GitRequirement *Evidence
	// AppIn is the directory below that holds the app, where the root's
	// own manifest only points there (a root requirements-dev.txt's -r
	// src/requirements.txt beside src/'s app): init runs there.
	AppIn *Evidence
	// ImportRoot is the directory Python imports the app's modules from
	// ("src" in a src layout), "" for the repository's root.
	ImportRoot string
	// Needs are changes the repository needs before any image of it can
	// work (Next.js without standalone output): init stops and names them.
	Needs []Evidence
	// Prisma is the Prisma schema: its client is generated at build.
	Prisma *Evidence
	// Tests is how the project runs its tests: package.json's test
	// script (not npm's placeholder), pytest, go test, cargo test.
	Tests *Evidence
	// BuildScript is package.json's build script, nil when there is none.
	BuildScript *Evidence
	// BuildCaches are the caches the build script's tools write inside
	// the tree (Nx's .nx, Turborepo's .turbo, the Angular CLI's
	// .angular), which an image that takes the built tree whole leaves
	// out: 30 MB of docmost's, whose build is `nx run-many -t build`
	// (a cache grows with every build of a local tree).
	BuildCaches []string
	// BuildFirst is where the repository runs its build script before the
	// server (a start script of `npm run build && npm run server`, a
	// Procfile's release): a JavaScript app that serves what its build
	// writes (electerious/Ackee's dist/index.html), built in the image.
	BuildFirst *Evidence
	// LifecycleScript is the package's own install-time script (prepare,
	// preinstall, install, postinstall: `husky` mostly), which runs in
	// an install and needs its dev dependencies; nil when it has none.
	LifecycleScript *Evidence
	// Npmrc is the package's .npmrc, whose settings the install reads
	// (louislam/uptime-kuma's legacy-peer-deps=true, without which its
	// npm ci stops on ERESOLVE; pnpm's shamefully-hoist): copied with the
	// manifests. Nil where there is none, or where it holds a registry
	// credential or a variable for one (NpmrcCredential).
	Npmrc *Evidence
	// NpmrcIgnored is the line of the repository's .dockerignore that
	// leaves out an .npmrc of settings (Why names them): not copied, said.
	NpmrcIgnored *Evidence
	// NpmrcCredential is the line of the package's .npmrc that holds a
	// registry credential (_authToken, _auth, _password, or ${NPM_TOKEN}):
	// no image layer may keep it, and the image goes without the file.
	NpmrcCredential *Evidence
	// Uploads is where the program takes file uploads: the proxy in front
	// of it leaves their size to it. nil where it takes none.
	Uploads *Evidence
	// EntryInSource is set where a compiled Node package's program is a
	// file the repository holds outside the build's output directory:
	// the image runs it with the tree it requires, not the output alone.
	EntryInSource bool
	// InstallBuild is the package's own install-time script where it
	// builds the package (smartclash/simple-monorepo's postinstall,
	// `yarn workspaces run build`; a `prepare` of `npm run build`): run
	// before the tree is copied, it would compile nothing. Value is the
	// script's name; nil where no such script builds.
	InstallBuild *Evidence
	// InstallBuildAlone is set where that script only runs the build
	// script (`npm run build`): the build runs once.
	InstallBuildAlone bool
	// MemberLifecycleScripts are the workspace members with such a
	// script of their own (Value the member, Why the script), which the
	// root's install runs as well.
	MemberLifecycleScripts []Evidence
	// Ambiguous are the choices the evidence does not settle: several
	// servers, several apps, no route that could be a health check. init
	// asks on a terminal, and otherwise stops and lists them.
	Ambiguous []Choice
	// Args are the arguments the program runs with (the repository's own
	// Dockerfile's, a cobra server's `serve`, a start script's, --args),
	// where they come from; Value is ArgWords joined, for the record.
	// Set both with setArgs.
	Args *Evidence
	// ArgWords are the arguments word by word (a word may hold a space:
	// a quoted argument of a start script).
	ArgWords []string
	// NodeFlags are node's own options the repository's command passes
	// before the file (-r esm), word by word in NodeFlagWords: the image
	// passes them too. NodeFlagsDropped are those it leaves out.
	NodeFlags        *Evidence
	NodeFlagWords    []string
	NodeFlagsDropped *Evidence
	// RuntimeFiles are the repository's directories and files the program
	// opens at run time by a relative path (templates/*.html, ./static,
	// config.yaml, json-server's views/): the image needs them beside the
	// program.
	RuntimeFiles []Evidence
	// KeyFiles are the repository's .pem and .key files the code names
	// (a CA bundle it reads: certs/rds-global-bundle.pem): .dockerignore,
	// which leaves such files out at any depth, lets these through.
	KeyFiles []Evidence
	// CarriedFiles are repository files the repository's Dockerfile puts
	// where the arguments it passes the program name them: the image puts
	// them there too.
	CarriedFiles []CarriedFile
	// MissingConfigs are configuration files the arguments hand the
	// program that the image will not hold: a note says so before the
	// build, with the sample the repository holds.
	MissingConfigs []MissingFile
	// DataVolume is a VOLUME of the repository's Dockerfile that a carried
	// file names as where the program keeps its data: the image's data
	// volume is there. nil otherwise.
	DataVolume *Evidence
	// Unconfigured are databases the code imports a client of that the
	// configuration the image carries does not configure: not started.
	Unconfigured []Evidence
	// WorkspaceMembers are the directories a Node root's workspace
	// declaration names (pnpm-workspace.yaml, package.json workspaces)
	// that hold a package.json: the root's install reads each. nil
	// otherwise.
	WorkspaceMembers []Evidence
	// PnpmPatches are the directories of the patches pnpm applies to
	// the dependencies it installs (patchedDependencies).
	PnpmPatches []Evidence
	// PnpmWorkspaceFile is pnpm-workspace.yaml where pnpm installs: its
	// members, and settings its lock file records (overrides, patches),
	// which a frozen install refuses to go without. nil otherwise.
	PnpmWorkspaceFile *Evidence
	// Workspace is where the root Cargo.toml declares a [workspace]: its
	// members' manifests are needed before dependencies can be fetched.
	Workspace *Evidence
	// Embeds are the paths a Go program's //go:embed directives take
	// from the source tree (relative, slash-separated, up to the first
	// wildcard): the build context must keep them.
	Embeds []Evidence
	// InferredRequirements are the distributions a Python directory
	// without a manifest imports, which init writes as requirements.txt
	// (--requirements-from-imports); nil otherwise.
	InferredRequirements []Evidence
	// DefaultSQL is the SQL database the configuration uses unless told
	// otherwise, where the code can talk to several (gotify: SQLite, with
	// MySQL and Postgres as settings); nil when it names none.
	DefaultSQL *Evidence
	// ServeFlags are the program's flags whose defaults do not work in a
	// container (a loopback listen address, data in the working
	// directory): the image passes them.
	ServeFlags []ServeFlag
	// Frontend is the single-page app whose build output the program
	// embeds, built in the image; nil when it embeds none.
	Frontend *Frontend
}

// A Choice is a decision detection leaves to the user: what it is about,
// the flag that makes it, and the candidates with their evidence.
type Choice struct {
	What       string // "entry point", "health route"
	Flag       string // --entrypoint, --health-path
	Candidates []Evidence
	// Hint says what the evidence suggests where there is no candidate
	// (an entry point that starts no server has no health route).
	Hint string
}

// choose makes entry the entry point: first among the candidates, and no
// longer a choice.
func (s *Stack) choose(entry string) {
	norm := func(v string) string { return strings.TrimSuffix(strings.TrimPrefix(v, "./"), "/") }
	chosen := Evidence{Value: entry, Why: "chosen"}
	rest := []Evidence{}
	for _, e := range s.Entrypoints {
		if norm(e.Value) == norm(entry) {
			chosen = e
			chosen.Why = "chosen"
		} else {
			rest = append(rest, e)
		}
	}
	s.Entrypoints = append([]Evidence{chosen}, rest...)
	var open []Choice
	for _, c := range s.Ambiguous {
		if c.Flag != "--entrypoint" {
			open = append(open, c)
		}
	}
	s.Ambiguous = open
}

// reads reports whether the code reads the variable name.
func (s *Stack) reads(name string) bool {
	for _, e := range s.Env {
		if e.Value == name {
			return true
		}
	}
	return false
}

// ambiguousEntry reports whether the entry point is still an open choice.
func (s *Stack) ambiguousEntry() bool {
	for _, c := range s.Ambiguous {
		if c.Flag == "--entrypoint" {
			return true
		}
	}
	return false
}

// ambiguous records a choice the evidence does not settle.
func (s *Stack) ambiguous(what, flag string, candidates []Evidence) {
	s.Ambiguous = append(s.Ambiguous, Choice{What: what, Flag: flag, Candidates: candidates})
}

// ErrUnrecognised is returned, wrapped with what was looked for, when no
// stack matches.
var ErrUnrecognised = errors.New("no supported stack recognised")

// ErrNoManifest is returned, wrapped with what to write, by DetectAs when
// the directory lacks the manifest the language's image installs from.
var ErrNoManifest = errors.New("the image installs the dependencies a manifest declares")

// Languages are the stacks Detect knows, in the order it tries them.
var Languages = []string{"go", "rust", "node", "python"}

// ExampleEnvFiles are where repositories document the environment their
// app needs, with example values, in the order they are read: the example
// files first, a committed .env or dev.env last (as compose would read it).
var ExampleEnvFiles = []string{".env.example", ".env.sample", ".env.dist", ".env.template", "example.env", ".example.env", "env.example", "sample.env",
	".env-example", ".env_example", ".env.local.example", ".env.defaults", ".env.development", "dev.env", ".env"}

// envDocFiles are, beside them, files that say what form a variable's
// value takes, whose values are a developer's own, not values to run
// with: Massad/gin-boilerplate's .env_rename_me, which its README says to
// rename to .env, sets SSL=TRUE against a Postgres without TLS.
var envDocFiles = append(append([]string{}, ExampleEnvFiles...), ".env_rename_me")

// An Option changes what Detect takes as given.
type Option func(*options)

type options struct {
	entrypoint   string
	args         []string
	requirements []Evidence
}

// WithArgs makes args what the image passes the program after its name
// (the user's --args), in place of what the repository's commands pass;
// none for an empty list.
func WithArgs(args []string) Option {
	return func(o *options) { o.args = append([]string{}, args...) }
}

// WithRequirements reads a Python directory that has no manifest as if
// its requirements.txt listed reqs (PythonRequirementsFromImports), which
// init writes with the other files.
func WithRequirements(reqs []Evidence) Option {
	return func(o *options) { o.requirements = reqs }
}

// WithEntrypoint makes entry the entry point (the user's --entrypoint or
// answer): the port, health route and databases are then read from its
// code, not from another program's.
func WithEntrypoint(entry string) Option {
	return func(o *options) { o.entrypoint = entry }
}

// Detect reads the repository at dir.
func Detect(dir string, opts ...Option) (*Stack, error) {
	switch {
	case exists(dir, "go.mod") && (goHasSource(dir) || !exists(dir, "Cargo.toml") && !exists(dir, "package.json") && !pythonManifest(dir)):
		return DetectAs(dir, "go", opts...)
	case exists(dir, "Cargo.toml"):
		return DetectAs(dir, "rust", opts...)
	case exists(dir, "package.json") && !nodeServes(dir) && goMainAtRoot(dir):
		// A Go program whose package.json only builds its assets
		// (markbates/buffla, a Buffalo app of dep's era: main.go,
		// Gopkg.toml, webpack): Go's, without go.mod.
		return DetectAs(dir, "go", opts...)
	case exists(dir, "package.json") && !(pythonManifest(dir) && !nodeServes(dir)):
		return DetectAs(dir, "node", opts...)
	case pythonManifest(dir):
		return DetectAs(dir, "python", opts...)
	case goMainAtRoot(dir):
		// A Go program without go.mod (hello-app's main.go): Go's
		// detector judges whether the build can make its module.
		return DetectAs(dir, "go", opts...)
	}
	return nil, fmt.Errorf("%s: %w; looked for go.mod or a main package (Go), Cargo.toml (Rust), package.json (Node), "+
		"pyproject.toml, requirements.txt, Pipfile or setup.py (Python); pass --stack to say which", dir, ErrUnrecognised)
}

// DetectAs reads the repository at dir as a lang repository (one of
// Languages), whatever its manifests say: `init --stack`.
func DetectAs(dir, lang string, opts ...Option) (*Stack, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("%s: not a directory", dir)
	}
	inferred := lang == "python" && len(o.requirements) > 0 && (!pythonManifest(dir) || InferredRequirementsFile(dir))
	if err := manifestFor(dir, lang); err != nil && !inferred {
		return nil, err
	}
	r := &repo{dir: dir, lines: map[string][]string{}, lang: lang, chosen: o.entrypoint}
	if inferred {
		r.lines["requirements.txt"] = strings.Split(strings.TrimSuffix(RequirementsFile(o.requirements), "\n"), "\n")
	}
	var s *Stack
	switch lang {
	case "go":
		s = detectGo(r)
	case "rust":
		s = detectRust(r)
	case "node":
		s = detectNode(r)
	case "python":
		s = detectPython(r)
		if inferred {
			s.PackageManager = &Evidence{Value: "pip", File: "requirements.txt", Why: "written by init from the imports"}
			s.InferredRequirements = o.requirements
		}
	default:
		return nil, fmt.Errorf("unknown stack %q; one of %s", lang, strings.Join(Languages, ", "))
	}
	if o.entrypoint != "" {
		s.choose(o.entrypoint)
	}
	switch {
	case o.args != nil:
		s.setArgs(&Evidence{Why: "--args"}, o.args)
		s.portFromArgs(Evidence{}, "--args passes %s")
	case s.Language == "node" || s.Language == "python":
		r.startProgramArgs(s) // the chosen program's
	}
	if s.Language == "node" {
		r.startNodeFlags(s)
	}
	if s.Language == "node" {
		s.HomeDir = r.nodeHomeDir(s) // the chosen program's
		if s.TypeScript != nil && len(s.Entrypoints) > 0 {
			// A compiled package whose program is a file of the tree, not
			// of the build's output (uptime-kuma's server/server.js, its
			// tsconfig a type check of none of it): what it requires is
			// the tree's.
			e := path.Clean(strings.TrimPrefix(s.Entrypoints[0].Value, "./"))
			s.EntryInSource = path.Ext(e) != "" && exists(dir, e) && !isDir(dir, e) && !r.underOutDir(e)
		}
	}
	var shipped []string
	if d := s.ShipsDist; d != nil && s.TypeScript == nil && !isDir(dir, "src") &&
		len(s.Entrypoints) > 0 && strings.HasPrefix(s.Entrypoints[0].Value, d.Value+"/") {
		// The program runs from the dist/ the repository holds (a
		// package as published, which keeps its build script but not
		// the sources, src/, it builds from): its routes and variables
		// are there.
		shipped = append(shipped, d.Value)
	}
	app := project.Scan(dir, shipped...)
	for _, e := range app.Env {
		s.Env = append(s.Env, *rel(dir, e))
	}
	for _, e := range app.RequiredEnv {
		s.Required = append(s.Required, *rel(dir, e))
	}
	if s.Language == "go" {
		for _, e := range r.goRequiredList() {
			if !slices.ContainsFunc(s.Required, func(q Evidence) bool { return q.Value == e.Value }) {
				s.Required = append(s.Required, e)
			}
			if !s.reads(e.Value) {
				s.Env = append(s.Env, e)
			}
		}
		r.goEnv(s)
		r.gofrEnv(s)
		r.gooseFromItsVariable(s)
	}
	if s.Language == "node" {
		s.Required = append(s.Required, r.dotenvSafeKeys(s.Required)...)
		if s.Prisma != nil {
			s.Env = append(s.Env, r.prismaEnv(s.Prisma.Value, s.Env)...)
		}
		s.Env = append(s.Env, r.computedEnvReads(s.Env)...)
	}
	if s.Language == "python" {
		s.Env = append(s.Env, r.pyURLHelperReads(s.Env)...)
	}
	s.DataDirVar = r.dataDirVar(s.Env) // after Go's own reads (envconfig prefixes)
	s.Unreadable = r.unreadableFiles(s)
	s.KeyFiles = r.keyFilesNamed()
	s.AssetDirs = r.assetDirs(s.Env)
	s.AssetDirs = append(s.AssetDirs, r.codeBaseDirs(s)...)
	for _, a := range s.AssetDirs {
		if s.Language == "go" || s.Language == "rust" {
			s.RuntimeFiles = append(s.RuntimeFiles, Evidence{Value: a.Dir, File: a.File, Line: a.Line, Why: "$" + a.Value + " points at it"})
		}
	}
	own, others := r.entryScope(s)
	nodeOwn, nodeOthers := r.nodeEntryScope(s)
	listens, portVars := project.AppListens(app.Listens), app.PortVars
	if s.Language == "node" || s.Language == "python" {
		// Another language's file is not the program's: uptime-kuma's
		// extra/healthcheck.go, a Go probe its image runs beside the Node
		// server, reads $PORT. (Express's bin/www has no extension.)
		ours := func(list []project.Evidence) []project.Evidence {
			return slices.DeleteFunc(slices.Clone(list), func(e project.Evidence) bool {
				for lang, exts := range langExts {
					if lang != s.Language && exts[path.Ext(e.File)] && !langExts[s.Language][path.Ext(e.File)] {
						return true
					}
				}
				return false
			})
		}
		listens, portVars = ours(listens), ours(portVars)
	}
	if s.Language == "go" && !s.ambiguousEntry() && len(s.Entrypoints) > 0 {
		// A package the program does not import is not its code:
		// goatcounter's gctest, a helper of its tests, sets $PGPORT.
		if scope := project.GoScope(r.dir, s.Entrypoints[0].Value); scope != nil {
			listens, portVars = inGoScope(dir, listens, scope), inGoScope(dir, portVars, scope)
		}
	}
	if s.Language == "go" && s.Port == nil {
		// GoFr listens where its configuration says, whatever addresses
		// the code names (its AddHTTPService's other services).
		s.Port, s.PortVar = r.gofrPort(s)
	}
	if s.Port == nil {
		if nodeOwn != nil {
			s.Port = pickFiles(dir, listens, nodeOwn, nodeOthers)
		} else if run := r.runScope(s); run != nil {
			// One program: a listen in a file it does not load is another
			// program's (emailengine's scripts/refresh-test-tokens.js
			// waits for an OAuth redirect on 127.0.0.1:3000).
			s.Port = pickIn(dir, listens, run)
		} else if e := pick(dir, listens, own, others); e != nil {
			s.Port = e
		}
	}
	if s.Port == nil && s.Language == "go" {
		s.Port = r.goTagPort(own, others)
	}
	if s.Port == nil && s.Language == "go" && !s.ambiguousEntry() && len(s.Entrypoints) > 0 {
		s.Port = r.goCLIListenFlag(project.GoScope(r.dir, s.Entrypoints[0].Value))
		s.PortVarAddress = s.Port != nil && strings.HasSuffix(s.Port.Why, ", an address")
	}
	if s.Language == "python" {
		settings := r.pySettings()
		withEnvPrefix(s, settings)
		if s.Port == nil && len(s.Entrypoints) > 0 && !pyAppEntry(s.Entrypoints[0].Value) {
			s.Port = pySettingsPort(settings) // a script or console script binds it itself
		}
	}
	if s.Port == nil && s.Language == "go" {
		if port, variable := r.beegoPort(s); port != nil {
			s.Port = port
			if variable != nil {
				s.PortVar = variable
			}
		}
	}
	if s.Port == nil && s.Language == "go" {
		s.Port = r.programConfigPort(s)
	}
	if s.Port == nil && (s.Language == "go" || s.Language == "rust") {
		s.Port = r.configFilePort(map[string]string{"go": ".go", "rust": ".rs"}[s.Language])
	}
	if s.Port == nil && s.Language == "node" {
		r.nodePortOption(s)
	}
	if s.PortVar == nil && s.Port != nil {
		if _, v, ok := strings.Cut(s.Port.Why, "$"); ok {
			v, _, _ = strings.Cut(v, " ")
			s.PortVar = &Evidence{Value: v, File: s.Port.File, Line: s.Port.Line, Why: s.Port.Why}
		}
	}
	if s.PortVar == nil && nodeOwn != nil {
		s.PortVar = pickFiles(dir, portVars, nodeOwn, nodeOthers)
	} else if s.PortVar == nil {
		if run := r.runScope(s); run != nil {
			s.PortVar = pickIn(dir, portVars, run) // the program's own read, not a probe's beside it
		}
		if s.PortVar == nil {
			s.PortVar = pick(dir, portVars, own, others)
		}
	}
	if s.PortVar == nil && s.Language == "go" {
		s.PortVar = r.goTagPortVar(own, others)
	}
	var goHost *Evidence
	if s.Language == "go" && s.Port == nil {
		// An address of a host and a port read apart: the port is the
		// part after the colon, whichever read came first; the host, unless
		// the example's loopback value names it first (listenHost, below).
		var port *Evidence
		if goHost, port = r.goHostPortVars(s); port != nil {
			s.PortVar = port
		}
	}
	s.ExampleEnv = r.exampleEnv()
	if s.ExampleEnv == nil && s.Language == "go" {
		s.ExampleEnv, s.ExampleEnvFile = r.gofrExampleEnv(s)
	}
	s.ComposeEnv = r.composeEnv(s.Env)
	s.CodeDirs = r.codeDirs()
	if s.Port == nil && s.PortVar != nil {
		// The value the repository documents for the variable.
		for _, f := range ExampleEnvFiles {
			if e := r.envValueIn([]string{f}, s.PortVar.Value); e != nil {
				if m := documentedPort.FindStringSubmatch(e.Value); m != nil {
					e.Value, e.Why = m[1], "the value "+f+" documents for $"+s.PortVar.Value
					s.Port = e
					break
				}
			}
		}
	}
	if s.Port == nil && s.PortVar != nil {
		// The value its compose file gives the app.
		for _, e := range s.ComposeEnv {
			if _, v, _ := strings.Cut(e.Why, "="); e.Value == s.PortVar.Value && documentedPort.MatchString(v) {
				s.Port = &Evidence{Value: documentedPort.FindStringSubmatch(v)[1], File: e.File, Line: e.Line, Why: "the value " + e.File + " gives $" + e.Value}
			}
		}
	}
	if s.Port == nil && (s.Language == "node" || s.Language == "python") {
		// Nothing in the code gave the port: the one the repository's
		// own Dockerfile runs the app on, before the framework's usual.
		s.Port = r.dockerfilePort(s)
	}
	if s.Port == nil && s.PortVar == nil && (s.Language == "go" || s.Language == "rust") {
		// A compiled program binds what its code says; where the code
		// says nothing found and reads no port variable (which the image
		// sets), a port a composite literal of its own gives, else the
		// port its own Dockerfile exposes.
		if s.Language == "go" && !s.ambiguousEntry() && len(s.Entrypoints) > 0 {
			s.Port = r.goLiteralPort(project.GoScope(r.dir, s.Entrypoints[0].Value))
		}
		if s.Port == nil {
			s.Port = r.goFrameworkPort(s)
		}
		if s.Port == nil {
			s.Port = r.dockerfileExpose()
		}
	}
	var scope, program map[string]bool
	if s.Language == "go" && !s.ambiguousEntry() && len(s.Entrypoints) > 0 {
		program = project.GoScope(r.dir, s.Entrypoints[0].Value)
		if len(s.Entrypoints) > 1 {
			scope = program // several programs: only the chosen one's routes
		}
	}
	if s.Language == "go" {
		s.UserLookup = r.goUserLookup(program)
		if s.DataDirVar == nil {
			s.HomeDir = r.goHomeDir(program) // the home is the fallback of such a variable (opengist's OG_OPENGIST_HOME)
		}
	}
	s.Programs = r.programs(s, program)
	if s.Language == "node" {
		scope = r.runScope(s)
	}
	routes := r.routesOf(app, scope)
	if s.Language == "go" {
		routes = append(append(routes, r.gofrRoutes(s)...), r.beegoRoutes(s)...)
	}
	if s.Language == "node" {
		routes = append(append(routes, r.nodeStaticIndex(s)...), r.metaRoutes(s)...)
	}
	if nodeOwn != nil {
		// Several programs: only the chosen one's routes, else those no
		// other program holds.
		routes = scopeRoutes(routes, nodeOwn, nodeOthers)
	}
	s.HealthPath = r.healthRouteOf(routes, s)
	s.Page = r.pageOf(routes, s)
	s.RootUnserved = r.rootUnserved(routes, s)
	schema := "prisma/schema.prisma"
	if s.Prisma != nil {
		schema = s.Prisma.Value
	}
	s.Databases = r.databasesOf(s.Language, app, schema, program)
	if s.Language == "go" {
		for _, db := range r.gofrDatabases(s) {
			if !s.Has(db.Value) {
				s.Databases = append(s.Databases, db)
			}
		}
	}
	r.pluginDatabases(s, app)
	s.Uploads = r.uploads(s)
	if s.Language == "node" {
		r.nodeSQLite(s)
	}
	for _, db := range s.Databases {
		if db.Value == "postgres" || db.Value == "mysql" {
			s.DBSetup = r.dbSetup(db.Value) // the first SQL server is the one init runs
			break
		}
	}
	s.PostgresScheme = r.postgresScheme()
	s.Brokers = r.brokers()
	s.DevModes = r.devModes()
	s.AddressVars = r.addressVars(s.Env)
	s.URLVars = r.urlVars(s.Env)
	s.URLParts = r.urlParts(s)
	if h := app.HandlesSIGTERM; h != nil && s.SIGTERM == nil && (s.Language != "node" || langExts["node"][path.Ext(h.File)] && r.inRunScope(s, rel(dir, *h).File)) {
		// (A framework's own server that drains is said already; a
		// Python script beside a Node app is not the app:
		// luizlhfex-br/saas-lhfex's radio-monitor-vm/monitor.py.)
		s.SIGTERM = r.goSignal(s, rel(dir, *h), project.GoHandlesSIGTERM)
	}
	if s.SIGTERM == nil && s.Language == "go" {
		// The framework's serving call drains on it, whatever else the
		// code handles (an older Hertz on SIGINT only).
		if e, sigint := r.goFrameworkSignal(s); sigint {
			s.SIGINT = e
		} else {
			s.SIGTERM = e
		}
	}
	if s.SIGTERM != nil {
	} else if e := r.nodeSIGTERM(s); e != nil {
		s.SIGTERM = e
	} else if app.HandlesSIGINT != nil {
		s.SIGINT = r.goSignal(s, rel(dir, *app.HandlesSIGINT), project.GoHandlesSIGINT)
	}
	if app.Express != nil && !app.TrustsProxy {
		s.UntrustedProxy = rel(dir, *app.Express)
	}
	r.listenHost(s)
	if s.HostVar == nil && goHost != nil && len(s.Needs) == 0 {
		s.HostVar = goHost
	}
	r.dockerfileSettings(s)
	r.configFileSQLite(s)
	s.ConfigWriteDirs = append(r.configWriteDirs(s), r.volumeVarDirs(s)...)
	if s.Language == "go" && s.WriteDir == nil {
		s.WriteDir = r.goWriteDir(s)
	}
	r.loopbackConfig(s)
	r.namedHosts(s, talksTo(s))
	s.CodeLogin = r.codeLogin(s)
	if s.CodeLogin == nil {
		s.CodeLogin = r.optionsLogin(s)
	}
	s.ServeFlags = r.serveFlags(s)
	r.requiredStoreChoice(s)
	if s.Language == "go" {
		r.dockerfileArgPaths(s)
		r.carryProgramConfigs(s)
		r.carryBeego(s)
	} else if s.DataVolume == nil {
		s.DataVolume = r.dataDirArg(s)
	}
	for _, f := range s.ServeFlags {
		// Unset, pocketbase's --http listens on 127.0.0.1:8090: the port is
		// the flag's, where nothing else said one.
		if _, port, ok := strings.Cut(f.Default, ":"); ok && f.Kind == "listen" && s.Port == nil && s.PortVar == nil && port != "" {
			s.Port = &Evidence{Value: port, File: f.File, Line: f.Line, Why: "the default of --" + f.Value}
		}
	}
	if s.Language == "go" && s.Args == nil && o.args == nil {
		if e := r.cobraServe(r.programFiles(s)); e != nil {
			s.setArgs(e, []string{e.Value})
		}
	}
	if s.Language == "go" || s.Language == "rust" {
		s.RuntimeFiles = append(s.RuntimeFiles, r.workdirCopies(s)...)
	}
	s.RuntimeFiles = append(s.RuntimeFiles, r.argFiles(s)...) // what the Dockerfile's COPYs do not carry
	s.MissingConfigs = r.missingArgConfigs(s)
	if s.Language == "node" {
		s.MissingConfigs = append(s.MissingConfigs, r.nodeConfigFiles()...)
	}
	r.alternativeDatabases(s)
	s.DefaultSQL = r.defaultSQL(s)
	s.DjangoHosts = r.djangoHosts(s)
	s.DjangoHostsVar = djangoHostsVar(s.DjangoHosts)
	s.DriverSwitch = r.driverSwitch(s)
	s.DjangoSettings = r.djangoSettings(s)
	s.DjangoNoStaticRoot = r.djangoNoStaticRoot(s)
	if at := plainSQLite(s); s.Language == "python" && s.SQLiteVar == nil && at >= 0 && !s.Has("postgres") && !s.Has("mysql") {
		// With a database server beside it the variable is that
		// server's URL (microblog's Postgres): only SQLite's here.
		if v, file := r.pySQLiteURLVar(); v != nil {
			s.SQLiteVar, s.SQLiteVarURL = v, true
			s.Databases[at].Value = "sqlite:" + file
		}
	}
	if s.Language == "python" && s.SQLiteVar == nil {
		s.SQLiteFixed = r.djangoFixedSQLite(s)
	}
	return s, nil
}

// entryScope is where the chosen entry point's code lives (a Go main
// package's directory; "" for the whole repository) and where the other
// candidates' code lives: a port or route found there belongs to another
// program.
func (r *repo) entryScope(s *Stack) (own string, others []string) {
	if s.Language != "go" || len(s.Entrypoints) == 0 {
		return "", nil
	}
	for i, e := range s.Entrypoints {
		d := strings.TrimPrefix(e.Value, "./")
		if i == 0 {
			own = d
		} else if d != "." {
			others = append(others, d)
		}
	}
	if own == "." {
		own = ""
	}
	if s.ambiguousEntry() {
		return "", nil // the choice is not made: nothing is the entry's own
	}
	return own, others
}

// inGoScope is the evidence in the Go packages of scope (directories
// relative to dir).
func inGoScope(dir string, list []Evidence, scope map[string]bool) []Evidence {
	var out []Evidence
	for _, e := range list {
		if scope[path.Dir(rel(dir, e).File)] {
			out = append(out, e)
		}
	}
	return out
}

// pick is the first piece of evidence in the entry's own directory, else
// the first outside every other entry point's directory.
func pick(dir string, list []Evidence, own string, others []string) *Evidence {
	var fallback *Evidence
	for _, e := range list {
		e := rel(dir, e)
		if own != "" && strings.HasPrefix(e.File, own+"/") {
			return e
		}
		inOther := false
		for _, o := range others {
			inOther = inOther || strings.HasPrefix(e.File, o+"/")
		}
		if !inOther && fallback == nil {
			fallback = e
		}
	}
	return fallback
}

// goMainAtRoot reports whether dir holds a Go file of package main (not a
// test): a program, with or without go.mod.
func goMainAtRoot(dir string) bool {
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		if goPackageMain.Match(data) {
			return true
		}
	}
	return false
}

// goHasSource reports whether the tree holds a Go file (outside vendor/,
// node_modules/ and hidden directories): searxng's go.mod pins a tool
// its developers run (shfmt) for a Python service with no Go code. The
// walk stops at the first, and after 50,000 entries.
func goHasSource(dir string) bool {
	found, seen := false, 0
	errStop := errors.New("stop")
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if seen++; seen > 50000 {
			return errStop
		}
		if d.IsDir() {
			if n := d.Name(); p != dir && (strings.HasPrefix(n, ".") || n == "vendor" || n == "node_modules" || n == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), ".go") {
			found = true
			return errStop
		}
		return nil
	})
	return found || seen > 50000
}

var goPackageMain = regexp.MustCompile(`(?m)^package main\s*$`)

// manifestFor is nil when dir holds the manifest lang's build installs
// dependencies from, and otherwise says what to write: --stack names the
// language, but a Dockerfile that copies a manifest the repository lacks
// fails its build (Azure-Samples' voting app declares its packages only
// in the parent directory's Dockerfile). Python that imports only the
// standard library needs none. Go without go.mod is Go's own detector's
// to judge.
func manifestFor(dir, lang string) error {
	var ok bool
	var want, write string
	switch lang {
	case "python":
		if pythonManifest(dir) {
			return nil
		}
		// The standard library alone needs no manifest.
		imports := pythonUndeclaredImports(dir, 4)
		if len(imports) == 0 {
			return nil
		}
		var names []string
		for _, e := range imports {
			names = append(names, e.Value+" ("+e.Where()+")")
		}
		want = "pyproject.toml, requirements.txt, Pipfile or setup.py, and the code imports " + strings.Join(names, ", ") + ", which the standard library lacks"
		write = "a requirements.txt listing those packages (or pass --requirements-from-imports: init writes one, unpinned)"
	case "node":
		ok, want, write = exists(dir, "package.json"), "package.json", "a package.json with its dependencies (npm init, then npm install each package the app requires)"
	case "rust":
		ok, want, write = exists(dir, "Cargo.toml"), "Cargo.toml", "a Cargo.toml (cargo init)"
	default:
		return nil
	}
	if ok {
		return nil
	}
	return fmt.Errorf("%s: --stack %s, but it holds no %s: %w, so nothing would install this app's; write %s, then run init again", dir, lang, want, ErrNoManifest, write)
}

// HasPythonManifest reports whether dir holds a Python manifest the
// image installs from: pyproject.toml, requirements.txt, Pipfile or
// setup.py.
func HasPythonManifest(dir string) bool { return pythonManifest(dir) }

func pythonManifest(dir string) bool {
	return exists(dir, "pyproject.toml") || exists(dir, "requirements.txt") || exists(dir, "Pipfile") || exists(dir, "setup.py")
}

// nodeServes reports whether a package.json describes a program node runs
// (a start script, a server or web framework), not only front-end tooling
// beside a Python app.
func nodeServes(dir string) bool {
	data, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return false
	}
	var pkg packageJSON
	if json.Unmarshal(data, &pkg) != nil {
		return true
	}
	if _, ok := pkg.Scripts["start"]; ok {
		return true
	}
	for _, dep := range []string{"express", "fastify", "koa", "hono", "@nestjs/core", "next", "@hapi/hapi", "nuxt"} {
		if _, ok := pkg.Dependencies[dep]; ok {
			return true
		}
	}
	return false
}

func exists(dir, name string) bool {
	_, err := os.Stat(filepath.Join(dir, name))
	return err == nil
}

// isDir reports whether name is a directory under dir.
func isDir(dir, name string) bool {
	st, err := os.Stat(filepath.Join(dir, name))
	return err == nil && st.IsDir()
}

// isFile reports whether name is a regular file under dir.
func isFile(dir, name string) bool {
	st, err := os.Stat(filepath.Join(dir, name))
	return err == nil && st.Mode().IsRegular()
}

func rel(dir string, e Evidence) *Evidence {
	if r, err := filepath.Rel(dir, e.File); err == nil {
		e.File = filepath.ToSlash(r)
	}
	return &e
}

// repo reads a repository's files at most once per Detect.
type repo struct {
	dir   string
	lines map[string][]string // relative path → lines; nil when unreadable
	code  []string            // codeFiles, once walked
	// framework is goFrameworkOf's answer once read (the port and the
	// signal both ask), frameworkRead set then.
	framework     *frameworkUse
	frameworkRead bool
	// unreadable are the files and directories the codeFiles walk found
	// that others may not read (the first maxUnreadable).
	unreadable []Evidence
	// keyFiles are the .pem and .key files the walk found.
	keyFiles   []string
	cmds       []command                             // commands, once read
	lang       string                                // the language being read: which sources count
	chosen     string                                // the entry point --entrypoint chose, "" where none
	py         *[4][]Evidence                        // pythonCode, once read
	tags       *[]tagVar                             // goTagVars, once read
	pkgStructs map[string]map[string]*ast.StructType // goPackageStructs, by directory
	pkgConsts  map[string]map[string]string          // goPackageConsts, by directory
	module     *string                               // the go.mod's module path, once read
	// Go files parsed once for every reader (goFile), and their positions.
	goASTs map[string]goParsed
	fset   *token.FileSet
	// jsSettings are the default paths of JavaScript key chains
	// (healthCheck.path), each found once.
	jsSettings map[string]jsSetting
	// dockerfiles are the repository's Dockerfiles, parsed, by name (nil
	// for one that is absent or does not parse).
	dockerfiles map[string]*dockerfile.File
	// programArgs are what the command that gave a Node entry point
	// passes the program after its file (nil when nothing gave one).
	programArgs *startArgs
	// builtDirs are directories the build writes that the program's
	// arguments may name (react-router-serve ./build/server/index.js).
	builtDirs []string
	// pyDepFiles are the Python dependency files the image installs from.
	pyDepFiles []string
	// ownPackage is the name the Python code imports its own directory
	// by (Stack.PackageRoot), "" where it does not.
	ownPackage string
	// aliases are tsconfig's import paths, once read (jsAliases).
	aliases *[]jsAlias
	// gitignore is what git ignores, once read (gitIgnored).
	gitignore *gitignores
	// ts is tsconfig, once read.
	ts *tsconfig
	// otherDockerfile holds repoDockerfiles(), once found.
	otherDockerfile *[]string
	// members are the root's Node workspace members, once read, and
	// subs a repository of each member whose own tsconfig compiles it.
	members *[]Evidence
	subs    map[string]*repo
	// memberPkgs are the members' package.json files, parsed once.
	memberPkgs map[string]packageJSON
}

// codeDirs are the top directories that hold the language's sources.
func (r *repo) codeDirs() []string {
	var out []string
	for _, f := range r.codeFiles() {
		if top, _, ok := strings.Cut(f, "/"); ok && langExts[r.lang][path.Ext(f)] && !slices.Contains(out, top) {
			out = append(out, top)
		}
	}
	return out
}

// maxCodeFiles bounds the walk over the code.
const maxCodeFiles = 2000

// maxFileSize bounds what one file may cost: a larger one (a bundle, a
// data dump) is not read.
const maxFileSize = 512 << 10

// read returns the lines of file (relative to the repository).
func (r *repo) read(file string) []string {
	if lines, ok := r.lines[file]; ok {
		return lines
	}
	var lines []string
	if st, err := os.Stat(filepath.Join(r.dir, file)); err != nil || st.Size() > maxFileSize {
		r.lines[file] = nil
		return nil
	}
	if data, err := os.ReadFile(filepath.Join(r.dir, file)); err == nil {
		lines = scanLines(data)
	}
	if len(lines) > 0 && strings.HasPrefix(lines[0], GeneratedMark) && (dockerfileName(path.Base(file)) || slices.Contains(composeFiles(), file)) {
		// init's own output, from an earlier run: not the repository's
		// evidence (its ENTRYPOINT names the server init added; its
		// compose file's environment is what init gave the app, which
		// ashishjuyal/banking's rerun called the repository's). The
		// repository's own is the one git holds, which an earlier
		// init --force replaced: a rerun reads what the first run read.
		lines = committedLines(r.dir, file)
	}
	r.lines[file] = lines
	return lines
}

// committedLines are the lines of file (relative to dir) as git's HEAD
// holds it, else as init --force kept it (ReplacedDir); nil when neither
// holds it, it is init's own output too, or it is too large. Bounded in time: detection must not hang on git.
func committedLines(dir, file string) []string {
	out, ok := Committed(dir, file)
	if !ok || len(out) > maxFileSize || bytes.HasPrefix(out, []byte(GeneratedMark)) {
		// Not in git: the copy init --force kept of the repository's own.
		if kept, err := os.ReadFile(filepath.Join(dir, ReplacedDir, file)); err == nil && len(kept) <= maxFileSize && !bytes.HasPrefix(kept, []byte(GeneratedMark)) {
			return scanLines(kept)
		}
		return nil
	}
	return scanLines(out)
}

// ReplacedDir is where init --force keeps a file of the repository's it
// replaces and git cannot give back (no repository, or changes since its
// last commit), at the file's own path below it: the user keeps what they
// wrote, and a second run reads it as the first did.
const ReplacedDir = ".shipshape/replaced"

// Committed is file (relative to dir) as git's HEAD holds it; false when
// dir is in no repository or HEAD holds no such file. Bounded in time:
// detection must not hang on git.
func Committed(dir, file string) ([]byte, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", "-C", dir, "show", "HEAD:./"+filepath.ToSlash(file))
	// The repository dir is in, not one a hook's GIT_DIR names.
	cmd.Env = []string{"GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0"}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GIT_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, err := cmd.Output()
	return out, err == nil
}

// scanLines splits a file's bytes into lines as read does (a CRLF's CR
// dropped, no empty last line).
func scanLines(data []byte) []string {
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(decodeText(data)))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines
}

// decodeText is a file's text as UTF-8: a UTF-16 file with its byte order
// mark (what Windows' PowerShell writes for `pip freeze > requirements.txt`;
// pip reads it, leinadpb/BooksAPI's is one) is decoded, a UTF-8 byte
// order mark dropped, and anything else left as it is.
func decodeText(data []byte) []byte {
	var order binary.ByteOrder
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		order = binary.LittleEndian
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		order = binary.BigEndian
	default:
		return data
	}
	units := make([]uint16, 0, len(data)/2)
	for i := 2; i+1 < len(data); i += 2 {
		units = append(units, order.Uint16(data[i:]))
	}
	return []byte(string(utf16.Decode(units)))
}

// GeneratedMark begins every Dockerfile init writes.
const GeneratedMark = "# Generated by shipshape init"

func dockerfileName(base string) bool {
	return base == "Dockerfile" || base == "Containerfile" || strings.HasPrefix(base, "Dockerfile.") || strings.HasSuffix(base, ".Dockerfile")
}

// find returns the first line of file (relative to dir) matching re, with
// the first group that matched (a pattern of alternatives names several),
// or the whole match, as the value.
func (r *repo) find(file string, re *regexp.Regexp) *Evidence {
	manifest := !codeExt[filepath.Ext(file)]
	for i, line := range r.read(file) {
		if manifest && isComment(line) {
			continue
		}
		if m := re.FindStringSubmatch(line); m != nil {
			v := matchValue(m)
			if len(m) > 1 && v == m[0] {
				v = m[1] // an optional group that matched nothing: ""
			}
			return &Evidence{Value: v, File: filepath.ToSlash(file), Line: i + 1}
		}
	}
	return nil
}

// findCode is find for evidence of a database: in code, no comment
// counts, a connection URL included ("# uncomment psycopg to use
// Postgres", the FastAPI tutorial's commented-out
// "postgresql://user:password@postgresserver/db" beside the SQLite URL it
// uses: an unused Postgres was started for it).
func (r *repo) findCode(file string, re *regexp.Regexp) *Evidence {
	if !codeExt[filepath.Ext(file)] {
		return r.find(file, re)
	}
	for i, line := range r.read(file) {
		m := re.FindStringSubmatch(line)
		if m == nil || isComment(line) {
			continue
		}
		return &Evidence{Value: matchValue(m), File: filepath.ToSlash(file), Line: i + 1}
	}
	return nil
}

// matchValue is a match's first group that matched something (a
// pattern of alternatives names several), else the whole match.
func matchValue(m []string) string {
	for _, g := range m[1:] {
		if g != "" {
			return g
		}
	}
	return m[0]
}

// codeExt are the code files; in the others (manifests), whole-line
// comments are skipped: "# flask would go here" declares nothing.
var codeExt = map[string]bool{".go": true, ".py": true, ".js": true, ".ts": true, ".mjs": true, ".rs": true}

// isComment reports whether a line is a whole-line comment (#, but not
// Rust's #[attributes], and //).
func isComment(line string) bool {
	t := strings.TrimSpace(line)
	return strings.HasPrefix(t, "//") || strings.HasPrefix(t, "#") && !strings.HasPrefix(t, "#[")
}

// firstOf tries each (file, pattern, value) in turn; value "" keeps the
// pattern's match.
func (r *repo) firstOf(probes ...probe) *Evidence {
	for _, p := range probes {
		if e := r.find(p.file, p.re); e != nil {
			if p.value != "" {
				e.Value = p.value
			}
			return e
		}
	}
	return nil
}

type probe struct {
	file  string
	re    *regexp.Regexp
	value string
}

// firstFile is the evidence of the first (file, value) pair whose file
// exists: lock files in order of precedence.
func (r *repo) firstFile(pairs ...[2]string) *Evidence {
	for _, p := range pairs {
		if e := r.fileEvidence(p[0], p[1]); e != nil {
			return e
		}
	}
	return nil
}

func (r *repo) fileEvidence(name, value string) *Evidence {
	if !exists(r.dir, name) {
		return nil
	}
	return &Evidence{Value: value, File: name}
}

// --- shared ---------------------------------------------------------------

var dbPatterns = []struct {
	name string
	re   *regexp.Regexp
}{
	// MikroORM's drivers are packages of its own: @mikro-orm/mysql
	// (mikro-orm/nestjs-realworld-example-app's package.json:35).
	{"postgres", regexp.MustCompile(`(?i)\bpostgres(?:ql)?(?:\+\w+)?://|\bpsycopg2?\b|asyncpg|"pg"\s*:|"@mikro-orm/postgresql"\s*:|github\.com/jackc/pgx|github\.com/lib/pq|\bsqlx\b.*postgres|tokio-postgres`)},
	{"mysql", regexp.MustCompile(`(?i)\bmysql(?:\+\w+)?://|\bpymysql\b|mysqlclient|"(?:mysql2?|mariadb)"\s*:|"@mikro-orm/(?:mysql|mariadb)"\s*:|go-sql-driver/mysql`)},
	{"redis", regexp.MustCompile(`(?i)\bredis://|^redis\b|"(?:io)?redis"\s*:|go-redis/redis|redis/go-redis|^redis\s*=|["']redis(?:\[[^\]]*\])?(?:[<>=~!;,\s"']|$)`)},
	{"mongodb", regexp.MustCompile(`(?i)\bpymongo\b|\bmotor\b|mongoengine|"mongoose"\s*:|"(?:@mikro-orm/)?mongodb"\s*:|mongodb(?:\+srv)?://|mongo-driver|^mongodb\s*=`)},
	{"sqlite", regexp.MustCompile(`(?i)sqlite(?:3)?(?:\+\w+)?:///([\w./-]+)|\bsqlite3?\b|mattn/go-sqlite3|modernc\.org/sqlite|"better-sqlite3"`)},
}

var flaskInstance = regexp.MustCompile(`\binstance_path\b`)

// dbURL are connection URLs alone, per database.
var dbURL = map[string]*regexp.Regexp{
	"postgres": regexp.MustCompile(`(?i)\bpostgres(?:ql)?(?:\+\w+)?://`),
	"mysql":    regexp.MustCompile(`(?i)\bmysql(?:\+\w+)?://`),
	"redis":    regexp.MustCompile(`(?i)\brediss?://`),
	"mongodb":  regexp.MustCompile(`(?i)\bmongodb(?:\+srv)?://`),
	"sqlite":   regexp.MustCompile(`(?i)\bsqlite3?:(?://)?[\w./-]+`),
}

var prismaProvider = regexp.MustCompile(`provider\s*=\s*"(postgresql|mysql|sqlite|mongodb)"`)

var sqliteURL = regexp.MustCompile(`(?i)sqlite(?:3)?(?:\+\w+)?:///([\w./-]+)`)

// ormUse is code that loads a database driver by URL: the driver in the
// dependency list is then the database the app talks to.
var ormUse = regexp.MustCompile(`^\s*(?:from|import)\s+(?:sqlalchemy|flask_sqlalchemy|sqlmodel|tortoise|peewee|databases|django)\b|require\(\s*['"](?:sequelize|typeorm|knex|@prisma/client|@mikro-orm/[\w-]+)['"]|from\s+['"](?:sequelize|typeorm|knex|@prisma/client|@mikro-orm/[\w-]+|drizzle-orm[^'"]*)['"]|ENGINE['"]?\s*:\s*['"]django\.db\.backends`)

// pluginDatabases moves into Unconfigured the databases whose clients
// only a directory of plugins imports, named for them (pluginDir): three
// files or more, each the client of one kind, another kind each
// (uptime-kuma's
// server/monitor-types: postgres.js, mongodb.js, redis.js, mysql.js, ...,
// which connect where the monitors its users create say; Postgres,
// MongoDB and Redis were started for an app that keeps its data in
// SQLite). A kind imported anywhere else stays, and so does a file of
// several kinds (a Go package that chooses one by its configuration,
// which DefaultSQL reads). Node and Python only.
func (r *repo) pluginDatabases(s *Stack, app *project.App) {
	if s.Language != "node" && s.Language != "python" {
		return
	}
	byFile := map[string][]string{}
	for _, e := range app.Imports {
		f := rel(r.dir, e).File
		byFile[f] = append(byFile[f], e.Value)
	}
	plugins := map[string]map[string]bool{} // directory → the kinds its one-kind files import
	for f, ks := range byFile {
		// Named for plugins: an app's own connection modules, a file a
		// backend (src/db/postgres.js, redis.js, mongo.js), are not.
		if len(ks) == 1 && pluginDir.MatchString(path.Base(path.Dir(f))) {
			d := path.Dir(f)
			if plugins[d] == nil {
				plugins[d] = map[string]bool{}
			}
			plugins[d][ks[0]] = true
		}
	}
	in, outside := map[string]string{}, map[string]bool{}
	for _, f := range slices.Sorted(maps.Keys(byFile)) {
		d := path.Dir(f)
		for _, k := range byFile[f] {
			switch {
			case len(plugins[d]) < 3 || len(byFile[f]) > 1:
				outside[k] = true
			case in[k] == "":
				in[k] = d
			}
		}
	}
	var kept []Evidence
	for _, db := range s.Databases {
		if d, ok := in[db.Value]; ok && !outside[db.Value] && db.Why == project.ImportedByCode {
			db.Why = fmt.Sprintf("%s; only %s/ imports it, a file each beside the clients of %d other kinds: plugins that connect where the app's users say", project.ImportedByCode, d, len(plugins[d])-1)
			s.Unconfigured = append(s.Unconfigured, db)
			continue
		}
		kept = append(kept, db)
	}
	s.Databases = kept
}

// djangoRedisBackend is a Django setting's backend that is Redis, named
// by its dotted path, not imported: CACHES' "django_redis.cache.
// RedisCache" (Azure-Samples/msdocs-django-postgresql-sample-app, whose
// sessions live in it), Django's own django.core.cache.backends.redis,
// channels_redis's layer.
var djangoRedisBackend = regexp.MustCompile(`^\s*["']?BACKEND["']?\s*:\s*["'](?:django_redis\.|django\.core\.cache\.backends\.redis\.|channels_redis\.)`)

// pluginDir is a directory named for plugins: monitor types, checks,
// connectors, integrations, probes.
var pluginDir = regexp.MustCompile(`(?i)plugin|monitor|connector|integration|probe|check`)

// databasesOf is what the code talks to: the clients it imports; for code
// that loads its driver by URL (SQLAlchemy, Django, an ORM), the drivers
// its dependency list names; for Rust, the crates (each one is compiled
// in). A SQLite URL in the code names the database file.
func (r *repo) databasesOf(lang string, app *project.App, schema string, program map[string]bool) []Evidence {
	var out []Evidence
	have := map[string]bool{}
	add := func(e Evidence) {
		if !have[e.Value] {
			have[e.Value] = true
			out = append(out, e)
		}
	}
	// A Go program's: the packages it builds, not those only its tests
	// import (cfssl's certdb/testdb: Postgres, MySQL and SQLite, for a
	// program that keeps no database unless given one).
	inProgram := func(f string) bool { return program == nil || !strings.HasSuffix(f, ".go") || program[path.Dir(f)] }
	for _, e := range app.Imports {
		if e := rel(r.dir, e); inProgram(e.File) {
			add(*e)
		}
	}
	orm := lang == "rust"
	if !orm {
		for _, f := range r.codeFiles() {
			if inProgram(f) && r.find(f, ormUse) != nil {
				orm = true
				break
			}
		}
	}
	if e := r.find(schema, prismaProvider); schema != "" && e != nil {
		if e.Value == "postgresql" {
			e.Value = "postgres"
		}
		e.Why = "the Prisma schema's datasource"
		add(*e)
	}
	if orm {
		for _, e := range r.databases(lang) {
			name, _, _ := strings.Cut(e.Value, ":")
			if !have[name] && (lang == "rust" || name == "postgres" || name == "mysql" || name == "sqlite") {
				e.Why = "in the dependencies, reached through an ORM or a URL"
				add(e)
			}
		}
	}
	if lang == "python" && !have["redis"] {
		for _, f := range r.codeFiles() {
			if e := r.find(f, djangoRedisBackend); e != nil && strings.HasSuffix(f, ".py") && !devPath(f) {
				e.Value, e.Why = "redis", "Django's cache or channel layer backend"
				add(*e)
				break
			}
		}
	}
	// The SQLite file: a URL in the code or the example environment; a
	// Flask app keeping it in its instance folder (app.instance_path,
	// /app/instance in the image), which it also creates at start.
	for i, e := range out {
		if e.Value != "sqlite" {
			continue
		}
		for _, f := range r.codeFiles() {
			if strings.HasSuffix(f, ".py") {
				if inst := r.find(f, flaskInstance); inst != nil {
					inst.Value, inst.Why = "sqlite:instance/", "the Flask instance folder holds the database"
					out[i] = *inst
					break
				}
			}
		}
		if out[i].Value != "sqlite" {
			continue
		}
		for _, f := range append(r.codeFiles(), ".env.example", ".env.sample", ".flaskenv") {
			// A seed script's or a test's database is not the app's
			// (notTheApp reads every file: only for a file with a URL).
			if u := r.find(f, sqliteURL); u != nil && !r.notTheApp(f) {
				u.Value = "sqlite:" + u.Value
				out[i] = *u
				break
			}
		}
	}
	for i, e := range out {
		file, isFile := strings.CutPrefix(e.Value, "sqlite:")
		if isFile && lang == "python" && !path.IsAbs(file) && !(path.Clean(file) == "instance" || strings.HasPrefix(path.Clean(file), "instance/")) && r.flaskSQLAlchemy3() {
			out[i].Value = "sqlite:" + path.Join("instance", file)
			out[i].Why = "Flask-SQLAlchemy 3 keeps a relative SQLite path in the app's instance folder"
		}
	}
	// An in-memory SQLite (a fallback while a URL variable is unset,
	// jdidcote/fastapi-postgres-template's "sqlite://") keeps no file, and
	// a seed script's or a test's is not the app's: no volume, no single
	// replica for them.
	kept := out[:0]
	for _, e := range out {
		if e.Value == "sqlite" && e.Line > 0 && e.Line <= len(r.read(e.File)) && inMemorySQLite.MatchString(r.read(e.File)[e.Line-1]) ||
			strings.HasPrefix(e.Value, "sqlite") && r.notTheApp(e.File) {
			continue
		}
		kept = append(kept, e)
	}
	out = kept
	if lang == "python" {
		out = slices.DeleteFunc(out, r.pyUnusedURL)
	}
	sort.SliceStable(out, func(i, j int) bool { return dbOrder(out[i].Value) < dbOrder(out[j].Value) })
	return out
}

// pyKindNames are the names of what opens a MongoDB or Redis URL: its
// clients, the task queues and caches built on one, the framework
// backends named by a dotted string (Django's
// django.core.cache.backends.redis, channels_redis, djongo), and
// LangChain's RedisChatMessageHistory, in an import, a quoted dotted
// name or the dependency list. (A SQL URL is left alone: SQLAlchemy and
// its kin are many, and a SQLite file on the image's root is the
// mistake the seeds report.)
var pyKindNames = map[string]string{
	"mongodb": `(?i:mongo|motor|beanie|odmantic|djongo|bunnet)`,
	"redis":   `(?i:redis|celery|\brq\b|dramatiq|huey|\barq\b|taskiq|kombu|\bsaq\b|walrus|flask_caching|fastapi_cache|aiocache|slowapi|flask_limiter)`,
}

// pyKindUse is what says the code uses a kind: an import naming it, or
// a quoted dotted name ("channels_redis.core.RedisChannelLayer");
// pyKindName is a mention of it in a dependency list.
var pyKindUse, pyKindName = map[string]*regexp.Regexp{}, map[string]*regexp.Regexp{}

func init() {
	for kind, names := range pyKindNames {
		pyKindUse[kind] = regexp.MustCompile(`^\s*(?:import|from)\s.*` + names + `|["'][\w.]*` + names + `[\w.]*["']`)
		pyKindName[kind] = regexp.MustCompile(names)
	}
}

// pyUnusedURL reports whether a MongoDB or Redis found only by a URL
// literal is one nothing of the code opens: a template's config class
// with a default URL for each database it might use
// (emreihtiyar/fastapi-template's "mongodb://localhost:27017" beside the
// SQLite URL it does use, with no MongoDB client imported, named or
// declared anywhere).
func (r *repo) pyUnusedURL(e Evidence) bool {
	use := pyKindUse[e.Value]
	lines := r.read(e.File)
	if use == nil || e.Line < 1 || e.Line > len(lines) || !strings.Contains(lines[e.Line-1], "://") || pyImportLine.MatchString(lines[e.Line-1]) {
		return false
	}
	names := pyKindName[e.Value]
	for _, f := range append([]string{"requirements.txt", "pyproject.toml", "Pipfile", "setup.py", "setup.cfg"}, r.pyDepFiles...) {
		for _, line := range r.read(f) {
			if !isComment(line) && names.MatchString(line) {
				return false
			}
		}
	}
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".py") {
			continue
		}
		for _, line := range r.read(f) {
			if !strings.Contains(line, "://") && !isComment(line) && use.MatchString(line) {
				return false
			}
		}
	}
	return true
}

// notTheApp is a file whose database is not the deployed app's: a
// development, test or seed file (devPath), or a Python script that no
// other file of the repository names, so nothing imports or runs it but
// a person (leinadpb/BooksAPI's database/sql_info.py, which prints the
// tables of 'sqlite:///database.db' while the app runs on Postgres).
func (r *repo) notTheApp(f string) bool {
	if devPath(f) {
		return true
	}
	if path.Ext(f) != ".py" {
		return false
	}
	stem := strings.TrimSuffix(path.Base(f), ".py")
	if pyEntryNames[stem] {
		return false
	}
	named := regexp.MustCompile(`\b` + quoteMeta(stem) + `\b`)
	others := false // a lone Python file is the app, whatever names it
	for _, g := range append(r.codeFiles(), "Procfile", "Dockerfile", ".flaskenv", "Makefile", "setup.cfg", "pyproject.toml", "docker-compose.yml", "compose.yaml") {
		if g == f {
			continue
		}
		others = others || path.Ext(g) == ".py"
		if r.find(g, named) != nil {
			return false
		}
	}
	return others
}

// pyEntryNames are modules that run without another file naming them:
// what servers and frameworks load by convention.
var pyEntryNames = map[string]bool{"app": true, "main": true, "wsgi": true, "asgi": true, "manage": true, "settings": true, "config": true, "__init__": true, "__main__": true, "server": true, "run": true}

var inMemorySQLite = regexp.MustCompile(`(?i)sqlite(?:3)?(?:\+\w+)?://["'\x60]|:memory:`)

var (
	flaskSQLAlchemyImport = regexp.MustCompile(`^\s*(?:from\s+flask_sqlalchemy\s+import|import\s+flask_sqlalchemy)\b`)
	// flaskSQLAlchemy2 pins a release before 3.0, which kept a relative
	// SQLite path relative to the working directory.
	// Any bound below 3 counts: requirements' ==2.5.1 and >=2.5,<3,
	// poetry's "^2.5", Pipfile's "==2.5.1".
	flaskSQLAlchemy2 = regexp.MustCompile(`(?i)flask[-_]sqlalchemy\b[^#\n]*?(?:<\s*3\b|<=\s*[012]\.|(?:===?|~=|\^|~)\s*[012]\.|["']\s*[012]\.\d)`)
)

// flaskSQLAlchemy3 reports whether the app opens its database through
// Flask-SQLAlchemy 3 or later, which makes a relative SQLite path
// relative to the app's instance folder and creates that folder
// (patrickloeber/flask-todo's sqlite:///db.sqlite is
// /app/instance/db.sqlite: "Read-only file system: '/app/instance'").
func (r *repo) flaskSQLAlchemy3() bool {
	uses := false
	for _, f := range r.codeFiles() {
		if strings.HasSuffix(f, ".py") && r.find(f, flaskSQLAlchemyImport) != nil {
			uses = true
			break
		}
	}
	if !uses {
		return false
	}
	files := []string{"requirements.txt", "pyproject.toml", "Pipfile"}
	for _, f := range append([]string{"requirements.txt"}, r.dockerRequirements()...) {
		files = append(append(files, f), r.includedRequirements(f, 0)...)
	}
	for _, f := range files {
		if r.find(f, flaskSQLAlchemy2) != nil {
			return false // flasky's requirements/common.txt: Flask-SQLAlchemy==2.2
		}
	}
	return true
}

// documentedPort is an env file's value for a port variable: 8080, or
// host:8080.
var documentedPort = regexp.MustCompile(`^(?:[\w.-]*:)?(\d{2,5})$`)

// dbOrder keeps databases in one order: SQL servers, then the rest.
func dbOrder(v string) int {
	name, _, _ := strings.Cut(v, ":")
	return map[string]int{"postgres": 0, "mysql": 1, "mongodb": 2, "redis": 3, "sqlite": 4}[name]
}

// databases looks in the dependency manifests and the code for the
// databases the app talks to, each once.
func (r *repo) databases(lang string) []Evidence {
	files := map[string][]string{
		"go":     {"go.mod"},
		"python": {"requirements.txt", "pyproject.toml", "Pipfile"},
		"node":   {"package.json"},
		"rust":   {"Cargo.toml"},
	}[lang]
	// A Go program's drivers are modules in go.mod; its code's strings
	// (a tool that names databases) are not evidence of a database. A Rust
	// program's are its crates (every member's manifest); in its code only a
	// connection URL counts, not a word ("tests run against SQLite").
	var urlsOnly []string
	switch lang {
	case "rust":
		for _, f := range r.codeFiles() {
			if path.Base(f) == "Cargo.toml" && f != "Cargo.toml" {
				files = append(files, f)
			} else if strings.HasSuffix(f, ".rs") {
				urlsOnly = append(urlsOnly, f)
			}
		}
	case "python", "node":
		if lang == "python" {
			// The requirement files the repository's own Dockerfile
			// installs (requirements/docker.txt), and theirs.
			for _, f := range r.dockerRequirements() {
				files = append(files, append([]string{f}, r.includedRequirements(f, 0)...)...)
			}
		}
		files = append(files, r.codeFiles()[:min(200, len(r.codeFiles()))]...)
	}
	if lang == "rust" || lang == "go" {
		// A connection URL in a configuration file the code loads
		// (configuration/base.yaml's redis_uri).
		urlsOnly = append(urlsOnly, r.loadedConfigFiles(map[string]string{"rust": ".rs", "go": ".go"}[lang])...)
	}
	var out []Evidence
	// A SQLite URL names the database file: it wins over a bare mention.
	for _, f := range files {
		// A seed script's or a test's database is not the app's (notTheApp
		// reads every file: only for a file with a URL).
		if e := r.find(f, sqliteURL); e != nil && !r.notTheApp(f) {
			e.Value = "sqlite:" + e.Value
			out = append(out, *e)
			break
		}
	}
	for _, db := range dbPatterns {
		if db.name == "sqlite" && len(out) > 0 && strings.HasPrefix(out[len(out)-1].Value, "sqlite:") {
			continue
		}
		found := false
		for _, f := range urlsOnly {
			if e := r.find(f, dbURL[db.name]); e != nil {
				e.Value = db.name
				out = append(out, *e)
				found = true
				break
			}
		}
		for _, f := range files {
			if found {
				break
			}
			e := r.findCode(f, db.re)
			switch path.Base(f) {
			case "package.json":
				e = r.findDependency(f, db.re)
			case "pyproject.toml":
				e = r.findPyDependency(f, db.re)
			}
			if e != nil {
				if db.name == "sqlite" && strings.Contains(e.Value, "/") {
					e.Value = "sqlite:" + e.Value // the database file's path
				} else {
					e.Value = db.name
				}
				out = append(out, *e)
				break
			}
		}
	}
	return out
}

var (
	// pyTableHeader is a TOML table's header line: [project],
	// [[tool.mypy.overrides]].
	pyTableHeader = regexp.MustCompile(`^\s*\[\[?[\w."-]+\]\]?\s*(?:#.*)?$`)
	// pyOptionalTable is a pyproject.toml table of dependencies the image
	// does not install: extras, dependency groups (development's among
	// them), Poetry's groups and development dependencies, PDM's and
	// uv's.
	pyOptionalTable = regexp.MustCompile(`^\s*\[(?:project\.optional-dependencies|dependency-groups|tool\.poetry\.(?:group\.[\w.-]+|dev-dependencies)|tool\.pdm\.dev-dependencies|tool\.uv)\b`)
)

// findPyDependency is find in a pyproject.toml outside its optional
// tables: pypiserver's gunicorn is in its docker extra and linkding's
// Postgres driver in a dependency group, neither of which the image
// installs (init had run gunicorn it did not install, and started
// Postgres).
func (r *repo) findPyDependency(file string, re *regexp.Regexp) *Evidence {
	optional := false
	return r.findOutside(file, re, func(line string) bool {
		if pyTableHeader.MatchString(line) {
			optional = pyOptionalTable.MatchString(line)
			return true
		}
		return optional || isComment(line)
	})
}

// findOutside is find on the lines skipped does not take, called on
// every line in order (so it may keep the block it is in).
func (r *repo) findOutside(file string, re *regexp.Regexp, skipped func(line string) bool) *Evidence {
	for i, line := range r.read(file) {
		if skipped(line) {
			continue
		}
		if m := re.FindStringSubmatch(line); m != nil {
			return &Evidence{Value: matchValue(m), File: file, Line: i + 1}
		}
	}
	return nil
}

// devDependencies opens package.json's block of the packages for
// development and tests.
var devDependencies = regexp.MustCompile(`^\s*"devDependencies"\s*:\s*\{`)

// findDependency is find in a package.json outside its devDependencies:
// a driver only the tests use (express-typescript-boilerplate's sqlite3,
// for its .env.test) is not a database the app talks to.
func (r *repo) findDependency(file string, re *regexp.Regexp) *Evidence {
	dev := false
	return r.findOutside(file, re, func(line string) bool {
		switch {
		case devDependencies.MatchString(line):
			dev = !strings.Contains(line, "}")
			return true
		case dev:
			dev = !strings.HasPrefix(strings.TrimSpace(line), "}")
			return true
		}
		return false
	})
}

// langExts are each language's source file extensions.
var langExts = map[string]map[string]bool{
	"go":     {".go": true},
	"python": {".py": true},
	"node":   {".js": true, ".ts": true, ".mjs": true, ".cjs": true, ".mts": true, ".cts": true},
	"rust":   {".rs": true},
}

// keyName is a .pem file named in a string of the code:
// path.join(__dirname, 'certs', 'rds-global-bundle.pem'),
// include_bytes!("../certs/ca.pem").
var keyName = regexp.MustCompile("['\"`]([\\w./-]*\\.pem)['\"`]")

// keyFilesNamed are the certificates of the tree (.pem files that hold
// certificates and no private key) that a string of the program's code
// names, outside tests and the repository's scripts: the program reads
// them (a CA bundle). A name with a directory must be the file's path's
// end; a bare name must be the only file of that name. A private key is
// never one of them: it stays out of the image, to be mounted.
func (r *repo) keyFilesNamed() []Evidence {
	files := r.codeFiles()
	if len(r.keyFiles) == 0 {
		return nil
	}
	// The files of each name that are certificates, read only when the
	// code names that name (most trees' .pem files are named by none).
	byBase := map[string][]string{}
	for _, k := range r.keyFiles {
		if !nodeTestFile(k) {
			byBase[path.Base(k)] = append(byBase[path.Base(k)], k)
		}
	}
	checked := map[string]bool{}
	certificates := func(base string) []string {
		if !checked[base] {
			checked[base] = true
			var certs []string
			for _, k := range byBase[base] {
				if isCertificate(filepath.Join(r.dir, filepath.FromSlash(k))) {
					certs = append(certs, k)
				}
			}
			byBase[base] = certs
		}
		return byBase[base]
	}
	var out []Evidence
	seen := map[string]bool{}
	for _, f := range files {
		if nodeTestFile(f) || nodeToolFile(f) || !langExts[r.lang][path.Ext(f)] {
			continue // cors-anywhere's test/test.js reads test/key.pem
		}
		for i, line := range r.read(f) {
			if isComment(line) {
				continue
			}
			for _, m := range keyName.FindAllStringSubmatch(line, -1) {
				named := strings.TrimPrefix(path.Clean(m[1]), "../")
				candidates := certificates(path.Base(named))
				for _, k := range candidates {
					match := k == named || strings.HasSuffix(k, "/"+named)
					if !strings.Contains(named, "/") {
						match = len(candidates) == 1
					}
					if match && !seen[k] {
						seen[k] = true
						out = append(out, Evidence{Value: k, File: f, Line: i + 1, Why: "the code names " + m[1]})
					}
				}
			}
		}
	}
	return out
}

// isCertificate reports whether a PEM file holds a certificate and no
// private key (its first 64 KiB).
func isCertificate(file string) bool {
	f, err := os.Open(file)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	return bytes.Contains(head, []byte("-----BEGIN CERTIFICATE-----")) && !bytes.Contains(head, []byte("PRIVATE KEY"))
}

// privateFile reports whether a file is one a user keeps private on
// purpose (a 0600 .env, .npmrc, a key), which the image does not copy
// (.dockerignore) or should not: no reason for a note.
func privateFile(name string) bool {
	ext := path.Ext(name)
	return strings.HasPrefix(name, ".") || ext == ".pem" || ext == ".key"
}

// unreadableFiles is Stack.Unreadable: the files of a service whose image
// copies its tree (Node, Python) that others may not read, and the
// directories they may not enter, with the entry point and the
// directories above it, which the walk may skip (dist/).
func (r *repo) unreadableFiles(s *Stack) []Evidence {
	if s.Language != "node" && s.Language != "python" || s.Static != nil {
		return nil
	}
	r.codeFiles()
	out := append([]Evidence(nil), r.unreadable...)
	if len(s.Entrypoints) == 0 {
		return out
	}
	seen := map[string]bool{}
	for _, e := range out {
		seen[e.File] = true
	}
	entry := path.Clean(strings.TrimPrefix(s.Entrypoints[0].Value, "./"))
	for p := entry; p != "." && p != "/" && !strings.HasPrefix(p, ".."); p = path.Dir(p) {
		if e, ok := unreadableAt(r.dir, filepath.Join(r.dir, filepath.FromSlash(p))); ok && !seen[e.File] {
			out = append(out, e)
		}
	}
	return out
}

// maxUnreadable bounds the unreadable files recorded: enough that those
// .dockerignore keeps out (a coverage/ report) do not hide the others.
const maxUnreadable = 5000

// noteUnreadable records a file others may not read, or a directory they
// may not enter, under dir (the first maxUnreadable).
func (r *repo) noteUnreadable(dir, p string) {
	if e, ok := unreadableAt(dir, p); ok && len(r.unreadable) < maxUnreadable {
		r.unreadable = append(r.unreadable, e)
	}
}

// unreadableAt reports whether p, under dir, is a file others may not
// read or a directory they may not enter, but for files kept private on
// purpose.
func unreadableAt(dir, p string) (Evidence, bool) {
	st, err := os.Stat(p)
	if err != nil || privateFile(filepath.Base(p)) {
		return Evidence{}, false
	}
	rel, _ := filepath.Rel(dir, p)
	rel = filepath.ToSlash(rel)
	switch perm := st.Mode().Perm(); {
	case st.Mode().IsRegular() && perm&0o004 == 0:
		return Evidence{Value: rel, File: rel, Why: fmt.Sprintf("mode %04o", perm)}, true
	case st.IsDir() && perm&0o005 != 0o005:
		return Evidence{Value: rel + "/", File: rel, Why: fmt.Sprintf("mode %04o", perm)}, true
	}
	return Evidence{}, false
}

// codeFiles lists up to maxCodeFiles source files, relative, skipping
// dependency and build directories; the tree is walked once.
func (r *repo) codeFiles() []string {
	if r.code != nil {
		return r.code
	}
	dir := r.dir
	out := []string{}
	workspace := project.Workspace(dir)
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || len(out) >= maxCodeFiles {
			return filepath.SkipDir
		}
		if d.IsDir() {
			if p != dir {
				r.noteUnreadable(dir, p)
			}
			skip := project.SkipDir
			if r.lang == "go" {
				skip = project.SkipGoDir
			}
			if p != dir && skip(p, d.Name(), workspace) {
				return filepath.SkipDir
			}
			return nil
		}
		r.noteUnreadable(dir, p)
		if filepath.Ext(p) == ".pem" && len(r.keyFiles) < 100 {
			rel, _ := filepath.Rel(dir, p)
			r.keyFiles = append(r.keyFiles, filepath.ToSlash(rel))
		}
		if project.TestFile(d.Name()) {
			return nil
		}
		// The language's own sources only: a Go service's 500 front-end
		// scripts must not use up the budget before its main package.
		if ext := filepath.Ext(p); langExts[r.lang][ext] || ext == ".toml" || ext == ".env" {
			if !strings.HasSuffix(p, ".min.js") {
				rel, _ := filepath.Rel(dir, p)
				out = append(out, filepath.ToSlash(rel))
			}
		}
		return nil
	})
	r.code = out
	return out
}

func (r *repo) templates(re *regexp.Regexp, lang string, program func(string) bool) *Evidence {
	for _, f := range r.codeFiles() {
		if (lang == "python" && !strings.HasSuffix(f, ".py")) || (lang == "go" && !strings.HasSuffix(f, ".go")) ||
			(lang == "js" && !strings.HasSuffix(f, ".js") && !strings.HasSuffix(f, ".ts")) {
			continue
		}
		if lang == "go" && (program != nil && !program(f) || !r.goBuildsOnLinux(f)) {
			continue // another program's, or a generator's (cfssl's `//go:build ignore` gen.go)
		}
		if e := r.find(f, re); e != nil {
			e.Value = "rendered" // where the code renders them, not a directory
			return e
		}
	}
	return nil
}

func (r *repo) migrations() *Evidence {
	for _, d := range []string{"migrations", "alembic", "db/migrations", "prisma/migrations"} {
		if isDir(r.dir, d) {
			return &Evidence{Value: d, File: d}
		}
	}
	return nil
}

// Service is one service of a repository that holds several: its directory
// (relative, slash-separated) and its stack.
type Service struct {
	Dir   string
	Stack *Stack
}

// Services finds the services of a repository that is not one itself:
// each directory under services/, apps/ or the root whose manifests Detect
// recognises. The front service (web, frontend, gateway, app or ui, else
// the first by name) comes first; the proxy serves it at /.
func Services(dir string) ([]Service, error) {
	var out []Service
	for _, parent := range []string{"services", "apps", "."} {
		entries, err := os.ReadDir(filepath.Join(dir, parent))
		if err != nil {
			continue
		}
		for _, e := range entries {
			if !e.IsDir() || strings.HasPrefix(e.Name(), ".") || e.Name() == "node_modules" || e.Name() == "deploy" ||
				otherDockerfileDir.MatchString(e.Name()) {
				// umputun/remark42's e2e/, a Go module of browser tests
				// beside backend/: no service.
				continue
			}
			rel := path.Join(parent, e.Name())
			if s, err := Detect(filepath.Join(dir, rel)); err == nil {
				out = append(out, Service{Dir: rel, Stack: s})
			}
		}
		if len(out) > 0 {
			break
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: %w; looked for go.mod (Go), Cargo.toml (Rust), package.json (Node), "+
			"pyproject.toml, requirements.txt, Pipfile or setup.py (Python) at the root and in services/*, apps/* and */; pass --stack to say which", dir, ErrUnrecognised)
	}
	front := 0
	for i, s := range out {
		switch path.Base(s.Dir) {
		case "web", "frontend", "gateway", "app", "ui":
			front = i
		}
	}
	out[0], out[front] = out[front], out[0]
	sort.SliceStable(out[1:], func(i, j int) bool { return out[1+i].Dir < out[1+j].Dir })
	return out, nil
}

// quoteMeta is regexp.QuoteMeta of s with its invalid UTF-8 made U+FFFD,
// which matches such a byte: a pattern built from a name the input gives
// compiles whatever the bytes (MustCompile panicked on a fuzzed "\xa2").
func quoteMeta(s string) string {
	return regexp.QuoteMeta(strings.ToValidUTF8(s, "\uFFFD"))
}
