package detect

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

// pythonStdlib are the top-level modules of Python's standard library
// (sys.stdlib_module_names of Python 3.11, private ones left out): what a
// program imports without a manifest that declares it.
var pythonStdlib = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(
		"abc aifc antigravity argparse array ast asynchat asyncio asyncore " +
			"atexit audioop base64 bdb binascii bisect builtins bz2 cProfile " +
			"calendar cgi cgitb chunk cmath cmd code codecs codeop collections " +
			"colorsys compileall concurrent configparser contextlib contextvars copy " +
			"copyreg crypt csv ctypes curses dataclasses datetime dbm decimal " +
			"difflib dis distutils doctest email encodings ensurepip enum errno " +
			"faulthandler fcntl filecmp fileinput fnmatch fractions ftplib functools " +
			"gc genericpath getopt getpass gettext glob graphlib grp gzip hashlib " +
			"heapq hmac html http idlelib imaplib imghdr imp importlib inspect io " +
			"ipaddress itertools json keyword lib2to3 linecache locale logging lzma " +
			"mailbox mailcap marshal math mimetypes mmap modulefinder msilib msvcrt " +
			"multiprocessing netrc nis nntplib nt ntpath nturl2path numbers opcode " +
			"operator optparse os ossaudiodev pathlib pdb pickle pickletools pipes " +
			"pkgutil platform plistlib poplib posix posixpath pprint profile pstats " +
			"pty pwd py_compile pyclbr pydoc pydoc_data pyexpat queue quopri random " +
			"re readline reprlib resource rlcompleter runpy sched secrets select " +
			"selectors shelve shlex shutil signal site smtpd smtplib sndhdr socket " +
			"socketserver spwd sqlite3 sre_compile sre_constants sre_parse ssl stat " +
			"statistics string stringprep struct subprocess sunau symtable sys " +
			"sysconfig syslog tabnanny tarfile telnetlib tempfile termios textwrap " +
			"this threading time timeit tkinter token tokenize tomllib trace " +
			"traceback tracemalloc tty turtle turtledemo types typing unicodedata " +
			"unittest urllib uu uuid venv warnings wave weakref webbrowser winreg " +
			"winsound wsgiref xdrlib xml xmlrpc zipapp zipfile zipimport zlib " +
			"zoneinfo",
	) {
		m[n] = true
	}
	return m
}()

var pyImportLine = regexp.MustCompile(`^\s*(?:import|from)\s+([A-Za-z_]\w*)`)

// pythonUndeclaredImports are the first imports of modules that neither
// the standard library nor the repository at dir holds, as file:line
// evidence: what a manifest would have to declare. At most max.
func pythonUndeclaredImports(dir string, max int) []Evidence {
	var out []Evidence
	seen := map[string]bool{}
	walkPython(dir, func(path, rel string, n int, line string) bool {
		m := pyImportLine.FindStringSubmatch(line)
		if m == nil || seen[m[1]] || pythonStdlib[m[1]] || pythonLocal(dir, filepath.Dir(path), m[1]) {
			return true
		}
		seen[m[1]] = true
		out = append(out, Evidence{Value: m[1], File: rel, Line: n})
		return len(out) < max
	})
	return out
}

// walkPython calls line with each line of the .py files under dir (path,
// its slash path relative to dir, its number) until it returns false;
// directories project.SkipDir skips are not read.
func walkPython(dir string, line func(path, rel string, n int, text string) bool) {
	more := true
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !more {
			return filepath.SkipDir
		}
		if d.IsDir() {
			if path != dir && project.SkipDir(path, d.Name(), false) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".py") {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return nil
		}
		defer f.Close()
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for n := 1; more && sc.Scan(); n++ {
			more = line(path, rel, n, sc.Text())
		}
		return nil
	})
}

// pythonLocal reports whether module name is the repository's own: a
// module or package beside the importing file or at the root.
func pythonLocal(root, here, name string) bool {
	for _, d := range []string{here, root} {
		if exists(d, name+".py") || exists(d, name) {
			return true
		}
	}
	return false
}
