package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/plughost/plughost/internal/checkreport"
	"github.com/plughost/plughost/loader"
)

// reportWriter prints a report: plugin is called for each file in order,
// finish once at the end.
type reportWriter interface {
	plugin(r checkreport.PluginReport) error
	finish(report checkreport.Report) error
}

// jsonWriter prints the whole report as one indented JSON document.
type jsonWriter struct{ w io.Writer }

func (*jsonWriter) plugin(checkreport.PluginReport) error { return nil }

func (j *jsonWriter) finish(report checkreport.Report) error {
	enc := json.NewEncoder(j.w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(report)
}

// textWriter prints a block per file as soon as it is checked, then a
// summary line.
type textWriter struct{ w io.Writer }

func (t *textWriter) plugin(r checkreport.PluginReport) error {
	var b strings.Builder
	verdict := "passed"
	switch {
	case !r.OK:
		verdict = "FAILED"
	case hasWarnings(r):
		verdict = "passed with warnings"
	}
	fmt.Fprintf(&b, "%s: %s\n", escapeText(r.Path), verdict)

	var rows [][]string
	for _, c := range r.Checks {
		// A message's lines after the first continue under the message
		// column: no line a plugin wrote starts at column 0.
		lines := strings.Split(c.Message, "\n")
		for i, l := range lines {
			lines[i] = escapeText(l)
		}
		rows = append(rows, []string{"  " + strings.ToUpper(string(c.Status)), c.Name, lines[0]})
		for _, l := range lines[1:] {
			rows = append(rows, []string{"", "", l})
		}
	}
	b.WriteString(table(rows))

	if loaded(r) {
		rows := [][]string{
			{"  name", escapeText(r.Name)},
			{"  version", escapeText(r.Version)},
			{"  required API version", escapeText(r.RequiredAPIVersion)},
			{"  id", strconv.FormatUint(uint64(r.ID), 10)},
			{"  event source", escapeText(orDash(r.EventSource))},
			{"  capabilities", escapeText(orDash(strings.Join(r.Capabilities, ", ")))},
			{"  extract sources", escapeText(extractSources(r))},
		}
		if r.Stream != nil {
			rows = append(rows, []string{"  stream", r.Stream.Summary()})
		}
		rows = append(rows, []string{"  fields", strconv.Itoa(len(r.Fields))})
		b.WriteString(table(rows))
		if len(r.Fields) > 0 {
			rows := [][]string{{"    NAME", "TYPE", "LIST", "ARG", "PROPERTIES", "DESC"}}
			for _, f := range r.Fields {
				list := "-"
				if f.IsList {
					list = "list"
				}
				rows = append(rows, []string{"    " + escapeText(f.Name), escapeText(f.Type), list, argKind(f.Arg),
					escapeText(orDash(strings.Join(f.Properties, ","))), escapeText(oneLine(f.Desc))})
			}
			b.WriteString(table(rows))
		}
	}
	if s := r.Stream; s != nil && s.Lines != nil { // the format compiled
		writeOutputs(&b, s)
	}
	b.WriteString("\n")
	_, err := io.WriteString(t.w, b.String())
	return err
}

// writeOutputs prints the events formatted by --output, one per line
// under a header that says how many there are (and how many were not kept).
func writeOutputs(b *strings.Builder, s *checkreport.Stream) {
	n := uint64(len(s.Lines))
	fmt.Fprintf(b, "  output: %d %s", n, plural(n, "line"))
	if s.OutputsDropped > 0 {
		fmt.Fprintf(b, ", %d more not shown (--max-outputs)", s.OutputsDropped)
	}
	b.WriteString("\n")
	for _, l := range s.Lines {
		b.WriteString("    ")
		b.WriteString(escapeText(l))
		b.WriteString("\n")
	}
}

func plural(n uint64, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func (t *textWriter) finish(report checkreport.Report) error {
	passed, warned := 0, 0
	for _, r := range report.Plugins {
		if r.OK {
			passed++
			if hasWarnings(r) {
				warned++
			}
		}
	}
	n := len(report.Plugins)
	noun := "plugins"
	if n == 1 {
		noun = "plugin"
	}
	withWarnings := ""
	if warned > 0 {
		withWarnings = fmt.Sprintf(" (%d with warnings)", warned)
	}
	_, err := fmt.Fprintf(t.w, "%d %s checked: %d passed%s, %d failed\n", n, noun, passed, withWarnings, n-passed)
	return err
}

func hasWarnings(r checkreport.PluginReport) bool {
	return slices.ContainsFunc(r.Checks, func(c checkreport.CheckResult) bool { return c.Status == checkreport.Warn })
}

// loaded reports whether every load check passed, so the metadata is known.
func loaded(r checkreport.PluginReport) bool {
	for _, c := range r.Checks {
		if slices.Contains(loader.LoadChecks, loader.Check(c.Name)) && c.Status != checkreport.Pass && c.Status != checkreport.Warn {
			return false
		}
	}
	return len(r.Checks) > 0
}

func extractSources(r checkreport.PluginReport) string {
	switch {
	case !slices.Contains(r.Capabilities, "extraction"):
		return "-"
	case len(r.ExtractEventSources) == 0:
		return "any"
	}
	return strings.Join(r.ExtractEventSources, ", ")
}

// argKind describes the argument a field takes: "-", "index", "key" or
// "index|key", with " (required)" when it must be given.
func argKind(a checkreport.FieldArg) string {
	var kinds []string
	if a.IsIndex {
		kinds = append(kinds, "index")
	}
	if a.IsKey {
		kinds = append(kinds, "key")
	}
	s := orDash(strings.Join(kinds, "|"))
	if a.IsRequired {
		s += " (required)"
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// oneLine folds whitespace runs (newlines, tabs) into single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// table aligns rows in columns two spaces apart, without trailing spaces.
func table(rows [][]string) string {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 8, 2, ' ', 0)
	for _, row := range rows {
		for i, cell := range row {
			cell = strings.ReplaceAll(cell, "\t", " ")
			if i > 0 {
				tw.Write([]byte{'\t'})
			}
			tw.Write([]byte(cell))
		}
		tw.Write([]byte{'\n'})
	}
	tw.Flush()
	var out strings.Builder
	for line := range strings.Lines(buf.String()) {
		out.WriteString(strings.TrimRight(line, " \n"))
		out.WriteString("\n")
	}
	return out.String()
}
