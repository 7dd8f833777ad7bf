package rules

import (
	"fmt"
	"strings"
)

// Priority is a rule's severity, in Falco's order: Emergency is the most
// severe (0), Debug the least (7).
type Priority int

// The priorities, most severe first.
const (
	Emergency Priority = iota
	Alert
	Critical
	Error
	Warning
	Notice
	Informational
	Debug
)

var priorityNames = [...]string{"Emergency", "Alert", "Critical", "Error", "Warning", "Notice", "Informational", "Debug"}

// String is the name Falco prints in alerts ("Informational", never "Info").
func (p Priority) String() string {
	if p < Emergency || p > Debug {
		return fmt.Sprintf("Priority(%d)", int(p))
	}
	return priorityNames[p]
}

// ParsePriority reads a priority as Falco does: case-insensitively, with
// "info" as an alias of informational.
func ParsePriority(s string) (Priority, bool) {
	l := strings.ToLower(s)
	if l == "info" {
		return Informational, true
	}
	for i, n := range priorityNames {
		if l == strings.ToLower(n) {
			return Priority(i), true
		}
	}
	return 0, false
}

// AtLeast reports whether p is as severe as min or more.
func (p Priority) AtLeast(min Priority) bool { return p <= min }

// ShortString is the short name Falco's statistics print ("Info" for
// Informational).
func (p Priority) ShortString() string {
	if p == Informational {
		return "Info"
	}
	return p.String()
}
