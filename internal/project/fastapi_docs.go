package project

import (
	"bytes"
	"regexp"
	"strings"
)

var (
	// fastapiApp is a FastAPI application made: app = FastAPI(...),
	// app_: FastAPI = fastapi.FastAPI(...).
	fastapiApp = regexp.MustCompile(`^\s*(\w+)\s*(?::\s*[\w.]+\s*)?=\s*(?:fastapi\.)?FastAPI\(`)
	// fastapiDocsArg is the constructor's docs_url or openapi_url, with
	// its value when that is a string literal.
	fastapiDocsArg = regexp.MustCompile(`\b(docs_url|openapi_url)\s*=\s*(?:["']([^"']*)["']\s*[,)]|\S)`)
)

// FastAPIApp is a FastAPI application a module makes: the variable it is
// assigned to, the constructor's line, and the path of the API docs
// page FastAPI serves for it by itself ("" where the arguments disable
// it or set it in a way not read: None, an expression, a ** mapping).
type FastAPIApp struct {
	Name string
	Line int
	Docs string
}

// FastAPIApps are the FastAPI applications a Python module's lines make.
func FastAPIApps(lines []string) []FastAPIApp {
	var out []FastAPIApp
	for i, line := range lines {
		if !strings.Contains(line, "FastAPI(") || commentLine(line) {
			continue
		}
		m := fastapiApp.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		// The arguments, over the lines until the call closes.
		var args strings.Builder
		depth := 0
		for j := i; j < len(lines) && j < i+30; j++ {
			l := lines[j]
			if j == i {
				l = l[strings.Index(l, "FastAPI(")+len("FastAPI"):]
			}
			if k := strings.Index(l, "#"); k >= 0 && !strings.ContainsAny(l[:k], `"'`) {
				l = l[:k]
			}
			args.WriteString(l)
			args.WriteByte(' ')
			depth += strings.Count(l, "(") - strings.Count(l, ")")
			if depth <= 0 {
				break
			}
		}
		out = append(out, FastAPIApp{Name: m[1], Line: i + 1, Docs: fastapiDocs(args.String())})
	}
	return out
}

// fastapiDocs is the docs page's path the constructor's arguments leave:
// /docs by default, a literal docs_url, "" where they disable it or set
// it from something else.
func fastapiDocs(args string) string {
	if strings.Contains(args, "**") {
		return ""
	}
	docs := "/docs"
	for _, m := range fastapiDocsArg.FindAllStringSubmatch(args, -1) {
		if !strings.HasPrefix(m[2], "/") {
			return "" // None, a variable, an expression: disabled or unknown
		}
		if m[1] == "docs_url" {
			docs = m[2]
		}
	}
	return docs
}

// FastAPIDocsWhy is what a FastAPI docs route says of itself.
const FastAPIDocsWhy = "FastAPI's own API docs page, served without a session"

// addFastAPIDocs adds the docs page FastAPI serves by itself for each
// application the file makes: a route the code does not write.
func (a *App) addFastAPIDocs(data []byte, file string) {
	if !bytes.Contains(data, []byte("FastAPI(")) {
		return
	}
	for _, app := range FastAPIApps(strings.Split(string(data), "\n")) {
		if app.Docs != "" {
			a.Routes = append(a.Routes, Evidence{Value: app.Docs, File: file, Line: app.Line, Why: FastAPIDocsWhy})
		}
	}
}

// CodeRoutes reports whether the scan read a route of the code's own:
// FastAPI's docs page is there whatever the code registers in ways the
// scan does not read (app.add_api_route), so it alone is not one.
func (a *App) CodeRoutes() bool {
	for _, r := range a.Routes {
		if r.Why != FastAPIDocsWhy {
			return true
		}
	}
	return false
}
