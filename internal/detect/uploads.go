package detect

import (
	"path"
	"regexp"
	"strings"
)

// uploadUse is code that takes file uploads, per language: a multipart
// form's files, or a tus server.
var uploadUse = map[string]*regexp.Regexp{
	"go": regexp.MustCompile(`\.(?:ParseMultipartForm|FormFile|MultipartForm|MultipartReader)\(|"github\.com/tus/tusd(?:/v2)?/pkg/handler"`),
	// koa-body parses JSON unless told multipart: true (not read).
	"node": regexp.MustCompile(`(?:require\(\s*|\bfrom\s+|\bimport\s+)['"](?:multer|@koa/multer|busboy|connect-busboy|formidable|multiparty|express-fileupload|@fastify/multipart|fastify-multipart|@tus/server|tus-node-server)['"]|` +
		// NestJS's interceptors, multer underneath.
		`\b(?:FileInterceptor|FilesInterceptor|FileFieldsInterceptor|AnyFilesInterceptor)\(`),
	"python": regexp.MustCompile(`\brequest\.files\b|\bUploadFile\b|\brequest\.FILES\b`),
}

// uploads is where the program takes file uploads (tusd's handler, a
// multer middleware, Flask's request.files), nil where it takes none: a
// proxy in front of it leaves their size to the app. tus/tusd behind
// init's nginx answered 413 to a 20 MB upload at its 10m limit.
func (r *repo) uploads(s *Stack) *Evidence {
	re := uploadUse[s.Language]
	if re == nil {
		return nil
	}
	program := r.programFiles(s)
	for _, f := range r.codeFiles() {
		if !langExts[s.Language][path.Ext(f)] || devPath(f) || !program(f) || s.Language == "node" && nodeTestFile(f) ||
			strings.HasSuffix(f, "_test.go") || s.Language == "go" && !r.goBuildsOnLinux(f) {
			continue
		}
		if e := r.findCode(f, re); e != nil {
			e.Value, e.Why = "uploads", "takes file uploads"
			return e
		}
	}
	return nil
}
