package detect

import (
	"path"
	"regexp"
	"strings"
)

// Beego (github.com/beego/beego/v2/server/web, and astaxie/beego before
// it) loads conf/app.conf from the working directory at start (web's
// config.go: WorkPath/conf/app.conf, else beside the binary), renders
// views/ and serves static/ from there, and listens on the file's
// httpport: the key of the [RUNMODE] section first, then the file's
// own, else 8080 (BConfig's default). A value of ${VAR||default} is VAR
// from the environment. Read at beego v2.3 (beego/beego@939cfde).

// beegoConfigFile is Beego's configuration file, against the working
// directory.
const beegoConfigFile = "conf/app.conf"

var (
	// beegoINILine is a key = value line of an ini file, or a [section].
	beegoINIKey     = regexp.MustCompile(`^\s*([\w.-]+)\s*=\s*(.*?)\s*$`)
	beegoINISection = regexp.MustCompile(`^\s*\[\s*([\w.-]+)\s*\]`)
	// beegoEnvValue is ${VAR} or ${VAR||default}.
	beegoEnvValue = regexp.MustCompile(`^\$\{([A-Za-z_]\w*)(?:\|\|([^}]*))?\}$`)
	// beegoRouter is a controller's route: beego.Router("/health",
	// &controllers.HealthController{}, "get:CheckHealth"); Value the
	// alias, the path, the controller's type and its method mapping.
	beegoRouter = regexp.MustCompile(`\b(\w+)\.Router\(\s*"([^"]*)"\s*,\s*&(?:\w+\.)?(\w+)\{\}\s*(?:,\s*"([^"]*)")?`)
	// beegoRun is Beego's serving call: beego.Run(), web.Run(":8080").
	beegoRun = regexp.MustCompile(`\b(?:beego|web)\.Run\(`)
	// beegoFuncRoute is a function's route: web.Get("/ping", f).
	beegoFuncRoute = regexp.MustCompile(`\b(\w+)\.Get\(\s*"(/[^"]*)"\s*,`)
)

// beegoUse is the chosen program's use of Beego, nil where it does not
// serve with it.
func (r *repo) beegoUse(s *Stack) *frameworkUse {
	if u := r.goFrameworkOf(s); u != nil && u.name == "Beego" {
		return u
	}
	return nil
}

// beegoConfig is Beego's configuration file where the program is run:
// the main package's directory first, then the root; "" where there is
// none or git ignores it.
func (r *repo) beegoConfig(s *Stack) string { return r.workdirFile(s, beegoConfigFile) }

// beegoLoads is the configuration file the program's Beego loads, ""
// for none.
func (r *repo) beegoLoads(s *Stack) string {
	if s.Language != "go" || r.beegoUse(s) == nil {
		return ""
	}
	return r.beegoConfig(s)
}

// beegoSetting is key's value in the ini file's lines, as Beego reads it
// in runmode (the section's key first, then the file's own), with its
// line; keys are matched without case, as its ini parser lowers them.
func beegoSetting(lines []string, runmode, key string) (string, int) {
	section, top, topLine := "", "", 0
	for i, l := range lines {
		if m := beegoINISection.FindStringSubmatch(l); m != nil {
			section = strings.ToLower(m[1])
			continue
		}
		m := beegoINIKey.FindStringSubmatch(l)
		if m == nil || !strings.EqualFold(m[1], key) {
			continue
		}
		switch {
		case section == strings.ToLower(runmode) && runmode != "":
			return m[2], i + 1
		case section == "" && topLine == 0:
			top, topLine = m[2], i+1
		}
	}
	return top, topLine
}

// beegoPort is the port a Beego program listens on: its configuration
// file's httpport in its run mode, with the variable where the value is
// ${VAR||default}; else Beego's 8080.
func (r *repo) beegoPort(s *Stack) (port, variable *Evidence) {
	u := r.beegoUse(s)
	if u == nil {
		return nil, nil
	}
	f := r.beegoConfig(s)
	if f == "" {
		return &Evidence{Value: "8080", File: u.serves.File, Line: u.serves.Line, Why: "Beego's default, with no " + beegoConfigFile}, nil
	}
	lines := r.read(f)
	runmode, _ := beegoSetting(lines, "", "runmode")
	if m := beegoEnvValue.FindStringSubmatch(runmode); m != nil {
		runmode = m[2] // ${RUNMODE||dev}: the default, the image setting no RUNMODE
	}
	if runmode == "" {
		runmode = "prod" // BConfig's default
	}
	v, line := beegoSetting(lines, runmode, "httpport")
	why := "httpport in " + f + " (run mode " + runmode + "), which Beego loads at start"
	if m := beegoEnvValue.FindStringSubmatch(v); m != nil {
		variable = &Evidence{Value: m[1], File: f, Line: line, Why: "Beego's httpport is $" + m[1]}
		v, why = m[2], "the default of $"+m[1]+" in "+f+"'s httpport"
	}
	if p := documentedPort.FindStringSubmatch(v); p != nil {
		return &Evidence{Value: p[1], File: f, Line: line, Why: why}, variable
	}
	return &Evidence{Value: "8080", File: u.serves.File, Line: u.serves.Line, Why: "Beego's default, httpport unset"}, variable
}

// beegoRuntimeFiles are the directories Beego opens from the working
// directory that the repository holds: conf/ (app.conf), views/ and
// static/.
func (r *repo) beegoRuntimeFiles(s *Stack) []Evidence {
	u := r.beegoUse(s)
	if u == nil {
		return nil
	}
	var out []Evidence
	for _, d := range []string{"conf", "views", "static"} {
		if r.beegoDir(s, d) == d {
			out = append(out, Evidence{Value: d, File: u.serves.File, Line: u.serves.Line, Why: "Beego reads " + d + "/ from the working directory"})
		}
	}
	return out
}

// beegoDir is where the repository holds the directory d that Beego
// reads from where the program is run: beside its main package first
// (run from there), then at the root; "" for neither.
func (r *repo) beegoDir(s *Stack, d string) string {
	for _, dir := range []string{s.Entrypoints[0].Value, "."} {
		if p := path.Join(dir, d); isDir(r.dir, p) && !r.gitIgnored(p) {
			return p
		}
	}
	return ""
}

// carryBeego carries the directories Beego reads that sit beside a main
// package of its own (cmd/server/conf) to where the image runs it,
// /app: the root's go in as runtime files.
func (r *repo) carryBeego(s *Stack) {
	u := r.beegoUse(s)
	if u == nil {
		return
	}
	for _, d := range []string{"conf", "views", "static"} {
		if p := r.beegoDir(s, d); p != "" && p != d && !s.carries("/app/"+d) {
			s.CarriedFiles = append(s.CarriedFiles, CarriedFile{Evidence: Evidence{Value: p, File: u.serves.File, Line: u.serves.Line,
				Why: "Beego reads " + d + "/ from the working directory, beside " + s.Entrypoints[0].Value + " where it is run"}, Dest: "/app/" + d})
		}
	}
}

// beegoRoutes are the GET routes a Beego program registers by
// Router and Get: a controller's where its mapping names get (or *), or
// where it names none and the controller has a Get method. Namespaces'
// NSRouter routes are not read (their prefixes are the namespace's).
func (r *repo) beegoRoutes(s *Stack) []route {
	if r.beegoUse(s) == nil {
		return nil
	}
	inProgram := r.programFiles(s)
	var out []route
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") || strings.HasSuffix(f, "_test.go") || !inProgram(f) {
			continue
		}
		for i, l := range r.read(f) {
			if isComment(l) {
				continue
			}
			if m := beegoRouter.FindStringSubmatch(l); m != nil && (m[1] == "beego" || m[1] == "web") && beegoGets(m[4], func() bool { return r.goHasMethod(m[3], "Get") }) {
				out = append(out, route{Evidence: Evidence{Value: m[2], File: f, Line: i + 1}})
			}
			if m := beegoFuncRoute.FindStringSubmatch(l); m != nil && (m[1] == "beego" || m[1] == "web") {
				out = append(out, route{Evidence: Evidence{Value: m[2], File: f, Line: i + 1}})
			}
		}
	}
	return out
}

// beegoGets reports whether a Router's method mapping answers GET:
// "get:GetRoot", "*:Any", "get,post:Handle"; with none, the
// controller's own Get method (hasGet) does.
func beegoGets(mapping string, hasGet func() bool) bool {
	if strings.TrimSpace(mapping) == "" {
		return hasGet()
	}
	for _, m := range strings.Split(mapping, ";") {
		methods, _, _ := strings.Cut(m, ":")
		for _, v := range strings.Split(methods, ",") {
			if v = strings.ToLower(strings.TrimSpace(v)); v == "get" || v == "*" {
				return true
			}
		}
	}
	return false
}

// goHasMethod reports whether the tree declares method on typ
// (func (c *MainController) Get()).
func (r *repo) goHasMethod(typ, method string) bool {
	decl := regexp.MustCompile(`^func\s*\(\s*\w*\s*\*?` + regexp.QuoteMeta(typ) + `\s*\)\s*` + regexp.QuoteMeta(method) + `\(`)
	for _, f := range r.codeFiles() {
		if strings.HasSuffix(f, ".go") && r.find(f, decl) != nil {
			return true
		}
	}
	return false
}
