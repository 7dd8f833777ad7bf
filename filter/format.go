package filter

import (
	"net/netip"
	"strconv"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/filter/internal/ops"
)

// Format is a compiled output format string (`%field`, `%N field`,
// transformers, a leading `*`), as libsinsp's sinsp_evt_formatter parses
// it. It is immutable and may be shared by several pipelines, each with its
// own Formatter.
type Format struct {
	text       string
	source     string
	requireAll bool // no leading '*': formatting stops at the first missing value
	tokens     []formatToken
	json       []jsonToken // the resolution tokens of JSON mode, sorted by name
	prog       program
}

// formatToken is literal text or one %token of the text output.
type formatToken struct {
	literal string
	op      operand // nil for literal text
	width   int     // %N: pad or truncate to N bytes; 0: as is
	padded  bool    // printed with %09 (PF_10_PADDED_DEC)
	lv      int     // scratch id of the value
}

// jsonToken is one key of the JSON output: a field, never a transformer
// (libsinsp emits the fields inside a transformer, untransformed).
type jsonToken struct {
	name     string
	op       operand
	jsonTime bool // evt.time and friends: the integer timestamp
	lv       int
}

// Source is the event source the format was compiled for.
func (f *Format) Source() string { return f.source }

// Text returns the format as given.
func (f *Format) Text() string { return f.text }

// Fields returns every field the format reads, each once, in order of
// first use.
func (f *Format) Fields() []string { return append([]string(nil), f.prog.fields...) }

// CompileFormat compiles an output format for env.Source. Like libsinsp, a
// %token that does not compile is shortened one byte at a time until it
// does (`%ka.user.namex` prints ka.user.name then "x"); a token of which no
// prefix compiles is an error.
func CompileFormat(text string, env Env) (*Format, error) {
	c, err := newCompiler(env)
	if err != nil {
		return nil, err
	}
	f := &Format{text: text, source: env.Source, requireAll: true}
	fail := func(off int, msg string) error {
		return &CompileError{Pos: posAt(text, off), Msg: msg}
	}
	if text == "" {
		return nil, fail(0, "empty formatting token")
	}
	s, base := text, 0
	if s[0] == '*' {
		f.requireAll, s, base = false, s[1:], 1
	}
	literal := 0 // start of the pending literal text
	for j := 0; j < len(s); j++ {
		if s[j] != '%' {
			continue
		}
		if literal != j {
			f.tokens = append(f.tokens, formatToken{literal: s[literal:j]})
		}
		if j == len(s)-1 {
			return nil, fail(base+j, "invalid formatting syntax: formatting cannot end with a %")
		}
		width := 0
		if isDigit(s[j+1]) {
			width = leadingInt(s[j+1:])
			for {
				if j == len(s)-1 {
					return nil, fail(base+j, "invalid formatting syntax: formatting cannot end with a number")
				}
				if !isDigit(s[j+1]) {
					break
				}
				j++
			}
		}
		e, op, n, err := c.formatOperand(s[j+1:])
		if err != nil {
			return nil, fail(base+j+1, "unknown filter: "+err.Error())
		}
		tok := formatToken{op: op, width: width, lv: c.newScratch(0)}
		if fld, ok := e.(*Field); ok {
			if g, ok := lookupGeneric(fld.Name); ok && c.sourced {
				tok.padded = g.padded
			}
		}
		f.tokens = append(f.tokens, tok)
		c.jsonTokens(f, e)
		j += n
		literal = j + 1
	}
	if literal < len(s) {
		f.tokens = append(f.tokens, formatToken{literal: s[literal:]})
	}
	sortJSON(f.json)
	f.prog = *c.prog
	return f, nil
}

// formatOperand takes the longest prefix of s that parses as a field or a
// transformer and compiles, as libsinsp's formatter does by shortening the
// candidate one byte at a time. Candidates that cannot succeed where a
// longer one failed are skipped, so the cost stays linear in s: those
// longer than what the parser consumed or than the longest field name,
// those that cut into a field's argument, and every prefix of a
// transformer (which no longer parses). The error is the one libsinsp
// ends with: that of the one-byte candidate.
func (c *compiler) formatOperand(s string) (Expr, operand, int, error) {
	size := len(s)
	for size > 0 {
		e, n, err := ParseFieldOrTransformer(s[:size], ParseOptions{MaxDepth: c.env.MaxDepth})
		if err != nil {
			if se, ok := err.(*SyntaxError); ok && se.Offset+1 < size {
				size = se.Offset + 1
			} else {
				size--
			}
			continue
		}
		mark := c.mark()
		op, err := c.operand(e)
		if err == nil {
			return e, op, n, nil
		}
		c.reset(mark)
		f, ok := e.(*Field)
		if !ok {
			break
		}
		size = min(size-1, n, len(f.Name), c.maxNameLen())
	}
	e, _, err := ParseFieldOrTransformer(s[:min(len(s), 1)], ParseOptions{MaxDepth: c.env.MaxDepth})
	if err == nil {
		mark := c.mark()
		_, err = c.operand(e)
		c.reset(mark)
	}
	if se, ok := err.(*SyntaxError); ok {
		return nil, nil, 0, errorString(se.Msg)
	}
	if err == nil {
		err = errorString("unexpected token")
	}
	return nil, nil, 0, err
}

type errorString string

func (e errorString) Error() string { return string(e) }

// jsonTokens adds the JSON keys of one %token: the fields it reads.
func (c *compiler) jsonTokens(f *Format, e Expr) {
	switch e := e.(type) {
	case *Field:
		name := String(e)
		for _, t := range f.json {
			if t.name == name {
				return
			}
		}
		op, err := c.operand(e)
		if err != nil {
			return
		}
		t := jsonToken{name: name, op: op, lv: c.newScratch(0)}
		if g, ok := lookupGeneric(e.Name); ok && c.sourced {
			t.jsonTime = g.jsonTime
		}
		f.json = append(f.json, t)
	case *Transformer:
		for _, a := range e.Args {
			c.jsonTokens(f, a)
		}
	case *TransformerList:
		for _, a := range e.Items {
			c.jsonTokens(f, a)
		}
	}
}

// Formatter renders a Format for the events of one pipeline's batches. It
// is not safe for concurrent use; a Format may have many Formatters.
type Formatter struct {
	f   *Format
	rt  *runtime
	all []int32
}

// NewFormatter binds f to a pipeline (see Filter.NewEvaluator).
func (f *Format) NewFormatter(states States) (*Formatter, error) {
	rt, err := newRuntime(&f.prog, f.source, states, true)
	if err != nil {
		return nil, err
	}
	return &Formatter{f: f, rt: rt}, nil
}

// Close frees the formatter's extractors.
func (fm *Formatter) Close() { fm.rt.close() }

// Extract extracts, in one extract call per plugin and event, every field
// the format needs for the events of b listed in events (ascending batch
// indices; nil means all). AppendText and AppendJSON then render any of
// them, until the next Extract. On an extraction failure at event k, the
// events before k can still be rendered.
func (fm *Formatter) Extract(b *capability.Batch, events []int32) error {
	rt := fm.rt
	rt.begin(b)
	if events == nil {
		for len(fm.all) < b.Len() {
			fm.all = append(fm.all, int32(len(fm.all)))
		}
		events = fm.all[:b.Len()]
	}
	for g := range rt.groups {
		rt.ensure(g, events)
	}
	for s := range rt.slots {
		rt.column(s)
	}
	return rt.err
}

const notAvailable = "<NA>"

// AppendText appends the text of batch event i to dst. ok is false when a
// value is missing and the format has no leading '*': dst then holds what
// was rendered before it, as libsinsp leaves it.
func (fm *Formatter) AppendText(dst []byte, i int) (out []byte, ok bool) {
	rt := fm.rt
	for _, t := range fm.f.tokens {
		if t.op == nil {
			dst = append(dst, t.literal...)
			continue
		}
		v := &rt.scratch[t.lv].in[0]
		t.op.load(rt, int32(i), v)
		start := len(dst)
		if !v.Present() {
			if fm.f.requireAll {
				return dst, false
			}
			dst = append(dst, notAvailable...)
		} else {
			dst = appendText(dst, t.op, v, t.padded)
		}
		if t.width > 0 {
			if n := len(dst) - start; n > t.width {
				dst = dst[:start+t.width]
			} else {
				for ; n < t.width; n++ {
					dst = append(dst, ' ')
				}
			}
		}
	}
	return dst, true
}

// maxListText is the most libsinsp prints of a list: its property
// storage (1024 bytes) less the terminating NUL.
const maxListText = 1023

// appendText renders values as libsinsp's tostring does. A list is
// "(a,b)", with a comma only once something follows the parenthesis (so a
// leading empty item leaves no comma), cut at maxListText bytes.
func appendText(dst []byte, op operand, v *ops.Vals, padded bool) []byte {
	if !op.list() {
		return appendScalar(dst, op.typ(), v, 0, padded)
	}
	start := len(dst)
	dst = append(dst, '(')
	for k := 0; k < v.N; k++ {
		if len(dst)-start > 1 {
			dst = append(dst, ',')
		}
		dst = appendScalar(dst, op.typ(), v, k, padded)
	}
	dst = append(dst, ')')
	if len(dst)-start > maxListText {
		dst = dst[:start+maxListText]
	}
	return dst
}

func appendScalar(dst []byte, t ops.Type, v *ops.Vals, k int, padded bool) []byte {
	switch t {
	case ops.Uint64, ops.RelTime, ops.AbsTime:
		if padded {
			return appendPad(dst, v.Num[k], 9)
		}
		return strconv.AppendUint(dst, v.Num[k], 10)
	case ops.Bool:
		if v.Num[k] != 0 {
			return append(dst, "true"...)
		}
		return append(dst, "false"...)
	case ops.IPAddr:
		if a, ok := netip.AddrFromSlice(v.Buf[k]); ok {
			return a.AppendTo(dst)
		}
		return append(dst, notAvailable...)
	case ops.IPNet:
		return append(dst, "<IPNET>"...)
	}
	return append(dst, ops.CStr(v.Buf[k])...)
}

// AppendJSON appends the JSON object of batch event i to dst: one key per
// field (transformers give their inner fields), sorted, with numbers,
// bools, strings, arrays and null. ok is false when a value is missing and
// the format has no leading '*'; dst then holds the keys before it.
func (fm *Formatter) AppendJSON(dst []byte, i int) (out []byte, ok bool) {
	rt := fm.rt
	if len(fm.f.json) == 0 {
		return append(dst, "null"...), true
	}
	ok = true
	start := len(dst)
	dst = append(dst, '{')
	for n, t := range fm.f.json {
		v := &rt.scratch[t.lv].in[0]
		t.op.load(rt, int32(i), v)
		if !v.Present() && fm.f.requireAll {
			if n == 0 {
				// Nothing was resolved: jsoncpp writes its null root.
				return append(dst[:start], "null"...), false
			}
			ok = false
			break
		}
		if n > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, t.name)
		dst = append(dst, ':')
		switch {
		case !v.Present():
			dst = append(dst, "null"...)
		case t.jsonTime:
			dst = strconv.AppendInt(dst, int64(rt.batch.Ts(i)), 10)
		case t.op.list():
			dst = append(dst, '[')
			for k := 0; k < v.N; k++ {
				if k > 0 {
					dst = append(dst, ',')
				}
				dst = appendJSONScalar(dst, t.op.typ(), v, k)
			}
			dst = append(dst, ']')
		default:
			dst = appendJSONScalar(dst, t.op.typ(), v, 0)
		}
	}
	return append(dst, '}'), ok
}

// appendJSONScalar renders one value as libsinsp's rawval_to_json does for
// the print formats of plugin and generic fields (numbers are PF_DEC, and
// the generic time fields' JSON is their integer value).
func appendJSONScalar(dst []byte, t ops.Type, v *ops.Vals, k int) []byte {
	switch t {
	case ops.Uint64, ops.RelTime, ops.AbsTime:
		return strconv.AppendUint(dst, v.Num[k], 10)
	case ops.Bool:
		if v.Num[k] != 0 {
			return append(dst, "true"...)
		}
		return append(dst, "false"...)
	}
	var tmp [64]byte
	return appendJSONString(dst, string(appendScalar(tmp[:0], t, v, k, false)))
}

// appendJSONString writes s as a JSON string the way jsoncpp 1.9.5's
// writer does (libsinsp's formatter uses it): the short escapes, other
// control characters and every non-ASCII character as \uXXXX (UTF-16
// surrogate pairs past U+FFFF), decoding UTF-8 as jsoncpp does:
// continuation bytes are not checked, and truncated, overlong and
// surrogate sequences and bytes from F8 on become U+FFFD.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			dst = append(dst, '\\', '"')
		case '\\':
			dst = append(dst, '\\', '\\')
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			var cp uint32
			cp, i = jsoncppCodepoint(s, i)
			switch {
			case cp >= 0x20 && cp <= 0x7f:
				dst = append(dst, byte(cp))
			case cp < 0x10000:
				dst = appendHex16(dst, cp)
			default:
				cp -= 0x10000
				// jsoncpp keeps 10 bits in the high half too, so the
				// codes past U+10FFFF it decodes wrap around.
				dst = appendHex16(dst, (cp>>10)&0x3ff+0xd800)
				dst = appendHex16(dst, (cp&0x3ff)+0xdc00)
			}
		}
	}
	return append(dst, '"')
}

// jsoncppCodepoint decodes the character at s[i] as jsoncpp's
// utf8ToCodepoint and returns it with the index of its last byte.
func jsoncppCodepoint(s string, i int) (uint32, int) {
	const replacement = 0xfffd
	first := uint32(s[i])
	cont := func(k int) uint32 { return uint32(s[i+k]) & 0x3f }
	switch {
	case first < 0x80:
		return first, i
	case first < 0xe0:
		if len(s)-i < 2 {
			return replacement, i
		}
		cp := (first&0x1f)<<6 | cont(1)
		if cp < 0x80 {
			cp = replacement
		}
		return cp, i + 1
	case first < 0xf0:
		if len(s)-i < 3 {
			return replacement, i
		}
		cp := (first&0x0f)<<12 | cont(1)<<6 | cont(2)
		if cp >= 0xd800 && cp <= 0xdfff || cp < 0x800 {
			cp = replacement
		}
		return cp, i + 2
	case first < 0xf8:
		if len(s)-i < 4 {
			return replacement, i
		}
		cp := (first&0x07)<<18 | cont(1)<<12 | cont(2)<<6 | cont(3)
		if cp < 0x10000 {
			cp = replacement
		}
		return cp, i + 3
	}
	return replacement, i
}

func appendHex16(dst []byte, v uint32) []byte {
	const hex = "0123456789abcdef"
	return append(dst, '\\', 'u', hex[v>>12&15], hex[v>>8&15], hex[v>>4&15], hex[v&15])
}

func sortJSON(ts []jsonToken) {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].name < ts[j-1].name; j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}

// leadingInt is sscanf("%d") on a string that starts with a digit.
func leadingInt(s string) int {
	n := 0
	for i := 0; i < len(s) && isDigit(s[i]); i++ {
		if n < 1<<30 {
			n = n*10 + int(s[i]-'0')
		}
	}
	return n
}

// posAt is the position of byte off of text.
func posAt(text string, off int) Pos {
	p := Pos{Offset: off, Line: 1, Col: 1}
	for i := 0; i < off && i < len(text); i++ {
		if text[i] == '\n' || text[i] == '\r' {
			p.Line, p.Col = p.Line+1, 1
		} else {
			p.Col++
		}
	}
	return p
}
