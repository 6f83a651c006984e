package generate

import (
	"path"
	"strings"

	"github.com/shipshape/shipshape/internal/detect"
)

// A Dependency is a service the app talks to, as compose runs it: under
// the name the app's environment points at (db, redis, mongo).
type Dependency struct {
	Alias string
	// Names are more names the app reaches it by: those its code gives
	// the host (hostAliases).
	Names  []string
	Image  string
	Env    []string // with the secrets filled in
	Health []string
	// Files are the repository's files compose mounts into it (a
	// database's set-up scripts).
	Files []DependencyFile
}

// A DependencyFile is a repository file a dependency gets: Source relative
// to the service's directory, Target an absolute path in its container.
type DependencyFile struct {
	Source, Target string
}

// Dependencies are the services the plan's app needs, with secret as every
// password, for a run outside compose (init --verify); and the app's own
// environment that points at them.
func Dependencies(p *Plan, secret string) (deps []Dependency, appEnvironment []string) {
	fill := func(v string) string {
		for _, ref := range []string{pgPassword, mysqlPassword, rabbitmqPassword} {
			v = strings.ReplaceAll(v, ref, secret)
		}
		return v
	}
	database := p.database()
	var files []DependencyFile
	if s := p.dbSetup(); s != nil {
		for _, f := range s.Files {
			files = append(files, DependencyFile{Source: f.Source, Target: path.Join(detect.InitDir, f.Name)})
		}
	}
	login := p.codeLogin()
	user, name := sqlLogin(login, database)
	password := secret
	if login != nil && login.Password != "" {
		password = login.Password // the code logs in with it (not one it reads)
	}
	switch {
	case p.Has("postgres"):
		deps = append(deps, Dependency{Alias: "db", Image: postgresImage,
			Env:    []string{"POSTGRES_USER=" + user, "POSTGRES_DB=" + name, "POSTGRES_PASSWORD=" + password},
			Health: []string{"pg_isready", "-U", user, "-d", name, "-h", "127.0.0.1"}, Files: files})
	case p.Has("mysql"):
		env := []string{"MYSQL_USER=" + user, "MYSQL_DATABASE=" + name, "MYSQL_PASSWORD=" + password, "MYSQL_RANDOM_ROOT_PASSWORD=yes"}
		if user == "root" {
			env = []string{"MYSQL_ROOT_PASSWORD=" + password, "MYSQL_DATABASE=" + name}
		}
		deps = append(deps, Dependency{Alias: "db", Image: mysqlImage,
			Env:    env,
			Health: []string{"mysqladmin", "ping", "-h", "127.0.0.1"}, Files: files})
	}
	if p.Has("mongodb") {
		deps = append(deps, Dependency{Alias: "mongo", Image: mongoImage,
			Health: []string{"mongosh", "--quiet", "--eval", "db.adminCommand('ping').ok"}})
	}
	if p.Has("redis") {
		deps = append(deps, Dependency{Alias: "redis", Image: redisImage, Health: []string{"redis-cli", "ping"}})
	}
	set := Single(p)
	for i := range deps {
		deps[i].Names = set.hostAliases(deps[i].Alias)
	}
	deps = append(deps, brokerDependencies(p, secret)...)
	for _, e := range appEnv(p, database) {
		appEnvironment = append(appEnvironment, e[0]+"="+fill(e[1]))
	}
	return deps, appEnvironment
}
