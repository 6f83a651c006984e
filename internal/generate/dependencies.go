package generate

import "strings"

// A Dependency is a service the app talks to, as compose runs it: under
// the name the app's environment points at (db, redis, mongo).
type Dependency struct {
	Alias  string
	Image  string
	Env    []string // with the secrets filled in
	Health []string
}

// Dependencies are the services the plan's app needs, with secret as every
// password, for a run outside compose (init --verify); and the app's own
// environment that points at them.
func Dependencies(p *Plan, secret string) (deps []Dependency, appEnvironment []string) {
	fill := func(v string) string {
		for _, ref := range []string{pgPassword, mysqlPassword} {
			v = strings.ReplaceAll(v, ref, secret)
		}
		return v
	}
	switch {
	case p.has("postgres"):
		deps = append(deps, Dependency{Alias: "db", Image: postgresImage,
			Env:    []string{"POSTGRES_USER=app", "POSTGRES_DB=app", "POSTGRES_PASSWORD=" + secret},
			Health: []string{"pg_isready", "-U", "app", "-d", "app", "-h", "127.0.0.1"}})
	case p.has("mysql"):
		deps = append(deps, Dependency{Alias: "db", Image: mysqlImage,
			Env:    []string{"MYSQL_USER=app", "MYSQL_DATABASE=app", "MYSQL_PASSWORD=" + secret, "MYSQL_RANDOM_ROOT_PASSWORD=yes"},
			Health: []string{"mysqladmin", "ping", "-h", "127.0.0.1"}})
	}
	if p.has("mongodb") {
		deps = append(deps, Dependency{Alias: "mongo", Image: mongoImage,
			Health: []string{"mongosh", "--quiet", "--eval", "db.adminCommand('ping').ok"}})
	}
	if p.has("redis") {
		deps = append(deps, Dependency{Alias: "redis", Image: redisImage, Health: []string{"redis-cli", "ping"}})
	}
	for _, e := range appEnv(p) {
		appEnvironment = append(appEnvironment, e[0]+"="+fill(e[1]))
	}
	return deps, appEnvironment
}
