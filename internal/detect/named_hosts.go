package detect

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

var (
	// codeNamedURL is a URL literal of a database whose host is a name of
	// one label, the name a compose file or a Kubernetes Service gives it:
	// 'mongodb://mongodb:27017/app', "redis://cache:6379",
	// 'mongodb://mongodb' (a Helm chart's Service). From the literal's
	// first character, so a message that mentions one is not it.
	codeNamedURL = regexp.MustCompile("[\"'`]([a-z]+)(?:\\+[a-z0-9]+)?://(?:[^\"'`\\s/@]*@)?([A-Za-z][A-Za-z0-9_-]*)(?::(\\d{2,5}))?(?:[/?\"'`]|$)")
	// codeNamedAddr is a host:port literal with a database's port:
	// guestbook-go's simpleredis.NewConnectionPoolHost("redis-master:6379").
	codeNamedAddr = regexp.MustCompile("[\"'`]([A-Za-z][A-Za-z0-9_-]*):(3306|5432|6379|27017)[\"'`/]")
	// codeNamedKeyword is a host passed by keyword or key, beside the
	// database's port or in a call that names the client: Redis(host=
	// "cache", port=6379), redis.createClient({ host: 'cache' }),
	// MongoClient(host='mongo').
	codeNamedKeyword = regexp.MustCompile(`\bhost\s*[=:]\s*["']([A-Za-z][A-Za-z0-9_-]*)["']`)
	// namedPort is the port beside it.
	namedPort = regexp.MustCompile(`\bport\s*[=:]\s*["']?(3306|5432|6379|27017)\b`)
	// namedClient names a database's client on the line.
	namedClient = regexp.MustCompile(`\b(?:Strict)?Redis\(|\bredis\.createClient\(|\bMongoClient\(`)
	// placeholderHost is a word that stands for a host in documentation,
	// not one: postgres://user:pass@host/db.
	placeholderHost = regexp.MustCompile(`^(?i:host|hostname|localhost|server|servername|example|address|addr|domain|ip|your[-_]?\w*|my[-_]?host|none|null|undefined|true|false|tcp|unix|user|username|password|pass|name)$`)
)

// namedHosts finds the names the app's own code gives the databases it
// talks to, where a name of one label is the host (`mongoose.connect(
// 'mongodb://mongodb:27017')`, `Redis(host="cache", port=6379)`,
// guestbook-go's "redis-master:6379"): the names the repository's own
// compose file or Kubernetes Services gave them. compose.yaml and the
// verify run give init's database service those names too, as network
// aliases, so the app reaches it with no change; a variable read beside
// the literal may move it, and the alias costs nothing then. Development,
// test and seed files and blocks are not the deployed app's.
func (r *repo) namedHosts(s *Stack, talks map[string]bool) {
	exts := langExts[s.Language]
	seen := map[string]bool{}
	for _, f := range r.codeFiles() {
		if !exts[path.Ext(f)] || devPath(f) {
			continue
		}
		if s.Language == "go" && !r.goBuildsOnLinux(f) {
			continue
		}
		lines := r.read(f)
		var doc []bool
		if path.Ext(f) == ".py" {
			doc = pyDocstringLines(lines)
		}
		for i, line := range lines {
			if isComment(line) || blockComment(line) || doc != nil && doc[i] {
				continue
			}
			for _, h := range namedHostsOn(lines, i, talks) {
				if seen[h[0]+" "+h[1]] || inDevBlock(lines, i) {
					continue
				}
				seen[h[0]+" "+h[1]] = true
				s.NamedHosts = append(s.NamedHosts, Evidence{Value: h[0], File: f, Line: i + 1, Why: h[1]})
			}
		}
	}
}

// namedHostsOn are the databases (ones the app talks to) and the names
// line i gives their hosts. A host key on a line of its own takes its
// port or its client from the lines around it, as a formatter breaks an
// options object (fescipioni/docker-compose-node-redis: createClient({ /
// host: 'redis-server', / port: 6379 }).
func namedHostsOn(lines []string, i int, talks map[string]bool) [][2]string {
	line := lines[i]
	var out [][2]string
	add := func(db, host string) {
		if talks[db] && !placeholderHost.MatchString(host) && !slices.Contains(out, [2]string{db, host}) {
			out = append(out, [2]string{db, host})
		}
	}
	for _, m := range codeNamedURL.FindAllStringSubmatch(line, -1) {
		db := schemeDatabases[m[1]]
		if m[3] != "" && servicePorts[m[3]] != "" && servicePorts[m[3]] != db {
			continue // another database's port: not what the scheme says
		}
		add(db, m[2])
	}
	for _, m := range codeNamedAddr.FindAllStringSubmatch(line, -1) {
		add(servicePorts[m[2]], m[1])
	}
	if m := codeNamedKeyword.FindStringSubmatch(line); m != nil && !strings.Contains(line, "://") {
		block := line
		if t := strings.TrimSpace(line); t == m[0]+"," || t == m[0] {
			block = objectAround(lines, i)
		}
		switch p := namedPort.FindStringSubmatch(block); {
		case p != nil:
			add(servicePorts[p[1]], m[1])
		case namedClient.MatchString(block):
			db := "redis"
			if strings.Contains(block, "Mongo") {
				db = "mongodb"
			}
			add(db, m[1])
		}
	}
	return out
}

// objectAround is the options object a key on line i of its own belongs
// to, as far as 3 lines each way: up to the line that opens it ({ at its
// end) and down to the line that closes it.
func objectAround(lines []string, i int) string {
	from, to := i, i
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		t := strings.TrimSpace(lines[j])
		if strings.HasPrefix(t, "}") || strings.HasSuffix(t, ";") {
			break
		}
		from = j
		if strings.HasSuffix(t, "{") {
			break
		}
	}
	for j := i + 1; j < len(lines) && j <= i+3; j++ {
		t := strings.TrimSpace(lines[j])
		if strings.HasPrefix(t, "}") || strings.HasSuffix(t, "{") {
			break
		}
		to = j
	}
	return strings.Join(lines[from:to+1], "\n")
}

// pyDocstringLines marks the lines of a Python file inside a triple-quoted
// string, its first and last lines too: a docstring's example (`export
// APP_DB_DSN="postgresql://user:pass@dbhost:5432/placement"`) names no
// host of the app's.
func pyDocstringLines(lines []string) []bool {
	in := make([]bool, len(lines))
	open := ""
	for i, line := range lines {
		in[i], open = project.PyDocstringStep(line, open)
	}
	return in
}
