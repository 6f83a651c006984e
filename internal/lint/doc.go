// Package lint is the rule engine behind `shipshape check`: rule metadata and
// the registry, findings, configuration (.shipshape.yaml and .hadolint.yaml),
// suppression pragmas, file discovery and the runner that checks files in
// parallel, each parsed once with every rule in one pass.
//
// Rules live in internal/lint/rules/<area> and register themselves in init().
package lint
