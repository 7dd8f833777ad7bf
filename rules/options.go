package rules

import (
	"fmt"
	"strings"
)

// Matching is falco.yaml's rule_matching: whether an event raises the alert
// of the first rule it matches, in rule order, or of every rule.
type Matching int

const (
	MatchFirst Matching = iota // Falco's default
	MatchAll
)

func (m Matching) String() string {
	if m == MatchAll {
		return "all"
	}
	return "first"
}

// ParseMatching reads rule_matching as Falco does, case-insensitively.
func ParseMatching(s string) (Matching, error) {
	switch strings.ToLower(s) {
	case "first":
		return MatchFirst, nil
	case "all":
		return MatchAll, nil
	}
	return 0, fmt.Errorf("Unknown rule matching strategy %q--must be one of first, all", s)
}

// AppendOutput is one entry of falco.yaml's append_output: text and fields
// added to the output of the rules it matches. An empty Source or Rule and
// a nil Tags match every rule; Tags must all be on the rule.
type AppendOutput struct {
	Source string
	Tags   []string
	Rule   string
	// ExtraOutput is appended to the rule's output after a blank.
	ExtraOutput string
	// ExtraFields are added to the JSON alert's output_fields.
	ExtraFields []ExtraField
	// SuggestedOutput appends `name=%field` for every plugin field the
	// rule's source declares with addOutput.
	SuggestedOutput bool
}

// ExtraField is one append_output extra_fields entry: `- key` (Raw: the
// field %key, keeping its JSON type) or `- key: format` (a format string,
// always a JSON string).
type ExtraField struct {
	Key    string
	Format string
	Raw    bool
}
