package rules

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// ynode is a YAML node as yaml-cpp presents it to Falco's reader: null,
// scalar, sequence or map, with the 0-based mark of where it starts.
type ynode struct {
	kind   ykind
	text   string // scalar text
	line   int
	col    int
	off    int
	items  []*ynode // sequence
	keys   []*ynode // map
	values []*ynode
}

type ykind int

const (
	yNull ykind = iota
	yScalar
	ySeq
	yMap
)

// get is yaml-cpp's item[key] on a const node: nil when n is not a map or
// has no such key.
func (n *ynode) get(key string) *ynode {
	if n == nil || n.kind != yMap {
		return nil
	}
	for i, k := range n.keys {
		if k.kind == yScalar && k.text == key {
			return n.values[i]
		}
	}
	return nil
}

func (n *ynode) has(key string) bool { return n.get(key) != nil }

// asString is yaml-cpp's as<std::string>(): "null" for a null node, and a
// bad conversion for a collection.
func (n *ynode) asString() string {
	switch n.kind {
	case yNull:
		return "null"
	case yScalar:
		return n.text
	}
	panic(&loadError{code: ErrValidate, msg: fmt.Sprintf("yaml-cpp: error at line %d, column %d: bad conversion", n.line+1, n.col+1), badConversion: true})
}

// yamlParseError is a document that does not parse, with its mark.
type yamlParseError struct {
	msg            string
	line, col, off int
}

// parseYAML reads every document of content.
func parseYAML(content []byte) (docs []*ynode, perr *yamlParseError) {
	f, err := parseBytesSafe(content)
	if err != nil {
		pe := &yamlParseError{msg: err.Error()}
		var se *yaml.SyntaxError
		if errors.As(err, &se) {
			pe.msg = se.Message
			if se.Token != nil {
				pe.line, pe.col, pe.off = newLineTable(content).mark(se.Token)
			}
		}
		pe.msg = fmt.Sprintf("yaml-cpp: error at line %d, column %d: %s", pe.line+1, pe.col+1, yamlCppMessage(pe.msg))
		return nil, pe
	}
	conv := &yconv{anchors: map[string]*ynode{}, lines: newLineTable(content)}
	defer func() {
		if r := recover(); r != nil {
			ua, ok := r.(unknownAnchor)
			if !ok {
				panic(r)
			}
			docs = nil
			perr = &yamlParseError{line: ua.line, col: ua.col, off: ua.off,
				msg: fmt.Sprintf("yaml-cpp: error at line %d, column %d: the referenced anchor is not defined", ua.line+1, ua.col+1)}
		}
	}()
	for _, d := range f.Docs {
		if d == nil || d.Body == nil {
			// yaml-cpp has a null document only where "---" opens one
			if d != nil && d.Start != nil {
				docs = append(docs, nil)
			}
			continue
		}
		docs = append(docs, conv.node(d.Body))
	}
	return docs, nil
}

func parseBytesSafe(content []byte) (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("%v", r)
		}
	}()
	return parser.ParseBytes(content, 0, parser.AllowDuplicateMapKey())
}

// lineTable turns goccy's positions (1-based line, 1-based column in
// runes) into yaml-cpp's marks (0-based line, byte column, byte offset).
type lineTable struct {
	content []byte
	starts  []int
}

func newLineTable(content []byte) *lineTable {
	lt := &lineTable{content: content, starts: []int{0}}
	for i, c := range content {
		if c == '\n' {
			lt.starts = append(lt.starts, i+1)
		}
	}
	return lt
}

func (lt *lineTable) mark(t *token.Token) (line, col, off int) {
	if t == nil || t.Position == nil {
		return 0, 0, 0
	}
	line = max(t.Position.Line-1, 0)
	if line >= len(lt.starts) {
		line = len(lt.starts) - 1
	}
	start := lt.starts[line]
	end := len(lt.content)
	if line+1 < len(lt.starts) {
		end = lt.starts[line+1]
	}
	i := start
	for n := max(t.Position.Column-1, 0); n > 0 && i < end; n-- {
		_, size := utf8.DecodeRune(lt.content[i:end])
		i += size
	}
	return line, i - start, i
}

type yconv struct {
	anchors map[string]*ynode
	lines   *lineTable
	depth   int
}

func (c *yconv) node(n ast.Node) *ynode {
	c.depth++
	defer func() { c.depth-- }()
	if n == nil || c.depth > 10000 {
		return &ynode{kind: yNull}
	}
	mark := func(y *ynode, t *token.Token) *ynode {
		y.line, y.col, y.off = c.lines.mark(t)
		return y
	}
	switch n := n.(type) {
	case *ast.NullNode:
		y := mark(&ynode{kind: yNull}, n.GetToken())
		c.lines.implicitNullMark(y)
		return y
	case *ast.StringNode:
		return mark(&ynode{kind: yScalar, text: n.Value}, n.GetToken())
	case *ast.LiteralNode:
		y := &ynode{kind: yScalar}
		if n.Value != nil {
			y.text = n.Value.Value
		}
		return mark(y, n.GetToken())
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode, *ast.MergeKeyNode:
		t := n.GetToken()
		return mark(&ynode{kind: yScalar, text: t.Value}, t)
	case *ast.SequenceNode:
		y := mark(&ynode{kind: ySeq}, n.Start)
		for _, v := range n.Values {
			y.items = append(y.items, c.node(v))
		}
		return y
	case *ast.MappingNode:
		y := &ynode{kind: yMap}
		if n.IsFlowStyle || len(n.Values) == 0 {
			mark(y, n.Start)
		}
		for i, mv := range n.Values {
			k := c.node(mv.Key)
			if i == 0 && !n.IsFlowStyle {
				y.line, y.col, y.off = k.line, k.col, k.off
			}
			y.keys = append(y.keys, k)
			y.values = append(y.values, c.value(mv))
		}
		return y
	case *ast.MappingValueNode:
		k := c.node(n.Key)
		return &ynode{kind: yMap, line: k.line, col: k.col, off: k.off, keys: []*ynode{k}, values: []*ynode{c.value(n)}}
	case *ast.MappingKeyNode:
		return c.node(n.Value)
	case *ast.AnchorNode:
		// yaml-cpp marks a node where its properties (anchor, tag) start
		v := c.node(n.Value)
		v.line, v.col, v.off = c.lines.mark(n.GetToken())
		if n.Name != nil {
			c.anchors[n.Name.GetToken().Value] = v
		}
		return v
	case *ast.AliasNode:
		if n.Value != nil {
			if v, ok := c.anchors[n.Value.GetToken().Value]; ok {
				return v
			}
		}
		var ua unknownAnchor
		ua.line, ua.col, ua.off = c.lines.mark(n.GetToken())
		panic(ua)
	case *ast.TagNode:
		v := c.node(n.Value)
		v.line, v.col, v.off = c.lines.mark(n.GetToken())
		return v
	case *ast.CommentGroupNode:
		return &ynode{kind: yNull}
	}
	t := n.GetToken()
	if t == nil {
		return &ynode{kind: yNull}
	}
	return mark(&ynode{kind: yScalar, text: t.Value}, t)
}

// value converts the value of a map entry; a missing value is null, marked
// where the key's colon is.
func (c *yconv) value(mv *ast.MappingValueNode) *ynode {
	if mv.Value == nil {
		y := &ynode{kind: yNull}
		y.line, y.col, y.off = c.lines.mark(mv.Start)
		y.off++ // past the ':'
		y.col++
		c.lines.implicitNullMark(y)
		return y
	}
	return c.node(mv.Value)
}

// yaml-cpp's bool conversion accepts these spellings (and their upper and
// capitalized forms).
func decodeBool(s string) (bool, bool) {
	for _, p := range [][2]string{{"y", "n"}, {"yes", "no"}, {"true", "false"}, {"on", "off"}} {
		for i, w := range p {
			if s == w || s == strings.ToUpper(w) || s == strings.ToUpper(w[:1])+w[1:] {
				return i == 0, true
			}
		}
	}
	return false, false
}

// decodeUint is yaml-cpp's integer conversion into an unsigned type of
// the given bit size: a stringstream with base auto-detection (0x, 0),
// no leading blanks, trailing blanks tolerated, no '-'.
func decodeUint(s string, bits int) (uint64, bool) {
	t := strings.TrimRight(s, " \t\n\v\f\r")
	if t == "" || t[0] == '-' {
		return 0, false
	}
	if t[0] == '+' {
		t = t[1:]
	}
	base := uint64(10)
	switch {
	case len(t) > 1 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X'):
		base, t = 16, t[2:]
	case len(t) > 1 && t[0] == '0':
		base, t = 8, t[1:]
	}
	if t == "" {
		return 0, false
	}
	limit := uint64(1)<<bits - 1
	if bits == 64 {
		limit = ^uint64(0)
	}
	var v uint64
	for i := 0; i < len(t); i++ {
		var d uint64
		switch c := t[i]; {
		case c >= '0' && c <= '9':
			d = uint64(c - '0')
		case c >= 'a' && c <= 'f':
			d = uint64(c-'a') + 10
		case c >= 'A' && c <= 'F':
			d = uint64(c-'A') + 10
		default:
			return 0, false
		}
		if d >= base {
			return 0, false
		}
		if v > (limit-d)/base {
			return 0, false
		}
		v = v*base + d
	}
	return v, true
}

// unknownAnchor is an alias to an anchor not defined before it: a parse
// error for yaml-cpp.
type unknownAnchor struct{ line, col, off int }

// yamlCppMessage renders goccy's message for the syntax errors yaml-cpp
// reports with a message of its own.
func yamlCppMessage(msg string) string {
	switch {
	case strings.Contains(msg, "sequence end token ']' not found"):
		return "end of sequence flow not found"
	case strings.Contains(msg, "flow mapping end token '}'"):
		return "end of map flow not found"
	case strings.Contains(msg, "could not find end character of"):
		return "illegal EOF in scalar"
	case strings.Contains(msg, "mapping value is not allowed in this context"):
		return "illegal map value"
	}
	return msg
}

// implicitNullMark moves the mark of an empty value (`key:` and nothing)
// to where yaml-cpp puts it: the next token, past blanks and comments.
func (lt *lineTable) implicitNullMark(y *ynode) {
	i := y.off
	if i < len(lt.content) && !strings.ContainsRune(" \t\r\n#", rune(lt.content[i])) {
		return // an explicit ~ or null
	}
	for i < len(lt.content) {
		switch lt.content[i] {
		case ' ', '\t', '\r', '\n':
			i++
			continue
		case '#':
			for i < len(lt.content) && lt.content[i] != '\n' {
				i++
			}
			continue
		}
		break
	}
	y.off = i
	y.line = sort.SearchInts(lt.starts, i+1) - 1
	y.col = i - lt.starts[y.line]
}
