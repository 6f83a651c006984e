package lint

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/shipshape/shipshape/internal/source/bounds"
	"gopkg.in/yaml.v3"
)

// Config is what .shipshape.yaml (or a .hadolint.yaml) says.
type Config struct {
	// Path is the file the config came from, "" for defaults.
	Path    string
	Profile string
	// FailOn is the lowest severity that makes `check` exit 1.
	FailOn Severity
	// failOnSet records whether the file set fail-on, so a flag can tell.
	failOnSet bool
	// Rules maps a rule ID to its severity override; SeverityNone switches it off.
	Rules             map[string]Severity
	TrustedRegistries []string
	RequiredLabels    []string
	// LabelSchema maps a label key to its type: text, url, rfc3339, spdx,
	// hash, semver or email.
	LabelSchema  map[string]string
	StrictLabels bool
	BuildArgs    map[string]string
	// Target is the stage that ships (docker build --target), "" for the last.
	Target string
	// HelmValues and HelmSet render charts the way the team deploys them
	// (helm -f values-prod.yaml --set image.tag=...).
	HelmValues []string
	HelmSet    []string
}

// DefaultConfig is the configuration when no file is found.
func DefaultConfig() *Config {
	return &Config{Profile: ProfileRecommended, FailOn: Warning, Rules: map[string]Severity{}}
}

// FailOnSet reports whether the config file chose fail-on.
func (c *Config) FailOnSet() bool { return c.failOnSet }

// ConfigError names the file, line and key of a bad setting.
type ConfigError struct {
	Path string
	Line int
	Key  string
	Msg  string
}

func (e *ConfigError) Error() string {
	if e.Key != "" {
		return fmt.Sprintf("%s:%d: %s: %s", e.Path, e.Line, e.Key, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
}

// ErrNoConfig is returned by FindConfig when no config file exists.
var ErrNoConfig = errors.New("no config file")

var configNames = []string{".shipshape.yaml", ".shipshape.yml"}
var hadolintNames = []string{".hadolint.yaml", ".hadolint.yml"}

// FindConfig looks for .shipshape.yaml, then .hadolint.yaml, in dir and its
// parents up to the repository root (the first directory holding .git).
func FindConfig(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for _, names := range [][]string{configNames, hadolintNames} {
		found := ""
		bounds.Upward(dir, 0, func(d string) bool {
			for _, n := range names {
				if p := filepath.Join(d, n); statOK(p) {
					found = p
					return true
				}
			}
			return false
		})
		if found != "" {
			return found, nil
		}
	}
	return "", ErrNoConfig
}

// LoadConfig reads a config file; a file named like .hadolint.yaml is read
// as hadolint's format.
func LoadConfig(path string) (*Config, error) {
	data, err := bounds.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	base := filepath.Base(path)
	if strings.Contains(base, "hadolint") {
		return ParseHadolintConfig(path, data)
	}
	return ParseConfig(path, data)
}

// ParseConfig reads .shipshape.yaml content.
func ParseConfig(path string, data []byte) (*Config, error) {
	cfg := DefaultConfig()
	cfg.Path = path
	root, err := yamlRoot(path, data)
	if err != nil || root == nil {
		return cfg, err
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		cerr := func(msg string, args ...any) error {
			return &ConfigError{Path: path, Line: v.Line, Key: k.Value, Msg: fmt.Sprintf(msg, args...)}
		}
		switch k.Value {
		case "profile":
			if v.Value != ProfileRecommended && v.Value != ProfileProduction {
				return nil, cerr("unknown profile %q (use recommended or production)", v.Value)
			}
			cfg.Profile = v.Value
		case "fail-on":
			sev, err := ParseSeverity(v.Value)
			if err != nil || v.Kind != yaml.ScalarNode {
				return nil, cerr("unknown severity %q (use error, warning, info or none)", v.Value)
			}
			cfg.FailOn, cfg.failOnSet = sev, true
		case "rules":
			if v.Kind != yaml.MappingNode {
				return nil, cerr("must map rule IDs or names to off, error, warning or info")
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				rk, rv := v.Content[j], v.Content[j+1]
				r, ok := Lookup(rk.Value)
				if !ok {
					return nil, &ConfigError{Path: path, Line: rk.Line, Key: "rules." + rk.Value, Msg: "unknown rule (run `shipshape rules` for the list)"}
				}
				sev, err := ParseSeverity(rv.Value)
				if err != nil || rv.Kind != yaml.ScalarNode {
					return nil, &ConfigError{Path: path, Line: rv.Line, Key: "rules." + rk.Value, Msg: fmt.Sprintf("unknown setting %q (use off, error, warning or info)", rv.Value)}
				}
				cfg.Rules[r.Info().ID] = sev
			}
		case "trusted-registries", "label-schema", "strict-labels":
			if err := cfg.labelAndRegistrySetting(path, "trusted-registries", k, v); err != nil {
				return nil, err
			}
		case "required-labels":
			if cfg.RequiredLabels, err = stringList(path, k.Value, v); err != nil {
				return nil, err
			}
		case "helm-values":
			if cfg.HelmValues, err = stringList(path, k.Value, v); err != nil {
				return nil, err
			}
		case "helm-set":
			if cfg.HelmSet, err = stringList(path, k.Value, v); err != nil {
				return nil, err
			}
		case "target":
			if v.Kind != yaml.ScalarNode || v.Value == "" {
				return nil, cerr("must name a build stage")
			}
			cfg.Target = v.Value
		case "build-args":
			if cfg.BuildArgs, err = stringMap(path, k.Value, v); err != nil {
				return nil, err
			}
		default:
			return nil, &ConfigError{Path: path, Line: k.Line, Key: k.Value,
				Msg: "unknown key (known: profile, fail-on, rules, trusted-registries, required-labels, label-schema, strict-labels, build-args, target, helm-values, helm-set)"}
		}
	}
	return cfg, nil
}

// ParseHadolintConfig reads a .hadolint.yaml so that a team can switch
// without rewriting its settings; hadolint codes map to our rule IDs.
func ParseHadolintConfig(path string, data []byte) (*Config, error) {
	cfg := DefaultConfig()
	cfg.Path = path
	root, err := yamlRoot(path, data)
	if err != nil || root == nil {
		return cfg, err
	}
	setCodes := func(k, v *yaml.Node, sev Severity) error {
		codes, err := stringList(path, k.Value, v)
		if err != nil {
			return err
		}
		for _, code := range codes {
			for _, r := range ByHadolint(code) {
				cfg.Rules[r.Info().ID] = sev
			}
		}
		return nil
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "ignored":
			if err := setCodes(k, v, SeverityNone); err != nil {
				return nil, err
			}
		case "failure-threshold":
			sev, err := ParseSeverity(v.Value)
			if err != nil {
				return nil, &ConfigError{Path: path, Line: v.Line, Key: k.Value, Msg: fmt.Sprintf("unknown threshold %q (use error, warning, info, style or none)", v.Value)}
			}
			cfg.FailOn, cfg.failOnSet = sev, true
		case "no-fail":
			var noFail bool
			if err := v.Decode(&noFail); err != nil {
				return nil, &ConfigError{Path: path, Line: v.Line, Key: k.Value, Msg: "must be true or false"}
			}
			if noFail {
				cfg.FailOn, cfg.failOnSet = SeverityNone, true
			}
		case "override":
			if v.Kind != yaml.MappingNode {
				return nil, &ConfigError{Path: path, Line: v.Line, Key: k.Value, Msg: "must map error, warning, info or style to lists of codes"}
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				sev, err := ParseSeverity(v.Content[j].Value)
				if err != nil {
					return nil, &ConfigError{Path: path, Line: v.Content[j].Line, Key: "override." + v.Content[j].Value, Msg: "unknown severity (use error, warning, info or style)"}
				}
				if err := setCodes(v.Content[j], v.Content[j+1], sev); err != nil {
					return nil, err
				}
			}
		case "trustedRegistries", "label-schema", "strict-labels":
			if err := cfg.labelAndRegistrySetting(path, "trustedRegistries", k, v); err != nil {
				return nil, err
			}
		case "format", "output-file", "no-color", "verbose", "disable-ignore-pragma":
			// Output settings of hadolint's own CLI; ours come from flags.
		default:
			return nil, &ConfigError{Path: path, Line: k.Line, Key: k.Value, Msg: "unknown hadolint setting"}
		}
	}
	for key := range cfg.LabelSchema {
		cfg.RequiredLabels = append(cfg.RequiredLabels, key)
	}
	sort.Strings(cfg.RequiredLabels)
	return cfg, nil
}

// labelAndRegistrySetting reads the settings both config formats share; only
// the registries key is spelt differently.
func (cfg *Config) labelAndRegistrySetting(path, registriesKey string, k, v *yaml.Node) error {
	var err error
	switch k.Value {
	case registriesKey:
		cfg.TrustedRegistries, err = stringList(path, k.Value, v)
	case "label-schema":
		cfg.LabelSchema, err = labelSchema(path, k.Value, v)
	case "strict-labels":
		if v.Decode(&cfg.StrictLabels) != nil {
			err = &ConfigError{Path: path, Line: v.Line, Key: k.Value, Msg: "must be true or false"}
		}
	}
	return err
}

func yamlRoot(path string, data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line := 1
		msg := err.Error()
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			// yaml.v3 messages read "yaml: line 3: ..."
			if _, err := fmt.Sscanf(msg, "yaml: line %d:", &line); err == nil {
				msg = strings.TrimSpace(msg[strings.Index(msg[6:], ":")+7:])
			}
		}
		return nil, &ConfigError{Path: path, Line: line, Msg: "invalid YAML: " + msg}
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, &ConfigError{Path: path, Line: root.Line, Msg: "the top level must be a mapping of settings"}
	}
	return root, nil
}

func stringList(path, key string, v *yaml.Node) ([]string, error) {
	if v.Kind != yaml.SequenceNode {
		return nil, &ConfigError{Path: path, Line: v.Line, Key: key, Msg: "must be a list"}
	}
	out := make([]string, 0, len(v.Content))
	for _, item := range v.Content {
		if item.Kind != yaml.ScalarNode {
			return nil, &ConfigError{Path: path, Line: item.Line, Key: key, Msg: "list items must be strings"}
		}
		out = append(out, item.Value)
	}
	return out, nil
}

func stringMap(path, key string, v *yaml.Node) (map[string]string, error) {
	if v.Kind != yaml.MappingNode {
		return nil, &ConfigError{Path: path, Line: v.Line, Key: key, Msg: "must be a mapping"}
	}
	out := map[string]string{}
	for j := 0; j+1 < len(v.Content); j += 2 {
		if v.Content[j+1].Kind != yaml.ScalarNode {
			return nil, &ConfigError{Path: path, Line: v.Content[j+1].Line, Key: key + "." + v.Content[j].Value, Msg: "must be a string"}
		}
		out[v.Content[j].Value] = v.Content[j+1].Value
	}
	return out, nil
}

var labelTypes = map[string]bool{"text": true, "url": true, "rfc3339": true, "spdx": true, "hash": true, "semver": true, "email": true}

func labelSchema(path, key string, v *yaml.Node) (map[string]string, error) {
	m, err := stringMap(path, key, v)
	if err != nil {
		return nil, err
	}
	for j := 0; j+1 < len(v.Content); j += 2 {
		if !labelTypes[v.Content[j+1].Value] {
			return nil, &ConfigError{Path: path, Line: v.Content[j+1].Line, Key: key + "." + v.Content[j].Value,
				Msg: fmt.Sprintf("unknown label type %q (use text, url, rfc3339, spdx, hash, semver or email)", v.Content[j+1].Value)}
		}
	}
	return m, nil
}

// Severity returns the severity of a rule under this config, SeverityNone when off.
func (c *Config) Severity(m *Meta) Severity {
	if sev, ok := c.Rules[m.ID]; ok {
		return sev
	}
	return m.SeverityFor(c.Profile)
}

func statOK(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
