package detect

import (
	"fmt"
	"testing"
)

func TestTemplateParts(t *testing.T) {
	reads := map[string]bool{"PGUSER": true, "PGPASSWORD": true, "PGHOST": true, "PGPORT": true, "PGDATABASE": true, "REDIS_PASS": true, "CACHE_SERVER": true, "NODE_ENV": true}
	for _, tc := range []struct{ rest, want string }{
		// fastify-docker's shape, a template literal's end and a comma after it.
		{"${process.env.PGUSER}:${process.env.PGPASSWORD}@${process.env.PGHOST}:${process.env.PGPORT}/${process.env.PGDATABASE}`,", "[{PGUSER user} {PGPASSWORD password} {PGHOST host} {PGPORT port} {PGDATABASE name}]"},
		// Defaults inside the placeholders, quoted (a drizzle config's
		// shape, found by code search).
		{"${process.env.PGUSER || 'postgres'}:${process.env.PGPASSWORD || 'password'}@${process.env.PGHOST || 'localhost'}:${process.env.PGPORT || '5433'}/${process.env.PGDATABASE || 'board_db'}`,", "[{PGUSER user} {PGPASSWORD password} {PGHOST host} {PGPORT port} {PGDATABASE name}]"},
		// No user: the first part is the host; a query ends the parts.
		{"${process.env.CACHE_SERVER}:6379/0?ssl=${process.env.PGHOST}`", "[{CACHE_SERVER host}]"},
		// A password alone, literal host.
		{":{os.environ['REDIS_PASS']}@redis:6379\"", "[{REDIS_PASS password}]"},
		// Placeholders that name no variable the code reads, and the
		// string's end before more of the line.
		{"${user}:${pass}@${host}/app`; const other = `${process.env.PGHOST}`", "[]"},
		// A part built of a literal and a placeholder says nothing of the
		// variable (a database per mode, a host under a domain); a mode
		// variable is never a part.
		{"${process.env.PGUSER}@${process.env.PGHOST}.internal:5432/myapp_${process.env.PGDATABASE}`", "[{PGUSER user}]"},
		{"${process.env.PGHOST}/${process.env.NODE_ENV}`", "[{PGHOST host}]"},
		// A literal with no placeholder.
		{"app:secret@db:5432/app'", "[]"},
		// An unclosed placeholder.
		{"${process.env.PGHOST", "[]"},
	} {
		if got := fmt.Sprint(templateParts(tc.rest, reads)); got != tc.want {
			t.Errorf("templateParts(%q) = %s, want %s", tc.rest, got, tc.want)
		}
	}
}

func FuzzTemplateParts(f *testing.F) {
	f.Add("${process.env.PGUSER}:${process.env.PGPASSWORD}@${process.env.PGHOST}:${process.env.PGPORT}/${process.env.PGDATABASE}`")
	f.Add(":{os.environ['REDIS_PASS']}@redis:6379\"")
	f.Add("${${{}}@:/?")
	reads := map[string]bool{"PGUSER": true, "PGPASSWORD": true, "PGHOST": true, "PGPORT": true, "PGDATABASE": true, "REDIS_PASS": true}
	roles := map[string]bool{"user": true, "password": true, "host": true, "port": true, "name": true}
	f.Fuzz(func(t *testing.T, rest string) {
		for _, p := range templateParts(rest, reads) {
			if !reads[p.name] || !roles[p.role] {
				t.Fatalf("part %+v from %q", p, rest)
			}
		}
	})
}
