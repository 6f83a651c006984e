package generate

import (
	"fmt"
	"slices"
	"strings"
)

// dbServices are the compose services init starts for each database, by
// the name the app's environment points at.
var dbServices = map[string]string{"postgres": "db", "mysql": "db", "mongodb": "mongo", "redis": "redis"}

// hostAliases are the names the set's code gives the host of a database
// service (db, mongo, redis) where they are not the service's own name (the code's 'mongodb://mongodb:27017'
// beside init's mongo): compose.yaml and the verify run give the service
// each as a network alias, so the app reaches it as it is written. A name
// another service of the project holds is left out; aliasNotes says so.
func (s *Set) hostAliases(service string) []string {
	var out []string
	for _, svc := range s.Services {
		for _, h := range svc.Plan.Stack.NamedHosts {
			if dbServices[h.Value] != service || !s.has(h.Value) || h.Why == service || s.serviceNamed(h.Why) {
				continue
			}
			if !slices.Contains(out, h.Why) {
				out = append(out, h.Why)
			}
		}
	}
	slices.Sort(out)
	return out
}

// serviceNamed reports whether the project's compose file has a service
// of that name: the proxy, a database or broker it starts, an app or its
// migration.
func (s *Set) serviceNamed(name string) bool {
	switch name {
	case "proxy":
		return true
	case "db":
		return s.has("postgres") || s.has("mysql")
	case "mongo":
		return s.has("mongodb")
	case "redis", "rabbitmq", "nats":
		return s.has(name) || s.talksTo(name)
	}
	for _, svc := range s.Services {
		if svc.Name == name || svc.Name+"-migrate" == name {
			return true
		}
	}
	return false
}

// composeAliases is a database service's networks entry with its aliases,
// "" for none.
func composeAliases(aliases []string) string {
	if len(aliases) == 0 {
		return ""
	}
	return fmt.Sprintf("    networks:\n      default:\n        aliases: [%s]\n", strings.Join(aliases, ", "))
}

// aliasNotes says, for each name the code gives a database's host, what
// makes it reach init's service: an alias, or a change where another
// service holds the name.
func aliasNotes(p *Plan) {
	set := Single(p) // a service of several is told by its directory's name, which hostAliases leaves out too
	for _, h := range p.Stack.NamedHosts {
		service := dbServices[h.Value]
		switch {
		case service == "" || !p.Has(h.Value) || h.Why == service:
		case set.serviceNamed(h.Why):
			p.note("%s:%d names %s's host %q, which is another service's name in compose.yaml: the app will not reach init's %s; read the address from a variable (compose.yaml sets the usual one) or rename the host there",
				h.File, h.Line, h.Value, h.Why, service)
		default:
			p.note("%s:%d names %s's host %q: compose.yaml and init --verify's run give the service %q that name too (a network alias); on Kubernetes, name the database's Service %q or read the address from a variable",
				h.File, h.Line, h.Value, h.Why, service, h.Why)
		}
	}
}
