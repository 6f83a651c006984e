package kube

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/shipshape/shipshape/internal/source/bounds"
	"github.com/shipshape/shipshape/internal/source/problem"

	"gopkg.in/yaml.v3"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/shipshape/shipshape/internal/source/yamlindex"
)

// Object is one manifest document.
type Object struct {
	APIVersion, Kind, Name, Namespace string
	// File is where the document is written.
	File string
	// Line is where the document starts.
	Line int
	// Typed is the decoded object, nil for kinds outside the built-in API.
	Typed runtime.Object
	// StrictErrors are the unknown or duplicate fields, with their paths.
	StrictErrors []FieldError
	// JSON is the document as JSON, as an API server takes it.
	JSON  []byte
	index yamlindex.Index
	set   *Set
}

// FieldError is a field that strict decoding rejects.
type FieldError struct {
	Path    []string
	Message string
}

// Set is every object of a group of manifests, so that rules can check
// references between them (a Service's selector, a secretKeyRef).
type Set struct {
	Objects []*Object
	files   map[string][]string
	// lineMap maps rendered lines to template lines, for Helm charts.
	lineMap    map[string][]int
	around     around
	built      builtImages
	incomplete bool
}

// LoadError is a manifest that is not valid YAML.
type LoadError = problem.Error

// Options say where manifests come from.
type Options struct {
	// Contents replaces the disk content of files (stdin, tests).
	Contents map[string][]byte
	// Root is the directory check was asked to look at: the manifests
	// around a group (Around) are read only inside it, so that a file the
	// user did not name cannot answer for a reference. "" reads around
	// the group's directories without that bound.
	Root string
}

// Load reads the multi-document YAML files of one group of manifests. A file
// or document that cannot be read does not hide the others: Load returns the
// objects of everything it could read and, if something could not be, an
// error joining one LoadError per bad file or document, each at its own line.
func Load(paths []string, opts Options) (*Set, error) {
	set := &Set{files: map[string][]string{}, lineMap: map[string][]int{}}
	set.around.root = opts.Root
	var errs []error
	for _, path := range paths {
		data, ok := opts.Contents[path]
		if !ok {
			if dir := filepath.Dir(path); !slices.Contains(set.around.dirs, dir) {
				set.around.dirs = append(set.around.dirs, dir)
				set.built.dir = cmp.Or(set.built.dir, dir)
			}
			var err error
			if data, err = bounds.ReadFile(path); err != nil {
				errs = append(errs, &LoadError{Path: path, Line: 1, Message: err.Error()})
				continue
			}
		}
		errs = append(errs, set.addFile(path, data)...)
	}
	set.incomplete = len(errs) > 0
	return set, errors.Join(errs...)
}

// Incomplete reports whether some files or documents of the group could not
// be loaded: a reference the loaded objects leave dangling may land in them.
func (s *Set) Incomplete() bool {
	return s.incomplete
}

// addFile adds the objects of one file's documents. A document that cannot
// be decoded is an error and the next one is still read; a YAML syntax error
// ends the file, since the parser cannot tell where the next document starts.
func (s *Set) addFile(path string, data []byte) []error {
	s.files[path] = strings.Split(string(data), "\n")
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var errs []error
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return errs
		}
		if err != nil {
			return append(errs, yamlError(path, err))
		}
		if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
			continue // empty documents and comments only
		}
		if at, err := yamlindex.Overgrown(&doc); err != nil {
			// The next document may be as bad; the file ends here.
			return append(errs, &LoadError{Path: path, Line: at.Line, Message: err.Error()})
		}
		obj, err := s.decode(path, &doc)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if obj != nil {
			s.Objects = append(s.Objects, obj)
		}
	}
}

var lineInMessage = regexp.MustCompile(`line (\d+):`)

func yamlError(path string, err error) *LoadError {
	line := 1
	msg := err.Error()
	if _, scanErr := fmt.Sscanf(msg, "yaml: line %d:", &line); scanErr == nil {
		msg = strings.TrimSpace(msg[strings.Index(msg[6:], ":")+7:])
	}
	return &LoadError{Path: path, Line: line, Message: "invalid YAML: " + msg}
}

// documentError reports a document whose YAML is well formed but is not data
// an API server takes: a key written twice ("yaml: unmarshal errors: line 12:
// mapping key "selector" already defined at line 6"), or a key that is itself
// a mapping (an unrendered `{{ .Values.x }}` template). It is reported at the
// offending key, not at the top of the file.
func documentError(path string, root *yaml.Node, err error) *LoadError {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	le := &LoadError{Path: path, Line: root.Line, Message: "invalid manifest: " + msg}
	if m := lineInMessage.FindStringSubmatch(msg); m != nil {
		le.Line, _ = strconv.Atoi(m[1])
		le.Message = "invalid manifest: " + strings.TrimSpace(msg[strings.Index(msg, m[0])+len(m[0]):])
	} else if key := complexKey(root); key != nil {
		le.Line = key.Line
		le.Message = "invalid manifest: a key is a mapping, not a name (an unrendered template such as {{ .Values.x }}?)"
	}
	return le
}

// complexKey returns the first mapping key that is not a scalar.
func complexKey(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Kind != yaml.ScalarNode && n.Content[i].Kind != yaml.AliasNode {
				return n.Content[i]
			}
		}
	}
	for _, c := range n.Content {
		if k := complexKey(c); k != nil {
			return k
		}
	}
	return nil
}

func (s *Set) decode(path string, doc *yaml.Node) (*Object, error) {
	root := doc.Content[0]
	idx, cyc := yamlindex.Build(root)
	if cyc != nil {
		return nil, &LoadError{Path: path, Line: cyc.Line, Message: "alias refers to the anchor it is inside of"}
	}
	obj := &Object{File: path, Line: root.Line, index: idx, set: s}
	obj.APIVersion = scalar(idx, "apiVersion")
	obj.Kind = scalar(idx, "kind")
	obj.Name = scalar(idx, "metadata", "name")
	obj.Namespace = scalar(idx, "metadata", "namespace")
	if obj.APIVersion == "" || obj.Kind == "" {
		return nil, nil // not a Kubernetes object: values files, configs
	}
	generic, err := yamlindex.Value(root)
	if err != nil {
		return nil, documentError(path, root, err)
	}
	raw, err := json.Marshal(generic)
	if err != nil {
		return nil, &LoadError{Path: path, Line: root.Line, Message: "cannot be read as JSON: " + err.Error()}
	}
	obj.JSON = raw
	gv, err := schema.ParseGroupVersion(obj.APIVersion)
	if err != nil || !scheme.Recognizes(gv.WithKind(obj.Kind)) {
		return obj, nil // a CRD or an API we do not model
	}
	typed, _, err := strict.Decode(raw, nil, nil)
	if err != nil {
		se, ok := runtime.AsStrictDecodingError(err)
		if !ok {
			pos := obj.typeErrorPos(err.Error())
			return nil, &LoadError{Path: path, Line: pos.Line, Message: fmt.Sprintf("%s %s: %v", obj.Kind, obj.Name, err)}
		}
		for _, e := range se.Errors() {
			obj.StrictErrors = append(obj.StrictErrors, fieldError(e.Error()))
		}
	}
	obj.Typed = typed
	return obj, nil
}

var typeErrorField = regexp.MustCompile(`Go struct field \S+?\.((?:[a-z]\w*\.?|[A-Z]\w*\.)+) of type`)

// typeErrorPos finds the field a type error names: "cannot unmarshal string
// into Go struct field FCVolumeSource.spec.volumes.VolumeSource.fc.lun of
// type int32" is the first `lun` under `fc` under `volumes`, whichever list
// item it is in. The object's start when it cannot be found.
func (o *Object) typeErrorPos(msg string) Pos {
	m := typeErrorField.FindStringSubmatch(msg)
	if m == nil {
		return o.Pos()
	}
	var keys []string
	for _, k := range strings.Split(strings.TrimSuffix(m[1], "."), ".") {
		if k != "" && k[0] >= 'a' && k[0] <= 'z' { // embedded Go types (VolumeSource) are not written
			keys = append(keys, k)
		}
	}
	want := strings.Join(keys, ".")
	var found *yamlindex.Entry
	for path, e := range o.index {
		var written []string
		for _, part := range strings.Split(path, ".") {
			if _, err := strconv.Atoi(part); err != nil {
				written = append(written, part)
			}
		}
		if strings.Join(written, ".") == want && (found == nil || e.Node().Line < found.Node().Line) {
			found = e
		}
	}
	if found == nil {
		return o.Pos()
	}
	node := found.Node()
	return Pos{File: o.File, Line: o.set.mapLine(o.File, node.Line), Column: node.Column, entry: found, set: o.set}
}

var fieldInMessage = regexp.MustCompile(`field "([^"]+)"`)

// fieldError reads `unknown field "spec.template.spec.containers[0].livenessprobe"`.
func fieldError(msg string) FieldError {
	fe := FieldError{Message: msg}
	if m := fieldInMessage.FindStringSubmatch(msg); m != nil {
		p := strings.NewReplacer("[", ".", "]", "").Replace(m[1])
		fe.Path = strings.Split(p, ".")
	}
	return fe
}

func scalar(idx yamlindex.Index, path ...string) string {
	if e, ok := idx.Lookup(path...); ok && e.Value != nil && e.Value.Kind == yaml.ScalarNode {
		return e.Value.Value
	}
	return ""
}

// Pos is where something is written.
type Pos struct {
	File         string
	Line, Column int
	entry        *yamlindex.Entry
	set          *Set
}

// Source returns the text of the position's line.
func (p Pos) Source() string {
	lines := p.set.files[p.File]
	if p.Line < 1 || p.Line > len(lines) {
		return ""
	}
	return strings.TrimRight(lines[p.Line-1], "\r")
}

// Comments returns the comments on and above the position and its parents.
func (p Pos) Comments() []string {
	if p.entry == nil {
		return nil
	}
	return p.entry.Comments()
}

// mapLine turns a line of the loaded document into a line of the file it
// is reported in: itself, or the template line for a rendered chart.
func (s *Set) mapLine(file string, line int) int {
	if m, ok := s.lineMap[file]; ok && line > 0 && line < len(m) {
		return m[line]
	}
	return line
}

// Pos returns where the object starts (its kind).
func (o *Object) Pos() Pos {
	return o.At("kind")
}

// At returns where a path is written, or the deepest written parent, or the
// object's start: a missing field is reported where it should be added.
func (o *Object) At(path ...string) Pos {
	for n := len(path); n > 0 && o.index != nil; n-- {
		if e, ok := o.index.Lookup(path[:n]...); ok {
			node := e.Node()
			return Pos{File: o.File, Line: o.set.mapLine(o.File, node.Line), Column: node.Column, entry: e, set: o.set}
		}
	}
	return Pos{File: o.File, Line: o.set.mapLine(o.File, o.Line), Column: 1, set: o.set}
}

// Has reports whether a path is written.
func (o *Object) Has(path ...string) bool {
	if o.index == nil {
		return false
	}
	_, ok := o.index.Lookup(path...)
	return ok
}

// Annotations returns the object's annotations as written.
func (o *Object) Annotations() map[string]string {
	out := map[string]string{}
	if o.index == nil {
		return out
	}
	e, ok := o.index.Lookup("metadata", "annotations")
	if !ok || e.Value == nil || e.Value.Kind != yaml.MappingNode {
		return out
	}
	for i := 0; i+1 < len(e.Value.Content); i += 2 {
		out[e.Value.Content[i].Value] = e.Value.Content[i+1].Value
	}
	return out
}

// Comments returns every comment line of every file, for file-wide pragmas.
func (s *Set) Comments() []string {
	var out []string
	for _, lines := range s.files {
		for _, l := range lines {
			if t := strings.TrimSpace(l); strings.HasPrefix(t, "#") {
				out = append(out, strings.TrimSpace(t[1:]))
			}
		}
	}
	return out
}

// Find returns the objects of a kind.
func (s *Set) Find(kind string) []*Object {
	var out []*Object
	for _, o := range s.Objects {
		if o.Kind == kind {
			out = append(out, o)
		}
	}
	return out
}
