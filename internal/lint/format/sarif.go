package format

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
)

// SARIF 2.1.0, the subset GitHub code scanning reads:
// https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning

const docsURL = "https://github.com/shipshape/shipshape/blob/main/docs/rules.md"

type sarifLog struct {
	Version string     `json:"version"`
	Schema  string     `json:"$schema"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool sarifTool `json:"tool"`
	// Results is written by streamResults in place of resultsMarker.
	Results     json.RawMessage   `json:"results"`
	Invocations []sarifInvocation `json:"invocations"`
}

// resultsMarker stands where the streamed results go in the marshalled log.
const resultsMarker = `"@@shipshape-results@@"`

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name"`
	ShortDescription     sarifText       `json:"shortDescription"`
	FullDescription      sarifText       `json:"fullDescription"`
	Help                 sarifText       `json:"help"`
	HelpURI              string          `json:"helpUri"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	Properties           sarifRuleProps  `json:"properties"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags []string `json:"tags"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

func sarifLevel(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "error"
	case lint.Warning:
		return "warning"
	}
	return "note"
}

func writeSARIF(w io.Writer, res *lint.Result, opts Options) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: "shipshape", InformationURI: "https://github.com/shipshape/shipshape", Version: opts.Version,
			Rules: []sarifRule{},
		}},
		Results:     json.RawMessage(resultsMarker),
		Invocations: []sarifInvocation{{ExecutionSuccessful: len(res.Errors) == 0, ToolExecutionNotifications: []sarifNotification{}}},
	}
	index := map[string]int{}
	for _, m := range opts.Rules {
		index[m.ID] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleFor(m))
	}
	for _, f := range res.Findings {
		if _, ok := index[f.Rule]; ok {
			continue
		}
		if r, found := lint.Lookup(f.Rule); found {
			index[f.Rule] = len(run.Tool.Driver.Rules)
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleFor(r.Info()))
		}
	}
	for _, e := range res.Errors {
		run.Invocations[0].ToolExecutionNotifications = append(run.Invocations[0].ToolExecutionNotifications, sarifNotification{
			Level: "error", Message: sarifText{Text: e.Message}, Locations: []sarifLocation{location(e.File, e.Line, 0)},
		})
	}
	log := sarifLog{Version: "2.1.0", Schema: "https://json.schemastore.org/sarif-2.1.0.json", Runs: []sarifRun{run}}
	doc, err := json.MarshalIndent(log, "", "  ")
	if err != nil {
		return err
	}
	before, after, _ := bytes.Cut(doc, []byte(resultsMarker))
	bw := bufio.NewWriter(w)
	bw.Write(before)
	if err := streamResults(bw, res.Findings, index); err != nil {
		return err
	}
	bw.Write(after)
	bw.WriteString("\n")
	return bw.Flush()
}

// streamResults writes the results array one result at a time, indented as
// it would be inside the log, so that the document never sits in memory whole.
func streamResults(bw *bufio.Writer, findings []lint.Finding, index map[string]int) error {
	const indent = "        "
	bw.WriteString("[")
	for i, f := range findings {
		data, err := json.MarshalIndent(sarifResult{
			RuleID: f.Rule, RuleIndex: index[f.Rule], Level: sarifLevel(f.Severity),
			Message:   sarifText{Text: f.Message},
			Locations: []sarifLocation{location(f.File, f.Line, f.Column)},
		}, indent, "  ")
		if err != nil {
			return err
		}
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n" + indent)
		bw.Write(data)
	}
	if len(findings) > 0 {
		bw.WriteString("\n      ")
	}
	bw.WriteString("]")
	return nil
}

func sarifRuleFor(m *lint.Meta) sarifRule {
	help := m.Rationale + "\n\nFix: " + m.Fix
	md := "**" + m.Summary + "**\n\n" + m.Rationale + "\n\n**Fix:** " + m.Fix
	if m.Good != "" {
		md += "\n\n```" + m.Language() + "\n" + m.Good + "```"
	}
	tags := []string{string(m.Area)}
	if len(m.Hadolint) > 0 {
		tags = append(tags, m.Hadolint...)
	}
	return sarifRule{
		ID: m.ID, Name: m.Name,
		ShortDescription:     sarifText{Text: m.Summary},
		FullDescription:      sarifText{Text: m.Rationale},
		Help:                 sarifText{Text: help, Markdown: md},
		HelpURI:              docsURL + "#" + strings.ToLower(m.ID),
		DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(m.SeverityFor(lint.ProfileProduction))},
		Properties:           sarifRuleProps{Tags: tags},
	}
}

// location makes a SARIF location; relative paths are resolved by the code
// scanning checkout (%SRCROOT%), absolute ones become file URIs.
func location(file string, line, col int) sarifLocation {
	art := sarifArtifact{URI: filepath.ToSlash(file), URIBaseID: "%SRCROOT%"}
	if filepath.IsAbs(file) {
		art = sarifArtifact{URI: (&url.URL{Scheme: "file", Path: filepath.ToSlash(file)}).String()}
	} else {
		art.URI = strings.TrimPrefix(art.URI, "./")
	}
	return sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: art, Region: sarifRegion{StartLine: max(line, 1), StartColumn: col}}}
}
