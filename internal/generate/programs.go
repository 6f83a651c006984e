package generate

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/shipshape/shipshape/internal/detect"
)

// debianPackages are the Debian packages (bookworm and trixie alike, but
// for notIn) that hold the programs services run by name. A program not here and not in
// debianBase gets a note: init does not guess a package.
var debianPackages = map[string]string{
	"git": "git", "git-lfs": "git-lfs",
	"ffmpeg": "ffmpeg", "ffprobe": "ffmpeg",
	"convert": "imagemagick", "identify": "imagemagick", "mogrify": "imagemagick", "composite": "imagemagick", "montage": "imagemagick",
	"gs":        "ghostscript",
	"pdftotext": "poppler-utils", "pdftoppm": "poppler-utils", "pdfinfo": "poppler-utils", "pdftocairo": "poppler-utils",
	"pdfunite": "poppler-utils", "pdfseparate": "poppler-utils", "pdfimages": "poppler-utils",
	"qpdf": "qpdf", "tesseract": "tesseract-ocr", "pandoc": "pandoc", "wkhtmltopdf": "wkhtmltopdf", "wkhtmltoimage": "wkhtmltopdf",
	"exiftool": "libimage-exiftool-perl", "yt-dlp": "yt-dlp",
	"pg_dump": "postgresql-client", "pg_restore": "postgresql-client", "pg_dumpall": "postgresql-client", "psql": "postgresql-client", "pg_isready": "postgresql-client",
	"mysqldump": "mariadb-client", "mysql": "mariadb-client", "mariadb": "mariadb-client", "mariadb-dump": "mariadb-client",
	"sqlite3": "sqlite3", "redis-cli": "redis-tools",
	"curl": "curl", "wget": "wget", "rsync": "rsync", "zip": "zip", "unzip": "unzip", "bzip2": "bzip2", "xz": "xz-utils",
	"ssh": "openssh-client", "scp": "openssh-client", "sftp": "openssh-client", "ssh-keygen": "openssh-client", "ssh-keyscan": "openssh-client",
	"openssl": "openssl", "gpg": "gnupg",
	"ps": "procps", "pgrep": "procps", "pkill": "procps", "kill": "procps",
	"ping": "iputils-ping", "dig": "dnsutils", "nslookup": "dnsutils", "nc": "netcat-openbsd",
	"svn": "subversion", "hg": "mercurial", "chromium": "chromium", "gm": "graphicsmagick",
}

// notIn are the catalog's packages a Debian release no longer has:
// trixie dropped wkhtmltopdf.
var notIn = map[string]map[string]bool{"trixie": {"wkhtmltopdf": true}}

// debianBase are the programs every Debian slim image holds (its
// essential and required packages: coreutils, dash, bash, grep, sed,
// findutils, tar, gzip, mawk, diffutils, hostname).
var debianBase = map[string]bool{}

func init() {
	for _, p := range strings.Fields(`sh bash dash cat ls cp mv rm mkdir rmdir ln chmod chown touch echo printf true false
		sleep date env id whoami uname hostname head tail sort uniq wc cut tr tee grep egrep fgrep sed awk mawk
		find xargs tar gzip gunzip zcat df du stat mktemp dirname basename readlink realpath sha1sum sha256sum
		sha512sum md5sum base64 nice nohup timeout test expr seq yes od diff cmp which getent sync`) {
		debianBase[p] = true
	}
}

// ownRuntime are the programs of the stack's own runtime: the builder's
// image, which the runtime becomes, has them on its PATH (a distroless
// runtime has node at /nodejs/bin/node only).
var ownRuntime = map[string]map[string]bool{
	"python": {"python": true, "python3": true, "pip": true, "pip3": true},
	"node":   {"node": true, "npm": true, "npx": true, "corepack": true},
}

// debianRuntime reports whether the app runs programs by name or links
// C libraries of the system, so its runtime is a Debian image with their
// packages, not a distroless one.
func debianRuntime(s *detect.Stack) bool {
	return (len(s.Programs) > 0 || len(s.CLibs) > 0) && s.Static == nil && programSuite(s) != ""
}

// cLibraryPackages are Debian bookworm's packages (the Go builder's and
// the runtime's release) of the C libraries detect's goCLibraries names:
// the development files the build installs, and what the runtime
// installs (the library, and for tesseract the English data it reads by
// default).
var cLibraryPackages = map[string]struct{ dev, run []string }{
	"libvips":   {dev: []string{"libvips-dev"}, run: []string{"libvips42"}},
	"tesseract": {dev: []string{"libtesseract-dev"}, run: []string{"libtesseract5", "tesseract-ocr-eng"}},
}

// cLibsBuildStep installs the development files of the C libraries the
// program links, in the build stage ("" when it links none).
func cLibsBuildStep(s *detect.Stack) string {
	var dev []string
	for _, e := range s.CLibs {
		dev = append(dev, cLibraryPackages[e.Value].dev...)
	}
	if len(dev) == 0 {
		return ""
	}
	sort.Strings(dev)
	return fmt.Sprintf("# The program links %s through cgo: its development files.\n"+
		"# shipshape:ignore DF040 the builder pins Debian's release, whose packages take only\n"+
		"# security and bug fixes; a version pin would break the build once the archive moves on.\n"+
		"RUN apt-get update && apt-get install -y --no-install-recommends pkg-config %s && rm -rf /var/lib/apt/lists/*\n",
		evidenceList(s.CLibs), strings.Join(slices.Compact(dev), " "))
}

// runtimeImageOf is the final stage's image.
func runtimeImageOf(p *Plan) string {
	switch s := p.Stack; {
	case s.Language == "python":
		image, _ := pythonRuntime(s)
		return image
	case s.Language == "node":
		image, _ := nodeRuntime(s)
		return image
	case debianRuntime(s):
		return debianRuntimeImage
	case s.Language == "go" && s.CGO == nil:
		return staticRuntime
	}
	return ccRuntime
}

// programSuite is the Debian release of the runtime image a stack that
// runs programs gets ("" when it is one whose archive has moved away, on
// which apt-get fails).
func programSuite(s *detect.Stack) string {
	suite := "bookworm"
	switch s.Language {
	case "python":
		v := pinned(s)
		suite = pythonSuite(v.Release.Line, v.Version)
	case "node":
		v := pinned(s)
		suite = nodeSuite(v.Release.Line, v.Version)
	}
	if suite != "bookworm" && suite != "trixie" {
		return ""
	}
	return suite
}

// programPackages are the Debian packages the runtime installs for the
// programs the code runs, sorted, and the programs no package is known
// for. A compiled program's runtime gets the CA certificates and time
// zones too, which the distroless image it replaces held.
func programPackages(s *detect.Stack) (packages []string, unknown []detect.Evidence) {
	set := map[string]bool{}
	if s.Language == "go" || s.Language == "rust" {
		set["ca-certificates"], set["tzdata"] = true, true
	}
	for _, e := range s.CLibs {
		for _, p := range cLibraryPackages[e.Value].run {
			set[p] = true
		}
	}
	suite := programSuite(s)
	for _, e := range s.Programs {
		switch pkg := debianPackages[e.Value]; {
		case pkg != "" && notIn[suite][pkg]:
			unknown = append(unknown, e) // the release the runtime is built on dropped it
		case pkg != "":
			set[pkg] = true
		case debianBase[e.Value] || ownRuntime[s.Language][e.Value]:
		default:
			unknown = append(unknown, e)
		}
	}
	for p := range set {
		packages = append(packages, p)
	}
	sort.Strings(packages)
	return packages, unknown
}

// programsStep is the runtime stage's install of the programs the code
// runs, after its FROM ("" when it runs none).
func programsStep(s *detect.Stack) string {
	if !debianRuntime(s) {
		return ""
	}
	packages, unknown := programPackages(s)
	var b strings.Builder
	if len(s.Programs) > 0 {
		fmt.Fprintf(&b, "# The app runs %s: the runtime is Debian, with the packages that hold them.\n", evidenceList(s.Programs))
	}
	if len(s.CLibs) > 0 {
		fmt.Fprintf(&b, "# The program links %s: the runtime is Debian, with the libraries.\n", evidenceList(s.CLibs))
	}
	for _, e := range unknown {
		fmt.Fprintf(&b, "# No package is known for %s: add the one that holds it.\n", e.Value)
	}
	if len(packages) == 0 {
		return b.String()
	}
	fmt.Fprintf(&b, "# shipshape:ignore DF040 the base image pins Debian's release, whose packages take only\n"+
		"# security and bug fixes; a version pin would break the build once the archive moves on.\n"+
		"RUN apt-get update && apt-get install -y --no-install-recommends %s && rm -rf /var/lib/apt/lists/*\n",
		strings.Join(packages, " "))
	return b.String()
}

// withProgramsStep puts the programs' install at the top of the final
// stage.
func withProgramsStep(s *detect.Stack, body string) string {
	step := programsStep(s)
	const final = "\nFROM ${RUNTIME_IMAGE}\n"
	i := strings.LastIndex(body, final)
	if step == "" || i < 0 {
		return body
	}
	i += len(final)
	return body[:i] + step + body[i:]
}

// programNotes say what the runtime holds for the programs the code runs,
// and which it could not provide.
func programNotes(p *Plan) {
	s := p.Stack
	if len(s.Programs) == 0 && len(s.CLibs) == 0 {
		return
	}
	if len(s.Programs) > 0 && !debianRuntime(s) {
		p.note("the code runs %s; the runtime image is no Debian release apt-get can install them on: add them to it", evidenceList(s.Programs))
		return
	}
	packages, unknown := programPackages(s)
	with := "no package added"
	if len(packages) > 0 {
		with = strings.Join(packages, ", ")
	}
	switch {
	case len(s.Programs) > 0:
		p.note("the code runs %s: the runtime is a Debian image (%s) with %s, not a distroless one, which holds no programs",
			evidenceList(s.Programs), runtimeImageOf(p), with)
	default:
		p.note("the program links %s through cgo: the build installs the development files and the runtime is a Debian image (%s) with %s",
			evidenceList(s.CLibs), runtimeImageOf(p), with)
	}
	for _, e := range unknown {
		p.note("%s:%d runs %s, which init knows no Debian package for: add the package that holds it to the Dockerfile's apt-get install, or its first use fails (\"executable file not found\")",
			e.File, e.Line, e.Value)
	}
}

// probeLacks is what the runtime of a compiled program lacks to probe its
// health with.
func probeLacks(s *detect.Stack) string {
	if debianRuntime(s) {
		return "curl or wget" // Debian slim has a shell
	}
	return "shell, curl or wget"
}

// evidenceList is each value with its file and line: "git (app.go:12),
// ffmpeg (media.go:40)".
func evidenceList(es []detect.Evidence) string {
	names := make([]string, len(es))
	for i, e := range es {
		names[i] = fmt.Sprintf("%s (%s:%d)", e.Value, e.File, e.Line)
	}
	return strings.Join(names, ", ")
}
