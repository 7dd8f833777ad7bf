package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/pluginapi"
)

// printPlugins prints --list-plugins as Falco does: each configured
// plugin's metadata, read without initializing it.
func printPlugins(w io.Writer, plugins []*loader.Plugin) {
	var sb strings.Builder
	for _, p := range plugins {
		fmt.Fprintf(&sb, "Name: %s\n", p.Name)
		fmt.Fprintf(&sb, "Description: %s\n", p.Description)
		fmt.Fprintf(&sb, "Contact: %s\n", p.Contact)
		fmt.Fprintf(&sb, "Version: %s\n", p.Version)
		sb.WriteString("Capabilities: \n")
		if p.Has(pluginapi.CapSourcing) {
			if p.ID != 0 {
				fmt.Fprintf(&sb, "  - Event Sourcing (ID=%d, source='%s')\n", p.ID, p.EventSource)
			} else {
				sb.WriteString("  - Event Sourcing (system events)\n")
			}
		}
		if p.Has(pluginapi.CapExtraction) {
			sb.WriteString("  - Field Extraction\n")
		}
		if p.Has(pluginapi.CapParsing) {
			sb.WriteString("  - Event Parsing\n")
		}
		if p.Has(pluginapi.CapAsync) {
			sb.WriteString("  - Async Events\n")
		}
		sb.WriteString("\n")
	}
	fmt.Fprintf(w, "%d Plugins Loaded:\n\n%s\n", len(plugins), sb.String())
}

// twoColumns is Falco's "%-50s %s" line, cut as its 4096-byte buffer cuts it.
func twoColumns(w io.Writer, left, right string) {
	line := fmt.Sprintf("%-50s %s", left, right)
	if len(line) > 4094 {
		line = line[:4094]
	}
	fmt.Fprintln(w, line)
}

// wrapText wraps words as Falco's wrap_text does: a word goes on the line
// while the line stays within lineLen-indent, each word is followed by a
// blank, and each new line starts with indent blanks.
func wrapText(in string, indent, lineLen int) string {
	var sb strings.Builder
	n := 0
	for _, word := range strings.Fields(in) {
		if n+len(word)+1 <= lineLen-indent {
			n += len(word) + 1
		} else {
			sb.WriteString("\n")
			sb.WriteString(strings.Repeat(" ", indent))
			n = len(word) + 1
		}
		sb.WriteString(word)
		sb.WriteString(" ")
	}
	return sb.String()
}
