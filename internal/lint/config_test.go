package lint

import (
	"errors"
	"testing"
)

func TestParseConfig_ErrorsNameTheLine(t *testing.T) {
	cases := map[string]int{
		"profile: staging\n":                               1,
		"fail-on: never\n":                                 1,
		"\n\nunknown: 1\n":                                 3,
		"trusted-registries: docker.io\n":                  1,
		"label-schema:\n  a: colour\n":                     2,
		"strict-labels: maybe\n":                           1,
		"build-args:\n  A: [1]\n":                          2,
		"a: [\n":                                           1,
		"- not a mapping\n":                                1,
		"rules:\n  # none registered here\n  DF999: off\n": 3,
	}
	for content, line := range cases {
		_, err := ParseConfig(".shipshape.yaml", []byte(content))
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Line != line {
			t.Errorf("%q: err = %v, want a ConfigError on line %d", content, err, line)
		}
	}
}

func TestParseConfig_Empty(t *testing.T) {
	cfg, err := ParseConfig(".shipshape.yaml", nil)
	if err != nil || cfg.Profile != ProfileRecommended || cfg.FailOn != Warning {
		t.Fatalf("cfg = %+v, err = %v", cfg, err)
	}
}
