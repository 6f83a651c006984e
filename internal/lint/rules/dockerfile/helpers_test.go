package dockerfile

import (
	"testing"

	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func TestMentionsVar(t *testing.T) {
	cases := []struct {
		text, name string
		want       bool
	}{
		{"echo $VERSION", "VERSION", true},
		{"echo ${VERSION:-1}", "VERSION", true},
		{"echo $VERSIONS", "VERSION", false},
		{"echo VERSION", "VERSION", false},
		{"echo $A $VERSION", "VERSION", true},
		{"anything", "", false}, // found by FuzzCheck: an empty name used to loop forever
	}
	for _, c := range cases {
		if got := mentionsVar(c.text, c.name); got != c.want {
			t.Errorf("mentionsVar(%q, %q) = %v", c.text, c.name, got)
		}
	}
}

func TestExactTag(t *testing.T) {
	for tag, want := range map[string]bool{
		"python:3.12.7-slim": true, "python:3.12-slim": false, "node:lts": false, "debian:12.8": true,
		"debian:12": false, "ubuntu:noble-20241118.1": true, "postgres:16.6": true, "golang:1.23": false,
		"alpine:3.20.3": true, "fedora:41": true, "nginx:1.27": false,
		"minio/minio:RELEASE.2024-09-16T00-00-00Z": true, "ubuntu:22.04": false,
	} {
		img := parseTestImage(tag)
		if got := exactTag(img); got != want {
			t.Errorf("exactTag(%s) = %v, want %v", tag, got, want)
		}
	}
}

func parseTestImage(ref string) df.Image { return df.ParseImage(ref) }
