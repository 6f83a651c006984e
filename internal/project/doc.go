// Package project is what shipshape knows of a project beyond one file:
// the Model that check builds once per run and hands to every rule (the
// files around the one judged, each read and parsed once, the workflows
// that build its images, the configs in front of it, the scripts its
// command runs), and what it reads of the application's own code: the
// routes it serves, the ports it binds and the environment variables it
// requires, with the file and line of each. The code is read lightly, by
// regular expressions over Python, Go, JavaScript/TypeScript and Rust
// sources, enough for cross-file checks to tell whether a health check
// calls a route that exists or the deployment provides the settings the
// app cannot start without.
package project
