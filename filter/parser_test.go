package filter

import (
	"errors"
	"math/rand"
	"strings"
	"testing"

	"github.com/plughost/plughost/fieldref"
)

// parseCases: every input with what libsinsp 0.25.4's parser makes of it
// (the depth cases with its guard fixed, libs#3033): for a valid filter its
// ast::as_string text, else the error as sinsp_filter_compiler prints it.
// The expectations were produced by libsinsp itself (see oracle_test.go).
var parseCases = []struct {
	in    string
	str   string
	err   string
	depth int
}{
	{in: "a", str: "a"},
	{in: "  a", str: "a"},
	{in: "(a)", str: "a"},
	{in: "a and b", str: "(a and b)"},
	{in: "a or b or c", str: "(a or b or c)"},
	{in: "a and b and c", str: "(a and b and c)"},
	{in: "a and b or c and d", str: "((a and b) or (c and d))"},
	{in: "a or b and c", str: "(a or (b and c))"},
	{in: "(a or b) and c", str: "((a or b) and c)"},
	{in: "a and (b or c) and d", str: "(a and (b or c) and d)"},
	{in: "((a and b) and c)", str: "((a and b) and c)"},
	{in: "not a", str: "not a"},
	{in: "not not a", str: "a"},
	{in: "not not not a", str: "not a"},
	{in: "not(a)", str: "not a"},
	{in: "not (a)", str: "not a"},
	{in: "not(not(a))", str: "not not a"},
	{in: "not not(a)", str: "a"},
	{in: "not not not not not(not not(not m))", str: "not not m"},
	{in: "a and(b)", str: "(a and b)"},
	{in: "(a)and(b)and(c)", str: "(a and b and c)"},
	{in: "a or(b)or(c)", str: "(a or b or c)"},
	{in: "a and not b", str: "(a and not b)"},
	{in: "a and notb", str: "(a and notb)"},
	{in: "notz and a", str: "(notz and a)"},
	{in: "macro and not_macro", str: "(macro and not_macro)"},
	{in: "not\va", str: "not a"},
	{in: "not\n\ta", str: "not a"},
	{in: "a \n and \n b", str: "(a and b)"},
	{in: "a\r\nand\r\nb", str: "(a and b)"},
	{in: "a\tand\bb", str: "(a and b)"},
	{in: "", err: "filter error at index 0, line 1, column 1: filter input string is empty"},
	{in: "   ", err: "filter error at index 3, line 1, column 4: expected a '(' token, a field check, or an identifier"},
	{in: "\n", err: "filter error at index 1, line 2, column 1: expected a '(' token, a field check, or an identifier"},
	{in: "a andb", err: "filter error at index 5, line 1, column 6: expected blank or '(' after 'and'"},
	{in: "a orb", err: "filter error at index 4, line 1, column 5: expected blank or '(' after 'or'"},
	{in: "aand b", err: "filter error at index 5, line 1, column 6: unexpected token after 'aand', expecting 'or', 'and'"},
	{in: "a and", err: "filter error at index 5, line 1, column 6: expected blank or '(' after 'and'"},
	{in: "a and ", err: "filter error at index 6, line 1, column 7: expected a '(' token, a field check, or an identifier"},
	{in: "a or", err: "filter error at index 4, line 1, column 5: expected blank or '(' after 'or'"},
	{in: "and a", err: "filter error at index 4, line 1, column 5: unexpected token after 'and', expecting 'or', 'and'"},
	{in: "or a", err: "filter error at index 3, line 1, column 4: unexpected token after 'or', expecting 'or', 'and'"},
	{in: "a not b", err: "filter error at index 2, line 1, column 3: unexpected token after 'a', expecting 'or', 'and'"},
	{in: "a b", err: "filter error at index 2, line 1, column 3: unexpected token after 'a', expecting 'or', 'and'"},
	{in: "(a", err: "filter error at index 2, line 1, column 3: expected a ')' token"},
	{in: "(a))", err: "filter error at index 3, line 1, column 4: unexpected token after ')', expecting 'or', 'and'"},
	{in: "a)", err: "filter error at index 1, line 1, column 2: unexpected token after 'a', expecting 'or', 'and'"},
	{in: "()", err: "filter error at index 1, line 1, column 2: expected a '(' token, a field check, or an identifier"},
	{in: "x.y=1 andz.w=2", err: "filter error at index 9, line 1, column 10: expected blank or '(' after 'and'"},
	{in: "(a)andnot(b)", err: "filter error at index 6, line 1, column 7: expected blank or '(' after 'and'"},
	{in: "not", str: "not"},
	{in: "not ", err: "filter error at index 4, line 1, column 5: expected a '(' token, a field check, or an identifier"},
	{in: "not\ba", err: "filter error at index 4, line 1, column 5: unexpected token after 'not', expecting 'or', 'and'"},
	{in: "a and\n\nb c", err: "filter error at index 9, line 3, column 3: unexpected token after 'b', expecting 'or', 'and'"},
	{in: "a\r\nb", err: "filter error at index 3, line 3, column 1: unexpected token after 'a', expecting 'or', 'and'"},
	{in: "x.y exists", str: "x.y exists"},
	{in: "x.y.z exists", str: "x.y.z exists"},
	{in: "A.B_1.c2 exists", str: "A.B_1.c2 exists"},
	{in: "x exists", err: "filter error at index 2, line 1, column 3: unexpected token after 'x', expecting 'or', 'and'"},
	{in: "foo = 1", err: "filter error at index 4, line 1, column 5: unexpected token after 'foo', expecting 'or', 'and'"},
	{in: "x.1 exists", err: "filter error at index 1, line 1, column 2: unexpected token after 'x', expecting 'or', 'and'"},
	{in: "x.y", err: "filter error at index 3, line 1, column 4: expected a valid check operator: one of 'exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex', 'intersects', 'in', 'pmatch'"},
	{in: "x.y.", err: "filter error at index 3, line 1, column 4: expected a valid check operator: one of 'exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex', 'intersects', 'in', 'pmatch'"},
	{in: "x.y exists and m", str: "(x.y exists and m)"},
	{in: "x.y existsand m", str: "(x.y exists and m)"},
	{in: "x.y exists a", err: "filter error at index 11, line 1, column 12: unexpected token after 'exists', expecting 'or', 'and'"},
	{in: "x.y ExIsTs", err: "filter error at index 4, line 1, column 5: expected a valid check operator: one of 'exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex', 'intersects', 'in', 'pmatch'"},
	{in: "x.y[0] exists", str: "x.y[0] exists"},
	{in: "x.y[a.b] exists", str: "x.y[a.b] exists"},
	{in: "x.y[a b] exists", err: "filter error at index 5, line 1, column 6: expected a ']' token"},
	{in: "x.y['a b'] exists", str: "x.y[\"a b\"] exists"},
	{in: "x.y[\"\"] exists", str: "x.y[\"\"] exists"},
	{in: "x.y[] exists", err: "filter error at index 4, line 1, column 5: expected a valid field argument: a quoted string or a bare string"},
	{in: "x.y[ a] exists", err: "filter error at index 4, line 1, column 5: expected a valid field argument: a quoted string or a bare string"},
	{in: "x.y[a exists", err: "filter error at index 5, line 1, column 6: expected a ']' token"},
	{in: "x.y[\"\\q\"] exists", err: "filter error at index 8, line 1, column 9: unsupported string escape sequence: \\q"},
	{in: "x.y[[] exists", err: "filter error at index 4, line 1, column 5: expected a valid field argument: a quoted string or a bare string"},
	{in: "x.y [0] exists", err: "filter error at index 4, line 1, column 5: expected a valid check operator: one of 'exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex', 'intersects', 'in', 'pmatch'"},
	{in: "x.y[0a!@#:/\\.;$%^&*(){}|] exists", str: "x.y[\"0a!@#:/\\\\.;$%^&*(){}|\"] exists"},
	{in: "x.y[\"a\\\"b\"] exists", str: "x.y[\"a\\\"b\"] exists"},
	{in: "x.y = 1", str: "x.y = 1"},
	{in: "x.y == a", str: "x.y == a"},
	{in: "x.y != a", str: "x.y != a"},
	{in: "x.y =a", str: "x.y = a"},
	{in: "x.y!=a", str: "x.y != a"},
	{in: "x.y glob *.txt", str: "x.y glob *.txt"},
	{in: "x.y glob(a)", err: "filter error at index 4, line 1, column 5: expected a valid check operator: one of 'exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex', 'intersects', 'in', 'pmatch'"},
	{in: "x.y iglob A*", str: "x.y iglob A*"},
	{in: "x.y contains a", str: "x.y contains a"},
	{in: "x.y containsa", err: "filter error at index 4, line 1, column 5: expected a valid check operator: one of 'exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex', 'intersects', 'in', 'pmatch'"},
	{in: "x.y icontains a", str: "x.y icontains a"},
	{in: "x.y bcontains 414243", str: "x.y bcontains 414243"},
	{in: "x.y startswith /a", str: "x.y startswith /a"},
	{in: "x.y bstartswith 41", str: "x.y bstartswith 41"},
	{in: "x.y endswith .so", str: "x.y endswith .so"},
	{in: "x.y regex '^a.*$'", str: "x.y regex ^a.*$"},
	{in: "x.y < 1", str: "x.y < 1"},
	{in: "x.y<=1", str: "x.y <= 1"},
	{in: "x.y > -1.5", str: "x.y > -1.5"},
	{in: "x.y >= 0x1f", str: "x.y >= 0x1f"},
	{in: "x.y >= 0X1F", str: "x.y >= 0X1F"},
	{in: "x.y > 1e+3", str: "x.y > 1e+3"},
	{in: "x.y > 1.e-3", str: "x.y > 1.e-3"},
	{in: "x.y > 1e3", err: "filter error at index 7, line 1, column 8: unexpected token after '1', expecting 'or', 'and'"},
	{in: "x.y > 0x", err: "filter error at index 7, line 1, column 8: unexpected token after '0', expecting 'or', 'and'"},
	{in: "x.y > abc", err: "filter error at index 6, line 1, column 7: expected a number value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'"},
	{in: "x.y > 'a'", err: "filter error at index 6, line 1, column 7: expected a number value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'"},
	{in: "x.y >", err: "filter error at index 5, line 1, column 6: expected a number value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'"},
	{in: "x.y < > 1", err: "filter error at index 6, line 1, column 7: expected a number value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'"},
	{in: "x.y in (a, b)", str: "x.y in (a, b)"},
	{in: "x.y in(a)", str: "x.y in (a)"},
	{in: "x.y in ()", str: "x.y in ()"},
	{in: "x.y in ( )", str: "x.y in ()"},
	{in: "x.y intersects (a)", str: "x.y intersects (a)"},
	{in: "x.y pmatch (/a, /b)", str: "x.y pmatch (/a, /b)"},
	{in: "x.y in my_list", str: "x.y in my_list"},
	{in: "x.y inside", str: "x.y in side"},
	{in: "x.y in (a,)", err: "filter error at index 10, line 1, column 11: expected a string value"},
	{in: "x.y in (,)", err: "filter error at index 8, line 1, column 9: expected a ')' token"},
	{in: "x.y in (a", err: "filter error at index 9, line 1, column 10: expected a ')' token"},
	{in: "x.y in (\"a b\", 'c', 1, 0x2, x.z)", str: "x.y in (\"a b\", c, 1, 0x2, x.z)"},
	{in: "x.y in 'a'", err: "filter error at index 7, line 1, column 8: expected a list, an identifier, or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'"},
	{in: "x.y in 1", err: "filter error at index 7, line 1, column 8: expected a list, an identifier, or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'"},
	{in: "x.y in", err: "filter error at index 6, line 1, column 7: expected a list, an identifier, or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'"},
	{in: "x.y in (a b)", err: "filter error at index 10, line 1, column 11: expected a ')' token"},
	{in: "x.y in (tolower(a.b))", err: "filter error at index 15, line 1, column 16: expected a ')' token"},
	{in: "x.y in ((a))", err: "filter error at index 8, line 1, column 9: expected a ')' token"},
	{in: "x.y in (\"\\q\")", str: "x.y in ()"},
	{in: "x.y in (\"\\q\", a)", err: "filter error at index 12, line 1, column 13: expected a ')' token"},
	{in: "x.y in (a, \"\\q\")", err: "filter error at index 15, line 1, column 16: unsupported string escape sequence: \\q"},
	{in: "x.y === 1", err: "filter error at index 6, line 1, column 7: expected a string value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'"},
	{in: "x.y = a,", err: "filter error at index 7, line 1, column 8: unexpected token after 'a', expecting 'or', 'and'"},
	{in: "x.y = a=b", err: "filter error at index 7, line 1, column 8: unexpected token after 'a', expecting 'or', 'and'"},
	{in: "x.y = a.b", str: "x.y = a.b"},
	{in: "x.y = <NA>", str: "x.y = <NA>"},
	{in: "x.y = /bin/sh", str: "x.y = /bin/sh"},
	{in: "x.y = a[0]:b!", str: "x.y = a[0]:b!"},
	{in: "x.y = 'it''s'", err: "filter error at index 10, line 1, column 11: unexpected token after 'it', expecting 'or', 'and'"},
	{in: "x.y =", err: "filter error at index 5, line 1, column 6: expected a string value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'"},
	{in: "x.y = (", err: "filter error at index 6, line 1, column 7: expected a string value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'"},
	{in: "x.y = oneof (a, b)", str: "x.y = oneof (a, b)"},
	{in: "x.y == anyof (a)", str: "x.y == anyof (a)"},
	{in: "x.y != allof ()", str: "x.y != allof ()"},
	{in: "x.y = oneof my_list", str: "x.y = oneof my_list"},
	{in: "x.y contains anyof (a, b)", str: "x.y contains anyof (a, b)"},
	{in: "x.y startswith oneof (a)", str: "x.y startswith oneof (a)"},
	{in: "x.y glob allof (*a, b*)", str: "x.y glob allof (*a, b*)"},
	{in: "x.y =oneof (a)", err: "filter error at index 11, line 1, column 12: unexpected token after 'oneof', expecting 'or', 'and'"},
	{in: "x.y = oneof(a)", err: "filter error at index 11, line 1, column 12: unexpected token after 'oneof', expecting 'or', 'and'"},
	{in: "x.y = oneof", str: "x.y = oneof"},
	{in: "x.y = oneof and m", str: "(x.y = oneof and m)"},
	{in: "x.y = anyof or(m)", str: "(x.y = anyof or m)"},
	{in: "x.y = allof not_macro", err: "filter error at index 12, line 1, column 13: unexpected token after 'allof', expecting 'or', 'and'"},
	{in: "x.y = oneof oneof", str: "x.y = oneof oneof"},
	{in: "x.y = oneof andx", str: "x.y = oneof andx"},
	{in: "x.y = ONEOF (a)", err: "filter error at index 12, line 1, column 13: unexpected token after 'ONEOF', expecting 'or', 'and'"},
	{in: "x.y > oneof (a)", err: "filter error at index 6, line 1, column 7: expected a number value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'"},
	{in: "x.y in oneof (a)", err: "filter error at index 13, line 1, column 14: unexpected token after 'oneof', expecting 'or', 'and'"},
	{in: "x.y = oneof (a,)", err: "filter error at index 15, line 1, column 16: expected a string value"},
	{in: "x.y contains oneof(a)", err: "filter error at index 18, line 1, column 19: unexpected token after 'oneof', expecting 'or', 'and'"},
	{in: "x.y = oneof_x", str: "x.y = oneof_x"},
	{in: "x.y = oneof\t(a)", str: "x.y = oneof (a)"},
	{in: "tolower(x.y) = a", str: "tolower(x.y) = a"},
	{in: "toupper( x.y ) exists", str: "toupper(x.y) exists"},
	{in: "b64(x.y) exists", str: "b64(x.y) exists"},
	{in: "basename(x.y) = a", str: "basename(x.y) = a"},
	{in: "len(x.y) > 2", str: "len(x.y) > 2"},
	{in: "join(',', (a.b, c.d)) = x", str: "join(,,(a.b,c.d)) = x"},
	{in: "concat(a.b, 'x', c.d) = y", str: "concat(a.b,x,c.d) = y"},
	{in: "getopt(proc.args, 'nt:')[t] = value", str: "getopt(proc.args,nt:)[t] = value"},
	{in: "getopt(proc.args, \"nt:\")[\"t\"] exists", str: "getopt(proc.args,nt:)[t] exists"},
	{in: "tolower(x.y)[a] exists", str: "tolower(x.y)[a] exists"},
	{in: "join(x.y) = a", str: "join(x.y) = a"},
	{in: "tolower(toupper(b64(x.y))) exists", str: "tolower(toupper(b64(x.y))) exists"},
	{in: "tolower (x.y) exists", err: "filter error at index 8, line 1, column 9: unexpected token after 'tolower', expecting 'or', 'and'"},
	{in: "tolower(x.y exists", err: "filter error at index 12, line 1, column 13: expected a ')' token closing the transformer"},
	{in: "tolower() exists", err: "filter error at index 8, line 1, column 9: expected field transformer argument: field, transformer, quoted string, number, or transformer list"},
	{in: "tolower(1) exists", str: "tolower(1) exists"},
	{in: "tolower(-2.5, 0x10) exists", str: "tolower(-2.5,0x10) exists"},
	{in: "tolower(bare) exists", err: "filter error at index 8, line 1, column 9: expected field transformer argument: field, transformer, quoted string, number, or transformer list"},
	{in: "foo(x.y) exists", err: "filter error at index 3, line 1, column 4: unexpected token after 'foo', expecting 'or', 'and'"},
	{in: "val(x.y) exists", err: "filter error at index 3, line 1, column 4: unexpected token after 'val', expecting 'or', 'and'"},
	{in: "tolower(val(x.y)) exists", err: "filter error at index 8, line 1, column 9: expected field transformer argument: field, transformer, quoted string, number, or transformer list"},
	{in: "join('-', ()) = a", str: "join(-,()) = a"},
	{in: "join('-', (a.b,)) = a", err: "filter error at index 15, line 1, column 16: expected transformer list argument: field, transformer, quoted string, or number"},
	{in: "join('-', ((a.b))) = a", err: "filter error at index 11, line 1, column 12: expected transformer list argument: field, transformer, quoted string, or number"},
	{in: "join('-', (a.b, 'x', 1, tolower(c.d))) = a", str: "join(-,(a.b,x,1,tolower(c.d))) = a"},
	{in: "join('-', (a.b) = a", err: "filter error at index 16, line 1, column 17: expected a ')' token closing the transformer"},
	{in: "join('-', (a.b x)) = a", err: "filter error at index 15, line 1, column 16: expected ')'"},
	{in: "join('-', (m)) = a", err: "filter error at index 11, line 1, column 12: expected transformer list argument: field, transformer, quoted string, or number"},
	{in: "tolower(x.y)[] exists", err: "filter error at index 13, line 1, column 14: expected a valid field argument: a quoted string or a bare string"},
	{in: "tolower(x.y)[a exists", err: "filter error at index 14, line 1, column 15: expected a ']' token"},
	{in: "tolower(x.y)", err: "filter error at index 12, line 1, column 13: expected a valid check operator: one of 'exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex', 'intersects', 'in', 'pmatch'"},
	{in: "tolower(x.y) in (a)", str: "tolower(x.y) in (a)"},
	{in: "x.y = val(a.b)", str: "x.y = val(a.b)"},
	{in: "x.y = val( a.b )", str: "x.y = val(a.b)"},
	{in: "x.y = val(a.b[1])", str: "x.y = val(a.b[1])"},
	{in: "x.y = val(a.b)[c]", str: "x.y = val(a.b)[c]"},
	{in: "x.y = val(ab)", err: "filter error at index 10, line 1, column 11: expected a field within 'val' transformer"},
	{in: "x.y = val(tolower(a.b))", err: "filter error at index 10, line 1, column 11: expected a field within 'val' transformer"},
	{in: "x.y = val(a.b", err: "filter error at index 13, line 1, column 14: expected a ')' token closing the transformer"},
	{in: "x.y = val(a.b)[c] d", err: "filter error at index 18, line 1, column 19: unexpected token after ']', expecting 'or', 'and'"},
	{in: "x.y > val(a.b)", str: "x.y > val(a.b)"},
	{in: "x.y in val(a.b)", str: "x.y in val(a.b)"},
	{in: "x.y = tolower(a.b)", str: "x.y = tolower(a.b)"},
	{in: "x.y in tolower(a.b)", str: "x.y in tolower(a.b)"},
	{in: "x.y = b64 and(m)", str: "(x.y = b64 and m)"},
	{in: "x.y = b64and(m)", err: "filter error at index 12, line 1, column 13: unexpected token after 'b64and', expecting 'or', 'and'"},
	{in: "x.y = 'tolower(a.b)'", str: "x.y = tolower(a.b)"},
	{in: "x.y = \"a b\"", str: "x.y = \"a b\""},
	{in: "x.y = 'a b'", str: "x.y = \"a b\""},
	{in: "x.y = \"\"", str: "x.y = "},
	{in: "x.y = ''", str: "x.y = "},
	{in: "x.y = \"a\\\"b\"", str: "x.y = \"a\\\"b\""},
	{in: "x.y = 'a\\'b'", str: "x.y = \"a'b\""},
	{in: "x.y = \"a'b\"", str: "x.y = \"a'b\""},
	{in: "x.y = 'a\"b'", str: "x.y = \"a\\\"b\""},
	{in: "x.y = \"a\\'b\"", err: "filter error at index 12, line 1, column 13: invalid \\' escape in \"-quoted string"},
	{in: "x.y = 'a\\\"b'", err: "filter error at index 12, line 1, column 13: invalid \\\" escape in '-quoted string"},
	{in: "x.y = \"\\q\"", err: "filter error at index 10, line 1, column 11: unsupported string escape sequence: \\q"},
	{in: "x.y = \"\\x41\"", err: "filter error at index 12, line 1, column 13: unsupported string escape sequence: \\x"},
	{in: "x.y = \"a\\ b\"", str: "x.y = \"a\\\\b\""},
	{in: "x.y = \"\\\\\"", err: "filter error at index 6, line 1, column 7: expected a string value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'"},
	{in: "x.y = \"\\\\\\\\ \"", str: "x.y = \"\\\\\\\\ \""},
	{in: "x.y = \"\\t\\n\\r\\b\\f\\/\\\\x\"", str: "x.y = \"\\t\\n\\r\\b\\f/\\\\x\""},
	{in: "x.y = \"unterminated", err: "filter error at index 6, line 1, column 7: expected a string value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'"},
	{in: "x.y = \"multi\nline\" c", err: "filter error at index 19, line 2, column 7: unexpected token after 'multi\nline', expecting 'or', 'and'"},
	{in: "x.y = \"a=b\"", str: "x.y = \"a=b\""},
	{in: "x.y = é", str: "x.y = é"},
	{in: "x.y = a\xffb", err: "filter error at index 7, line 1, column 8: unexpected token after 'a', expecting 'or', 'and'"},
	{in: "x.y = \xe0\x80\x80", str: "x.y = \xe0\x80\x80"},
	{in: "x.y = \xed\xa0\x80", str: "x.y = \xed\xa0\x80"},
	{in: "x.y = \xf4\x90\x80\x80", str: "x.y = \xf4\x90\x80\x80"},
	{in: "x.y = \xc0\x80", err: "filter error at index 6, line 1, column 7: expected a string value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'"},
	{in: "x.y = a\vb", err: "filter error at index 7, line 1, column 8: unexpected token after 'a', expecting 'or', 'and'"},
	{in: "x.y = a\bb", str: "x.y = \"a\\bb\""},
	{in: "x.y = a\x00b", str: "x.y = a\x00b"},
	{in: "a\x00", err: "filter error at index 1, line 1, column 2: unexpected token after 'a', expecting 'or', 'and'"},
	{in: "x.y = \"a\x00b\"", err: "filter error at index 6, line 1, column 7: expected a string value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'"},
	{in: "x.y = \"a\x00b\" c", err: "filter error at index 6, line 1, column 7: expected a string value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'"},
	{in: "x.y = é c", err: "filter error at index 9, line 1, column 10: unexpected token after 'é', expecting 'or', 'and'"},
	{in: "x.y = a\r\n  b", err: "filter error at index 11, line 3, column 3: unexpected token after 'a', expecting 'or', 'and'"},
	{in: "x.y = a\x00b c", err: "filter error at index 10, line 1, column 11: unexpected token after 'a"},
	{in: "(((((((((((((((((((a)))))))))))))))))))", str: "a"},
	{in: "((((((((((((((((((((a))))))))))))))))))))", err: "filter error at index 20, line 1, column 21: exceeded max depth limit of 100"},
	{in: "not(not(not(not(not(not(not(not(not(not(not(not(not(not(not(not(not(not(not(not(not(not(not(not(not(not(not(not(not(not(", err: "filter error at index 100, line 1, column 101: exceeded max depth limit of 100"},
	{in: "a", err: "filter error at index 0, line 1, column 1: exceeded max depth limit of 1", depth: 1},
	{in: "a", err: "filter error at index 0, line 1, column 1: exceeded max depth limit of 4", depth: 4},
	{in: "a", str: "a", depth: 5},
	{in: "x.y in ()", err: "filter error at index 9, line 1, column 10: parser fatal error: recursion is unbalanced", depth: 7},
	{in: "x.y in (a)", err: "filter error at index 8, line 1, column 9: expected a ')' token", depth: 7},
	{in: "x.y in ( ) and b", err: "filter error at index 16, line 1, column 17: parser fatal error: recursion is unbalanced", depth: 7},
	{in: "x.y in ()", str: "x.y in ()", depth: 8},
	{in: "x.y = 1", err: "filter error at index 6, line 1, column 7: exceeded max depth limit of 6", depth: 6},
	{in: "x.y = 1", err: "filter error at index 6, line 1, column 7: exceeded max depth limit of 7", depth: 7},
	{in: "x.y = \"a\"", err: "filter error at index 6, line 1, column 7: exceeded max depth limit of 7", depth: 7},
	{in: "x.y = tolower(a.b)", err: "filter error at index 14, line 1, column 15: exceeded max depth limit of 9", depth: 9},
	{in: "x.y = tolower(a.b)", err: "filter error at index 17, line 1, column 18: exceeded max depth limit of 10", depth: 10},
	{in: "((a))", str: "a", depth: 1000},
}

func TestParseTable(t *testing.T) {
	if len(parseCases) < 120 {
		t.Fatalf("only %d cases", len(parseCases))
	}
	for _, c := range parseCases {
		e, err := Parse(c.in, ParseOptions{MaxDepth: c.depth})
		if c.err != "" {
			if err == nil {
				t.Errorf("Parse(%q) = %s, want error %q", c.in, String(e), c.err)
				continue
			}
			if err.Error() != c.err {
				t.Errorf("Parse(%q) error:\n got  %q\n want %q", c.in, err.Error(), c.err)
			}
			var se *SyntaxError
			if !errors.As(err, &se) || !strings.HasSuffix(c.err, ": "+se.Msg) {
				t.Errorf("Parse(%q): error %#v is not a SyntaxError with the raw message", c.in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v, want %q", c.in, err, c.str)
			continue
		}
		if got := String(e); got != c.str {
			t.Errorf("String(Parse(%q)):\n got  %q\n want %q", c.in, got, c.str)
		}
	}
}

// The parser lexes a field reference the way fieldref.Scan does.
func TestFieldrefAgreement(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	parts := []string{"a", ".", "b", "_", "1", "[", "]", "'", `"`, `\`, " ", "q", "é", "\xff", "\x00", "=", "(", "x.y"}
	for range 50000 {
		var b strings.Builder
		b.WriteString("a.b")
		for range rng.Intn(8) {
			b.WriteString(parts[rng.Intn(len(parts))])
		}
		s := b.String()
		ref, n, ferr := fieldref.Scan(s)
		e, m, err := ParseFieldOrTransformer(s, ParseOptions{})
		if ferr != nil {
			fe := ferr.(*fieldref.Error)
			se, ok := err.(*SyntaxError)
			if !ok || se.Msg != fe.Msg || se.Offset != fe.Offset {
				t.Fatalf("%q: fieldref says %v at %d, parser %v", s, fe, fe.Offset, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: fieldref reads %+v, parser fails: %v", s, ref, err)
		}
		f := e.(*Field)
		if f.Name != ref.Name || f.Arg != ref.Arg || f.HasArg != ref.HasArg || m != n {
			t.Fatalf("%q: fieldref %+v (%d), parser %+v (%d)", s, ref, n, f, m)
		}
	}
}

func TestPositions(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"proc.name=nginx", "binary@0:1:1:3d(field@0:1:1:70726f632e6e616d65 val@10:1:11:6e67696e78)"},
		{"not a\n or\r\n  (b.c in (d))", "or@0:1:1(not@0:1:1(id@4:1:5:61) binary@14:4:4:696e(field@14:4:4:622e63 list@21:4:11(64)))"},
		{"x.y = val( a.b[1] )[c]", "binary@0:1:1:3d(field@0:1:1:782e79 tr@6:1:7:76616c(field@11:1:12:612e62[31])[63])"},
		{"join('-', ( a.b , 1 )) exists", "unary@0:1:1:657869737473(tr@0:1:1:6a6f696e(val@5:1:6:2d tlist@9:1:10(field@9:1:10:612e62 val@9:1:10:31)))"},
		{"x.y = oneof (a)", "binary@0:1:1:3d206f6e656f66(field@0:1:1:782e79 list@12:1:13(61))"},
		{"x.y in l", "binary@0:1:1:696e(field@0:1:1:782e79 val@7:1:8:6c)"},
	} {
		e, err := Parse(c.in, ParseOptions{})
		if err != nil {
			t.Fatalf("Parse(%q): %v", c.in, err)
		}
		if got := dump(e); got != c.want {
			t.Errorf("Parse(%q):\n got  %s\n want %s", c.in, got, c.want)
		}
	}
}

func TestParseFieldOrTransformer(t *testing.T) {
	for _, c := range []struct {
		in, str string
		n       int
		err     string
	}{
		{"evt.num", "evt.num", 7, ""},
		{"evt.arg[0] rest", "evt.arg[0]", 10, ""},
		{"tolower(x.y)x", "tolower(x.y)", 12, ""},
		{"getopt(a.b, 'x')[y]z", "getopt(a.b,x)[y]", 19, ""},
		{"", "", 0, "filter error at index 0, line 1, column 1: unexpected token after '"},
		{"val(x.y)", "", 0, "filter error at index 0, line 1, column 1: unexpected token after '"},
		{"x.y[", "", 0, "filter error at index 4, line 1, column 5: expected a valid field argument: a quoted string or a bare string"},
		{"tolower(x)", "", 0, "filter error at index 8, line 1, column 9: expected field transformer argument: field, transformer, quoted string, number, or transformer list"},
	} {
		e, n, err := ParseFieldOrTransformer(c.in, ParseOptions{})
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("ParseFieldOrTransformer(%q): %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || String(e) != c.str || n != c.n {
			t.Errorf("ParseFieldOrTransformer(%q) = %q, %d, %v; want %q, %d", c.in, String(e), n, err, c.str, c.n)
		}
	}
}

// Every message the parser has is in parseCases, but for "expected a list
// or an identifier", which libsinsp's parser cannot reach either (a
// modifier is taken only when a list or an identifier follows).
func TestMessagesCovered(t *testing.T) {
	msgs := []string{
		msgEmpty, msgUnbalanced, msgBlankAfterOr, msgBlankAfterAnd, msgCloseParen, msgCheck,
		msgFieldArg, msgCloseBracket, msgCloseTransformer, msgTransformerArg,
		msgCloseTransformerList, msgTransformerListItem, msgStrValueOnly, msgValField,
		msgOperator, msgNumValue, msgStrValue, msgListOrTransformer,
		"unexpected token after '", "exceeded max depth limit of ",
		`invalid \" escape in '-quoted string`, `invalid \' escape in "-quoted string`,
		`unsupported string escape sequence: \`,
	}
	for _, m := range msgs {
		found := false
		for _, c := range parseCases {
			if i := strings.Index(c.err, ": "); i >= 0 && strings.HasPrefix(c.err[i+2:], m) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no case for %q", m)
		}
	}
}
