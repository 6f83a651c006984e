package proxy

import (
	"regexp"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/source/compose"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
)

// router is one Traefik HTTP router declared in a service's labels.
type router struct {
	name   string
	labels map[string]string // the router's own keys: rule, entrypoints, tls, middlewares, ...
}

// routers returns the Traefik HTTP routers a service declares, when Traefik
// is enabled for it.
func routers(s types.ServiceConfig) []router {
	if strings.EqualFold(s.Labels["traefik.enable"], "false") {
		return nil
	}
	byName := map[string]*router{}
	for k, v := range s.Labels {
		rest, ok := strings.CutPrefix(k, "traefik.http.routers.")
		if !ok {
			continue
		}
		name, key, ok := strings.Cut(rest, ".")
		if !ok {
			continue
		}
		if byName[name] == nil {
			byName[name] = &router{name: name, labels: map[string]string{}}
		}
		byName[name].labels[strings.ToLower(key)] = v
	}
	out := make([]router, 0, len(byName))
	for _, r := range byName {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func (r router) has(prefix string) bool {
	for k := range r.labels {
		if k == prefix || strings.HasPrefix(k, prefix+".") {
			return true
		}
	}
	return false
}

// labelPos finds where a router's label is written, in list or map form,
// in whichever file of the project writes it.
func labelPos(p *compose.Project, service, routerName, key string) compose.Pos {
	want := "traefik.http.routers." + routerName + "." + key
	prefix := "traefik.http.routers." + routerName + "."
	var first *compose.Pos
	for _, item := range p.ItemsInEvery("services", service, "labels") {
		k := item.Key
		if k == "" {
			k, _, _ = strings.Cut(item.Node.Value, "=")
		}
		if k == want {
			return item.Pos
		}
		if first == nil && strings.HasPrefix(k, prefix) {
			pos := item.Pos
			first = &pos
		}
	}
	if first != nil {
		return *first
	}
	return p.LocateFirst([]string{"services", service, "labels"}, []string{"services", service})
}

// singleEntrypoint reports whether the project runs Traefik itself and that
// Traefik has at most one entrypoint: the ones its command line or
// environment declares (none means Traefik's default, one on :80), with no
// static configuration file mounted that could declare more.
func singleEntrypoint(p *compose.Project) bool {
	found := false
	names := map[string]bool{}
	for _, name := range p.ServiceNames() {
		s, _ := p.Service(name)
		if img := dockerfile.ParseImage(s.Image); s.Image == "" || img.Short() != "traefik" {
			continue
		}
		found = true
		for _, v := range s.Volumes {
			if staticConfig.MatchString(v.Target) {
				return false
			}
		}
		for _, arg := range s.Command {
			if m := entrypointFlag.FindStringSubmatch(arg); m != nil {
				names[strings.ToLower(m[1])] = true
			}
		}
		for k := range s.Environment {
			if m := entrypointEnv.FindStringSubmatch(k); m != nil {
				names[strings.ToLower(m[1])] = true
			}
		}
	}
	return found && len(names) <= 1
}

var (
	entrypointFlag = regexp.MustCompile(`^--entrypoints\.([^.=]+)\.`)
	entrypointEnv  = regexp.MustCompile(`^TRAEFIK_ENTRYPOINTS_([^_]+)_`)
	staticConfig   = regexp.MustCompile(`(^|/)traefik\.(ya?ml|toml)$|^/etc/traefik/?$`)
)

// redirectsAll reports whether every entrypoint of a router's list
// ("web,admin") is one the project's Traefik redirects elsewhere on its
// command line, so that the router never answers on it.
func redirectsAll(p *compose.Project, entrypoints string) bool {
	if entrypoints == "" {
		return false
	}
	redirecting := map[string]bool{}
	for _, name := range p.ServiceNames() {
		s, _ := p.Service(name)
		for _, arg := range s.Command {
			if m := redirectFlag.FindStringSubmatch(arg); m != nil {
				redirecting[strings.ToLower(m[1])] = true
			}
		}
	}
	for _, ep := range strings.Split(entrypoints, ",") {
		if !redirecting[strings.TrimSpace(ep)] {
			return false
		}
	}
	return true
}

var redirectFlag = regexp.MustCompile(`^--entrypoints\.([^.=]+)\.http\.redirections\.entrypoint\.to=`)
