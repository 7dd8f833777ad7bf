package ops

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
)

// The right-hand values of a check are parsed as libsinsp's value parser
// does (sinsp_filter_value_parser::string_to_rawval), into storage of at
// most maxValueLen bytes (sinsp_filter_check::s_max_filter_value_buf_size).
const maxValueLen = 256

// ipNet is a parsed IPNET value: a v4 network (ip and mask in network byte
// order, as ipv4net holds them) or a v6 one (address and prefix split into
// whole bytes and tail bits, as ipv6net holds them).
type ipNet struct {
	v6 bool
	// v4
	ip4, mask4 uint32
	// v6
	ip6       [16]byte
	fullBytes int  // bytes compared whole
	tailShift uint // right shift of the next byte before comparing it
}

func (n *ipNet) contains(addr []byte) bool {
	if !n.v6 {
		a := uint32(addr[0])<<24 | uint32(addr[1])<<16 | uint32(addr[2])<<8 | uint32(addr[3])
		return a&n.mask4 == n.ip4&n.mask4
	}
	if !bytes.Equal(addr[:n.fullBytes], n.ip6[:n.fullBytes]) {
		return false
	}
	return n.ip6[n.fullBytes]>>n.tailShift == addr[n.fullBytes]>>n.tailShift
}

// cstring is str as a C string: up to its first NUL.
func cstring(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// CStr returns b up to its first NUL: a string value as libsinsp's C
// string functions see it.
func CStr(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

func isCSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// scanUint emulates C's sscanf(s, "%<u>%c") == 1 for an unsigned
// conversion of the given bit width (64 for %lu, 32 for %u): leading
// blanks, an optional sign, decimal digits, nothing after them. Like
// glibc (strtoul underneath), a '-' negates modulo 2^64, an overflow gives
// ULONG_MAX, and a 32-bit target keeps the low 32 bits.
func scanUint(s string, bits int) (uint64, bool) {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	var v uint64
	overflow := false
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		d := uint64(s[i] - '0')
		if v > (^uint64(0)-d)/10 {
			overflow = true
		}
		v = v*10 + d
		i++
	}
	if i == start || i != len(s) {
		return 0, false
	}
	switch {
	case overflow:
		v = ^uint64(0)
	case neg:
		v = -v
	}
	if bits == 32 {
		v = uint64(uint32(v))
	}
	return v, true
}

// parseU64 is sinsp_numparser::parseu64.
func parseU64(s string) (uint64, error) {
	s = cstring(s)
	v, ok := scanUint(s, 64)
	if !ok {
		return 0, errors.New(s + " is not a valid number")
	}
	return v, nil
}

// parseU8 is sinsp_numparser::parseu8: a %u conversion cut to 8 bits.
func parseU8(s string) (uint8, error) {
	v, ok := scanUint(s, 32)
	if !ok {
		return 0, errors.New(s + " is not a valid number")
	}
	return uint8(v), nil
}

// parseIPv4 is glibc's inet_pton(AF_INET): exactly four decimal octets,
// no leading zeros, nothing else.
func parseIPv4(s string, dst []byte) bool {
	var tmp [4]byte
	octets, tp := 0, 0
	sawDigit := false
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= '0' && ch <= '9':
			nv := uint(tmp[tp])*10 + uint(ch-'0')
			if sawDigit && tmp[tp] == 0 {
				return false
			}
			if nv > 255 {
				return false
			}
			tmp[tp] = byte(nv)
			if !sawDigit {
				octets++
				if octets > 4 {
					return false
				}
				sawDigit = true
			}
		case ch == '.' && sawDigit:
			if octets == 4 {
				return false
			}
			tp++
			tmp[tp] = 0
			sawDigit = false
		default:
			return false
		}
	}
	if octets < 4 {
		return false
	}
	copy(dst, tmp[:])
	return true
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// parseIPv6 is glibc's inet_pton(AF_INET6).
func parseIPv6(s string, dst []byte) bool {
	var tmp [16]byte
	tp, colonp := 0, -1
	i := 0
	if len(s) == 0 {
		return false
	}
	if s[0] == ':' {
		i++
		if i == len(s) || s[i] != ':' {
			return false
		}
	}
	curtok := i
	digits := 0
	val := 0
	for i < len(s) {
		ch := s[i]
		i++
		if d := hexVal(ch); d >= 0 {
			if digits == 4 {
				return false
			}
			val = val<<4 | d
			digits++
			continue
		}
		if ch == ':' {
			curtok = i
			if digits == 0 {
				if colonp >= 0 {
					return false
				}
				colonp = tp
				continue
			} else if i == len(s) {
				return false
			}
			if tp+2 > 16 {
				return false
			}
			tmp[tp], tmp[tp+1] = byte(val>>8), byte(val)
			tp += 2
			digits, val = 0, 0
			continue
		}
		if ch == '.' && tp+4 <= 16 && parseIPv4(s[curtok:], tmp[tp:tp+4]) {
			tp += 4
			digits = 0
			break
		}
		return false
	}
	if digits > 0 {
		if tp+2 > 16 {
			return false
		}
		tmp[tp], tmp[tp+1] = byte(val>>8), byte(val)
		tp += 2
	}
	if colonp >= 0 {
		if tp == 16 {
			return false
		}
		n := tp - colonp
		copy(tmp[16-n:], tmp[colonp:tp])
		for k := colonp; k < 16-n; k++ {
			tmp[k] = 0
		}
		tp = 16
	}
	if tp != 16 {
		return false
	}
	copy(dst, tmp[:])
	return true
}

// parseIPAddr parses an IPADDR value: IPv4 when it holds a '.', else IPv6.
func parseIPAddr(v string) ([]byte, error) {
	c := cstring(v)
	if strings.IndexByte(v, '.') >= 0 {
		b := make([]byte, 4)
		if !parseIPv4(c, b) {
			return nil, errors.New("unrecognized IPv4 address " + c)
		}
		return b, nil
	}
	b := make([]byte, 16)
	if !parseIPv6(c, b) {
		return nil, errors.New("unrecognized IPv6 address " + c)
	}
	return b, nil
}

// splitNet splits "ip/mask" as libsinsp does with two getlines: the part
// before the first '/', and what follows it up to a newline.
func splitNet(s string) (ip, mask string) {
	ip, rest, _ := strings.Cut(s, "/")
	mask, _, _ = strings.Cut(rest, "\n")
	return ip, mask
}

// parseIPNet parses an IPNET value (a CIDR): IPv4 when it holds a '.'.
func parseIPNet(v string) (ipNet, error) {
	c := cstring(v)
	if strings.IndexByte(v, '.') >= 0 {
		if strings.IndexByte(c, '/') < 0 {
			return ipNet{}, errors.New("unrecognized IP network " + c)
		}
		ip, mask := splitNet(c)
		var a [4]byte
		if !parseIPv4(cstring(ip), a[:]) {
			return ipNet{}, errors.New("unrecognized IP address " + c)
		}
		bits, err := parseU8(mask)
		if err != nil {
			return ipNet{}, err
		}
		if bits > 32 {
			return ipNet{}, errors.New("invalid netmask " + mask)
		}
		var m uint32
		for j := uint8(0); j < bits; j++ {
			m |= 1 << (31 - j)
		}
		return ipNet{ip4: uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3]), mask4: m}, nil
	}
	if strings.IndexByte(c, '/') < 0 {
		return ipNet{}, errors.New("invalid v6 netmask: " + c)
	}
	ip, mask := splitNet(c)
	n := ipNet{v6: true}
	if !parseIPv6(ip, n.ip6[:]) {
		return ipNet{}, errors.New("unrecognized IPv6 address " + c)
	}
	bits, err := parseU8(mask)
	if err != nil {
		return ipNet{}, err
	}
	if bits == 0 || bits > 128 {
		return ipNet{}, errors.New("invalid v6 netmask " + mask)
	}
	n.fullBytes = int(bits / 8)
	tail := 8 - uint(bits%8)
	if tail == 8 {
		n.fullBytes--
		tail = 0
	}
	n.tailShift = tail
	return n, nil
}

// parseBool is libsinsp's PT_BOOL parsing: exactly "true" or "false".
func parseBool(v string) (uint64, error) {
	c := cstring(v)
	switch c {
	case "true":
		return 1, nil
	case "false":
		return 0, nil
	}
	return 0, errors.New("filter error: unrecognized boolean value " + c)
}

// parseString is PT_CHARBUF parsing: the value up to its first NUL, which
// must fit the value storage with its terminator.
func parseString(v string) ([]byte, error) {
	c := cstring(v)
	if len(c)+1 > maxValueLen {
		return nil, errors.New("filter parameter too long (used=" + strconv.Itoa(len(c)+1) +
			", available=" + strconv.Itoa(maxValueLen) + "):" + c)
	}
	return []byte(c), nil
}

// parseBytes is PT_BYTEBUF parsing: the raw bytes, shorter than the
// value storage.
func parseBytes(v []byte) ([]byte, error) {
	if len(v) >= maxValueLen {
		return nil, errors.New("filter parameter too long (byte buf)")
	}
	return append([]byte(nil), v...), nil
}

// unhex is sinsp_utils::unhex: an even number of hex digits.
func unhex(v string) ([]byte, bool) {
	if len(v)%2 != 0 {
		return nil, false
	}
	out := make([]byte, 0, len(v)/2)
	for i := 0; i < len(v); i += 2 {
		h, l := hexVal(v[i]), hexVal(v[i+1])
		if h < 0 || l < 0 {
			return nil, false
		}
		out = append(out, byte(h<<4|l))
	}
	return out, true
}
