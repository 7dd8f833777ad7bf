package ops

// globMatch reports whether s matches pattern p as glibc's
// fnmatch(p, s, fold ? FNM_CASEFOLD : 0) does in the C locale, which is
// what libsinsp's glob, iglob and pmatch use: `*` and `?` cross '/' and
// leading dots, `\` quotes the next character, `[...]` takes `!` or `^`
// for negation, ranges, [:class:], [=c=] and [.c.], and an unterminated
// `[` stands for itself. p and s are C strings: each ends at its first
// NUL. It does not allocate.
func globMatch(p, s []byte, fold bool) bool {
	p, s = CStr(p), CStr(s)
	pi, si := 0, 0
	// the last `*` seen: where the pattern goes on after it, and the
	// next string position to try for it
	starP, starS := -1, 0
	for {
		if pi < len(p) {
			switch p[pi] {
			case '*':
				for pi < len(p) && (p[pi] == '*' || p[pi] == '?') {
					if p[pi] == '?' {
						if si == len(s) {
							return false
						}
						si++
					}
					pi++
				}
				if pi == len(p) {
					return true
				}
				starP, starS = pi, si
				continue
			default:
				if si < len(s) {
					if npi, ok := globElem(p, pi, s[si], fold); ok {
						pi, si = npi, si+1
						continue
					}
				}
			}
		} else if si == len(s) {
			return true
		}
		// mismatch: let the last star take one more character. The rest
		// of the pattern after a star starts with neither `*` nor `?`, so
		// it needs a character: glibc tries it only before the end.
		if starP < 0 {
			return false
		}
		starS++
		if starS >= len(s) {
			return false
		}
		pi, si = starP, starS
	}
}

// globElem matches one pattern element at p[pi] (not `*`) against the
// string byte c. It returns the pattern position after the element.
func globElem(p []byte, pi int, c byte, fold bool) (int, bool) {
	fc := c
	if fold {
		fc = lowerASCII(c)
	}
	switch p[pi] {
	case '?':
		return pi + 1, true
	case '\\':
		if pi+1 >= len(p) {
			return 0, false
		}
		pc := p[pi+1]
		if fold {
			pc = lowerASCII(pc)
		}
		return pi + 2, pc == fc
	case '[':
		npi, res := globBracket(p, pi+1, c, fold)
		switch res {
		case bracketMatch:
			return npi, true
		case bracketFail:
			return 0, false
		}
		// unterminated: a literal '['
		return pi + 1, fc == '['
	}
	pc := p[pi]
	if fold {
		pc = lowerASCII(pc)
	}
	return pi + 1, pc == fc
}

const (
	bracketMatch = iota
	bracketFail
	bracketLiteral // the `[` is not a bracket expression: match it as a character
)

// at returns p[i], or NUL past the end (C string semantics).
func at(p []byte, i int) byte {
	if i < len(p) {
		return p[i]
	}
	return 0
}

// charClass reports whether c belongs to the C-locale class name; ok is
// false for an unknown class.
func charClass(name []byte, c byte) (in, ok bool) {
	isUpper := c >= 'A' && c <= 'Z'
	isLower := c >= 'a' && c <= 'z'
	isDigit := c >= '0' && c <= '9'
	isAlpha := isUpper || isLower
	isPrint := c >= 0x20 && c < 0x7f
	isGraph := c > 0x20 && c < 0x7f
	switch string(name) {
	case "alnum":
		return isAlpha || isDigit, true
	case "alpha":
		return isAlpha, true
	case "blank":
		return c == ' ' || c == '\t', true
	case "cntrl":
		return c < 0x20 || c == 0x7f, true
	case "digit":
		return isDigit, true
	case "graph":
		return isGraph, true
	case "lower":
		return isLower, true
	case "print":
		return isPrint, true
	case "punct":
		return isGraph && !isAlpha && !isDigit, true
	case "space":
		return c == ' ' || (c >= '\t' && c <= '\r'), true
	case "upper":
		return isUpper, true
	case "xdigit":
		return isDigit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'), true
	}
	return false, false
}

// charClassMax is glibc's CHAR_CLASS_MAX_LENGTH.
const charClassMax = 256

// globBracket matches the bracket expression whose body starts at p[pi]
// (just after the `[`) against c, following glibc's fnmatch loop.
func globBracket(p []byte, pi int, c byte, fold bool) (int, int) {
	fn := c
	if fold {
		fn = lowerASCII(c)
	}
	foldc := func(x byte) byte {
		if fold {
			return lowerASCII(x)
		}
		return x
	}
	not := at(p, pi) == '!' || at(p, pi) == '^'
	if not {
		pi++
	}
	matched := false
	ch := at(p, pi)
	pi++
	for {
		var cold byte
		if ch == '\\' {
			if at(p, pi) == 0 {
				return 0, bracketFail
			}
			ch = foldc(p[pi])
			pi++
			goto normal
		} else if ch == '[' && at(p, pi) == ':' {
			start := pi
			var name [charClassMax]byte
			n := 0
			isName := true
			for {
				if n == charClassMax {
					return 0, bracketFail
				}
				pi++
				ch = at(p, pi)
				if ch == ':' && at(p, pi+1) == ']' {
					pi += 2
					break
				}
				if ch < 'a' || ch >= 'z' {
					isName = false
					break
				}
				name[n] = ch
				n++
			}
			if !isName {
				pi = start
				ch = '['
				goto normal
			}
			in, ok := charClass(name[:n], c)
			if !ok {
				return 0, bracketFail
			}
			if in {
				matched = true
				break
			}
			ch = at(p, pi)
			pi++
		} else if ch == 0 {
			return 0, bracketLiteral
		} else if ch == '[' && at(p, pi) == '=' {
			start := pi
			pi++
			ch = at(p, pi)
			if ch == 0 {
				pi = start
				ch = '['
				goto normal
			}
			eq := ch
			pi++
			ch = at(p, pi)
			if ch != '=' || at(p, pi+1) != ']' {
				pi = start
				ch = '['
				goto normal
			}
			pi += 2
			if c == eq {
				matched = true
				break
			}
			ch = at(p, pi)
			pi++
		} else if ch == '[' && at(p, pi) == '.' {
			start := pi
			n := 0
			for {
				pi++
				ch = at(p, pi)
				if ch == '.' && at(p, pi+1) == ']' {
					pi += 2
					break
				}
				if ch == 0 {
					return 0, bracketFail
				}
				n++
			}
			if n != 1 {
				return 0, bracketFail
			}
			isRange := at(p, pi) == '-' && at(p, pi+1) != 0
			if !isRange && c == p[start+1] {
				matched = true
				break
			}
			cold = p[start+1]
			ch = at(p, pi)
			pi++
			goto rangeCheck
		} else {
			ch = foldc(ch)
			goto normal
		}
		if ch == ']' {
			break
		}
		continue
	normal:
		{
			isRange := at(p, pi) == '-' && at(p, pi+1) != 0 && at(p, pi+1) != ']'
			if !isRange && ch == fn {
				matched = true
				break
			}
			cold = ch
			ch = at(p, pi)
			pi++
		}
	rangeCheck:
		if ch == '-' && at(p, pi) != ']' {
			cend := at(p, pi)
			pi++
			if cend == '[' && at(p, pi) == '.' {
				start := pi
				n := 0
				for {
					pi++
					x := at(p, pi)
					if x == '.' && at(p, pi+1) == ']' {
						pi += 2
						break
					}
					if x == 0 {
						return 0, bracketFail
					}
					n++
				}
				if n != 1 {
					return 0, bracketFail
				}
				cend = p[start+1]
			} else {
				if cend == '\\' {
					cend = at(p, pi)
					pi++
				}
				if cend == 0 {
					return 0, bracketFail
				}
				cend = foldc(cend)
			}
			if cold <= fn && fn <= cend {
				matched = true
				break
			}
			ch = at(p, pi)
			pi++
		}
		if ch == ']' {
			break
		}
	}
	if !matched {
		if !not {
			return 0, bracketFail
		}
		return pi, bracketMatch
	}
	// skip the rest of the bracket expression
	for {
		ch := at(p, pi)
		pi++
		if ch == 0 {
			return 0, bracketFail
		}
		if ch == '\\' {
			if at(p, pi) == 0 {
				return 0, bracketFail
			}
			pi++
		} else if ch == '[' && at(p, pi) == ':' {
			start := pi
			n := 0
			isName := true
			for {
				pi++
				x := at(p, pi)
				n++
				if n == charClassMax {
					return 0, bracketFail
				}
				if x == ':' && at(p, pi+1) == ']' {
					break
				}
				if x < 'a' || x >= 'z' {
					isName = false
					break
				}
			}
			if !isName {
				pi = start
				continue
			}
			pi += 2
			ch = ':' // glibc goes on with the next character
		} else if ch == '[' && at(p, pi) == '=' {
			pi++
			x := at(p, pi)
			if x == 0 {
				return 0, bracketFail
			}
			pi++
			x = at(p, pi)
			if x != '=' || at(p, pi+1) != ']' {
				return 0, bracketFail
			}
			pi += 2
			ch = ':' // glibc goes on with the next character
		} else if ch == '[' && at(p, pi) == '.' {
			for {
				pi++
				x := at(p, pi)
				if x == 0 {
					return 0, bracketFail
				}
				if x == '.' && at(p, pi+1) == ']' {
					break
				}
			}
			pi += 2
			ch = ':' // glibc goes on with the next character
		}
		if ch == ']' {
			break
		}
	}
	if not {
		return 0, bracketFail
	}
	return pi, bracketMatch
}
