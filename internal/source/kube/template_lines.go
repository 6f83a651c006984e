package kube

import (
	"regexp"
	"strings"
)

// mapLines maps each rendered line (1-based index) to the template line that
// wrote it. Helm says nothing about where output comes from, so the two are
// aligned the way diff aligns files: the best in-order matching of rendered
// lines to template lines, where a line matches the same text, or a template
// line whose literal parts it contains in order (`image: {{ .Values.image }}`
// matches `image: nginx:1.27`). In-order matters: counting keys instead (the
// n-th `- name:` of the output is the n-th of the template) goes wrong as
// soon as an `if` drops an env var or a `range` repeats a volume mount, and
// every later container lands on the wrong line, tens of lines away.
// Lines the template does not write (included helpers, toYaml blocks, loop
// repetitions) keep the line of the last matched line before them.
func mapLines(rendered, template []string) []int {
	tl := make([]templateLine, len(template))
	for j, l := range template {
		tl[j] = parseTemplateLine(l)
	}
	matched := align(rendered, tl)
	out := make([]int, len(rendered)+1)
	last := 1
	for i := range rendered {
		if matched[i] > 0 {
			last = matched[i]
		}
		out[i+1] = last
	}
	return out
}

// maxAlignCells bounds the alignment's table (rendered × template lines);
// larger files fall back to matching each line forward from the last match.
const maxAlignCells = 16 << 20

// align returns, for each rendered line, the 1-based template line matched
// to it, or 0.
func align(rendered []string, tl []templateLine) []int {
	n, m := len(rendered), len(tl)
	matched := make([]int, n)
	if n*m > maxAlignCells {
		j := 0
		for i, r := range rendered {
			for k := j; k < m; k++ {
				if tl[k].score(r) > 0 {
					matched[i], j = k+1, k+1
					break
				}
			}
		}
		return matched
	}
	// best[i][j]: the best score aligning rendered[i:] with template[j:].
	best := make([][]int32, n+1)
	for i := range best {
		best[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			b := max(best[i+1][j], best[i][j+1])
			if sc := tl[j].score(rendered[i]); sc > 0 {
				b = max(b, best[i+1][j+1]+sc)
			}
			best[i][j] = b
		}
	}
	for i, j := 0, 0; i < n && j < m; {
		switch sc := tl[j].score(rendered[i]); {
		case sc > 0 && best[i][j] == best[i+1][j+1]+sc:
			matched[i] = j + 1
			i, j = i+1, j+1
		case best[i][j] == best[i+1][j]:
			i++
		default:
			j++
		}
	}
	return matched
}

// templateLine is one line of a template, ready to be compared with output.
type templateLine struct {
	text    string         // trimmed, for lines without actions
	pattern *regexp.Regexp // the literal parts in order, for lines with actions
	literal int            // how many non-blank literal characters the line has
	indent  int
}

var action = regexp.MustCompile(`\{\{.*?\}\}`)

func parseTemplateLine(line string) templateLine {
	t := strings.TrimSpace(line)
	if t == "" {
		return templateLine{}
	}
	indent := len(line) - len(strings.TrimLeft(line, " "))
	if !strings.Contains(t, "{{") && !strings.Contains(t, "}}") {
		return templateLine{text: t, literal: len(t), indent: indent}
	}
	parts := action.Split(t, -1)
	var lit strings.Builder
	var pat strings.Builder
	pat.WriteString(`^\s*`)
	for i, p := range parts {
		if strings.Contains(p, "{{") || strings.Contains(p, "}}") {
			return templateLine{} // an action that goes on to the next line
		}
		if i > 0 {
			pat.WriteString(`.*?`)
		}
		for k, word := range strings.Fields(p) {
			if k > 0 {
				pat.WriteString(`\s*`)
			}
			pat.WriteString(regexp.QuoteMeta(word))
			lit.WriteString(word)
		}
		if strings.TrimSpace(p) != "" && (strings.HasSuffix(p, " ") || i+1 < len(parts)) {
			pat.WriteString(`\s*`)
		}
	}
	if lit.Len() == 0 {
		return templateLine{} // only actions: include, toYaml, if, end
	}
	pat.WriteString(`\s*$`)
	re, err := regexp.Compile(pat.String())
	if err != nil {
		return templateLine{}
	}
	return templateLine{pattern: re, literal: lit.Len(), indent: indent}
}

// score says how well a rendered line matches the template line: 0 not at
// all, more for more literal text in common, and one more at the same
// indentation, which tells the container `- name: {{ .Chart.Name }}` from a
// volume mount's `- name: {{ .name }}` in a range that rendered nothing.
func (t templateLine) score(rendered string) int32 {
	r := strings.TrimSpace(rendered)
	var sc int32
	switch {
	case r == "" || t.literal == 0:
		return 0
	case t.pattern == nil && r == t.text:
		sc = 8
	case t.pattern != nil && t.pattern.MatchString(r):
		sc = 2
		if t.literal >= 3 {
			sc = 6
		}
	default:
		return 0
	}
	if len(rendered)-len(strings.TrimLeft(rendered, " ")) == t.indent {
		sc++
	}
	return sc
}
