package ops

import (
	"bytes"
	"strings"
	"testing"
)

// refGlob is a plain recursive matcher for the patterns simpleGlob
// accepts: literals, `?`, `*`, `\x`, and well-formed brackets of
// letters, digits and ranges, optionally negated with `!`.
func refGlob(p, s string, fold bool) bool {
	if p == "" {
		return s == ""
	}
	low := func(c byte) byte {
		if fold {
			return lowerASCII(c)
		}
		return c
	}
	switch p[0] {
	case '*':
		for len(p) > 1 && p[1] == '*' {
			p = p[1:]
		}
		for i := 0; i <= len(s); i++ {
			if refGlob(p[1:], s[i:], fold) {
				return true
			}
		}
		return false
	case '?':
		return s != "" && refGlob(p[1:], s[1:], fold)
	case '\\':
		return s != "" && low(p[1]) == low(s[0]) && refGlob(p[2:], s[1:], fold)
	case '[':
		if s == "" {
			return false
		}
		end := strings.IndexByte(p[2:], ']') + 2
		body := p[1:end]
		neg := body[0] == '!'
		if neg {
			body = body[1:]
		}
		c := low(s[0])
		in := false
		for i := 0; i < len(body); i++ {
			if i+2 < len(body) && body[i+1] == '-' {
				if low(body[i]) <= c && c <= low(body[i+2]) {
					in = true
				}
				i += 2
				continue
			}
			if low(body[i]) == c {
				in = true
			}
		}
		return in != neg && refGlob(p[end+1:], s[1:], fold)
	}
	return s != "" && low(p[0]) == low(s[0]) && refGlob(p[1:], s[1:], fold)
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// simpleGlob tells whether refGlob models pattern p exactly.
func simpleGlob(p string) bool {
	if strings.IndexByte(p, 0) >= 0 {
		return false
	}
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\':
			if i+1 >= len(p) || p[i+1] == 0 {
				return false
			}
			i++
		case '[':
			j := i + 1
			if j < len(p) && p[j] == '!' {
				j++
			}
			start := j
			for j < len(p) && p[j] != ']' {
				if !isAlnum(p[j]) && p[j] != '-' {
					return false
				}
				j++
			}
			if j >= len(p) || j == start {
				return false
			}
			body := p[start:j]
			if body[0] == '-' || body[len(body)-1] == '-' || strings.Contains(body, "--") {
				return false
			}
			for k := 0; k+2 < len(body); k++ {
				if body[k+1] == '-' && k+3 < len(body) && body[k+3] == '-' {
					return false // a-b-c
				}
			}
			i = j
		case ']', '^':
			return false
		}
	}
	return true
}

func FuzzGlob(f *testing.F) {
	for _, s := range [][2]string{
		{"*.txt", "a/b.txt"}, {"a?c", "abc"}, {"[!a]bc", "xbc"}, {`\*`, "*"}, {"a[", "a["},
		{"[[:alpha:]]*", "x1"}, {"*a*b*c", "aXbXc"}, {"[a-z]*[0-9]", "q123"}, {"[]]", "]"}, {"**?*", ""},
	} {
		f.Add(s[0], s[1], false)
		f.Add(s[0], strings.ToUpper(s[1]), true)
	}
	f.Fuzz(func(t *testing.T, p, s string, fold bool) {
		got := globMatch([]byte(p), []byte(s), fold)
		// the reference backtracks exponentially: keep its inputs small
		if simpleGlob(p) && strings.IndexByte(s, 0) < 0 && len(s) <= 64 && strings.Count(p, "*") <= 5 {
			if want := refGlob(p, s, fold); got != want {
				t.Fatalf("globMatch(%q, %q, %v) = %v, reference %v", p, s, fold, got, want)
			}
		}
	})
}

// refPmatch: some search path's components are a prefix of the value's,
// each component equal or, when it holds a glob character, matching.
func refPmatch(paths []string, v string) bool {
	vc := components([]byte(v))
	for _, p := range paths {
		pc := components([]byte(p))
		if len(pc) > len(vc) {
			continue
		}
		ok := true
		for i := range pc {
			if bytes.ContainsAny(pc[i], "?*[") {
				ok = globMatch(pc[i], vc[i], false)
			} else {
				ok = bytes.Equal(pc[i], vc[i])
			}
			if !ok {
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func FuzzPmatch(f *testing.F) {
	f.Add("/opt/dir\n/opt/dir2", "/opt/dir/subdir/file.txt")
	f.Add("/opt/*/subdir", "/opt/dir/subdir/file.txt")
	f.Add("/a/b/c\n/a", "/a/x")
	f.Add("/\n/x", "")
	f.Add("/a*/b\n/a*/c\n/ab", "/ab/c")
	f.Fuzz(func(t *testing.T, paths, v string) {
		ps := strings.Split(paths, "\n")
		tr := newPathTrie()
		for _, p := range ps {
			tr.add([]byte(p))
		}
		got := tr.match([]byte(v))
		if strings.IndexByte(paths, 0) >= 0 || strings.IndexByte(v, 0) >= 0 {
			return
		}
		if want := refPmatch(ps, v); got != want {
			t.Fatalf("pmatch(%q, %q) = %v, reference %v", ps, v, got, want)
		}
	})
}
