// Package cli is shipshape's command line: one file per verb (check.go,
// build.go, deploy.go, ...), each a struct holding its cobra command and
// typed options whose Validate runs before anything is read or connected;
// the work itself is in the packages the verb calls (lint, build, verify,
// release/docker, release/kube, proxy). Shared by several verbs: release_options.go
// (deploy's and rollback's flags), kube_flags.go (--target kubernetes),
// output.go (--format json), connect.go (the engine).
//
// A short flag means one thing in every verb: -f is --file, as in docker
// build; -e --env, -n --namespace, -t --tag, -o --output, -c --config.
package cli
