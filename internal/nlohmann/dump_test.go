package nlohmann

import "testing"

// The expected strings are what nlohmann::json's dump(-1, ' ', false,
// error_handler_t::replace) writes, the call Falco's JSON alerts use.
func TestAppendString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", `"plain"`},
		{`q"b\s/`, `"q\"b\\s/"`},
		{"\b\f\n\r\t", `"\b\f\n\r\t"`},
		{"\x00\x01\x1f\x7f", `"\u0000\u0001\u001f` + "\x7f\""},
		{"<&>\u2028é", "\"<&>\u2028é\""},
		{"a\xffb", "\"a\uFFFDb\""},
		{"\xe2\x82A", "\"\uFFFDA\""},               // truncated 3-byte sequence: one replacement
		{"\xe2\x82", "\"\uFFFD\""},                 // truncated at the end
		{"\xe0\x80\x80", "\"\uFFFD\uFFFD\uFFFD\""}, // overlong: E0 needs A0..BF
		{"\xed\xa0\x80", "\"\uFFFD\uFFFD\uFFFD\""}, // surrogate
		{"\xf0\x9f\x98", "\"\uFFFD\""},
		{"\xf0\x9f\x98\x80", "\"\U0001F600\""},
		{"\xc0\xaf", "\"\uFFFD\uFFFD\""},
	}
	for _, tt := range tests {
		if got := string(AppendString(nil, tt.in)); got != tt.want {
			t.Errorf("AppendString(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
