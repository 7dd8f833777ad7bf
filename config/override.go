package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// applyOverride applies one -o key=value as Falco's set_cmdline_option
// does: the key walks (and creates) maps and sequences, and the value
// replaces what is there, as a YAML object when it is wrapped in {...},
// else as a string scalar.
func applyOverride(root *node, opt string) error {
	key, value, ok := strings.Cut(opt, "=")
	if !ok {
		return fmt.Errorf("Error parsing config option \"%s\". Must be of the form key=val or key.subkey=val", opt)
	}
	var v *node
	if strings.HasPrefix(value, "{") && strings.HasSuffix(value, "}") {
		t, err := parseTree("-o "+key, []byte(value))
		if err != nil {
			return fmt.Errorf("Config error at key \"%s\": %s", key, err.(*Error).Msg)
		}
		v = t
		clearPositions(v)
	} else {
		v = &node{kind: kindScalar, text: value}
	}
	slot, err := walk(root, key, true)
	if err != nil {
		return fmt.Errorf("Config error at key \"%s\": %w", key, err)
	}
	*slot = *v
	return nil
}

func clearPositions(n *node) {
	n.line, n.col = 0, 0
	for _, c := range n.items {
		clearPositions(c)
	}
	for _, c := range n.vals {
		clearPositions(c)
	}
}

// walk finds (creating as it goes) the node key names, parsing key as
// yaml_helper's get_node does: dots separate map keys, [N] indexes a
// sequence, [] appends (when canAppend), and a backslash escapes . [ ]
// and itself.
func walk(root *node, key string, canAppend bool) (*node, error) {
	cur := root
	var name strings.Builder
	named := false
	shift := func(i int) error {
		if !named {
			return fmt.Errorf("Parsing error: unexpected character at pos %d", i)
		}
		cur = child(cur, name.String())
		name.Reset()
		named = false
		return nil
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c == '\\' {
			if i+1 >= len(key) {
				return nil, fmt.Errorf("Parsing error: trailing backslash at pos %d", i)
			}
			next := key[i+1]
			if next != '.' && next != '[' && next != ']' && next != '\\' {
				return nil, fmt.Errorf("Parsing error: invalid escape sequence '\\%c' at pos %d", next, i)
			}
			name.WriteByte(next)
			named = true
			i++
			if i == len(key)-1 {
				if err := shift(i); err != nil {
					return nil, err
				}
			}
			continue
		}
		last := i == len(key)-1
		if c != '.' && c != '[' {
			if i > 0 && !named && key[i-1] != '.' {
				return nil, fmt.Errorf("Parsing error: expected '.' character at pos %d", i-1)
			}
			name.WriteByte(c)
			named = true
		}
		if c == '.' || c == '[' || last {
			if err := shift(i); err != nil {
				return nil, err
			}
		}
		if c == '[' {
			end := strings.IndexByte(key[i:], ']')
			var idx string
			if end < 0 {
				idx = key[i+1:]
				end = len(key)
			} else {
				idx = key[i+1 : i+end]
				end += i
			}
			appendable := cur.kind == kindNull || cur.kind == kindSeq
			var n int
			if idx == "" && appendable && canAppend {
				if cur.kind == kindNull {
					*cur = node{kind: kindSeq}
				}
				cur.items = append(cur.items, &node{kind: kindNull})
				n = len(cur.items) - 1
			} else {
				v, err := stoi(idx)
				if err != nil {
					return nil, fmt.Errorf("Parsing error: expected a numeric index, found '%s'", idx)
				}
				n = v
			}
			cur = index(cur, n)
			i = end
			if i < len(key)-1 && key[i+1] == '.' {
				i++
			}
		}
	}
	return cur, nil
}

// stoi is std::stoi: leading blanks, a sign and digits, then anything.
func stoi(s string) (int, error) {
	t := strings.TrimLeft(s, " \t\n\v\f\r")
	j := 0
	if j < len(t) && (t[j] == '+' || t[j] == '-') {
		j++
	}
	k := j
	for k < len(t) && t[k] >= '0' && t[k] <= '9' {
		k++
	}
	if k == j {
		return 0, errors.New("stoi")
	}
	return strconv.Atoi(t[:k])
}

// child is yaml-cpp's node[key] for assignment: a map entry, created (and
// the node turned into a map) when missing.
func child(n *node, key string) *node {
	if n.kind != kindMap {
		*n = node{kind: kindMap}
	}
	if v := n.get(key); v != nil {
		return v
	}
	v := &node{kind: kindNull}
	n.set(key, v)
	return v
}

// index is yaml-cpp's node[i]: a sequence element, appended when i is the
// length; anything else makes the node a map keyed by the index's text.
func index(n *node, i int) *node {
	if n.kind == kindNull && i == 0 {
		*n = node{kind: kindSeq}
	}
	if n.kind == kindSeq {
		if i >= 0 && i < len(n.items) {
			return n.items[i]
		}
		if i == len(n.items) {
			v := &node{kind: kindNull}
			n.items = append(n.items, v)
			return v
		}
		m := node{kind: kindMap}
		for j, it := range n.items {
			m.set(strconv.Itoa(j), it)
		}
		*n = m
	}
	return child(n, strconv.Itoa(i))
}
