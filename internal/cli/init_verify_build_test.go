package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// TestBaseImageArgs: a base image the build could not pull is named with
// every ARG whose default it is (BooksAPI's build and runtime stages), as
// the flags that replace it; another failure names none.
func TestBaseImageArgs(t *testing.T) {
	df := filepath.Join(t.TempDir(), "Dockerfile")
	if err := os.WriteFile(df, []byte("# syntax=docker/dockerfile:1\nARG PYTHON_IMAGE=python:3.7.1-slim-buster\nARG RUNTIME_IMAGE=docker.io/library/python:3.7.1-slim-buster\nARG PIP_INDEX_URL\nFROM ${PYTHON_IMAGE} AS build\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	why := "the base image python:3.7.1-slim-buster is not on the engine and its registry is not reachable: pull or build it, or pass --build-arg with an image the engine has"
	want := " (the Dockerfile's arguments name it: replace each: --build-arg PYTHON_IMAGE=IMAGE --build-arg RUNTIME_IMAGE=IMAGE)"
	if got := baseImageArgs(df, why); got != want {
		t.Errorf("baseImageArgs = %q, want %q", got, want)
	}
	if got := baseImageArgs(df, "the build downloads from pypi.org, which the build network cannot reach"); got != "" {
		t.Errorf("another failure: %q, want nothing", got)
	}
}
