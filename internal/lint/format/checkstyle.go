package format

import (
	"encoding/xml"
	"io"

	"github.com/shipshape/shipshape/internal/lint"
)

type checkstyleDoc struct {
	XMLName xml.Name         `xml:"checkstyle"`
	Version string           `xml:"version,attr"`
	Files   []checkstyleFile `xml:"file"`
}

type checkstyleFile struct {
	Name   string            `xml:"name,attr"`
	Errors []checkstyleError `xml:"error"`
}

type checkstyleError struct {
	Line     int    `xml:"line,attr"`
	Column   int    `xml:"column,attr,omitempty"`
	Severity string `xml:"severity,attr"`
	Message  string `xml:"message,attr"`
	Source   string `xml:"source,attr"`
}

func writeCheckstyle(w io.Writer, res *lint.Result, _ Options) error {
	byFile := map[string][]checkstyleError{}
	for _, e := range res.Errors {
		byFile[e.File] = append(byFile[e.File], checkstyleError{Line: e.Line, Severity: "error", Message: e.Message, Source: "shipshape.parse"})
	}
	for _, f := range res.Findings {
		byFile[f.File] = append(byFile[f.File], checkstyleError{Line: f.Line, Column: f.Column, Severity: f.Severity.String(),
			Message: f.Rule + " " + f.Name + ": " + f.Message, Source: "shipshape." + f.Rule})
	}
	doc := checkstyleDoc{Version: "4.3"}
	for _, file := range sortedFiles(res) {
		doc.Files = append(doc.Files, checkstyleFile{Name: file, Errors: byFile[file]})
	}
	return writeXML(w, doc)
}

// writeXML writes an XML document with its header, indented.
func writeXML(w io.Writer, doc any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
