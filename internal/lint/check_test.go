package lint

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/source/dockerfile"
)

func TestCheck_PanickingRuleIsContained(t *testing.T) {
	boom := &DockerfileRule{
		Meta: Meta{ID: "DF999", Name: "boom", Severity: Error, Summary: "s", Rationale: "r", Fix: "f"},
		Instruction: func(r *Report, in *dockerfile.Instruction) {
			if in.Keyword == "USER" {
				panic("rule bug")
			}
			r.Add(in, "seen %s", in.Keyword)
		},
	}
	res := Check([]Input{
		{Path: "a/Dockerfile", Data: []byte("FROM a:1.0.0\nUSER x\n")},
		{Path: "b/Dockerfile", Data: []byte("FROM a:1.0.0\n")},
	}, DefaultConfig(), []Rule{boom})
	if len(res.Errors) != 1 || res.Errors[0].File != "a/Dockerfile" || !strings.Contains(res.Errors[0].Message, "rule bug") {
		t.Fatalf("errors = %+v", res.Errors)
	}
	if len(res.Findings) != 1 || res.Findings[0].File != "b/Dockerfile" {
		t.Fatalf("the other file was not checked: %+v", res.Findings)
	}
}

func TestCheck_SuppressionsAndOrder(t *testing.T) {
	rule := &DockerfileRule{
		Meta:        Meta{ID: "DF998", Name: "every-instruction", Hadolint: []string{"DL9999"}, Severity: Warning, Summary: "s", Rationale: "r", Fix: "f"},
		Instruction: func(r *Report, in *dockerfile.Instruction) { r.Add(in, "%s", in.Keyword) },
	}
	Register(rule)
	src := "FROM a:1.0.0\n# shipshape:ignore DF998 reason\nRUN a\n# hadolint ignore=DL9999\nRUN b\nRUN c\n"
	res := Check([]Input{{Path: "Dockerfile", Data: []byte(src)}}, DefaultConfig(), []Rule{rule})
	var lines []int
	for _, f := range res.Findings {
		lines = append(lines, f.Line)
	}
	if len(lines) != 2 || lines[0] != 1 || lines[1] != 6 {
		t.Fatalf("findings on lines %v, want [1 6]", lines)
	}
}
