// Package dockerbuild reads the `docker build` commands written in shell
// scripts, CI run steps and Makefile recipes: which Dockerfile they build,
// from which context, under which tags. Both the build contexts check gives
// the Dockerfile rules and the cross-file rules that follow an image back to
// its Dockerfile read commands through it, so that they agree.
package dockerbuild
