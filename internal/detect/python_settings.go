package detect

import (
	"cmp"
	"regexp"
	"slices"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

// A pySetting is a field of a pydantic settings class: the variable it
// is read from (the class's env_prefix, then the name) and its default.
type pySetting struct {
	Evidence        // Value is the variable
	field    string // the field's name
	def      string // the default as written, "" when none
}

var (
	pySettingsField = regexp.MustCompile(`^\s+([A-Za-z_]\w*)\s*:\s*[^=]+?(?:=\s*(.+))?$`)
	pyEnvPrefix     = regexp.MustCompile(`\benv_prefix\s*=\s*[rb]?["']([^"']*)["']`)
	pyFieldDefault  = regexp.MustCompile(`^(?:Field\(\s*(?:default\s*=\s*)?)?["']?([^"',)]*)["']?`)
)

// pySettings reads the pydantic settings classes of the code: classes
// deriving from BaseSettings, or from a class of the same file that
// does, and those named *Settings in a file that imports BaseSettings.
// A field is read from the variable of its name, upper-cased, after the
// class's env_prefix (model_config = SettingsConfigDict(env_prefix="APP_"),
// or class Config: env_prefix = "APP_").
func (r *repo) pySettings() []pySetting {
	var out []pySetting
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".py") {
			continue
		}
		lines := r.read(f)
		imports := false
		for _, l := range lines {
			if strings.Contains(l, "BaseSettings") {
				imports = true
				break
			}
		}
		if !imports {
			continue
		}
		settings := map[string]bool{"BaseSettings": true}
		for i := 0; i < len(lines); i++ {
			m := project.PyClassLine.FindStringSubmatch(lines[i])
			if m == nil {
				continue
			}
			isSettings := strings.HasSuffix(m[1], "Settings")
			for _, base := range strings.Split(m[2], ",") {
				base = strings.TrimSpace(base)
				base = base[strings.LastIndex(base, ".")+1:]
				isSettings = isSettings || settings[base]
			}
			end := i + 1
			for end < len(lines) && (strings.TrimSpace(lines[end]) == "" || strings.HasPrefix(lines[end], " ") || strings.HasPrefix(lines[end], "\t")) {
				end++
			}
			if !isSettings {
				i = end - 1
				continue
			}
			settings[m[1]] = true
			prefix := ""
			for _, l := range lines[i+1 : end] {
				if p := pyEnvPrefix.FindStringSubmatch(l); p != nil {
					prefix = p[1]
				}
			}
			for j := i + 1; j < end; j++ {
				line := lines[j]
				indent := len(line) - len(strings.TrimLeft(line, " \t"))
				if indent != 4 && indent != 1 {
					continue // a nested class's or a method's line
				}
				fm := pySettingsField.FindStringSubmatch(line)
				if fm == nil || fm[1] == "model_config" || strings.HasPrefix(fm[1], "_") {
					continue
				}
				def := ""
				if d := pyFieldDefault.FindStringSubmatch(strings.TrimSpace(fm[2])); fm[2] != "" && d != nil {
					def = d[1]
				}
				out = append(out, pySetting{Evidence: Evidence{Value: strings.ToUpper(prefix + fm[1]), File: f, Line: j + 1}, field: fm[1], def: def})
			}
			i = end - 1
		}
	}
	return out
}

// pySettingsPort is the listen port a settings field gives by default
// (port: int = Field(default=5000)), read from its variable.
func pySettingsPort(fields []pySetting) *Evidence {
	for _, f := range fields {
		if !portKey.MatchString(f.field) || project.OtherServer(f.field) {
			continue
		}
		if m := bindDefault.FindStringSubmatch(f.def); m != nil {
			e := f.Evidence
			e.Value, e.Why = m[1], "default of $"+f.Evidence.Value+" (a pydantic settings field)"
			return &e
		}
	}
	return nil
}

// withEnvPrefix renames the variables the scan read from settings
// fields by their names alone to the names the class's env_prefix
// gives them, and keeps the names alone as their bases.
func withEnvPrefix(s *Stack, fields []pySetting) {
	env := s.Env
	at := map[string]string{}
	for _, f := range fields {
		if f.Value != strings.ToUpper(f.field) {
			at[f.Where()] = f.Value
		}
	}
	for i, e := range env {
		if v, ok := at[e.Where()]; ok && strings.HasSuffix(v, strings.ToUpper(e.Value)) {
			s.setEnvBase(v, strings.ToUpper(e.Value))
			env[i].Value = v
		}
	}
}

// pyAppEntry reports whether an entry point is an app object a server
// the image starts serves (module:app, module:create_app()), not a
// script or console script that binds its port itself.
func pyAppEntry(entry string) bool {
	return strings.Contains(entry, ":") && !strings.HasPrefix(entry, "call:")
}

// pyURLHelper is a call that reads a database URL from the environment
// itself: dj-database-url's config() (DATABASE_URL, or its env=),
// django-environ's env.db() and env.db_url() (DATABASE_URL, or the name
// passed first).
var pyURLHelper = regexp.MustCompile(`\b(?:dj_database_url\.config\(\s*(?:[^)]*\benv\s*=\s*['"]([A-Z_][A-Z0-9_]*)['"])?|env\.db(?:_url)?\(\s*(?:['"]([A-Z_][A-Z0-9_]*)['"])?)`)

// pyURLHelperReads are the variables such calls read that the code's
// own reads do not name (a settings.py's DATABASES = {'default':
// dj_database_url.config(conn_max_age=600)} reads DATABASE_URL).
func (r *repo) pyURLHelperReads(env []Evidence) []Evidence {
	var out []Evidence
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".py") {
			continue
		}
		for i, line := range r.read(f) {
			m := pyURLHelper.FindStringSubmatch(line)
			if m == nil || isComment(line) {
				continue
			}
			name := cmp.Or(m[1], m[2], "DATABASE_URL")
			if !slices.ContainsFunc(env, func(e Evidence) bool { return e.Value == name }) && !slices.ContainsFunc(out, func(e Evidence) bool { return e.Value == name }) {
				out = append(out, Evidence{Value: name, File: f, Line: i + 1, Why: "the URL helper it calls reads it"})
			}
		}
	}
	return out
}
