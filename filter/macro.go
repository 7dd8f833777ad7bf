package filter

import "slices"

// Clone returns a deep copy of e, positions included.
func Clone(e Expr) Expr {
	switch e := e.(type) {
	case *And:
		return &And{Pos: e.Pos, Children: cloneAll(e.Children)}
	case *Or:
		return &Or{Pos: e.Pos, Children: cloneAll(e.Children)}
	case *Not:
		return &Not{Pos: e.Pos, X: Clone(e.X)}
	case *Ident:
		c := *e
		return &c
	case *Value:
		c := *e
		return &c
	case *List:
		return &List{Pos: e.Pos, Items: slices.Clone(e.Items)}
	case *TransformerList:
		return &TransformerList{Pos: e.Pos, Items: cloneAll(e.Items)}
	case *UnaryCheck:
		return &UnaryCheck{Pos: e.Pos, Left: Clone(e.Left), Op: e.Op}
	case *BinaryCheck:
		return &BinaryCheck{Pos: e.Pos, Left: Clone(e.Left), Op: e.Op, Right: Clone(e.Right)}
	case *Field:
		c := *e
		return &c
	case *Transformer:
		return &Transformer{Pos: e.Pos, Name: e.Name, Args: cloneAll(e.Args), Arg: e.Arg, HasArg: e.HasArg}
	}
	return nil
}

func cloneAll(es []Expr) []Expr {
	if es == nil {
		return nil
	}
	out := make([]Expr, len(es))
	for i, e := range es {
		out[i] = Clone(e)
	}
	return out
}

// ExpandMacros replaces every macro reference in e, as Falco's
// filter_macro_resolver does: an identifier standing where a check is
// expected (the root, an and/or operand, the operand of not) that lookup
// knows is replaced by a clone of the macro's AST, whose own references
// are expanded the same way, recursively. The clone keeps its positions
// and its grouping (an or-chain stays one node under an and). Nothing on
// either side of a check is a macro: the identifier on the right of a
// list operator is a Value. e itself is left unchanged.
//
// A macro met again while its own expansion is under way is a loop; a
// name lookup does not know (or maps to nil) is undefined. Falco visits
// the whole tree and then reports only one of these: the first loop if
// there is any, else the first undefined name, as a *MacroError.
func ExpandMacros(e Expr, lookup func(name string) (Expr, bool)) (Expr, error) {
	r := &macroResolver{lookup: lookup}
	root := Clone(e)
	if sub := r.visit(root); sub != nil {
		root = sub
	}
	if r.loop != nil {
		return nil, r.loop
	}
	if r.unknown != nil {
		return nil, r.unknown
	}
	return root, nil
}

type macroResolver struct {
	lookup  func(string) (Expr, bool)
	path    []string
	loop    *MacroError
	unknown *MacroError
}

// visit expands the references under e in place and returns what e itself
// must be replaced with, or nil.
func (r *macroResolver) visit(e Expr) Expr {
	switch e := e.(type) {
	case *And:
		r.visitAll(e.Children)
	case *Or:
		r.visitAll(e.Children)
	case *Not:
		if sub := r.visit(e.X); sub != nil {
			e.X = sub
		}
	case *Ident:
		return r.expand(e)
	}
	return nil
}

func (r *macroResolver) visitAll(children []Expr) {
	for i, c := range children {
		if sub := r.visit(c); sub != nil {
			children[i] = sub
		}
	}
}

func (r *macroResolver) expand(id *Ident) Expr {
	macro, ok := r.lookup(id.Name)
	if !ok || macro == nil {
		if r.unknown == nil {
			r.unknown = &MacroError{Pos: id.Pos, Name: id.Name, Msg: "Undefined macro '" + id.Name + "' used in filter."}
		}
		return nil
	}
	if slices.Contains(r.path, id.Name) {
		if r.loop == nil {
			r.loop = &MacroError{Pos: id.Pos, Name: id.Name, Loop: true, Msg: "reference loop in macro '" + id.Name + "'"}
		}
		return nil
	}
	r.path = append(r.path, id.Name)
	clone := Clone(macro)
	if sub := r.visit(clone); sub != nil {
		clone = sub
	}
	r.path = r.path[:len(r.path)-1]
	return clone
}
