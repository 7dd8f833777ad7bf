package filter

import (
	"slices"
	"strings"

	"github.com/plughost/plughost/fieldref"
)

// String prints e as libsinsp's ast::as_string does: every and/or chain in
// parentheses, `not X`, values and list items through escape_str (quoted
// only when they hold a blank, '=', a quote or a backslash), lists as
// `(a, b)`, transformer arguments and transformer lists joined by a bare
// comma, field and transformer arguments as `[arg]` (`[""]` when empty).
//
// Like libsinsp's, the text does not always parse back to e: a string
// argument of a transformer prints unquoted, an empty value prints as
// nothing, and a value holding '(', ')', ',', '\v', invalid UTF-8 or a
// final backslash does not read back as one token.
func String(e Expr) string {
	var b strings.Builder
	writeExpr(&b, e)
	return b.String()
}

func writeExpr(b *strings.Builder, e Expr) {
	switch e := e.(type) {
	case *And:
		writeChain(b, "and", e.Children)
	case *Or:
		writeChain(b, "or", e.Children)
	case *Not:
		b.WriteString("not ")
		writeExpr(b, e.X)
	case *Ident:
		b.WriteString(e.Name)
	case *Value:
		b.WriteString(fieldref.EscapeStr(e.Text))
	case *List:
		b.WriteByte('(')
		for i, v := range e.Items {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(fieldref.EscapeStr(v))
		}
		b.WriteByte(')')
	case *TransformerList:
		b.WriteByte('(')
		writeJoined(b, e.Items)
		b.WriteByte(')')
	case *UnaryCheck:
		writeExpr(b, e.Left)
		b.WriteByte(' ')
		b.WriteString(e.Op)
	case *BinaryCheck:
		writeExpr(b, e.Left)
		b.WriteByte(' ')
		b.WriteString(e.Op)
		b.WriteByte(' ')
		writeExpr(b, e.Right)
	case *Field:
		b.WriteString(e.Name)
		writeArg(b, e.Arg, e.HasArg)
	case *Transformer:
		b.WriteString(e.Name)
		b.WriteByte('(')
		writeJoined(b, e.Args)
		b.WriteByte(')')
		writeArg(b, e.Arg, e.HasArg)
	}
}

func writeChain(b *strings.Builder, op string, children []Expr) {
	b.WriteByte('(')
	for i, c := range children {
		if i > 0 {
			b.WriteString(" " + op + " ")
		}
		writeExpr(b, c)
	}
	b.WriteByte(')')
}

func writeJoined(b *strings.Builder, items []Expr) {
	for i, c := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		writeExpr(b, c)
	}
}

func writeArg(b *strings.Builder, arg string, has bool) {
	if !has {
		return
	}
	if arg == "" {
		b.WriteString(`[""]`)
		return
	}
	b.WriteByte('[')
	b.WriteString(fieldref.EscapeStr(arg))
	b.WriteByte(']')
}

// Equal reports whether a and b are the same tree, as libsinsp's
// is_equal does: positions are ignored; a field or transformer argument
// that is absent differs from an empty one.
func Equal(a, b Expr) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	switch a := a.(type) {
	case *And:
		b, ok := b.(*And)
		return ok && equalAll(a.Children, b.Children)
	case *Or:
		b, ok := b.(*Or)
		return ok && equalAll(a.Children, b.Children)
	case *Not:
		b, ok := b.(*Not)
		return ok && Equal(a.X, b.X)
	case *Ident:
		b, ok := b.(*Ident)
		return ok && a.Name == b.Name
	case *Value:
		b, ok := b.(*Value)
		return ok && a.Text == b.Text
	case *List:
		b, ok := b.(*List)
		return ok && slices.Equal(a.Items, b.Items)
	case *TransformerList:
		b, ok := b.(*TransformerList)
		return ok && equalAll(a.Items, b.Items)
	case *UnaryCheck:
		b, ok := b.(*UnaryCheck)
		return ok && a.Op == b.Op && Equal(a.Left, b.Left)
	case *BinaryCheck:
		b, ok := b.(*BinaryCheck)
		return ok && a.Op == b.Op && Equal(a.Left, b.Left) && Equal(a.Right, b.Right)
	case *Field:
		b, ok := b.(*Field)
		return ok && a.Name == b.Name && a.HasArg == b.HasArg && a.Arg == b.Arg
	case *Transformer:
		b, ok := b.(*Transformer)
		return ok && a.Name == b.Name && a.HasArg == b.HasArg && a.Arg == b.Arg && equalAll(a.Args, b.Args)
	}
	return false
}

func equalAll(a, b []Expr) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}
