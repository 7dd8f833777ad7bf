package filter

// Compile parses text and compiles it for env.Source: the one-call form of
// Parse, then CompileExpr. A syntax error is a *SyntaxError, a compile
// error a *CompileError.
func Compile(text string, env Env) (*Filter, error) {
	e, err := Parse(text, ParseOptions{MaxDepth: env.MaxDepth})
	if err != nil {
		return nil, err
	}
	return CompileExpr(e, env)
}

// String is the filter in libsinsp's canonical form.
func (f *Filter) String() string { return String(f.expr) }
