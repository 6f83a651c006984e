package baseimage

import (
	"testing"

	"github.com/shipshape/shipshape/internal/source/dockerfile"
)

func TestExactTag(t *testing.T) {
	for tag, want := range map[string]bool{
		"python:3.12.7-slim": true, "python:3.12-slim": false, "node:lts": false, "debian:12.8": true,
		"debian:12": false, "ubuntu:noble-20241118.1": true, "postgres:16.6": true, "golang:1.23": false,
		"alpine:3.20.3": true, "fedora:41": true, "nginx:1.27": false,
		"minio/minio:RELEASE.2024-09-16T00-00-00Z": true, "ubuntu:22.04": false,
	} {
		img := dockerfile.ParseImage(tag)
		if got := ExactTag(img); got != want {
			t.Errorf("ExactTag(%s) = %v, want %v", tag, got, want)
		}
	}
}
