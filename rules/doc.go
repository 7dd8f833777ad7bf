// Package rules loads Falco rules files with Falco 0.44's semantics: the
// reader (YAML items, their keys and types), the collector (lists, macros
// and rules accumulated across files, appends and overrides, exceptions)
// and the compiler (lists substituted as text, macros resolved as ASTs,
// exceptions built into the condition, conditions and outputs compiled
// for the rule's source), with Falco's error and warning codes, messages,
// locations and snippets (Result.Text, Result.JSON, Validate for falco -V).
//
// It also holds the engine vocabulary shared with falco.yaml: Priority,
// Matching and AppendOutput.
package rules
