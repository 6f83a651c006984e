// Package kube holds the KU rules for Kubernetes manifests: kube-linter's
// defaults and kube-score's core, decoded strictly into the typed API, plus
// the checks between objects neither does (probe ports, Service target
// ports, secret keys, PDBs against replicas). Fixtures are fire*.yaml and
// nofire*.yaml files (or directories) in testdata/<ID>/.
package kube
