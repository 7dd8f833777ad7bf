package filter_test

import (
	"errors"
	"fmt"

	"github.com/plughost/plughost/filter"
)

func ExampleParse() {
	e, err := filter.Parse("proc.name = cat and not (fd.name startswith /etc or fd.name in (a, 'b c'))", filter.ParseOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Println(filter.String(e))

	_, err = filter.Parse("proc.name = cat andfd.name exists", filter.ParseOptions{MaxDepth: 1000})
	fmt.Println(err)
	var se *filter.SyntaxError
	if errors.As(err, &se) {
		fmt.Println(se.Msg)
	}
	// Output:
	// (proc.name = cat and not (fd.name startswith /etc or fd.name in (a, "b c")))
	// filter error at index 19, line 1, column 20: expected blank or '(' after 'and'
	// expected blank or '(' after 'and'
}

func ExampleExpandMacros() {
	macros := map[string]string{"etc": "fd.name startswith /etc or fd.name startswith /usr/etc"}
	lookup := func(name string) (filter.Expr, bool) {
		cond, ok := macros[name]
		if !ok {
			return nil, false
		}
		e, err := filter.Parse(cond, filter.ParseOptions{MaxDepth: 1000})
		return e, err == nil
	}
	rule, _ := filter.Parse("proc.name = cat and etc", filter.ParseOptions{MaxDepth: 1000})
	e, err := filter.ExpandMacros(rule, lookup)
	fmt.Println(filter.String(e), err)

	rule, _ = filter.Parse("proc.name = cat and nope", filter.ParseOptions{MaxDepth: 1000})
	_, err = filter.ExpandMacros(rule, lookup)
	fmt.Println(err)
	// Output:
	// (proc.name = cat and (fd.name startswith /etc or fd.name startswith /usr/etc)) <nil>
	// Undefined macro 'nope' used in filter.
}
