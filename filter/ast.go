package filter

// The AST mirrors libsinsp's filter AST (userspace/libsinsp/filter/ast.h)
// node for node, so that the canonical printer, macro expansion and the
// compiler see the same tree libsinsp builds. Every node carries the
// position where the parser started it.

// Pos is a position in the filter text: Offset counts bytes from 0, Line
// and Col count from 1. Like libsinsp, both '\r' and '\n' end a line.
type Pos struct {
	Offset int
	Line   int
	Col    int
}

// Position returns p; it makes every node that embeds Pos an Expr.
func (p Pos) Position() Pos { return p }

// Expr is any node of the AST.
type Expr interface {
	Position() Pos
	exprNode()
}

// And is `a and b and ...`: one node for a whole chain.
type And struct {
	Pos
	Children []Expr
}

// Or is `a or b or ...`: one node for a whole chain.
type Or struct {
	Pos
	Children []Expr
}

// Not is `not X`.
type Not struct {
	Pos
	X Expr
}

// Ident is an identifier where a check is expected: a macro reference. A
// list name on the right of a list operator or a modifier is a *Value, as
// in libsinsp.
type Ident struct {
	Pos
	Name string
}

// Value is a literal: a quoted string (unescaped), a bare string or a
// number, as text.
type Value struct {
	Pos
	Text string
}

// List is `(a, b, ...)` on the right of a list operator or a modifier.
type List struct {
	Pos
	Items []string
}

// UnaryCheck is `Left exists`. Left is a *Field or a *Transformer.
type UnaryCheck struct {
	Pos
	Left Expr
	Op   string
}

// BinaryCheck is `Left Op Right`. Left is a *Field or a *Transformer; Op
// is the operator as libsinsp stores it, with a modifier after one blank
// ("startswith anyof"); Right is a *Value, *List or *Transformer (val()
// and the other transformers).
type BinaryCheck struct {
	Pos
	Left  Expr
	Op    string
	Right Expr
}

// Field is a field reference, `name` or `name[arg]`.
type Field struct {
	Pos
	Name   string
	Arg    string
	HasArg bool // true for name[""] too
}

// Transformer is `name(args...)` with an optional `[arg]` after the
// closing parenthesis (getopt). val() is a Transformer named "val". Each
// argument is a *Field, *Transformer, *Value or *TransformerList.
type Transformer struct {
	Pos
	Name   string
	Args   []Expr
	Arg    string
	HasArg bool
}

// TransformerList is a parenthesized list of transformer arguments,
// `(a, b)`, used as one argument of a multi-value transformer.
type TransformerList struct {
	Pos
	Items []Expr
}

func (*And) exprNode()             {}
func (*Or) exprNode()              {}
func (*Not) exprNode()             {}
func (*Ident) exprNode()           {}
func (*Value) exprNode()           {}
func (*List) exprNode()            {}
func (*UnaryCheck) exprNode()      {}
func (*BinaryCheck) exprNode()     {}
func (*Field) exprNode()           {}
func (*Transformer) exprNode()     {}
func (*TransformerList) exprNode() {}
