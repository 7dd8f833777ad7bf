package ops

import "bytes"

// pathTrie is libsinsp's path_prefix_search, which pmatch uses: a value
// matches when one of the search paths is a component-wise prefix of it.
// Paths split on '/' with empty components skipped, so "/a//b/" is
// (a, b) and a leading '/' does not matter; a search path with no
// component ("/" or "") matches everything. A search component holding
// `?`, `*` or `[` is a glob, matched with fnmatch(component, 0).
//
// libsinsp tries the glob components of one level in hash-table order and,
// past the first glob that matches, compares the later ones with the
// wrong path component; here every glob is tried with the right one. The
// two differ only when two globs of one level match the same component
// and the first tried fails further down.
type pathTrie struct {
	root *pathEntry // the implicit "root" component; nil before any path
}

// pathEntry is one component's entry: terminal (sub == nil) when a search
// path ends there, so that it matches whatever follows, else the level
// below it.
type pathEntry struct {
	sub *pathLevel
}

type pathLevel struct {
	dirs  map[string]*pathEntry
	globs []globDir
}

type globDir struct {
	pat   []byte
	entry *pathEntry
}

func newPathTrie() *pathTrie { return &pathTrie{} }

// components splits p as libsinsp's split_path does.
func components(p []byte) [][]byte {
	var out [][]byte
	for len(p) > 0 {
		i := bytes.IndexByte(p, '/')
		if i < 0 {
			out = append(out, p)
			break
		}
		if i > 0 {
			out = append(out, p[:i])
		}
		p = p[i+1:]
	}
	return out
}

// nextComp returns the path component at or after pos.
func nextComp(p []byte, pos int) (comp []byte, next int, ok bool) {
	for pos < len(p) && p[pos] == '/' {
		pos++
	}
	if pos >= len(p) {
		return nil, pos, false
	}
	end := bytes.IndexByte(p[pos:], '/')
	if end < 0 {
		return p[pos:], len(p), true
	}
	return p[pos : pos+end], pos + end, true
}

func (t *pathTrie) add(path []byte) {
	comps := components(path)
	if t.root == nil {
		t.root = newEntry(comps)
		return
	}
	t.root.extend(comps)
}

// newEntry makes the entry of a component followed by rest.
func newEntry(rest [][]byte) *pathEntry {
	e := &pathEntry{}
	if len(rest) > 0 {
		e.sub = &pathLevel{dirs: map[string]*pathEntry{}}
		e.sub.add(rest)
	}
	return e
}

// extend adds rest below an existing entry: a shorter path makes it
// terminal, a longer one under a terminal entry changes nothing.
func (e *pathEntry) extend(rest [][]byte) {
	switch {
	case len(rest) == 0:
		e.sub = nil
	case e.sub == nil:
	default:
		e.sub.add(rest)
	}
}

func (l *pathLevel) add(comps [][]byte) {
	comp, rest := comps[0], comps[1:]
	if bytes.ContainsAny(comp, "?*[") {
		for i := range l.globs {
			if bytes.Equal(l.globs[i].pat, comp) {
				l.globs[i].entry.extend(rest)
				return
			}
		}
		l.globs = append(l.globs, globDir{pat: comp, entry: newEntry(rest)})
		return
	}
	if e, ok := l.dirs[string(comp)]; ok {
		e.extend(rest)
		return
	}
	l.dirs[string(comp)] = newEntry(rest)
}

// match reports whether a search path is a prefix of p. It does not
// allocate.
func (t *pathTrie) match(p []byte) bool {
	if t.root == nil {
		return false
	}
	return t.root.check(p, 0)
}

// check matches what follows an entry's component, from pos.
func (e *pathEntry) check(p []byte, pos int) bool {
	if _, _, ok := nextComp(p, pos); !ok {
		return e.sub == nil
	}
	if e.sub == nil {
		return true
	}
	return e.sub.match(p, pos)
}

func (l *pathLevel) match(p []byte, pos int) bool {
	comp, next, _ := nextComp(p, pos)
	if e, ok := l.dirs[string(comp)]; ok && e.check(p, next) {
		return true
	}
	for i := range l.globs {
		if globMatch(l.globs[i].pat, comp, false) && l.globs[i].entry.check(p, next) {
			return true
		}
	}
	return false
}
