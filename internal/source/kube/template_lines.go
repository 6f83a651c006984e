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

// maxAlignCells bounds the alignment's tables (rendered × template lines);
// larger files fall back to matching each line forward from the last match.
const maxAlignCells = 4 << 20

// gapOpen is what skipping a run of the template's literal lines costs. A
// run of them is skipped when an if renders nothing, and every alignment
// skips those; but without a cost, an alignment would also jump into a
// disabled block to match `timeoutSeconds: 5` word for word rather than
// `timeoutSeconds: {{ .Values.timeout }}` in place, and every line after
// would land in that block (kube-state-metrics' container resources were
// reported in its disabled kube-rbac-proxy sidecar).
const gapOpen = 2

// align returns, for each rendered line, the 1-based template line matched
// to it, or 0. It is a global alignment with an affine gap cost on the
// template side (Gotoh): rendered lines may go unmatched freely (included
// helpers and toYaml write lines the template does not), template lines
// without literal text (if, end, include) too.
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
	// For the suffixes rendered[i:] and template[j:]: near[i][j] is the best
	// score when template line j follows the last match directly, open[i][j]
	// when template lines have been skipped since (a gap is open).
	near, open := table(n+1, m+1), table(n+1, m+1)
	for i := n; i >= 0; i-- {
		for j := m; j >= 0; j-- {
			if i == n || j == m {
				continue // nothing left to match: 0
			}
			sc := tl[j].score(rendered[i])
			matchHere := int32(-1 << 30)
			if sc > 0 {
				matchHere = sc + near[i+1][j+1]
			}
			skipTemplate, skipOpen := open[i][j+1]-gapOpen, open[i][j+1]
			if tl[j].literal == 0 {
				skipTemplate, skipOpen = near[i][j+1], open[i][j+1]
			}
			near[i][j] = max(matchHere, near[i+1][j], skipTemplate)
			open[i][j] = max(matchHere, open[i+1][j], skipOpen)
		}
	}
	cur := open // leading template lines are skipped for free
	for i, j := 0, 0; i < n && j < m; {
		sc := tl[j].score(rendered[i])
		switch {
		case sc > 0 && cur[i][j] == sc+near[i+1][j+1]:
			matched[i] = j + 1
			i, j, cur = i+1, j+1, near
		case cur[i][j] == cur[i+1][j]:
			i++
		case tl[j].literal == 0 && cur[i][j] == cur[i][j+1]:
			j++
		default:
			j, cur = j+1, open
		}
	}
	return matched
}

func table(n, m int) [][]int32 {
	cells := make([]int32, n*m)
	t := make([][]int32, n)
	for i := range t {
		t[i] = cells[i*m : (i+1)*m]
	}
	return t
}

// templateLine is one line of a template, ready to be compared with output.
type templateLine struct {
	text    string         // trimmed, for lines without actions
	pattern *regexp.Regexp // the literal parts in order, for lines with actions
	literal int            // how many non-blank literal characters the line has
	indent  int
}

var action = regexp.MustCompile(`\{\{.*?\}\}`)

var conditional = regexp.MustCompile(`^\{\{-?\s*(if|with|range|else|end)\b`)

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
	actions := action.FindAllString(t, -1)
	var lit strings.Builder
	var pat strings.Builder
	pat.WriteString(`^`)
	depth := 0 // text inside an if or range on the same line may not be rendered
	for i, p := range parts {
		if strings.Contains(p, "{{") || strings.Contains(p, "}}") {
			return templateLine{} // an action that goes on to the next line
		}
		if i > 0 {
			pat.WriteString(`.*?`)
			switch m := conditional.FindStringSubmatch(actions[i-1]); {
			case m == nil:
			case m[1] == "end":
				depth = max(depth-1, 0)
			case m[1] != "else":
				depth++
			}
		}
		var part strings.Builder
		for k, word := range strings.Fields(p) {
			if k > 0 {
				part.WriteString(`\s*`)
			}
			part.WriteString(regexp.QuoteMeta(word))
			if depth == 0 {
				lit.WriteString(word)
			}
		}
		if strings.TrimSpace(p) != "" && (strings.HasSuffix(p, " ") || i+1 < len(parts)) {
			part.WriteString(`\s*`)
		}
		if depth > 0 && part.Len() > 0 {
			pat.WriteString(`(?:` + part.String() + `)?`)
		} else {
			pat.WriteString(part.String())
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
// all, more for more literal text in common. The indentation must be the
// same: Helm does not re-indent what a template file writes itself (only
// what toYaml, include and nindent write, which no template line matches),
// so the container `- name: {{ .Chart.Name }}` is not taken for a volume
// mount's `- name: {{ .name }}` in a range that rendered nothing.
func (t templateLine) score(rendered string) int32 {
	if t.literal == 0 || len(rendered)-len(strings.TrimLeft(rendered, " ")) != t.indent {
		return 0
	}
	r := strings.TrimSpace(rendered)
	switch {
	case r == "":
		return 0
	case t.pattern == nil && r == t.text:
		return 4
	case t.pattern != nil && t.pattern.MatchString(r):
		if t.literal >= 3 {
			return 3
		}
		return 1
	}
	return 0
}
