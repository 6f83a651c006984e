// Package runtimes is shipshape's catalog of language runtimes: for Python,
// Node.js, Go and Rust, the release lines a service may run, when each
// reaches its end of life, and the exact patch release the generator pins
// for it, as data compiled into the binary (no network at run time).
//
// It turns what a repository declares — a requires-python specifier, a
// package.json engines range, an .nvmrc alias, go.mod's go and toolchain
// lines, Cargo.toml's rust-version or a rust-toolchain channel — into one
// exact, existing version, with the reason it was chosen and whether its
// line is past end of life. `shipshape init` pins base images with it and
// `shipshape check` judges the images a Dockerfile names against it.
//
// The data and where each figure comes from are in releases.go; the date
// the catalog is judged at is the caller's (Catalog.On), so tests are
// stable and a binary keeps flagging lines as they reach their end.
package runtimes
