package filter

import (
	"strconv"
	"strings"
)

// ParseOptions tunes Parse.
type ParseOptions struct {
	// MaxDepth bounds the parser's recursion: 0 (or less) means
	// libsinsp's default, 100; Falco uses 1000 for rule conditions. It
	// counts nested calls of the recursive-descent parser, not
	// parentheses: one level of `(...)` costs 5. Values above
	// MaxDepthLimit are taken as MaxDepthLimit.
	MaxDepth int
}

// DefaultMaxDepth is libsinsp's default depth limit.
const DefaultMaxDepth = 100

// MaxDepthLimit caps ParseOptions.MaxDepth so that no input can make the
// parser's recursion exhaust the goroutine stack.
const MaxDepthLimit = 100000

func (o ParseOptions) maxDepth() int {
	switch {
	case o.MaxDepth <= 0:
		return DefaultMaxDepth
	case o.MaxDepth > MaxDepthLimit:
		return MaxDepthLimit
	}
	return o.MaxDepth
}

// Operator and transformer tables, in the order libsinsp tries them. A
// trailing blank marks an operator that must be followed by a blank.
var (
	unaryOps   = []string{"exists"}
	numOps     = []string{"<=", "<", ">=", ">"}
	strOps     = []string{"==", "=", "!=", "glob ", "iglob ", "contains ", "icontains ", "bcontains ", "startswith ", "bstartswith ", "endswith ", "regex "}
	modifiers  = []string{"oneof ", "anyof ", "allof "}
	listOps    = []string{"intersects", "in", "pmatch"}
	transforms = []string{"tolower(", "toupper(", "b64(", "basename(", "len(", "join(", "concat(", "getopt("}
)

const valTransformer = "val("

// quotedList is `'a', 'b', ...` of the words of lists, trimmed.
func quotedList(lists ...[]string) string {
	var b strings.Builder
	for _, l := range lists {
		for _, s := range l {
			if b.Len() > 0 {
				b.WriteString(", ")
			}
			b.WriteString("'" + strings.TrimRight(s, " (") + "'")
		}
	}
	return b.String()
}

var (
	operatorsText    = quotedList(unaryOps, numOps, strOps, listOps)
	transformersText = quotedList([]string{valTransformer}, transforms)
)

// parser is libsinsp's recursive-descent filter parser
// (userspace/libsinsp/filter/parser.cpp, libs 0.25.4), with its depth
// guard working as fixed after 0.25.4 (libs#3033).
type parser struct {
	in    string
	pos   Pos
	last  string // the last token lexed, for "unexpected token after"
	depth int
	max   int
}

func newParser(text string, opts ParseOptions) *parser {
	return &parser{in: text, pos: Pos{Line: 1, Col: 1}, max: opts.maxDepth()}
}

// Parse parses a filter condition and returns its AST, as libsinsp's
// parser does. A filter that does not parse is a *SyntaxError with
// libsinsp's message and the position where its parser stopped.
func Parse(text string, opts ParseOptions) (Expr, error) {
	p := newParser(text, opts)
	if text == "" {
		return nil, p.fail(msgEmpty)
	}
	e, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if p.depth > 0 {
		return nil, p.fail(msgUnbalanced)
	}
	if p.pos.Offset != len(p.in) {
		return nil, p.fail("unexpected token after '" + p.last + "', expecting 'or', 'and'")
	}
	return e, nil
}

// ParseFieldOrTransformer parses the field or transformer at the start of
// text, as libsinsp does for each %token of an output format
// (parse_field_or_transformer): text may go on after it, and n is the
// number of bytes used. It needs no condition, and val() is not allowed.
func ParseFieldOrTransformer(text string, opts ParseOptions) (e Expr, n int, err error) {
	p := newParser(text, opts)
	if err := p.enter(); err != nil {
		return nil, 0, err
	}
	defer p.leave()
	pos := p.pos
	switch {
	case p.lexFieldName():
		e, err = p.parseFieldRemainder(p.last, pos)
	case p.lexStrList(transforms):
		p.lexBlank()
		e, err = p.parseTransformerRemainder(strings.TrimSuffix(p.last, "("), pos)
	default:
		err = p.fail("unexpected token after '" + p.last)
	}
	if err != nil {
		return nil, 0, err
	}
	return e, p.pos.Offset, nil
}

// fail makes the error for the cursor's position. libsinsp's messages
// reach Falco as C strings (what()), so a NUL byte from the input ends
// them.
func (p *parser) fail(msg string) error {
	if i := strings.IndexByte(msg, 0); i >= 0 {
		msg = msg[:i]
	}
	return &SyntaxError{Pos: p.pos, Msg: msg}
}

// enter is libsinsp's depth guard: every guarded call adds one level and
// fails once the count reaches the limit. As in libsinsp, whose guard
// throws from its constructor, a failed enter does not give its level
// back; only try_parse_list_expr goes on after such an error, and then
// the parse ends "unbalanced" unless it fails some other way first.
func (p *parser) enter() error {
	p.depth++
	if p.depth >= p.max {
		return p.fail("exceeded max depth limit of " + strconv.Itoa(p.max))
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

func (p *parser) parseOr() (Expr, error) {
	return p.parseChain("or", msgBlankAfterOr, p.parseAnd, func(pos Pos, c []Expr) Expr { return &Or{Pos: pos, Children: c} })
}

func (p *parser) parseAnd() (Expr, error) {
	return p.parseChain("and", msgBlankAfterAnd, p.parseNot, func(pos Pos, c []Expr) Expr { return &And{Pos: pos, Children: c} })
}

// parseChain parses `x word y word z ...` (word is "or" or "and", which
// needs a blank or '(' after it) into one node of all the operands, or
// the single operand itself.
func (p *parser) parseChain(word, msgNoBlank string, operand func() (Expr, error), node func(Pos, []Expr) Expr) (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	pos := p.pos
	p.lexBlank()
	first, err := operand()
	if err != nil {
		return nil, err
	}
	children := []Expr{first}
	p.lexBlank()
	for p.lexStr(word) {
		var child Expr
		switch {
		case p.lexBlank():
			child, err = operand()
		case p.lexStr("("):
			child, err = p.parseEmbeddedRemainder()
		default:
			err = p.fail(msgNoBlank)
		}
		if err != nil {
			return nil, err
		}
		children = append(children, child)
		p.lexBlank()
	}
	if len(children) > 1 {
		return node(pos, children), nil
	}
	return first, nil
}

func (p *parser) parseNot() (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	pos := p.pos
	not := false
	p.lexBlank()
	for p.lexNotBlank() {
		not = !not
	}
	var child Expr
	var err error
	if p.lexStr("not(") {
		not = !not
		child, err = p.parseEmbeddedRemainder()
	} else {
		child, err = p.parseCheck()
	}
	if err != nil {
		return nil, err
	}
	if not {
		return &Not{Pos: pos, X: child}, nil
	}
	return child, nil
}

// parseEmbeddedRemainder parses `Expr )` after a '('.
func (p *parser) parseEmbeddedRemainder() (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	p.lexBlank()
	e, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	p.lexBlank()
	if !p.lexStr(")") {
		return nil, p.fail(msgCloseParen)
	}
	return e, nil
}

func (p *parser) parseCheck() (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	pos := p.pos
	p.lexBlank()
	if p.lexStr("(") {
		return p.parseEmbeddedRemainder()
	}
	if p.lexFieldName() {
		left, err := p.parseFieldRemainder(p.last, pos)
		if err != nil {
			return nil, err
		}
		return p.parseCondition(left, pos)
	}
	if p.lexStrList(transforms) {
		p.lexBlank()
		left, err := p.parseTransformerRemainder(strings.TrimSuffix(p.last, "("), pos)
		if err != nil {
			return nil, err
		}
		return p.parseCondition(left, pos)
	}
	if p.lexIdentifier() {
		return &Ident{Pos: pos, Name: p.last}, nil
	}
	return nil, p.fail(msgCheck)
}

// parseFieldRemainder builds the field whose name was just lexed, with its
// optional [arg].
func (p *parser) parseFieldRemainder(name string, pos Pos) (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	f := &Field{Pos: pos, Name: name}
	var err error
	f.Arg, f.HasArg, err = p.parseOptionalFieldArg()
	if err != nil {
		return nil, err
	}
	return f, nil
}

// parseOptionalFieldArg parses `[arg]` right at the cursor, if there.
func (p *parser) parseOptionalFieldArg() (arg string, has bool, err error) {
	if !p.lexStr("[") {
		return "", false, nil
	}
	ok, err := p.lexQuoted()
	if err != nil {
		return "", false, err
	}
	if !ok && !p.lexFieldArgBareStr() {
		return "", false, p.fail(msgFieldArg)
	}
	arg = p.last
	if !p.lexStr("]") {
		return "", false, p.fail(msgCloseBracket)
	}
	return arg, true, nil
}

// parseTransformerRemainder parses `arg {, arg} )` and an optional [arg]
// after `name(`.
func (p *parser) parseTransformerRemainder(name string, pos Pos) (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	p.lexBlank()
	var args []Expr
	for {
		a, err := p.parseTransformerArg(p.pos)
		if err != nil {
			return nil, err
		}
		args = append(args, a)
		p.lexBlank()
		if !p.lexStr(",") {
			break
		}
	}
	p.lexBlank()
	if !p.lexStr(")") {
		return nil, p.fail(msgCloseTransformer)
	}
	t := &Transformer{Pos: pos, Name: name, Args: args}
	var err error
	t.Arg, t.HasArg, err = p.parseOptionalFieldArg()
	if err != nil {
		return nil, err
	}
	return t, nil
}

// parseTransformerArg parses a number, a quoted string, a transformer
// list, a transformer or a field.
func (p *parser) parseTransformerArg(pos Pos) (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	p.lexBlank()
	if p.lexHexNum() || p.lexNum() {
		return &Value{Pos: pos, Text: p.last}, nil
	}
	if ok, err := p.lexQuoted(); err != nil {
		return nil, err
	} else if ok {
		return &Value{Pos: pos, Text: p.last}, nil
	}
	if p.lexStr("(") {
		return p.parseTransformerList(pos)
	}
	if p.lexStrList(transforms) {
		return p.parseTransformerRemainder(strings.TrimSuffix(p.last, "("), pos)
	}
	if p.lexFieldName() {
		return p.parseFieldRemainder(p.last, pos)
	}
	return nil, p.fail(msgTransformerArg)
}

// parseTransformerList parses `[item {, item}] )` after a '('. Like
// libsinsp, it has no depth guard of its own, and every item gets the
// list's position.
func (p *parser) parseTransformerList(pos Pos) (Expr, error) {
	l := &TransformerList{Pos: pos}
	p.lexBlank()
	if p.lexStr(")") {
		return l, nil
	}
	for {
		item, err := p.parseTransformerListItem(pos)
		if err != nil {
			return nil, err
		}
		l.Items = append(l.Items, item)
		p.lexBlank()
		if !p.lexStr(",") {
			break
		}
		p.lexBlank()
	}
	if !p.lexStr(")") {
		return nil, p.fail(msgCloseTransformerList)
	}
	return l, nil
}

// parseTransformerListItem parses a field, a transformer, a quoted string
// or a number.
func (p *parser) parseTransformerListItem(pos Pos) (Expr, error) {
	if p.lexFieldName() {
		return p.parseFieldRemainder(p.last, pos)
	}
	if p.lexStrList(transforms) {
		p.lexBlank()
		return p.parseTransformerRemainder(strings.TrimSuffix(p.last, "("), pos)
	}
	if ok, err := p.lexQuoted(); err != nil {
		return nil, err
	} else if ok {
		return &Value{Pos: pos, Text: p.last}, nil
	}
	if p.lexHexNum() || p.lexNum() {
		return &Value{Pos: pos, Text: p.last}, nil
	}
	return nil, p.fail(msgTransformerListItem)
}

// parseCondition parses the operator and the right side of a check.
func (p *parser) parseCondition(left Expr, pos Pos) (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	p.lexBlank()
	if p.lexOperatorList(unaryOps) {
		return &UnaryCheck{Pos: pos, Left: left, Op: p.last}, nil
	}
	p.lexBlank()
	var op string
	var right Expr
	var err error
	switch {
	case p.lexOperatorList(numOps):
		op = p.last
		right, err = p.parseNumValueOrTransformer()
	case p.lexOperatorList(strOps):
		op = p.last
		// A word operator has had its blank consumed with it; a symbol
		// needs one before a modifier.
		hadBlank := isLetter(op[0]) || p.lexBlank()
		saved, last := p.pos, p.last
		if hadBlank && p.lexOperatorList(modifiers) && p.listValueFollows() && !p.boolKeywordFollows() {
			op += " " + p.last
			right, err = p.parseListValue(false)
		} else {
			p.pos, p.last = saved, last
			right, err = p.parseStrValueOrTransformer(false)
		}
	case p.lexOperatorList(listOps):
		op = p.last
		right, err = p.parseListValue(true)
	default:
		return nil, p.fail(msgOperator)
	}
	if err != nil {
		return nil, err
	}
	return &BinaryCheck{Pos: pos, Left: left, Op: op, Right: right}, nil
}

func (p *parser) parseNumValueOrTransformer() (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	p.lexBlank()
	pos := p.pos
	if t, err := p.tryParseTransformerOrVal(); t != nil || err != nil {
		return t, err
	}
	if p.lexHexNum() || p.lexNum() {
		return &Value{Pos: pos, Text: p.last}, nil
	}
	return nil, p.fail(msgNumValue)
}

// parseStrValueOrTransformer parses a quoted or bare string or, unless
// noTransformer, a transformer or val().
func (p *parser) parseStrValueOrTransformer(noTransformer bool) (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	p.lexBlank()
	pos := p.pos
	if !noTransformer {
		if t, err := p.tryParseTransformerOrVal(); t != nil || err != nil {
			return t, err
		}
	}
	ok, err := p.lexQuoted()
	if err != nil {
		return nil, err
	}
	if ok || p.lexBareStr() {
		return &Value{Pos: pos, Text: p.last}, nil
	}
	if noTransformer {
		return nil, p.fail(msgStrValueOnly)
	}
	return nil, p.fail(msgStrValue)
}

// tryParseListExpr parses `( [str {, str}] )`, or returns nil when no '('
// is at the cursor. As in libsinsp, any error on the first item (a bad
// escape, the depth limit) is taken for an empty list, and parsing goes on
// from wherever that error left the cursor.
func (p *parser) tryParseListExpr() (Expr, error) {
	pos := p.pos
	if !p.lexStr("(") {
		return nil, nil
	}
	l := &List{Pos: pos}
	p.lexBlank()
	if v, err := p.parseStrValueOrTransformer(true); err == nil {
		l.Items = append(l.Items, v.(*Value).Text)
		p.lexBlank()
		for p.lexStr(",") {
			v, err := p.parseStrValueOrTransformer(true)
			if err != nil {
				return nil, err
			}
			l.Items = append(l.Items, v.(*Value).Text)
			p.lexBlank()
		}
	}
	if !p.lexStr(")") {
		return nil, p.fail(msgCloseParen)
	}
	return l, nil
}

// parseListValue parses the right side of a list operator (transformers
// true: a list, a transformer or val(), or an identifier) or of a modifier
// (false: a list or an identifier). The identifier becomes a Value, as in
// libsinsp.
func (p *parser) parseListValue(transformers bool) (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	p.lexBlank()
	pos := p.pos
	if l, err := p.tryParseListExpr(); l != nil || err != nil {
		return l, err
	}
	if transformers {
		if t, err := p.tryParseTransformerOrVal(); t != nil || err != nil {
			return t, err
		}
	}
	if p.lexIdentifier() {
		return &Value{Pos: pos, Text: p.last}, nil
	}
	if transformers {
		return nil, p.fail(msgListOrTransformer)
	}
	return nil, p.fail(msgListValue)
}

// tryParseTransformerOrVal parses val(field) or a transformer, or returns
// nil, nil when neither starts at the cursor.
func (p *parser) tryParseTransformerOrVal() (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	p.lexBlank()
	pos := p.pos
	if p.lexStr(valTransformer) {
		p.lexBlank()
		fieldPos := p.pos
		if !p.lexFieldName() {
			return nil, p.fail(msgValField)
		}
		f, err := p.parseFieldRemainder(p.last, fieldPos)
		if err != nil {
			return nil, err
		}
		p.lexBlank()
		if !p.lexStr(")") {
			return nil, p.fail(msgCloseTransformer)
		}
		t := &Transformer{Pos: pos, Name: "val", Args: []Expr{f}}
		t.Arg, t.HasArg, err = p.parseOptionalFieldArg()
		if err != nil {
			return nil, err
		}
		return t, nil
	}
	if p.lexStrList(transforms) {
		p.lexBlank()
		return p.parseTransformerRemainder(strings.TrimSuffix(p.last, "("), pos)
	}
	return nil, nil
}
