package ops

import (
	"errors"
	"strings"
)

// opNames holds libsinsp's spelling of each operator in messages
// (cmpop_to_str): "=" for both "=" and "==".
var opNames = [...]string{
	OpExists:      "exists",
	OpEq:          "=",
	OpNe:          "!=",
	OpLt:          "<",
	OpLe:          "<=",
	OpGt:          ">",
	OpGe:          ">=",
	OpContains:    "contains",
	OpIContains:   "icontains",
	OpBContains:   "bcontains",
	OpStartsWith:  "startswith",
	OpBStartsWith: "bstartswith",
	OpEndsWith:    "endswith",
	OpGlob:        "glob",
	OpIGlob:       "iglob",
	OpPmatch:      "pmatch",
	OpRegex:       "regex",
	OpIn:          "in",
	OpIntersects:  "intersects",
}

// String is libsinsp's name of the operator in messages ("=", "contains").
func (op Op) String() string {
	if int(op) < len(opNames) {
		return opNames[op]
	}
	return "unknown"
}

// upperName is the operator as std::to_string(cmpop) spells it ("PMATCH"),
// which one libsinsp message uses.
func (op Op) upperName() string {
	switch op {
	case OpEq:
		return "EQ"
	case OpNe:
		return "NE"
	case OpLt:
		return "LT"
	case OpLe:
		return "LE"
	case OpGt:
		return "GT"
	case OpGe:
		return "GE"
	case OpBContains:
		return "BCONTAINS"
	case OpBStartsWith:
		return "BSTARTSWITH"
	}
	return strings.ToUpper(op.String())
}

// String is the modifier's word ("oneof"), or "" for ModNone.
func (m Modifier) String() string {
	switch m {
	case ModOneOf:
		return "oneof"
	case ModAnyOf:
		return "anyof"
	case ModAllOf:
		return "allof"
	}
	return ""
}

// modifiable tells whether the parser accepts a modifier after op (its
// string-operator family).
func modifiable(op Op) bool {
	switch op {
	case OpEq, OpNe, OpGlob, OpIGlob, OpContains, OpIContains, OpBContains,
		OpStartsWith, OpBStartsWith, OpEndsWith, OpRegex:
		return true
	}
	return false
}

func parseBareOp(s string) (Op, bool) {
	switch s {
	case "exists":
		return OpExists, true
	case "=", "==":
		return OpEq, true
	case "!=":
		return OpNe, true
	case "<":
		return OpLt, true
	case "<=":
		return OpLe, true
	case ">":
		return OpGt, true
	case ">=":
		return OpGe, true
	}
	for op := OpContains; op <= OpIntersects; op++ {
		if opNames[op] == s {
			return op, true
		}
	}
	return 0, false
}

// ParseOp maps an operator as the AST stores it ("=", "startswith anyof")
// to its Op and Modifier; ok is false for an unknown operator.
//
// A modifier is accepted only after the operators the parser allows it
// with (== = != glob iglob contains icontains bcontains startswith
// bstartswith endswith regex), separated by exactly one space.
func ParseOp(text string) (op Op, mod Modifier, ok bool) {
	name, word, spaced := strings.Cut(text, " ")
	op, ok = parseBareOp(name)
	if !ok {
		return 0, ModNone, false
	}
	if !spaced {
		return op, ModNone, true
	}
	if !modifiable(op) {
		return 0, ModNone, false
	}
	switch word {
	case "oneof":
		mod = ModOneOf
	case "anyof":
		mod = ModAnyOf
	case "allof":
		mod = ModAllOf
	default:
		return 0, ModNone, false
	}
	return op, mod, true
}

// Comparable returns nil when op (with mod) may be applied to a field of
// type t (a list field when list), else an error whose text is libsinsp's
// flt_is_comparable message without the "filter error: " prefix, e.g.
// "'contains' operator not supported for numeric filters".
func Comparable(op Op, mod Modifier, t Type, list bool) error {
	if op == OpExists {
		return nil
	}
	if list {
		switch t {
		case String, Uint64, RelTime, AbsTime, Bool, IPAddr, IPNet:
			if op == OpIn || op == OpIntersects {
				return nil
			}
			return errors.New("'" + op.String() + "' operator not supported list filters")
		}
		return errors.New("list filters are not supported for type '" + t.String() + "'")
	}
	switch t {
	case Uint64, RelTime, AbsTime:
		switch op {
		case OpEq, OpNe, OpLt, OpLe, OpGt, OpGe, OpIn, OpIntersects:
			return nil
		}
		return errors.New("'" + op.String() + "' operator not supported for numeric filters")
	case Bool:
		switch op {
		case OpEq, OpNe, OpIn, OpIntersects:
			return nil
		}
		return errors.New("'" + op.String() + "' operator not supported for numeric filters")
	case IPAddr, IPNet:
		switch op {
		case OpEq, OpNe, OpIn, OpIntersects:
			return nil
		}
		if mod != ModNone {
			return errors.New("'" + op.String() + "' with modifier not supported for ip address and network filters")
		}
		return errors.New("'" + op.String() + "' operator not supported for ip address and network filters")
	case String:
		switch op {
		case OpBContains, OpBStartsWith:
			return errors.New("'" + op.String() + "' operator not supported for string filters")
		}
		return nil
	case Bytes:
		switch op {
		case OpEq, OpNe, OpContains, OpIn, OpStartsWith, OpEndsWith, OpIntersects,
			OpBContains, OpBStartsWith:
			return nil
		}
		return errors.New("'" + op.String() + "' operator not supported for buffer filters")
	}
	return errors.New("'" + op.String() + "' operator not supported for type '" + t.String() + "'")
}
