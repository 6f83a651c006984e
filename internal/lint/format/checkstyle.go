package format

import (
	"encoding/xml"
	"io"
	"sort"

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
	doc := checkstyleDoc{Version: "4.3"}
	files := map[string]*checkstyleFile{}
	get := func(name string) *checkstyleFile {
		if f, ok := files[name]; ok {
			return f
		}
		files[name] = &checkstyleFile{Name: name}
		return files[name]
	}
	for _, e := range res.Errors {
		f := get(e.File)
		f.Errors = append(f.Errors, checkstyleError{Line: e.Line, Severity: "error", Message: e.Message, Source: "shipshape.parse"})
	}
	for _, fd := range res.Findings {
		f := get(fd.File)
		f.Errors = append(f.Errors, checkstyleError{Line: fd.Line, Column: fd.Column, Severity: fd.Severity.String(),
			Message: fd.Rule + " " + fd.Name + ": " + fd.Message, Source: "shipshape." + fd.Rule})
	}
	for _, f := range res.Files {
		get(f)
	}
	for _, f := range files {
		doc.Files = append(doc.Files, *f)
	}
	sort.Slice(doc.Files, func(i, j int) bool { return doc.Files[i].Name < doc.Files[j].Name })
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

func sortStrings(s []string) { sort.Strings(s) }
