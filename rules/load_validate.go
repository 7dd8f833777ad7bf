package rules

import (
	"os"
	"strings"
)

// NamedContent is one rules file for Validate.
type NamedContent struct {
	Name    string
	Content []byte
}

// Validation is what `falco -V f1 -V f2 ...` prints.
type Validation struct {
	// Stdout is printed to standard output: the summary (text mode) or
	// the {"falco_load_results":[...]} object (JSON mode), with its
	// final newline. Empty when a plugin requirement failed.
	Stdout string
	// Warnings are the verbose results of the files that loaded with
	// warnings, which Falco logs at WARNING level in text mode.
	Warnings []string
	// Results are the per-file results, in order.
	Results []*Result
	// Err is nil when every file loaded; a *LoadError-like error whose
	// text is the summary when one did not (Falco exits with it as a
	// fatal error); a *RequirementError when a plugin requirement failed
	// after some file.
	Err error
}

// ValidationError is the fatal error of a -V run with an invalid file:
// its text is the summary.
type ValidationError struct{ Summary string }

func (e *ValidationError) Error() string        { return e.Summary }
func (e *ValidationError) Is(target error) bool { return target == ErrLoad }

// Validate runs Falco's validate_rules_files over files, in order, with a
// fresh loader for env: each file is loaded and the plugin requirements
// are checked against loaded after it.
func Validate(env Env, files []NamedContent, loaded []PluginVersion, jsonOutput bool) *Validation {
	l := NewLoader(env)
	v := &Validation{}
	successful := true
	var summary strings.Builder
	var results []any
	for _, f := range files {
		res := l.Load(f.Name, f.Content)
		v.Results = append(v.Results, res)
		if err := l.CheckPluginRequirements(loaded, false); err != nil {
			v.Err = err
			return v
		}
		successful = successful && res.OK()
		if jsonOutput {
			results = append(results, res.jsonValue())
		}
		if summary.Len() > 0 {
			summary.WriteString("\n")
		}
		if !res.OK() || len(res.Warnings) == 0 {
			summary.WriteString(res.Text(true))
		} else {
			summary.WriteString(f.Name + ": Ok, with warnings")
			v.Warnings = append(v.Warnings, res.Text(true)+"\n")
		}
	}
	if jsonOutput {
		if results == nil {
			results = []any{}
		}
		v.Stdout = string(appendJSONValue(nil, jsonObject{"falco_load_results": results})) + "\n"
	} else {
		v.Stdout = summary.String() + "\n"
	}
	if !successful {
		v.Err = &ValidationError{Summary: summary.String()}
	}
	return v
}

// ValidateFiles is Validate over files read from paths; a file that
// cannot be read fails the whole run first, as Falco's read_files does.
func ValidateFiles(env Env, paths []string, loaded []PluginVersion, jsonOutput bool) (*Validation, error) {
	var files []NamedContent
	for _, p := range paths {
		c, err := os.ReadFile(p)
		if err != nil {
			return nil, &FileReadError{Path: p, Err: err}
		}
		files = append(files, NamedContent{Name: p, Content: c})
	}
	return Validate(env, files, loaded, jsonOutput), nil
}

// FileReadError is a rules file that cannot be read; Error() is Falco's
// message.
type FileReadError struct {
	Path string
	Err  error
}

func (e *FileReadError) Error() string { return "Could not open file " + e.Path + " for reading" }
func (e *FileReadError) Unwrap() error { return e.Err }
