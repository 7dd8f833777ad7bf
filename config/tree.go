package config

import (
	"fmt"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// node is a falco.yaml value as yaml-cpp sees it: null, a scalar (its
// text), a sequence or a map (keys in file order), with the 1-based line
// and column it starts at (0 for values set by -o).
type node struct {
	kind      kind
	text      string
	keys      []string
	vals      []*node
	items     []*node
	line, col int
}

type kind int

const (
	kindNull kind = iota
	kindScalar
	kindSeq
	kindMap
)

func (n *node) get(key string) *node {
	if n == nil || n.kind != kindMap {
		return nil
	}
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

func (n *node) set(key string, v *node) {
	for i, k := range n.keys {
		if k == key {
			n.vals[i] = v
			return
		}
	}
	n.keys = append(n.keys, key)
	n.vals = append(n.vals, v)
}

// parseTree parses one YAML document into a node tree. An empty file is
// an empty map, as Falco reads it.
func parseTree(name string, data []byte) (*node, error) {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, &Error{File: name, Msg: strings.TrimSpace(firstLine(err.Error())), Err: ErrYAML}
	}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return &node{kind: kindMap}, nil
	}
	c := &converter{anchors: map[string]*node{}}
	return c.node(f.Docs[0].Body), nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

type converter struct {
	anchors map[string]*node
	depth   int
}

func at(n *node, a ast.Node) *node {
	if t := a.GetToken(); t != nil && t.Position != nil {
		n.line, n.col = t.Position.Line, t.Position.Column
	}
	return n
}

func (c *converter) node(a ast.Node) *node {
	c.depth++
	defer func() { c.depth-- }()
	if a == nil || c.depth > 1000 {
		return &node{kind: kindNull}
	}
	switch a := a.(type) {
	case *ast.NullNode:
		return at(&node{kind: kindNull}, a)
	case *ast.StringNode:
		return at(&node{kind: kindScalar, text: a.Value}, a)
	case *ast.LiteralNode:
		n := &node{kind: kindScalar}
		if a.Value != nil {
			n.text = a.Value.Value
		}
		return at(n, a)
	case *ast.SequenceNode:
		n := at(&node{kind: kindSeq}, a)
		for _, v := range a.Values {
			n.items = append(n.items, c.node(v))
		}
		return n
	case *ast.MappingNode:
		n := at(&node{kind: kindMap}, a)
		for _, mv := range a.Values {
			c.entry(n, mv)
		}
		return n
	case *ast.MappingValueNode:
		n := at(&node{kind: kindMap}, a.Key)
		c.entry(n, a)
		return n
	case *ast.MappingKeyNode:
		return c.node(a.Value)
	case *ast.AnchorNode:
		v := c.node(a.Value)
		if a.Name != nil {
			c.anchors[a.Name.GetToken().Value] = v
		}
		return v
	case *ast.AliasNode:
		if a.Value != nil {
			if v, ok := c.anchors[a.Value.GetToken().Value]; ok {
				return v
			}
		}
		return at(&node{kind: kindNull}, a)
	case *ast.TagNode:
		return c.node(a.Value)
	case *ast.CommentGroupNode:
		return &node{kind: kindNull}
	}
	t := a.GetToken()
	if t == nil {
		return &node{kind: kindNull}
	}
	return at(&node{kind: kindScalar, text: t.Value}, a)
}

func (c *converter) entry(m *node, mv *ast.MappingValueNode) {
	k := c.node(mv.Key)
	v := &node{kind: kindNull, line: k.line, col: k.col}
	if mv.Value != nil {
		v = c.node(mv.Value)
	}
	key := k.text
	if k.kind != kindScalar {
		key = fmt.Sprint(k.text)
	}
	m.set(key, v)
}
