package detect

import (
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

// requirementsDirFiles are the production lists a requirements directory
// holds, in order of preference.
var requirementsDirFiles = [][2]string{{"requirements/requirements.txt", "pip"}, {"requirements/production.txt", "pip"},
	{"requirements/prod.txt", "pip"}, {"requirements/base.txt", "pip"}, {"requirements/common.txt", "pip"}, {"requirements/main.txt", "pip"}}

// pyGitRequirement is a requirement pip fetches with git: ai-cfia/
// nachet-backend's `nachet-datastore @git+https://github.com/...`, an
// editable `-e git+https://...`, a Pipfile's or poetry's or uv's
// source table ({git = "https://..."}).
var pyGitRequirement = regexp.MustCompile(`(?:^|[@\s"'=])git\+(?:https?|ssh|git)://\S+|\{[^}]*\bgit\s*=\s*["'](?:https?|ssh|git)://`)

// pythonImageVersion is the release of a FROM python:X.Y image.
var pythonImageVersion = regexp.MustCompile(`(?i)^\s*FROM\s+(?:--platform=\S+\s+)?(?:docker\.io/)?(?:library/)?python:(\d+\.\d+(?:\.\d+)?)\b`)

func detectPython(r *repo) *Stack {
	s := &Stack{Language: "python"}
	s.Version = r.firstOf(
		// The declaration whole: a specifier (>=3.9,<3.13, ^3.11) is
		// resolved by the runtimes catalog, not read as a version.
		probe{".python-version", regexp.MustCompile(`^\s*(\d[\w.*]*)`), ""},
		probe{"pyproject.toml", regexp.MustCompile(`requires-python\s*=\s*["']([^"']+)["']`), ""},
		probe{"pyproject.toml", regexp.MustCompile(`^python\s*=\s*["']([^"']+)["']`), ""},
		probe{"Pipfile", regexp.MustCompile(`python_(?:full_)?version\s*=\s*["']([^"']+)["']`), ""},
		probe{"runtime.txt", regexp.MustCompile(`python-(\d+\.\d+(?:\.\d+)?)`), ""},
		probe{"setup.py", regexp.MustCompile(`python_requires\s*=\s*["']([^"']+)["']`), ""},
		probe{"setup.cfg", regexp.MustCompile(`^\s*python_requires\s*=\s*(\S[^#]*?)\s*$`), ""})
	if s.Version == nil {
		// Where the repository runs it (its Dockerfile's FROM
		// python:3.11-bullseye), not what the package declares: a hint,
		// which an end-of-life release does not pin (VersionHint).
		s.Version = r.lastMatch("Dockerfile", pythonImageVersion) // the stage that runs the app is the last
		s.VersionHint = s.Version != nil
	}
	poetry := regexp.MustCompile(`^\[tool\.poetry\]`)
	s.PackageManager = r.firstFile([2]string{"uv.lock", "uv"}, [2]string{"poetry.lock", "poetry"})
	if s.PackageManager == nil {
		s.PackageManager = r.find("pyproject.toml", poetry)
		if s.PackageManager != nil {
			s.PackageManager.Value = "poetry"
		}
	}
	if s.PackageManager == nil {
		s.PackageManager = r.firstFile([2]string{"pdm.lock", "pdm"}, [2]string{"Pipfile", "pipenv"},
			[2]string{"requirements.txt", "pip"})
	}
	if s.PackageManager == nil && r.find("pyproject.toml", regexp.MustCompile(`^\s*dependencies\s*=`)) == nil {
		// No list at the root: the one a requirements directory holds
		// for production (sergeyklay/provider-pact-example's
		// requirements/requirements.txt beside a setup.py).
		s.PackageManager = r.firstFile(requirementsDirFiles...)
	}
	if s.PackageManager == nil && r.find("pyproject.toml", pyProjectTable) != nil {
		s.PackageManager = r.fileEvidence("pyproject.toml", "pip")
	}
	if s.PackageManager == nil {
		s.PackageManager = r.fileEvidence("setup.py", "pip")
	}
	if s.PackageManager == nil {
		s.PackageManager = r.devIncludedRequirements()
	}
	deps := []string{"requirements.txt", "pyproject.toml", "Pipfile"}
	if pm := s.PackageManager; pm != nil && strings.HasSuffix(pm.File, ".txt") {
		if pm.File != "requirements.txt" {
			deps = append(deps, pm.File)
		}
		// What it includes (-r) is installed too: flasky's
		// requirements.txt is one line, -r requirements/heroku.txt, and
		// Flask-Migrate is in the common.txt that one includes.
		for _, inc := range r.includedRequirements(pm.File, 0) {
			if !slices.Contains(deps, inc) {
				deps = append(deps, inc)
			}
		}
	}
	r.pyDepFiles = deps
	dep := r.pyDep
	for _, fw := range []string{"django", "fastapi", "flask", "starlette"} {
		if e := dep(fw); e != nil {
			s.Framework = e
			break
		}
	}
	if s.Framework == nil || s.Framework.Value == "flask" || s.Framework.Value == "starlette" ||
		s.Framework.Value == "fastapi" && !r.pyCodeImports("fastapi") {
		// An async framework the code makes its app with, over a Flask or
		// Starlette line beside it (ai-cfia/nachet-backend's requirements
		// name flask, a leftover; its app.py makes a Quart app).
		if e := r.pyAsyncFramework(); e != nil {
			s.Framework = e
		}
	}
	for _, srv := range []string{"uvicorn", "gunicorn", "hypercorn"} {
		if e := dep(srv); e != nil {
			s.Server = e
			break
		}
	}
	if s.Server == nil {
		// fastapi[standard] (and [all]) brings uvicorn[standard]: a pin
		// of init's own beside the project's locked one cannot resolve
		// (rednafi/fastapi-nano's uv.lock has uvicorn 0.49.0).
		if e := dep("fastapi[standard]"); e != nil {
			e.Value, e.Why = "uvicorn", "fastapi[standard] installs it"
			s.Server = e
		} else if e := dep("fastapi[all]"); e != nil {
			e.Value, e.Why = "uvicorn", "fastapi[all] installs it"
			s.Server = e
		}
	}
	if s.Framework != nil && s.Framework.Value == "django" {
		s.Migrations = r.fileEvidence("manage.py", "manage.py migrate")
	}
	s.Templates = r.templates(regexp.MustCompile(`render_template\(|TemplateResponse\(|Jinja2Templates\(|url_for\(`), "python", nil)
	if s.Migrations == nil {
		s.Migrations = r.migrations()
	}
	r.pythonEntry(s)
	if s.PackageRoot = r.pyOwnPackage(); s.PackageRoot != nil {
		r.ownPackage = s.PackageRoot.Value
	}
	if pm := s.PackageManager; pm != nil && strings.HasPrefix(pm.Why, "included by ") {
		if d := path.Dir(pm.File); d != "." && project.SkipDir(filepath.Join(r.dir, filepath.FromSlash(d)), path.Base(d), false) {
			// Its own project, which the root's scan does not read: the
			// app's code, routes and variables are there.
			s.AppIn = &Evidence{Value: d, File: pm.File, Why: pm.Why}
		}
	}
	s.SelfInstall = r.pySelfInstall()
	s.WriteDir = r.pythonWriteDir()
	s.Frontend = r.pythonFrontend()
	s.SelfVersionFromGit = s.SelfInstall != nil && (r.find("pyproject.toml", pyGitVersion) != nil || r.find("setup.py", pyGitVersion) != nil)
	if pm := s.PackageManager; pm != nil && strings.HasSuffix(pm.File, ".txt") {
		s.Requirements = r.includedRequirements(pm.File, 0)
		s.HashedRequirements = r.find(pm.File, regexp.MustCompile(`--hash[= ]`))
	}
	if pm := s.PackageManager; pm != nil && pm.Value == "pdm" && pm.File == "pdm.lock" {
		s.GitRequirement = r.find("pdm.lock", regexp.MustCompile(`^\s*git\s*=\s*["'](?:https?|ssh|git)://`))
	}
	for _, f := range r.pyDepFiles {
		if s.GitRequirement == nil && (!strings.HasSuffix(f, ".txt") || s.PackageManager == nil || strings.HasSuffix(s.PackageManager.File, ".txt")) {
			s.GitRequirement = r.find(f, pyGitRequirement)
		}
	}
	if len(s.Entrypoints) > 0 && !strings.Contains(s.Entrypoints[0].Value, "/") {
		// A module found under src/ is imported from there.
		module, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(s.Entrypoints[0].Value, "call:"), "-m "), ":")
		top, _, _ := strings.Cut(module, ".")
		if top != "" && !exists(r.dir, top+".py") && !exists(r.dir, top) && (exists(r.dir, "src/"+top+".py") || exists(r.dir, "src/"+top)) {
			s.ImportRoot = "src"
		}
		if s.ImportRoot == "" && s.Framework != nil && s.Framework.Value == "django" {
			s.ImportRoot = r.djangoProjectDir(module)
		}
	}
	manage := path.Join(s.ImportRoot, "manage.py")
	switch {
	case s.Framework != nil && s.Framework.Value == "django" && exists(r.dir, manage):
		s.Migrate = &Evidence{Value: "django", File: manage, Why: manage + " migrate"}
	case exists(r.dir, "alembic.ini"):
		s.Migrate = &Evidence{Value: "alembic", File: "alembic.ini", Why: "alembic upgrade head"}
	case dep("flask-migrate") != nil:
		s.Migrate = dep("flask-migrate")
		s.Migrate.Why = "flask db upgrade"
		if d := r.flaskMigrationsDir(s.ImportRoot); d != nil {
			s.Migrations = d
			s.Migrate.Why += " --directory " + d.Value
		}
	}
	if s.Migrate == nil && s.Framework != nil && s.Framework.Value == "flask" {
		s.SetupCommand = r.flaskSetupCommand()
	}
	s.Tests = r.firstFile([2]string{"pytest.ini", "pytest"}, [2]string{"conftest.py", "pytest"}, [2]string{"tests/conftest.py", "pytest"})
	if s.Tests == nil {
		s.Tests = dep("pytest")
	}
	return s
}

var (
	pyAppObject = regexp.MustCompile(`^(\w+)\s*(?::\s*[\w.]+\s*)?=\s*(?:[\w.]+\.)?(?:FastAPI|Flask|Starlette|Quart|Sanic|Litestar|falcon\.asgi\.App|falcon\.App|create_app|make_app|get_application|get_app|get_wsgi_application|get_asgi_application)\(`)
	pyFactory   = regexp.MustCompile(`^(?:async\s+)?def\s+(create_app|make_app|get_application|get_app|application_factory)\(`)
	pyWSGI      = regexp.MustCompile(`^WSGI_APPLICATION\s*=\s*["']([\w.]+)\.application["']`)
	pyMain      = regexp.MustCompile(`^if\s+__name__\s*==\s*["']__main__["']`)
	flaskApp    = regexp.MustCompile(`^\s*(?:export\s+|ENV\s+)?FLASK_APP\s*[= ]\s*(?:"([^"]+)"|'([^']+)'|([\w./:()]+))`)
	pyScripts   = regexp.MustCompile(`^\[(?:project\.scripts|tool\.poetry\.scripts)\]`)
	pyScript    = regexp.MustCompile(`^["']?([\w.-]+)["']?\s*=\s*["']([\w.]+):(\w+)["']`)
)

var (
	// A Flask CLI command that creates the database: @click.command("init-db")
	// registered with app.cli.add_command, or @app.cli.command("init-db").
	flaskSetupCommand = regexp.MustCompile(`^\s*@(click|\w+\.cli)\.command\(\s*["']((?:init|create|setup)[-_]?(?:db|database|tables|schema))["']`)
	flaskAddCommand   = regexp.MustCompile(`\.cli\.add_command\(`)
)

// flaskSetupCommand is the Flask CLI command the code declares to create
// its database, when the app registers it.
func (r *repo) flaskSetupCommand() *Evidence {
	var found *Evidence
	registered := false
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".py") {
			continue
		}
		for i, line := range r.read(f) {
			if m := flaskSetupCommand.FindStringSubmatch(line); m != nil && found == nil {
				found = &Evidence{Value: m[2], File: f, Line: i + 1, Why: "flask " + m[2]}
				registered = registered || m[1] != "click"
			}
			registered = registered || flaskAddCommand.MatchString(line)
		}
	}
	if found == nil || !registered {
		return nil
	}
	return found
}

// notScripts are root files with a __main__ block that are not the app.
var notScripts = map[string]bool{"manage.py": true, "setup.py": true, "conftest.py": true, "tests.py": true, "test.py": true,
	"fabfile.py": true, "tasks.py": true, "noxfile.py": true, "config.py": true, "settings.py": true}

// pythonEntry decides what runs, strongest evidence first: a command the
// repository declares (Procfile, Dockerfile, start script), FLASK_APP,
// then the code: app objects, app factories, [project.scripts], scripts
// with a __main__ block. Several candidates of the strongest kind found
// are a choice for the user.
func (r *repo) pythonEntry(s *Stack) {
	for _, c := range r.commands() {
		e, ok := r.pythonRun(s, c)
		if ok {
			s.Entrypoints = append(s.Entrypoints, e)
			s.Entrypoints = append(s.Entrypoints, r.pythonCandidates(s, e.Value)...)
			return
		}
	}
	for _, f := range []string{".flaskenv", ".env", ".env.example", ".env.sample", "Dockerfile"} {
		if e := r.find(f, flaskApp); e != nil {
			if v, root, ok := r.flaskTarget(e.Value); ok {
				e.Value, e.Why = v, "FLASK_APP"
				if root != "" {
					e.Why += ", imported from " + root + "/"
					s.ImportRoot = root
				}
				s.Entrypoints = append([]Evidence{*e}, r.pythonCandidates(s, e.Value)...)
				return
			}
		}
	}
	apps, factories, calls, scripts := r.pythonCode()
	for _, kind := range [][]Evidence{apps, factories, calls, scripts} {
		if len(kind) == 0 {
			continue
		}
		s.Entrypoints = append(append(append(append([]Evidence{}, apps...), factories...), calls...), scripts...)
		if len(kind) > 1 {
			s.ambiguous("entry point", "--entrypoint", kind)
		}
		return
	}
}

// djangoProjectDir is the directory a Django project lives in below the
// repository's root, where the module it serves is not at the root:
// shynet keeps manage.py and its shynet/ package in shynet/, so
// shynet.wsgi is imported from there (and manage.py runs there). "" for
// none.
func (r *repo) djangoProjectDir(module string) string {
	file := strings.ReplaceAll(module, ".", "/") + ".py"
	if exists(r.dir, file) {
		return ""
	}
	dirs, _ := filepath.Glob(filepath.Join(r.dir, "*", "manage.py"))
	slices.Sort(dirs)
	for _, m := range dirs {
		d := filepath.Base(filepath.Dir(m))
		if exists(r.dir, path.Join(d, file)) {
			return d
		}
	}
	return ""
}

// pythonFrontend is the front end a Python service's repository builds in
// a Node stage of one of its Dockerfiles and copies into its tree:
// linkding's docker/default.Dockerfile runs `npm run build` (rollup and
// postcss) in its node-build stage and copies bookmarks/static from it,
// which its templates load (bundle.js, theme-light.css; git holds
// neither). The image builds it so. nil when none does.
func (r *repo) pythonFrontend() *Frontend {
	names := slices.Clone(r.repoDockerfiles())
	for _, pattern := range []string{"Dockerfile.*", "*.Dockerfile", "*.dockerfile", "docker/Dockerfile*", "docker/*.Dockerfile", "docker/*.dockerfile"} {
		matches, _ := filepath.Glob(filepath.Join(r.dir, pattern))
		slices.Sort(matches)
		for _, m := range matches {
			rel, err := filepath.Rel(r.dir, m)
			if rel = filepath.ToSlash(rel); err == nil && isFile(r.dir, rel) && !slices.Contains(names, rel) {
				names = append(names, rel)
			}
		}
	}
	return r.nodeStageFrontend(names, nil)
}

// pyDep is where the dependency files declare the package name (Value),
// nil where none does.
func (r *repo) pyDep(name string) *Evidence {
	re := regexp.MustCompile(`(?i)(?:^|["'\s])` + quoteMeta(name) + `(?:$|[\s"'<>=~!\[;,])`)
	for _, f := range r.pyDepFiles {
		e := r.find(f, re)
		if path.Base(f) == "pyproject.toml" {
			e = r.findPyDependency(f, re)
		}
		if e != nil {
			e.Value = name
			return e
		}
	}
	return nil
}

// pythonCandidates are the code's candidates other than chosen, for the
// record.
func (r *repo) pythonCandidates(s *Stack, chosen string) []Evidence {
	apps, factories, calls, scripts := r.pythonCode()
	var out []Evidence
	for _, e := range append(append(append(apps, factories...), calls...), scripts...) {
		if e.Value != chosen {
			out = append(out, e)
		}
	}
	return out
}

// pythonRun reads a declared command as a Python entry point.
func (r *repo) pythonRun(s *Stack, c command) (Evidence, bool) {
	if e, ok := r.consoleScript(c); ok {
		return e, true
	}
	run, ok := parseRun(c)
	if !ok || run.target == "" && run.server != "flask" {
		return Evidence{}, false
	}
	e := c.at
	switch run.server {
	case "python":
		if run.target == "manage.py" {
			if len(c.args) < 3 || c.args[2] != "runserver" {
				return Evidence{}, false // migrate, collectstatic: not the server
			}
			apps, _, _, _ := r.pythonCode()
			for _, a := range apps {
				if strings.HasSuffix(a.Value, ":application") {
					a.Why = "manage.py runserver (" + c.at.Why + "), served by its WSGI application"
					return a, true
				}
			}
			return Evidence{}, false
		}
		if !strings.HasSuffix(run.target, ".py") && !strings.HasPrefix(run.target, "-m ") {
			return Evidence{}, false
		}
		e.Value = strings.TrimPrefix(run.target, "./")
		if c.dir != nil && strings.HasPrefix(e.Value, c.dir.Value+"/") {
			s.RunDir = c.dir
		}
		// `python app.py` of a module that defines a WSGI/ASGI app runs the
		// framework's development server: production serves the app
		// object with gunicorn or uvicorn instead.
		if module := strings.ReplaceAll(strings.TrimSuffix(e.Value, ".py"), "/", "."); strings.HasSuffix(e.Value, ".py") {
			if app, ok := r.moduleApp(module); ok && !strings.HasSuffix(app, "()") && s.Framework != nil {
				e.Value, e.Why = app, c.at.Why+" runs "+module+"'s development server; its app object is served instead"
				return r.pythonRunPort(s, c, run, e), true
			}
		}
		// The script's own arguments (changedetection.io's `python
		// ./changedetection.py -d /datastore`: without -d it looks for
		// ../datastore and exits 2).
		r.programArgs = &startArgs{entry: e.Value, at: c.at, args: run.args}
	case "flask":
		v, root, ok := "", "", false
		for _, f := range []string{".flaskenv", ".env", ".env.example", "Dockerfile"} {
			if fe := r.find(f, flaskApp); fe != nil {
				if v, root, ok = r.flaskTarget(fe.Value); ok {
					break
				}
			}
		}
		if run.target != "" {
			v, root, ok = r.flaskTarget(run.target)
		}
		if ok && root != "" {
			s.ImportRoot = root
		}
		if !ok {
			return Evidence{}, false
		}
		e.Value = v
	case "fastapi":
		v, ok := r.moduleApp(strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(run.target, "./"), ".py"), "/", "."))
		if !ok {
			return Evidence{}, false
		}
		e.Value = v
	default:
		e.Value = run.target
		if module, obj, ok := strings.Cut(e.Value, ":"); ok {
			// uvicorn app/main:app, gunicorn src.app:app
			e.Value = strings.ReplaceAll(strings.TrimSuffix(module, ".py"), "/", ".") + ":" + obj
		} else if run.server == "gunicorn" || run.server == "daphne" {
			e.Value += ":application" // gunicorn's default object
		} else {
			return Evidence{}, false
		}
		if run.factory && !strings.HasSuffix(e.Value, ")") {
			e.Value += "()"
		}
		if s.Server == nil || s.Server.Value != run.server {
			srv := c.at
			srv.Value = run.server
			if r.pyDep(run.server) == nil && r.find("setup.py", regexp.MustCompile(`["']`+run.server+`\b`)) == nil &&
				r.find("setup.cfg", regexp.MustCompile(`^\s*`+run.server+`\b`)) == nil {
				// isso's Dockerfile installs gunicorn by a pip line of its
				// own: the image installs init's pin of it.
				srv.Why += "; no dependency file declares it"
				s.ServerUndeclared = true
			}
			s.Server = &srv
		}
	}
	return r.pythonRunPort(s, c, run, e), true
}

// pythonRunPort takes the port (and its variable) the command gives its
// server, or the bind of the gunicorn configuration it runs with, and
// returns e, the entry point.
func (r *repo) pythonRunPort(s *Stack, c command, run run, e Evidence) Evidence {
	if run.port == nil && run.server == "gunicorn" {
		run.port = r.gunicornConfigPort(run.config, c.at)
	}
	if run.server == "gunicorn" {
		if run.worker != "" {
			w := c.at
			w.Value, w.Why = run.worker, c.at.Why+" runs the app in it"
			s.WorkerClass = &w
		} else {
			s.WorkerClass = r.gunicornSetting(run.config, gunicornWorker, "the worker class", c.at)
		}
	}
	if run.port != nil {
		s.Port = run.port
	}
	if run.portVar != "" {
		pv := c.at
		pv.Value = run.portVar
		s.PortVar = &pv
	}
	return e
}

// gunicornBind is a gunicorn configuration file's bind setting, by its
// port: bind = '0.0.0.0:5005', bind = ["0.0.0.0:8000"].
var gunicornBind = regexp.MustCompile(`^\s*bind\s*=\s*\[?\s*['"][^'"]*:(\d{2,5})['"]`)

// gunicornConfigPort is the port of the bind the gunicorn configuration
// file sets that the command names (app-generator/api-server-flask's
// Dockerfile: gunicorn --config gunicorn-cfg.py run:app, bind =
// '0.0.0.0:5005'), or gunicorn.conf.py, which gunicorn reads from its
// working directory unasked; nil without one. The image's own --bind
// takes that port then, as the repository serves it.
func (r *repo) gunicornConfigPort(config string, at Evidence) *Evidence {
	return r.gunicornSetting(config, gunicornBind, "the bind", at)
}

// gunicornSetting is the setting re reads in the gunicorn configuration
// the command runs with (or gunicorn.conf.py), nil without one.
func (r *repo) gunicornSetting(config string, re *regexp.Regexp, what string, at Evidence) *Evidence {
	if config == "" {
		config = "gunicorn.conf.py"
	}
	config = path.Clean(strings.TrimPrefix(config, "./"))
	if path.IsAbs(config) || strings.HasPrefix(config, "..") {
		return nil
	}
	e := r.find(config, re)
	if e == nil {
		return nil
	}
	e.Why = what + " of " + config + ", which gunicorn runs with (" + at.Where() + ")"
	return e
}

// gunicornWorker is a gunicorn configuration file's worker class:
// worker_class = "uvicorn.workers.UvicornWorker".
var gunicornWorker = regexp.MustCompile(`^\s*worker_class\s*=\s*['"]([\w.]+)['"]`)

// consoleScript reads a command that runs one of the project's console
// scripts ([project.scripts] lnbits = "lnbits.server:main"; the
// repository's Dockerfile runs `uv run lnbits`) as that function.
func (r *repo) consoleScript(c command) (Evidence, bool) {
	k := 0
	if len(c.args) > 1 && (path.Base(c.args[0]) == "python" || path.Base(c.args[0]) == "python3") && consoleScriptPath(c.args[1]) {
		k = 1 // Radicale's ENTRYPOINT ["/app/bin/python", "/app/bin/radicale"]: the script a virtualenv installs
	}
	if len(c.args) <= k || !consoleScriptPath(c.args[k]) {
		return Evidence{}, false
	}
	name := path.Base(c.args[k])
	_, _, calls, _ := r.pythonCode()
	for _, call := range calls {
		if call.Why == "console script "+name {
			e := c.at
			e.Value = call.Value
			e.Why = c.at.Why + " runs the console script " + name + " (" + call.Where() + ")"
			// Its arguments (Radicale's CMD ["--hosts", "0.0.0.0:5232"]:
			// without them it listens on localhost alone).
			r.programArgs = &startArgs{entry: e.Value, at: c.at, args: c.args[k+1:]}
			return e, true
		}
	}
	return Evidence{}, false
}

// consoleScriptPath is a word that may run a console script: its name,
// or its path in a bin directory (/app/bin/radicale, /usr/local/bin/x).
func consoleScriptPath(w string) bool {
	if w == "" || strings.HasPrefix(w, "-") {
		return false
	}
	return !strings.Contains(w, "/") || path.Base(path.Dir(w)) == "bin"
}

// flaskTarget turns a FLASK_APP value (microblog.py, app:create_app(),
// app) into module:object, and the directory it is imported from where
// the value is a path (src/app:app, src/app.py:app: Azure-Samples/flask-
// db-quiz-example's .env.sample), as flask's prepare_import reads one: up
// from the file while the directory is a package (app/__init__.py:app is
// the package app, from the root).
func (r *repo) flaskTarget(v string) (string, string, bool) {
	if file, obj, ok := strings.Cut(v, ":"); ok {
		file = strings.TrimSuffix(strings.TrimPrefix(file, "./"), ".py")
		if !strings.Contains(file, "/") {
			return file + ":" + obj, "", true
		}
		file = strings.TrimSuffix(file, "/__init__")
		parts, dir := []string{path.Base(file)}, path.Dir(file)
		for dir != "." && exists(r.dir, path.Join(dir, "__init__.py")) {
			parts, dir = append([]string{path.Base(dir)}, parts...), path.Dir(dir)
		}
		if dir == "." {
			dir = ""
		}
		return strings.Join(parts, ".") + ":" + obj, dir, true
	}
	v, ok := r.moduleApp(strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(v, "./"), ".py"), "/", "."))
	return v, "", ok
}

// moduleApp finds the app object (or factory) a module defines.
func (r *repo) moduleApp(module string) (string, bool) {
	file := strings.ReplaceAll(module, ".", "/")
	for _, f := range []string{file + ".py", file + "/__init__.py", "src/" + file + ".py", "src/" + file + "/__init__.py"} {
		if e := r.find(f, pyAppObject); e != nil {
			return module + ":" + e.Value, true
		}
		if e := r.find(f, pyFactory); e != nil {
			return module + ":" + e.Value + "()", true
		}
	}
	return "", false
}

// pythonCode lists the code's candidates by kind, read once per repo.
func (r *repo) pythonCode() (apps, factories, calls, scripts []Evidence) {
	if r.py == nil {
		r.py = new([4][]Evidence)
		r.py[0], r.py[1], r.py[2], r.py[3] = r.readPythonCode()
	}
	// Copies: callers append to and reorder what they get.
	return slices.Clone(r.py[0]), slices.Clone(r.py[1]), slices.Clone(r.py[2]), slices.Clone(r.py[3])
}

func (r *repo) readPythonCode() (apps, factories, calls, scripts []Evidence) {
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".py") {
			continue
		}
		module := strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(f, "src/"), ".py"), "/", ".")
		module = strings.TrimSuffix(module, ".__init__")
		if e := r.find(f, pyAppObject); e != nil {
			e.Value = module + ":" + e.Value
			apps = append(apps, *e)
		} else if e := r.find(f, pyFactory); e != nil {
			e.Value = module + ":" + e.Value + "()"
			factories = append(factories, *e)
		}
		if e := r.find(f, pyWSGI); e != nil {
			e.Value += ":application"
			apps = append(apps, *e)
		}
		if !strings.Contains(f, "/") && !notScripts[f] && !strings.HasPrefix(f, "test") {
			if e := r.find(f, pyMain); e != nil {
				e.Value = f
				scripts = append(scripts, *e)
			}
		}
	}
	// A module that defines app = create_app() is the app; the factory it
	// calls is not another candidate.
	if len(apps) > 0 {
		factories = nil
	}
	// Django: WSGI_APPLICATION names the one app; its wsgi.py and asgi.py
	// (application = get_wsgi_application()) are that project, not others.
	var settings *Evidence
	for i, a := range apps {
		if strings.HasSuffix(a.Value, ":application") && a.Line > 0 && pyWSGI.MatchString(strings.TrimSpace(r.read(a.File)[a.Line-1])) {
			settings = &apps[i]
			break
		}
	}
	if settings != nil {
		kept := []Evidence{*settings}
		for _, a := range apps {
			if !strings.HasSuffix(a.Value, ":application") {
				kept = append(kept, a)
			}
		}
		apps = kept
	}
	apps = uniqueValues(apps)
	for _, f := range []string{"pyproject.toml"} {
		in := false
		for i, line := range r.read(f) {
			t := strings.TrimSpace(line)
			if strings.HasPrefix(t, "[") {
				in = pyScripts.MatchString(t)
				continue
			}
			if m := pyScript.FindStringSubmatch(t); in && m != nil {
				calls = append(calls, Evidence{Value: "call:" + m[2] + ":" + m[3], File: f, Line: i + 1, Why: "console script " + m[1]})
			}
		}
	}
	return apps, factories, calls, scripts
}

// uniqueValues keeps the first piece of evidence of each value.
func uniqueValues(list []Evidence) []Evidence {
	var out []Evidence
	seen := map[string]bool{}
	for _, e := range list {
		if !seen[e.Value] {
			seen[e.Value] = true
			out = append(out, e)
		}
	}
	return out
}

var dockerPipInstall = regexp.MustCompile(`\bpip3?\s+install\b.*?\s(?:-r|--requirement)[\s=]+(\S+)`)

// dockerRequirements are the requirement files the repository's
// Dockerfile installs (pip install -r requirements/docker.txt), relative
// to the repository.
func (r *repo) dockerRequirements() []string {
	var out []string
	for _, name := range r.repoDockerfiles() {
		for _, line := range r.read(name) {
			for _, m := range dockerPipInstall.FindAllStringSubmatch(line, -1) {
				f := path.Clean(strings.TrimPrefix(strings.TrimPrefix(m[1], "/app/"), "./"))
				if !strings.HasPrefix(f, "..") && exists(r.dir, f) && !slices.Contains(out, f) {
					out = append(out, f)
				}
			}
		}
	}
	return out
}

var requirementInclude = regexp.MustCompile(`^\s*(?:-r|-c|--requirement|--constraint)[\s=]+(\S+)`)

// requirementList includes a list of requirements (-r), not constraints.
var requirementList = regexp.MustCompile(`^\s*(?:-r|--requirement)[\s=]+(\S+)`)

// includedRequirements are the files a requirements file includes, and
// theirs, relative to the repository, each once.
// flaskMigrationsDir is Flask-Migrate's directory where it is not
// migrations/ at the root, which `flask db upgrade` reads unless told:
// the one directory of the code that holds its env.py and alembic.ini
// (Azure-Samples/flask-db-quiz-example's src/flaskapp/migrations, which
// its startup.sh passes with --directory; init's step failed on "Path
// doesn't exist: '/app/migrations'"). nil where migrations/ is at the
// root or the directory is not one.
func (r *repo) flaskMigrationsDir(importRoot string) *Evidence {
	if exists(r.dir, "migrations/env.py") {
		return nil
	}
	var found []string
	for _, f := range r.codeFiles() {
		if path.Base(f) != "env.py" || path.Base(path.Dir(f)) != "migrations" || devPath(f) {
			continue
		}
		if d := path.Dir(f); exists(r.dir, d+"/alembic.ini") || exists(r.dir, d+"/script.py.mako") {
			found = append(found, d)
		}
	}
	if len(found) != 1 {
		return nil
	}
	return &Evidence{Value: found[0], File: found[0] + "/env.py", Why: "Flask-Migrate's directory"}
}

// pyProjectTable is a pyproject.toml table that makes it a project's
// manifest: [project] or [build-system]. One of tools' settings alone
// ([tool.ruff], [tool.pytest.ini_options]) declares nothing to install:
// Azure-Samples/flask-db-quiz-example's build read its [project] and
// stopped on KeyError: 'project'.
var pyProjectTable = regexp.MustCompile(`^\[(?:project|build-system)\]`)

// devRequirements are the root's development requirement files.
var devRequirements = []string{"requirements-dev.txt", "requirements_dev.txt", "dev-requirements.txt", "requirements-test.txt", "requirements/dev.txt", "requirements/development.txt"}

// devIncludedRequirements is the app's own requirements file that a
// development one at the root includes (-r src/requirements.txt, the
// shape of the Azure-Samples Python apps: the app in src/ beside a root
// of linters' settings), where the root has no other list: the first
// included file that is not itself a development one.
func (r *repo) devIncludedRequirements() *Evidence {
	for _, dev := range devRequirements {
		for _, line := range r.read(dev) {
			m := requirementList.FindStringSubmatch(line)
			if m == nil {
				continue // a constraints file (-c) lists no requirement
			}
			inc := path.Clean(path.Join(path.Dir(dev), m[1]))
			top, _, _ := strings.Cut(inc, "/")
			if !slices.Contains(devRequirements, inc) && !devPath(inc) && !strings.HasPrefix(inc, "..") && !project.SkipDirName(top) {
				if e := r.fileEvidence(inc, "pip"); e != nil {
					e.Why = "included by " + dev
					return e
				}
			}
		}
	}
	return nil
}

func (r *repo) includedRequirements(file string, depth int) []string {
	var out []string
	if depth > 5 {
		return nil
	}
	for _, line := range r.read(file) {
		m := requirementInclude.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		inc := path.Clean(path.Join(path.Dir(file), m[1]))
		if strings.HasPrefix(inc, "..") || !exists(r.dir, inc) || slices.Contains(out, inc) {
			continue
		}
		out = append(out, inc)
		for _, more := range r.includedRequirements(inc, depth+1) {
			if !slices.Contains(out, more) {
				out = append(out, more)
			}
		}
	}
	return out
}

// pyOwnImport is an import of a module of a package: from app.config
// import settings, import app.models.
var pyOwnImport = regexp.MustCompile(`^\s*(?:from|import)\s+([A-Za-z_]\w*)\.\w`)

// pyOwnPackage is the name the code imports its own directory by, where
// the directory is a package (its __init__.py) with no subdirectory or
// module of that name: huynhthanhtuyen456/Waste-Management-App's app/,
// whose Dockerfile copies it to /app and runs `fastapi run main.py`, which
// imports main.py as app.main from / and so finds app.config. nil
// otherwise.
func (r *repo) pyOwnPackage() *Evidence {
	if !isFile(r.dir, "__init__.py") {
		return nil
	}
	abs, err := filepath.Abs(r.dir)
	if err != nil {
		return nil
	}
	name := filepath.Base(abs)
	if !pyIdentName.MatchString(name) || pythonStdlib[name] || exists(r.dir, name) || exists(r.dir, name+".py") {
		// A standard library module's name (email/'s `from email.mime.text
		// import MIMEText`) is the library's: shadowing it would break
		// every module that imports it.
		return nil
	}
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".py") || devPath(f) {
			continue
		}
		for i, line := range r.read(f) {
			if m := pyOwnImport.FindStringSubmatch(line); m != nil && m[1] == name {
				return &Evidence{Value: name, File: f, Line: i + 1, Why: "the code imports its own directory, a package, as " + name}
			}
		}
	}
	return nil
}

var pyIdentName = regexp.MustCompile(`^[A-Za-z_]\w*$`)

// pyAsyncFrameworks are the frameworks init knows by the app their code
// makes: Quart(__name__), Sanic("name"), Litestar(route_handlers=[...]),
// falcon.asgi.App() (falcon.App() is WSGI's, served as Flask's).
var pyAsyncFrameworks = []struct {
	name string
	make *regexp.Regexp
}{
	{"quart", regexp.MustCompile(`\bQuart\(`)},
	{"sanic", regexp.MustCompile(`\bSanic\(`)},
	{"litestar", regexp.MustCompile(`\bLitestar\(`)},
	{"falcon-asgi", regexp.MustCompile(`\bfalcon\.asgi\.App\(|^\s*from\s+falcon\.asgi\s+import\s+App\b`)},
}

// pyCodeImports reports whether a Python file of the code imports module.
func (r *repo) pyCodeImports(module string) bool {
	re := regexp.MustCompile(`^\s*(?:from|import)\s+` + regexp.QuoteMeta(module) + `\b`)
	for _, f := range r.codeFiles() {
		if strings.HasSuffix(f, ".py") && r.findCode(f, re) != nil {
			return true
		}
	}
	return false
}

// pyAsyncFramework is the ASGI framework whose app the code makes, where
// a dependency file names its package: each is served by an ASGI server.
func (r *repo) pyAsyncFramework() *Evidence {
	for _, fw := range pyAsyncFrameworks {
		pkg, _, _ := strings.Cut(fw.name, "-")
		if r.pyDep(pkg) == nil {
			continue
		}
		for _, f := range r.codeFiles() {
			if !strings.HasSuffix(f, ".py") || project.TestFile(path.Base(f)) {
				continue
			}
			if e := r.findCode(f, fw.make); e != nil {
				e.Value, e.Why = fw.name, "the code makes its app with it"
				return e
			}
		}
	}
	return nil
}

// lastMatch is the last line of file re matches, its first group the
// value: a multi-stage Dockerfile's last FROM python:X runs the app (an
// earlier one may build docs).
func (r *repo) lastMatch(file string, re *regexp.Regexp) *Evidence {
	var out *Evidence
	for i, l := range r.read(file) {
		if m := re.FindStringSubmatch(l); m != nil && !isComment(l) {
			out = &Evidence{Value: m[1], File: file, Line: i + 1}
		}
	}
	return out
}
