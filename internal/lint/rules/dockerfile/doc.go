// Package dockerfile holds the DF rules, one per file. Each registers itself
// with lint.Register in init(); its fixtures live in testdata/<ID>/ as
// fire*.Dockerfile (with a "# want: LINE..." first line) and nofire*.Dockerfile,
// or as directories holding a Dockerfile, its build context and, when the rule
// takes settings, a .shipshape.yaml. The first fire and nofire fixture are the
// bad and good examples `shipshape explain` prints.
package dockerfile
