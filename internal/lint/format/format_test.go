package format

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/shipshape/shipshape/internal/lint"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func sampleResult() (*lint.Result, Options) {
	res := &lint.Result{
		Files: []string{"Dockerfile", "api/Dockerfile", "broken/Dockerfile", "clean/Dockerfile"},
		Findings: []lint.Finding{
			{Rule: "DF012", Name: "last-user-root", Severity: lint.Error, File: "Dockerfile", Line: 4, Column: 1,
				Message: `the final stage runs as "root"`, Fix: "End the final stage with a non-root `USER 10001:10001`.", Source: "USER root"},
			{Rule: "DF060", Name: "pipe-without-pipefail", Severity: lint.Warning, File: "api/Dockerfile", Line: 3, Column: 5,
				Message: "the output of curl is piped into tar without pipefail, so a failing curl goes unnoticed", Fix: "Set SHELL with pipefail.",
				Source: "RUN\tcurl -fsSL https://example.com/a.tgz | tar xz"},
			{Rule: "DF066", Name: "consecutive-run", Severity: lint.Info, File: "api/Dockerfile", Line: 5, Column: 1,
				Message: "this RUN directly follows the RUN on line 4, 50% of the time: consider joining them", Fix: "Join them with `&&`.", Source: "RUN b"},
		},
		Errors: []lint.FileError{{File: "broken/Dockerfile", Line: 2, Message: `unknown instruction "RUNN"; check the spelling`}},
	}
	opts := Options{Version: "1.0.0-test", Rules: []*lint.Meta{
		{ID: "DF012", Name: "last-user-root", Area: lint.AreaDockerfile, Severity: lint.Warning, Production: lint.Error, Hadolint: []string{"DL3002"},
			Summary: "The final stage switches back to the root user.", Rationale: "Root in the container is root on the host after an escape.",
			Fix: "End with a non-root USER.", Good: "FROM debian:12.8-slim\nUSER 10001\n"},
		{ID: "DF060", Name: "pipe-without-pipefail", Area: lint.AreaDockerfile, Severity: lint.Warning, Hadolint: []string{"DL4006"},
			Summary: "A RUN pipes without pipefail.", Rationale: "A pipe's status is its last command's.", Fix: "Set pipefail."},
		{ID: "DF066", Name: "consecutive-run", Area: lint.AreaDockerfile, Severity: lint.Info, Hadolint: []string{"DL3059"},
			Summary: "Two RUNs follow each other.", Rationale: "Each RUN is a layer.", Fix: "Join them."},
	}}
	return res, opts
}

func TestWrite_Golden(t *testing.T) {
	res, opts := sampleResult()
	for _, name := range Names() {
		for _, color := range []bool{false, true} {
			if color && name != "text" {
				continue
			}
			golden := name + ".golden"
			if color {
				golden = "text-color.golden"
			}
			t.Run(golden, func(t *testing.T) {
				o := opts
				o.Color = color
				var buf bytes.Buffer
				if err := Write(&buf, name, res, o); err != nil {
					t.Fatal(err)
				}
				path := filepath.Join("testdata", golden)
				if *update {
					if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./internal/lint/format -update)", err)
				}
				if !bytes.Equal(buf.Bytes(), want) {
					t.Errorf("%s differs from the golden file:\n%s", name, buf.String())
				}
			})
		}
	}
}

func TestWrite_MachineFormatsParse(t *testing.T) {
	res, opts := sampleResult()
	for _, name := range []string{"json", "sarif"} {
		var buf bytes.Buffer
		if err := Write(&buf, name, res, opts); err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
			t.Fatalf("%s is not JSON: %v", name, err)
		}
	}
	for _, name := range []string{"junit", "checkstyle"} {
		var buf bytes.Buffer
		if err := Write(&buf, name, res, opts); err != nil {
			t.Fatal(err)
		}
		var v any
		if err := xml.Unmarshal(buf.Bytes(), &v); err != nil {
			t.Fatalf("%s is not XML: %v", name, err)
		}
	}
}

// TestJSON_Contract pins the field names docs/check.md promises.
func TestJSON_Contract(t *testing.T) {
	res, opts := sampleResult()
	var buf bytes.Buffer
	if err := Write(&buf, "json", res, opts); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Findings []map[string]any `json:"findings"`
		Summary  map[string]any   `json:"summary"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"rule", "name", "severity", "file", "line", "column", "message", "fix"} {
		if _, ok := doc.Findings[0][key]; !ok {
			t.Errorf("finding has no %q", key)
		}
	}
	if doc.Findings[0]["severity"] != "error" {
		t.Errorf("severity = %v, want the name", doc.Findings[0]["severity"])
	}
	for _, key := range []string{"files", "findings", "errors", "error", "warning", "info"} {
		if _, ok := doc.Summary[key]; !ok {
			t.Errorf("summary has no %q", key)
		}
	}
}

// TestSARIF_GitHubRequirements checks what GitHub code scanning rejects a file for.
func TestSARIF_GitHubRequirements(t *testing.T) {
	res, opts := sampleResult()
	var buf bytes.Buffer
	if err := Write(&buf, "sarif", res, opts); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool    sarifTool     `json:"tool"`
			Results []sarifResult `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q, %d runs", log.Version, len(log.Runs))
	}
	run := log.Runs[0]
	if len(run.Results) != len(res.Findings) {
		t.Fatalf("%d results for %d findings", len(run.Results), len(res.Findings))
	}
	for _, r := range run.Results {
		if r.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %s points at rule index %d", r.RuleID, r.RuleIndex)
		}
		loc := r.Locations[0].PhysicalLocation
		if loc.Region.StartLine < 1 || loc.ArtifactLocation.URI == "" {
			t.Errorf("result %s has no usable location", r.RuleID)
		}
	}
	for _, rule := range run.Tool.Driver.Rules {
		if rule.Help.Text == "" || rule.ShortDescription.Text == "" {
			t.Errorf("rule %s lacks help text", rule.ID)
		}
	}
}

func TestWrite_UnknownFormat(t *testing.T) {
	res, opts := sampleResult()
	if err := Write(&bytes.Buffer{}, "yaml", res, opts); err == nil {
		t.Fatal("want an error for an unknown format")
	}
}

func TestGitHub_Escaping(t *testing.T) {
	if got := ghProperty("a:b,c%\n"); got != "a%3Ab%2Cc%25%0A" {
		t.Fatalf("ghProperty = %q", got)
	}
}
