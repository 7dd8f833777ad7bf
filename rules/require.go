package rules

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/Masterminds/semver/v3"
)

// EngineVersion is the rules engine version this package implements:
// Falco 0.44's.
const EngineVersion = "0.62.0"

const (
	engineMajor = 0
	enginePatch = 0
)

// version is libsinsp's sinsp_version: three numbers read with sscanf
// "%u.%u.%u" (trailing text tolerated).
type version struct {
	major, minor, patch uint32
	valid               bool
}

// parseVersion reads s as sscanf("%u.%u.%u") does.
func parseVersion(s string) version {
	var v version
	nums := [3]*uint32{&v.major, &v.minor, &v.patch}
	i := 0
	for k, p := range nums {
		if k > 0 {
			if i >= len(s) || s[i] != '.' {
				return version{}
			}
			i++
		}
		for i < len(s) && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')) {
			i++
		}
		neg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			neg = s[i] == '-'
			i++
		}
		start := i
		var n uint64
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			if n < 1<<40 {
				n = n*10 + uint64(s[i]-'0')
			}
			i++
		}
		if i == start {
			return version{}
		}
		if n > 0xffffffff {
			n = 0xffffffff // strtoul saturates; the store truncates to 32 bits
		}
		if neg {
			n = uint64(uint32(-int64(n)))
		}
		*p = uint32(n)
	}
	v.valid = true
	return v
}

func (v version) String() string {
	return fmt.Sprintf("%d.%d.%d", v.major, v.minor, v.patch)
}

func (v version) semver() *semver.Version {
	return semver.New(uint64(v.major), uint64(v.minor), uint64(v.patch), "", "")
}

func (v version) less(o version) bool { return v.semver().LessThan(o.semver()) }

// compatibleWith is sinsp_version::compatible_with: the same major and
// v >= required.
func (v version) compatibleWith(required version) bool {
	if !v.valid || !required.valid {
		return false
	}
	return v.major == required.major && !v.less(required)
}

// Load-level failures, for errors.Is.
var (
	// ErrLoad is a rules file that did not load (its Result has errors).
	ErrLoad = errors.New("rules file did not load")
	// ErrRequirement is an unsatisfied required_plugin_versions entry.
	ErrRequirement = errors.New("plugin requirement not satisfied")
)

// PluginVersion is a loaded plugin as the requirement check sees it.
type PluginVersion struct {
	Name, Version string
}

// RequirementError is a failed plugin requirement check; Error() is
// Falco's message.
type RequirementError struct {
	Msg          string
	Alternatives []PluginRequirement
}

func (e *RequirementError) Error() string        { return e.Msg }
func (e *RequirementError) Is(target error) bool { return target == ErrRequirement }

// LoadError is a Load whose result has errors; Error() is the result's
// summary text.
type LoadError struct{ Result *Result }

func (e *LoadError) Error() string        { return e.Result.Text(false) }
func (e *LoadError) Is(target error) bool { return target == ErrLoad }

// Err returns a *LoadError when r has errors, nil otherwise.
func (r *Result) Err() error {
	if r.OK() {
		return nil
	}
	return &LoadError{Result: r}
}

// Requirements returns every required_plugin_versions group collected so
// far, in order: each group is its alternatives, the entry's own name first.
func (l *Loader) Requirements() [][]PluginRequirement {
	out := make([][]PluginRequirement, len(l.col.pluginVersions))
	for i, g := range l.col.pluginVersions {
		out[i] = append([]PluginRequirement(nil), g...)
	}
	return out
}

// CheckPluginRequirements is falco_engine::check_plugin_requirements over
// every file loaded so far: for each group in order, the first alternative
// whose plugin is loaded decides. With strict, a group is satisfied only
// if some loaded alternative is compatible, trying every one.
func (l *Loader) CheckPluginRequirements(loaded []PluginVersion, strict bool) error {
	for _, alts := range l.col.pluginVersions {
		msg, ok := checkAlternatives(loaded, alts, strict)
		if ok {
			continue
		}
		if msg == "" {
			for i, r := range alts {
				if i > 0 {
					msg += ", "
				}
				msg += r.Name + " (>= " + r.Version + ")"
			}
			msg = "Plugin requirement not satisfied, must load one of: " + msg
		}
		return &RequirementError{Msg: msg, Alternatives: append([]PluginRequirement(nil), alts...)}
	}
	return nil
}

func checkAlternatives(loaded []PluginVersion, alts []PluginRequirement, strict bool) (string, bool) {
	firstErr := ""
	for _, req := range alts {
		for _, p := range loaded {
			if req.Name != p.Name {
				continue
			}
			pv := parseVersion(p.Version)
			var msg string
			switch {
			case !pv.valid:
				msg = "Plugin '" + p.Name + "' has invalid version string '" + p.Version + "'"
			case !pv.compatibleWith(parseVersion(req.Version)):
				msg = "Plugin '" + p.Name + "' version '" + pv.String() + "' is not compatible with required plugin version '" + req.Version + "'"
			default:
				return "", true
			}
			if !strict {
				return msg, false
			}
			if firstErr == "" {
				firstErr = msg
			}
			break
		}
	}
	return firstErr, false
}

// implicitEngineVersion is the 0.N.0 an integer required_engine_version means.
func implicitEngineVersion(n uint32) string {
	return strconv.Itoa(engineMajor) + "." + strconv.FormatUint(uint64(n), 10) + "." + strconv.Itoa(enginePatch)
}
