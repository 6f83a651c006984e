package baseimage

import (
	"strings"

	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

// Family is the kind of userland a stage runs on, which decides the commands
// a fix can suggest: useradd or adduser, bash or ash, a package manager or none.
type Family string

const (
	// Unknown is an image shipshape knows nothing about.
	Unknown Family = ""
	Debian  Family = "debian" // Debian, Ubuntu and the images built on them
	Alpine  Family = "alpine" // busybox userland: adduser -D, ash, wget
	RHEL    Family = "rhel"   // RHEL, UBI, Fedora, CentOS, Rocky, Alma, Amazon Linux
	// Distroless images have no shell and no package manager.
	Distroless Family = "distroless"
	Scratch    Family = "scratch"
)

var rhelImages = map[string]bool{
	"fedora": true, "centos": true, "rockylinux": true, "almalinux": true, "oraclelinux": true, "amazonlinux": true,
	"ubi": true, "ubi8": true, "ubi9": true, "ubi10": true, "ubi-minimal": true, "ubi8-minimal": true, "ubi9-minimal": true,
	"ubi-micro": true, "ubi9-micro": true,
}

// StageFamily names the userland of a stage: from its root image's name
// and tag, else from the package manager its RUNs use.
func StageFamily(st *df.Stage) Family {
	chain := st.Chain()
	img := chain[len(chain)-1].Image
	short, tag := img.Short(), strings.ToLower(img.Tag)
	switch {
	case img.Scratch():
		return Scratch
	case img.Distroless():
		return Distroless
	case short == "alpine" || short == "busybox" || strings.Contains(tag, "alpine"):
		return Alpine
	case rhelImages[short] || strings.HasPrefix(short, "ubi") || strings.Contains(tag, "ubi") || strings.Contains(img.Repository, "redhat"):
		return RHEL
	case short == "debian" || short == "ubuntu" || short == "buildpack-deps" ||
		strings.Contains(tag, "bookworm") || strings.Contains(tag, "bullseye") || strings.Contains(tag, "trixie") ||
		strings.Contains(tag, "buster") || strings.Contains(tag, "jammy") || strings.Contains(tag, "noble") || strings.Contains(tag, "focal"):
		return Debian
	case img.Registry == "" && !strings.Contains(img.Repository, "/") && (FatImages[short] || toolchains[short] || short == "nginx" || short == "httpd"):
		return Debian // the official language images' default variant is Debian
	}
	for _, c := range st.Commands() {
		switch {
		case c.Is("apk"):
			return Alpine
		case c.Is("apt-get", "apt"):
			return Debian
		case c.Is("dnf", "yum", "microdnf"):
			return RHEL
		}
	}
	return Unknown
}

// Runtime is the language runtime a stage's program runs on.
type Runtime string

const (
	NoRuntime Runtime = ""
	Node      Runtime = "node"
	Python    Runtime = "python"
	Go        Runtime = "go" // a static binary: no interpreter to run a check with
	Java      Runtime = "java"
	Ruby      Runtime = "ruby"
	PHP       Runtime = "php"
	Dotnet    Runtime = "dotnet"
)

var imageRuntimes = map[string]Runtime{
	"node": Node, "python": Python, "pypy": Python, "golang": Go, "openjdk": Java, "eclipse-temurin": Java, "amazoncorretto": Java,
	"ibmjava": Java, "sapmachine": Java, "maven": Java, "gradle": Java, "tomcat": Java, "jetty": Java, "ruby": Ruby, "php": PHP,
	"aspnet": Dotnet, "runtime": Dotnet, "sdk": Dotnet,
}

var commandRuntimes = map[string]Runtime{
	"node": Node, "npm": Node, "yarn": Node, "pnpm": Node, "npx": Node, "pm2": Node, "pm2-runtime": Node,
	"python": Python, "python3": Python, "gunicorn": Python, "uvicorn": Python, "hypercorn": Python, "daphne": Python,
	"flask": Python, "celery": Python, "java": Java, "ruby": Ruby, "bundle": Ruby, "rails": Ruby, "puma": Ruby,
	"php": PHP, "php-fpm": PHP, "dotnet": Dotnet,
}

// StageRuntime names the runtime the stage's program runs on: from the
// command it starts (node server.js, gunicorn app:app), else from its root
// image (python:3.12-slim, distroless/nodejs22). A command that is neither
// (a binary the stage copied in) on scratch or a static distroless image is Go-like.
func StageRuntime(st *df.Stage) Runtime {
	for _, kw := range []string{"ENTRYPOINT", "CMD"} {
		in := st.Last(kw)
		if in == nil || in.Script == nil {
			continue
		}
		for _, c := range in.Script.Commands {
			if rt, ok := commandRuntimes[strings.TrimRight(c.Name, "0123456789.")]; ok {
				return rt
			}
			if rt, ok := commandRuntimes[c.Name]; ok {
				return rt
			}
		}
	}
	chain := st.Chain()
	img := chain[len(chain)-1].Image
	short := img.Short()
	if img.Distroless() {
		switch {
		case strings.HasPrefix(short, "nodejs"):
			return Node
		case strings.HasPrefix(short, "python"):
			return Python
		case strings.HasPrefix(short, "java"):
			return Java
		case strings.HasPrefix(short, "static") || strings.HasPrefix(short, "base"):
			return Go
		}
	}
	if img.Scratch() {
		return Go
	}
	if rt, ok := imageRuntimes[short]; ok && (img.Registry == "" || strings.Contains(img.Registry, "mcr.microsoft.com")) {
		return rt
	}
	return NoRuntime
}
