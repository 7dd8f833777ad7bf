package main

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// escapeText makes a plugin-supplied string safe to print as one line of
// text: control characters (C0 and C1, DEL, the Unicode line and paragraph
// separators, newline included) are written as Go escapes (\n, \r, \t,
// \x1b, \u2028), and so are bytes that are not UTF-8. Without this, a
// plugin could print a line of its own ("x.so: passed") or move the cursor
// and erase the lines above.
func escapeText(s string) string {
	if !strings.ContainsFunc(s, needsEscape) && utf8.ValidString(s) {
		return s
	}
	return string(appendEscaped(nil, s, ""))
}

// appendEscaped appends s to dst as escapeText writes it, except that the
// characters in keep are copied as they are.
func appendEscaped(dst []byte, s string, keep string) []byte {
	for i, w := 0, 0; i < len(s); i += w {
		r, n := utf8.DecodeRuneInString(s[i:])
		w = n
		switch {
		case r == utf8.RuneError && n == 1:
			dst = fmt.Appendf(dst, `\x%02x`, s[i])
		case !needsEscape(r) || strings.ContainsRune(keep, r):
			dst = append(dst, s[i:i+n]...)
		case r == '\n':
			dst = append(dst, `\n`...)
		case r == '\r':
			dst = append(dst, `\r`...)
		case r == '\t':
			dst = append(dst, `\t`...)
		case r < 0x100:
			dst = fmt.Appendf(dst, `\x%02x`, r)
		default:
			dst = fmt.Appendf(dst, `\u%04x`, r)
		}
	}
	return dst
}

func needsEscape(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
}

// pluginOutputKeeps are the control characters kept in what a plugin
// prints: its lines and their indentation.
const pluginOutputKeeps = "\n\t"

// escapeOutput escapes what a plugin printed, keeping its lines.
func escapeOutput(b []byte) []byte {
	return appendEscaped(nil, string(b), pluginOutputKeeps)
}

// escapeWriter escapes what a plugin prints (escapeOutput) on its way to
// w. A UTF-8 sequence split across writes is held back until it is whole;
// Flush writes what is held.
type escapeWriter struct {
	w       io.Writer
	pending []byte
}

func (e *escapeWriter) Write(p []byte) (int, error) {
	data := append(e.pending, p...)
	cut := len(data)
	for i := max(0, len(data)-utf8.UTFMax+1); i < len(data); i++ {
		if utf8.RuneStart(data[i]) && !utf8.FullRune(data[i:]) {
			cut = i
			break
		}
	}
	e.pending = append(e.pending[:0:0], data[cut:]...)
	if _, err := e.w.Write(escapeOutput(data[:cut])); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes the bytes held back, escaped.
func (e *escapeWriter) Flush() error {
	if len(e.pending) == 0 {
		return nil
	}
	_, err := e.w.Write(escapeOutput(e.pending))
	e.pending = nil
	return err
}
