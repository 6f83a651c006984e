package compose

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/compose-spec/compose-go/v2/schema"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

var (
	compiledOnce sync.Once
	compiled     *jsonschema.Schema
	compileErr   error
)

// compose returns the Compose specification's JSON schema, compiled once.
func composeSchema() (*jsonschema.Schema, error) {
	compiledOnce.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(schema.Schema))
		if err != nil {
			compileErr = err
			return
		}
		c := jsonschema.NewCompiler()
		if compileErr = c.AddResource("compose-spec.json", doc); compileErr != nil {
			return
		}
		c.RegisterFormat(&jsonschema.Format{Name: "duration", Validate: func(v any) error {
			s, ok := v.(string)
			if !ok {
				return errors.New("expected a duration")
			}
			_, err := time.ParseDuration(s)
			return err
		}})
		compiled, compileErr = c.Compile("compose-spec.json")
	})
	return compiled, compileErr
}

// schemaError is a place in the model that breaks the Compose specification.
type schemaError struct {
	path    []string
	message string
}

func (e *schemaError) Error() string { return strings.Join(e.path, ".") + ": " + e.message }

// validate checks the merged, interpolated model against the specification.
func validate(dict map[string]any) error {
	s, err := composeSchema()
	if err != nil {
		return err
	}
	// The validator wants plain JSON types, not compose-go's derived ones.
	raw, err := json.Marshal(dict)
	if err != nil {
		return err
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return err
	}
	err = s.Validate(doc)
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	leaf := mostSpecific(ve)
	path := leaf.InstanceLocation
	if ap, ok := leaf.ErrorKind.(*kind.AdditionalProperties); ok && len(ap.Properties) > 0 {
		path = append(append([]string{}, path...), ap.Properties[0]) // point at the unknown key itself
	}
	return &schemaError{path: path, message: leafMessage(leaf)}
}

func mostSpecific(e *jsonschema.ValidationError) *jsonschema.ValidationError {
	for len(e.Causes) > 0 {
		best := e.Causes[0]
		for _, c := range e.Causes[1:] {
			if len(c.InstanceLocation) > len(best.InstanceLocation) {
				best = c
			}
		}
		e = best
	}
	return e
}

func leafMessage(e *jsonschema.ValidationError) string {
	return e.ErrorKind.LocalizedString(message.NewPrinter(language.English))
}

// schemaError turns a validation error into a LoadError at the offending key.
func (p *Project) schemaError(err error) *LoadError {
	var se *schemaError
	if !errors.As(err, &se) {
		return p.loadError(err)
	}
	le := &LoadError{Path: p.Files[0].Path, Line: 1, Message: se.Error()}
	for n := len(se.path); n > 0; n-- {
		if pos, ok := p.Locate(se.path[:n]...); ok {
			le.Path, le.Line = pos.File, pos.Line
			break
		}
	}
	return le
}
