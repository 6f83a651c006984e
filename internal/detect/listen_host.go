package detect

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

var (
	// loopbackLiteral is a listen call given a loopback address as a
	// literal: Go's r.Start("127.0.0.1:8585"), Express's
	// app.listen(3000, 'localhost').
	loopbackLiteral = regexp.MustCompile(`\b(?:Listen\w*|Run\w*|Start\w*|listen|run|bind|serve)\(\s*(?:[^,()]+,\s*)?["'` + "`" + `]((?:127\.0\.0\.1|localhost)(?::(\d+))?)["'` + "`" + `]`)
	// objectListen is Fastify's listen({ port, host }).
	objectListen = regexp.MustCompile(`\.listen\(\s*\{`)
	hostKey      = regexp.MustCompile(`\bhost\s*:\s*([^,}]+)`)
	hostShort    = regexp.MustCompile(`[{,]\s*host\s*[,}]`)
	envRead      = regexp.MustCompile(`process\.env\.([A-Z][A-Z0-9_]*)|process\.env\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\]`)
	loopbackWord = regexp.MustCompile(`^["'` + "`" + `](?:127\.0\.0\.1|localhost|::1)["'` + "`" + `]$`)
)

// listenHost reads where the app binds its address: a loopback literal in
// the listen call is a change the repository needs (nothing outside a
// container reaches it, and no variable moves it); a variable the call
// reads the host from is one the image sets to every address, as it sets
// the port's.
func (r *repo) listenHost(s *Stack) {
	if e := s.Port; e != nil && e.Line > 0 {
		lines := r.read(e.File)
		if e.Line <= len(lines) {
			if m := loopbackLiteral.FindStringSubmatch(lines[e.Line-1]); m != nil {
				to := "\":" + m[2] + "\""
				if m[2] == "" {
					to = "\"0.0.0.0\""
				}
				s.Needs = append(s.Needs, Evidence{File: e.File, Line: e.Line, Value: fmt.Sprintf(
					"the server listens on %s only (%s)), which nothing outside its container reaches, and no variable changes it: listen on %s (every address) or read the address from a variable, then run init again",
					m[1], strings.TrimSpace(m[0]), to)})
				return
			}
		}
	}
	if r.configListenHost(s) {
		return
	}
	defer r.exampleLoopbackHost(s)
	if s.Framework == nil || s.Framework.Value != "fastify" {
		return
	}
	scope := r.runScope(s)
	for _, f := range r.codeFiles() {
		if !langExts["node"][extOf(f)] || scope != nil && !scope[f] {
			continue // not what the image runs (fastify/fastify-example's deploy-recipes/cloud-run/index.js)
		}
		lines := r.read(f)
		for i, line := range lines {
			if !objectListen.MatchString(line) || isComment(line) {
				continue
			}
			call := listenCall(lines, i)
			what := "gives no host, so Fastify listens on localhost only"
			if m := hostKey.FindStringSubmatch(call); m != nil {
				value := strings.TrimSpace(m[1])
				what = "binds " + value + " only"
				if v := envRead.FindStringSubmatch(value); v != nil {
					s.HostVar = &Evidence{Value: v[1] + v[2], File: f, Line: i + 1, Why: "the host Fastify's listen binds"}
					return
				}
				if !loopbackWord.MatchString(value) {
					return // every address, or something init cannot read
				}
			} else if hostShort.MatchString(call) {
				return // { port, host }: a variable of the code's own
			}
			s.Needs = append(s.Needs, Evidence{File: f, Line: i + 1, Value: fmt.Sprintf(
				"Fastify's listen (%s) %s, which nothing outside its container reaches: pass host: process.env.HOST ?? '0.0.0.0' (the image sets HOST to 0.0.0.0) or host: '0.0.0.0', then run init again",
				strings.TrimSpace(clipCall(call)), what)})
			return
		}
	}
}

// listenHostName is a variable named for the address a server binds
// (SERVER_ADDR, HTTP_HOST, HOST; bagashiz/go-pos's HTTP_URL, which its
// listen address is built from); DB_HOST and the like are not. A URL
// name counts only with a server's prefix, and only where the example
// sets it to a bare loopback host (a public URL is no listen address).
var listenHostName = regexp.MustCompile(`^(?:(?:SERVER|HTTP|APP|API|WEB|LISTEN|BIND|SERVICE)_?)?(?:HOST|ADDR|ADDRESS|BIND|LISTEN|INTERFACE|IP)$|^(?:SERVER|HTTP|LISTEN|BIND)_URL$`)

// exampleLoopbackHost makes HostVar a variable the code reads, named for
// the address it binds, that the example env file sets to loopback
// (golang-mongodb-rest-api-starter's SERVER_ADDR=localhost): a run with
// the example's values would listen where nothing outside the container
// reaches. The image, compose.yaml and init --verify's run set it to
// every address.
func (r *repo) exampleLoopbackHost(s *Stack) {
	if s.HostVar != nil || len(s.Needs) > 0 {
		return
	}
	for _, v := range s.Env {
		if !listenHostName.MatchString(v.Value) || s.PortVar != nil && v.Value == s.PortVar.Value {
			continue
		}
		e := r.exampleEnvValue(v.Value)
		if e == nil {
			continue
		}
		if host, _, _ := strings.Cut(e.Value, ":"); host == "localhost" || host == "127.0.0.1" {
			s.HostVar = &Evidence{Value: v.Value, File: e.File, Line: e.Line, Why: "the example sets it to " + e.Value + ", loopback only"}
			return
		}
	}
}

// listenCall is the text of the call that starts on lines[i], up to its
// closing parenthesis or a few lines on.
func listenCall(lines []string, i int) string {
	var b strings.Builder
	depth := 0
	for j := i; j < len(lines) && j < i+8; j++ {
		line := lines[j]
		if j == i {
			line = line[objectListen.FindStringIndex(line)[0]:]
		}
		for k, c := range line {
			switch c {
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					b.WriteString(line[:k+1])
					return b.String()
				}
			}
		}
		b.WriteString(line + " ")
	}
	return b.String()
}

func clipCall(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

func extOf(f string) string {
	if i := strings.LastIndexByte(f, '.'); i >= 0 && !strings.Contains(f[i:], "/") {
		return f[i:]
	}
	return ""
}

// loopbackService is a database's address on the loopback interface, by
// the database's usual port. 0.0.0.0 as an address to connect to is the
// host itself too (bezkoder/node-express-mongodb's
// "mongodb://0.0.0.0:27017/bezkoder_db": ECONNREFUSED 0.0.0.0:27017).
var loopbackService = regexp.MustCompile(`\b(?:127\.0\.0\.1|localhost|0\.0\.0\.0):(3306|5432|6379|27017)\b`)

var servicePorts = map[string]string{"3306": "mysql", "5432": "postgres", "6379": "redis", "27017": "mongodb"}

// loopbackConfig finds, in the configuration files a Go or Rust program
// loads, the address of a database it talks to on the loopback interface
// (go-gin-example's conf/app.ini `Host = 127.0.0.1:3306`): in a container
// that is the container itself, and init sets nothing that moves it.
// The app's own code is read for it too (loopbackCode), in every language.
func (r *repo) loopbackConfig(s *Stack) {
	talks := talksTo(s)
	seen := map[string]bool{}
	if ext := map[string]string{"go": ".go", "rust": ".rs"}[s.Language]; ext != "" {
		files := r.loadedConfigFiles(ext)
		if f := r.beegoLoads(s); f != "" && !slices.Contains(files, f) {
			files = append(files, f)
		}
		for _, f := range files {
			r.loopbackIn(s, f, talks, seen, func(line string) bool { return !strings.HasPrefix(strings.TrimSpace(line), ";") })
		}
		r.loopbackFlags(s, talks, seen)
	}
	if s.Language == "node" {
		r.nodeHostOptions(s, talks, seen)
		for _, f := range r.requiredJSON() {
			if devPath(f) {
				continue
			}
			lines := r.read(f)
			for i := range lines {
				// sequelize-cli's config.json: the "development" and "test"
				// blocks are not what the deployed app reads.
				if db, addr := r.loopbackCodeLine(lines, i, talks); db != "" && !seen[db] && !inDevBlock(lines, i) {
					seen[db] = true
					s.LoopbackConfig = append(s.LoopbackConfig, Evidence{Value: db, File: f, Line: i + 1, Why: addr})
				}
			}
		}
	}
	r.loopbackCode(s, talks, seen)
}

// talksTo are the databases the app talks to.
func talksTo(s *Stack) map[string]bool {
	talks := map[string]bool{}
	for _, db := range s.Databases {
		talks[db.Value] = true
	}
	return talks
}

// requiresJSON is a JavaScript module's load of a JSON file:
// require('config.json'), require('./config/db.json'), an import of one.
var requiresJSON = regexp.MustCompile(`(?:\brequire\(\s*|\bimport\s+\w+\s+from\s+)["']([\w@./-]+\.json)["']`)

// requiredJSON are the JSON files the app's code loads, where settings
// sit as they do in a config module (cornflourblue/node-mysql-signup-
// verification-api's config.json, `"host": "localhost"` beside `"port":
// 3306`, which _helpers/db.js requires): a relative path from the file
// that loads it, a bare name (the config.json package's) from the root.
// Development and test files' loads are not the app's.
func (r *repo) requiredJSON() []string {
	var out []string
	for _, f := range r.codeFiles() {
		if !langExts["node"][path.Ext(f)] || devPath(f) {
			continue
		}
		for _, line := range r.read(f) {
			if !strings.Contains(line, ".json") || isComment(line) {
				continue
			}
			for _, m := range requiresJSON.FindAllStringSubmatch(line, -1) {
				name := path.Clean(m[1])
				if strings.HasPrefix(m[1], ".") {
					name = path.Join(path.Dir(f), m[1])
				}
				switch path.Base(name) {
				case "package.json", "package-lock.json", "tsconfig.json":
					continue
				}
				if !strings.HasPrefix(name, "..") && !slices.Contains(out, name) && r.read(name) != nil {
					out = append(out, name)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// configHostKey names a listen address's host beside its port key.
var configHostKey = regexp.MustCompile(`(?i)^(?:host|hostname|bind|ip|address|addr|listen)$`)

// configListenHost reads the host beside the port a configuration file
// sets (BetterToPractice/go-gin-setup's config/config.yaml: Http.Host
// 127.0.0.1 beside Http.Port 8080, joined by ListenAddr()): on loopback
// the server is out of reach from outside its container. The variable the
// loader maps to the key, where there is one, is HostVar (the image sets
// it to every address); else init stops before writing. It reports
// whether the host was on loopback.
func (r *repo) configListenHost(s *Stack) bool {
	e := s.Port
	if e == nil || !configExt[path.Ext(e.File)] {
		return false
	}
	lines := r.read(e.File)
	key, _ := configPortKey(lines)
	if key == nil {
		return false
	}
	for _, c := range configEntries(lines) {
		if len(c.key) != len(key) || !slices.Equal(c.key[:len(key)-1], key[:len(key)-1]) || !configHostKey.MatchString(c.key[len(c.key)-1]) {
			continue
		}
		value := strings.Trim(strings.TrimSpace(c.value), `"'`)
		if value != "127.0.0.1" && value != "localhost" && value != "::1" {
			return false
		}
		name := strings.Join(c.key, ".")
		if env := r.configEnv(path.Ext(e.File), c.key); env != "" {
			s.HostVar = &Evidence{Value: env, File: e.File, Line: c.line, Why: fmt.Sprintf("%s is %s; $%s overrides it", name, value, env)}
			return true
		}
		s.Needs = append(s.Needs, Evidence{File: e.File, Line: c.line, Value: fmt.Sprintf(
			"%s is %s: the server listens there only, which nothing outside its container reaches, and no variable changes it: set it to 0.0.0.0 (every address) or read it from a variable, then run init again",
			name, value)})
		return true
	}
	return false
}

// loopbackIn adds to s.LoopbackConfig each database the app talks to
// (talks) whose loopback address a line of file gives, once per database
// (seen), on the lines keep accepts; comments are skipped.
func (r *repo) loopbackIn(s *Stack, file string, talks, seen map[string]bool, keep func(line string) bool) {
	for i, line := range r.read(file) {
		if isComment(line) || !keep(line) {
			continue
		}
		m := loopbackService.FindStringSubmatch(line)
		if m == nil {
			m = r.loopbackBlock(file, i)
		}
		if m == nil || !talks[servicePorts[m[1]]] || seen[servicePorts[m[1]]] {
			continue
		}
		seen[servicePorts[m[1]]] = true
		s.LoopbackConfig = append(s.LoopbackConfig, Evidence{Value: servicePorts[m[1]], File: file, Line: i + 1, Why: m[0]})
	}
}

var (
	// loopbackHostKey is a host key set to the loopback interface alone:
	// `host: "localhost"` (YAML), `Host = 127.0.0.1` (ini), a prefixed
	// one (beego-presence-api's conf/app.conf `pg_host = localhost`,
	// whose port is pg_port's).
	loopbackHostKey = regexp.MustCompile(`^(\s*)((?i:[a-z]+_)?)(?i:host|hostname|server|addr|address)\s*[:=]\s*["']?(?:127\.0\.0\.1|localhost)["']?\s*$`)
	portKeyValue    = regexp.MustCompile(`^(\s*)((?i:[a-z]+_)?)(?i:port)\s*[:=]\s*["']?(\d{2,5})["']?\s*$`)
)

// loopbackBlock reads a host key on the loopback interface whose port is
// a key of the same block, a few lines around it (zhashkevych/todo-app's
// configs/config.yml: db: host: "localhost" ... port: "5432"): the match
// as loopbackService gives it, the host (the key's value) and the port;
// nil otherwise.
func (r *repo) loopbackBlock(file string, i int) []string {
	lines := r.read(file)
	h := loopbackHostKey.FindStringSubmatch(lines[i])
	if h == nil {
		return nil
	}
	// The block: the lines around i indented as it is, up to a line
	// indented less (the block's head) or a section header, 8 at most
	// each way.
	outside := func(j int) bool {
		t := strings.TrimSpace(lines[j])
		return strings.HasPrefix(t, "[") || t != "" && project.Indent(lines[j]) < project.Indent(h[1])
	}
	from, to := i, i
	for from > 0 && from > i-8 && !outside(from-1) {
		from--
	}
	for to+1 < len(lines) && to < i+8 && !outside(to+1) {
		to++
	}
	for j := from; j <= to; j++ {
		if p := portKeyValue.FindStringSubmatch(lines[j]); p != nil && len(p[1]) == len(h[1]) && strings.EqualFold(p[2], h[2]) && servicePorts[p[3]] != "" {
			host := "localhost"
			if strings.Contains(lines[i], "127.0.0.1") {
				host = "127.0.0.1"
			}
			return []string{host, p[3]} // the key holds the host alone
		}
	}
	return nil
}
