package common

import (
	"regexp"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Every wrap of the app goes through this file, so that a document symbol
// ("52-NQ/TW", "749/QĐ-TTg", "13/2023/NĐ-CP") never breaks across lines and
// content is wrapped, never cut.

// nbHyphen stands in for a hyphen inside a symbol while text is wrapped: the
// wrapper breaks after every '-', but not after U+2011, which is as wide.
const nbHyphen = "\u2011"

// symbol is a token of letters and digits joined by '-', '/' or '.', with at
// least one joint: document numbers, dates, versions.
var symbol = regexp.MustCompile(`[\p{L}\p{N}]+(?:[-/.][\p{L}\p{N}]+)+`)

// Protect joins the hyphens of document symbols so no wrapper breaks them;
// Unprotect undoes it after wrapping. Text without a hyphen is returned as is.
func Protect(s string) string {
	if !strings.Contains(s, "-") {
		return s
	}
	return symbol.ReplaceAllStringFunc(s, func(tok string) string {
		if !strings.ContainsAny(tok, "0123456789/") {
			return tok // a hyphenated word ("e-mail") may break like any other
		}
		return strings.ReplaceAll(tok, "-", nbHyphen)
	})
}

// Unprotect turns the joined hyphens back into plain ones.
func Unprotect(s string) string { return strings.ReplaceAll(s, nbHyphen, "-") }

// Wrap wraps text to width cells at spaces; a word longer than the width is
// broken rather than cut, and document symbols stay whole.
func Wrap(s string, width int) string {
	width = max(1, width)
	return Unprotect(ansi.Wrap(Protect(s), width, ""))
}

// Hang wraps text after prefix with a hanging indent: the lines after the
// first start under the first letter of text, not at column 0.
func Hang(prefix, text string, width int) string {
	pw := lipgloss.Width(prefix)
	body := Wrap(text, max(10, width-pw))
	return prefix + strings.ReplaceAll(body, "\n", "\n"+strings.Repeat(" ", pw))
}

// Prefix puts prefix before a block already wrapped, and its width of
// spaces before the block's following lines.
func Prefix(prefix, block string) string {
	return prefix + strings.ReplaceAll(block, "\n", "\n"+strings.Repeat(" ", lipgloss.Width(prefix)))
}

// Indent puts n spaces before every line of s.
func Indent(s string, n int) string {
	if n <= 0 {
		return s
	}
	pad := strings.Repeat(" ", n)
	return pad + strings.ReplaceAll(s, "\n", "\n"+pad)
}

// Truncate cuts s to width cells with an ellipsis. Only for things the
// learner can open in full (a title in a list); content is wrapped.
func Truncate(s string, width int) string { return ansi.Truncate(s, width, "…") }
