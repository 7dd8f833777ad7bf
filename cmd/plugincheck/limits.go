package main

import (
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/plughost/plughost/internal/checkreport"
)

// maxReportString caps every plugin-supplied string in a report (names,
// versions, field names and descriptions, check messages that quote the
// plugin, stream errors and formatted lines), in-process and isolated
// alike. A longer one keeps its first maxReportString bytes (cut at a
// character boundary) followed by truncMarker with its length.
const maxReportString = 64 << 10

// truncMarker follows a cut string; %d is the string's length in bytes.
const truncMarker = "... [truncated by plugincheck: %d bytes]"

// limitString cuts s to maxReportString bytes, marking the cut.
func limitString(s string) string {
	if len(s) <= maxReportString {
		return s
	}
	n := maxReportString
	for n > maxReportString-utf8.UTFMax && n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + fmt.Sprintf(truncMarker, len(s))
}

// limitStrings returns ss with each string cut, in a new slice if one was.
func limitStrings(ss []string) []string {
	for i, s := range ss {
		if len(s) > maxReportString {
			ss = slices.Clone(ss)
			for j := i; j < len(ss); j++ {
				ss[j] = limitString(ss[j])
			}
			break
		}
	}
	return ss
}

// limitReport cuts the plugin-supplied strings of r (see maxReportString).
// Slices of r that change are copied first: the reports of one check may
// share them.
func limitReport(r *checkreport.PluginReport) {
	for _, p := range []*string{&r.Name, &r.Version, &r.RequiredAPIVersion, &r.EventSource} {
		*p = limitString(*p)
	}
	r.Capabilities = limitStrings(r.Capabilities)
	r.ExtractEventSources = limitStrings(r.ExtractEventSources)
	r.Fields = slices.Clone(r.Fields)
	for i := range r.Fields {
		f := &r.Fields[i]
		f.Name, f.Type, f.Desc = limitString(f.Name), limitString(f.Type), limitString(f.Desc)
		f.Properties = limitStrings(f.Properties)
	}
	r.Checks = slices.Clone(r.Checks)
	for i := range r.Checks {
		r.Checks[i].Message = limitString(r.Checks[i].Message)
	}
	if r.Stream != nil {
		s := *r.Stream
		s.Errors = limitStrings(s.Errors)
		s.Lines = limitStrings(s.Lines)
		r.Stream = &s
	}
}
