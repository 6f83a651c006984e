package project

import (
	"bufio"
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
)

// Launch is what a container runs, followed from its command line into the
// files of the build context that the command hands control to: shell
// scripts (run directly, through sh -c or exec), a Procfile, gunicorn's
// config file and a Python script that starts its server itself. A server's
// flags are as often in docker/entrypoint.sh as in the Dockerfile's CMD.
type Launch struct {
	// Lines are the command line itself (File "") and then each code line
	// of the files it runs, in the order they were followed.
	Lines []Evidence
}

// Limits of a launch: entrypoint chains are short.
const (
	maxLaunchFiles    = 8
	maxLaunchFileSize = 64 << 10
)

var (
	// launchWord splits a command line into the words that may name a file.
	launchWord = regexp.MustCompile(`[^\s;&|"'()=` + "`" + `]+`)
	// gunicornConfig is gunicorn's -c/--config file; "python:pkg.mod" names
	// a module instead.
	gunicornConfig = regexp.MustCompile(`(?:^|\s)(?:-c|--config)(?:\s+|=)["']?([^\s"']+)`)
	pythonRun      = regexp.MustCompile(`\bpython[\d.]*\s+(?:-\w+\s+)*(?:-m\s+([\w.]+)|([\w./-]+\.py))`)
)

// Launch reads the command line a container starts with (ENTRYPOINT and
// CMD, or compose's entrypoint and command, joined) and follows it into
// the files under dir, the build context, that it runs. Paths inside the
// image are matched to the context by their trailing components:
// /app/docker/entrypoint.sh is docker/entrypoint.sh of the context.
func (m *Model) Launch(dir, command string) Launch {
	return m.launches.get([2]string{filepath.Clean(dir), command}, func() Launch {
		l := Launch{Lines: []Evidence{{Value: command}}}
		if dir == "" {
			return l
		}
		read := map[string]bool{}
		for i := 0; i < len(l.Lines) && len(read) < maxLaunchFiles; i++ {
			for _, f := range l.Lines[i].runs(m, dir) {
				if !read[f] && len(read) < maxLaunchFiles {
					read[f] = true
					l.Lines = append(l.Lines, m.codeLines(f)...)
				}
			}
		}
		return l
	})
}

// runs lists the files of the context a line of a launch hands control to.
func (e Evidence) runs(m *Model, dir string) []string {
	line := e.Value
	var out []string
	add := func(p string) {
		if f, ok := m.contextFile(dir, p); ok {
			out = append(out, f)
		}
	}
	for _, w := range launchWord.FindAllString(line, -1) {
		if strings.HasSuffix(w, ".sh") || filepath.Base(w) == "Procfile" || strings.HasSuffix(filepath.Base(w), "entrypoint") {
			add(w)
		}
	}
	if strings.Contains(line, "honcho") || strings.Contains(line, "foreman") {
		add("Procfile")
	}
	for _, m := range pythonRun.FindAllStringSubmatch(line, -1) {
		if m[2] != "" {
			add(m[2])
			continue
		}
		mod := strings.ReplaceAll(m[1], ".", "/")
		for _, p := range []string{mod + ".py", mod + "/__main__.py"} {
			add(p)
		}
	}
	if strings.Contains(line, "gunicorn") {
		if m := gunicornConfig.FindStringSubmatch(line); m != nil {
			if mod, ok := strings.CutPrefix(m[1], "python:"); ok {
				add(strings.ReplaceAll(mod, ".", "/") + ".py")
			} else {
				add(m[1])
			}
		} else {
			add("gunicorn.conf.py") // read from the working directory by default
		}
	}
	return out
}

// contextFile finds the file an image path names in the build context dir:
// the path itself, then with its leading components dropped one by one.
func (m *Model) contextFile(dir, p string) (string, bool) {
	if strings.Contains(p, "$") {
		return "", false
	}
	parts := strings.Split(strings.Trim(filepath.ToSlash(filepath.Clean(p)), "/"), "/")
	for i := range parts {
		rel := filepath.Join(parts[i:]...)
		if rel == "." || strings.HasPrefix(rel, "..") {
			continue
		}
		f := filepath.Join(dir, rel)
		if info := m.Stat(f); info != nil && info.Mode().IsRegular() && info.Size() <= maxLaunchFileSize {
			return f, true
		}
	}
	return "", false
}

// codeLines are the lines of a file that are not blank or comments.
func (m *Model) codeLines(path string) []Evidence {
	data, err := m.File(path)
	if err != nil {
		return nil
	}
	var out []Evidence
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if t := strings.TrimSpace(sc.Text()); t != "" && !commentLine(t) {
			out = append(out, Evidence{Value: t, File: path, Line: n})
		}
	}
	return out
}

// Find returns the first line of the launch that matches re.
func (l Launch) Find(re *regexp.Regexp) (Evidence, bool) {
	for _, e := range l.Lines {
		if re.MatchString(e.Value) {
			return e, true
		}
	}
	return Evidence{}, false
}

// Text is every line of the launch, one per line.
func (l Launch) Text() string {
	var b strings.Builder
	for _, e := range l.Lines {
		b.WriteString(e.Value)
		b.WriteByte('\n')
	}
	return b.String()
}
