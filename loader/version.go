package loader

import (
	"fmt"

	"github.com/Masterminds/semver/v3"
)

// checkAPICompat applies plugin_check_required_api_version's rule: same
// major; framework minor >= plugin minor; equal minors need framework
// patch >= plugin patch. It returns "" when compatible.
func checkAPICompat(required, framework *semver.Version) string {
	switch {
	case required.Major() != framework.Major():
		return "major versions disagree"
	case framework.Minor() < required.Minor():
		return "framework's minor is less than the requested one"
	case framework.Minor() == required.Minor() && framework.Patch() < required.Patch():
		return "framework's patch is less than the requested one"
	}
	return ""
}

// parseVersion accepts strict semver (X.Y.Z with optional -pre and +build).
func parseVersion(s string) (*semver.Version, error) {
	v, err := semver.StrictNewVersion(s)
	if err != nil {
		return nil, fmt.Errorf("'%s' is not a semantic version X.Y.Z", s)
	}
	return v, nil
}
