package drafts

import "strings"

// maxDiffCells bounds the LCS table; longer texts fall back to "all removed,
// all added", which is still a correct (if coarse) audit record.
const maxDiffCells = 4_000_000

// Diff is a word diff of before and after in wdiff notation: removed words as
// [-...-], added words as {+...+}, line breaks kept. Equal texts give "".
func Diff(before, after string) string {
	if before == after {
		return ""
	}
	x, y := diffTokens(before), diffTokens(after)
	type op struct {
		kind byte // '=', '-', '+'
		tok  string
	}
	var ops []op
	if len(x)*len(y) > maxDiffCells {
		for _, t := range x {
			ops = append(ops, op{'-', t})
		}
		for _, t := range y {
			ops = append(ops, op{'+', t})
		}
	} else {
		// lcs[i][j] = LCS length of x[i:] and y[j:]
		lcs := make([][]int, len(x)+1)
		for i := range lcs {
			lcs[i] = make([]int, len(y)+1)
		}
		for i := len(x) - 1; i >= 0; i-- {
			for j := len(y) - 1; j >= 0; j-- {
				if x[i] == y[j] {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		i, j := 0, 0
		for i < len(x) || j < len(y) {
			switch {
			case i < len(x) && j < len(y) && x[i] == y[j]:
				ops = append(ops, op{'=', x[i]})
				i++
				j++
			case i < len(x) && (j == len(y) || lcs[i+1][j] >= lcs[i][j+1]):
				// removals before additions reads as "[-old-] {+new+}"
				ops = append(ops, op{'-', x[i]})
				i++
			default:
				ops = append(ops, op{'+', y[j]})
				j++
			}
		}
	}
	var b strings.Builder
	for k := 0; k < len(ops); {
		kind := ops[k].kind
		var run []string
		for k < len(ops) && ops[k].kind == kind {
			run = append(run, ops[k].tok)
			k++
		}
		text := strings.ReplaceAll(strings.Join(run, " "), " \n ", "\n")
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") && !strings.HasPrefix(text, "\n") {
			b.WriteByte(' ')
		}
		switch kind {
		case '-':
			b.WriteString("[-" + text + "-]")
		case '+':
			b.WriteString("{+" + text + "+}")
		default:
			b.WriteString(text)
		}
	}
	return b.String()
}

// diffTokens splits text into words with "\n" tokens between lines.
func diffTokens(s string) []string {
	var out []string
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			out = append(out, "\n")
		}
		out = append(out, strings.Fields(line)...)
	}
	return out
}
