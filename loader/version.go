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
// Versions longer than semver.MaxVersionLen (256) bytes are refused with a
// message of their own: libsinsp has no such limit (it reads the leading
// X.Y.Z with sscanf and ignores the rest), the semver parser does.
func parseVersion(s string) (*semver.Version, error) {
	if len(s) > semver.MaxVersionLen {
		return nil, fmt.Errorf("'%.32s...' is %d bytes long; plughost reads semantic versions of at most %d bytes (libsinsp reads only the leading X.Y.Z)", s, len(s), semver.MaxVersionLen)
	}
	v, err := semver.StrictNewVersion(s)
	if err != nil {
		return nil, fmt.Errorf("'%s' is not a semantic version X.Y.Z", s)
	}
	return v, nil
}
