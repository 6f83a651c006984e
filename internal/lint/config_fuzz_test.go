package lint

import (
	"errors"
	"testing"
)

// FuzzParseConfig: any bytes give a config or a ConfigError naming a line.
func FuzzParseConfig(f *testing.F) {
	f.Add([]byte("profile: production\nfail-on: warning\nrules:\n  DF012: off\ntrusted-registries: [docker.io]\nlabel-schema:\n  a: url\nbuild-args:\n  A: b\n"))
	f.Add([]byte("rules: [\n"))
	f.Add([]byte("- a\n- b\n"))
	f.Add([]byte("ignored: [DL3008]\noverride:\n  error: [DL3015]\nfailure-threshold: style\ntrustedRegistries: [x]\nstrict-labels: true\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, parse := range []func(string, []byte) (*Config, error){ParseConfig, ParseHadolintConfig} {
			cfg, err := parse(".shipshape.yaml", data)
			if err != nil {
				var ce *ConfigError
				if !errors.As(err, &ce) || ce.Line < 1 {
					t.Fatalf("error without a line: %T %v", err, err)
				}
				continue
			}
			if cfg == nil || cfg.Rules == nil {
				t.Fatal("nil config without an error")
			}
		}
	})
}
