package rules

// validateSchema stands for the JSON-schema validation Falco 0.44 runs on
// each document: "ok" is what a valid file reports.
func validateSchema(docs []*ynode) []string { return []string{"ok"} }
