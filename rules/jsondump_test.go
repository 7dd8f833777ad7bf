package rules

import (
	"encoding/json"
	"testing"
)

// The expected strings are what nlohmann::json's dump(-1, ' ', false,
// error_handler_t::replace) writes, the call Falco's JSON alerts use.
func TestAppendJSONString(t *testing.T) {
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
		if got := string(appendJSONString(nil, tt.in)); got != tt.want {
			t.Errorf("appendJSONString(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestAppendJSONValueSortsKeys(t *testing.T) {
	obj, err := decodeJSONObject([]byte(`{"z":1,"a":[true,null,"x"],"m":{"b":18446744073709551615,"a":-1}}`))
	if err != nil {
		t.Fatal(err)
	}
	obj["tags"] = []string{}
	got := string(appendJSONValue(nil, obj))
	want := `{"a":[true,null,"x"],"m":{"a":-1,"b":18446744073709551615},"tags":[],"z":1}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if !json.Valid([]byte(got)) {
		t.Error("not valid JSON")
	}
}

func TestDecodeJSONObjectNull(t *testing.T) {
	obj, err := decodeJSONObject([]byte("null"))
	if err != nil || len(obj) != 0 {
		t.Fatalf("got %v, %v", obj, err)
	}
}

func TestPriority(t *testing.T) {
	tests := []struct {
		in    string
		want  Priority
		ok    bool
		short string
	}{
		{"EMERGENCY", Emergency, true, "Emergency"},
		{"critical", Critical, true, "Critical"},
		{"Info", Informational, true, "Info"},
		{"informational", Informational, true, "Info"},
		{"debug", Debug, true, "Debug"},
		{"warn", 0, false, ""},
		{"", 0, false, ""},
	}
	for _, tt := range tests {
		got, ok := ParsePriority(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParsePriority(%q) = %v, %v", tt.in, got, ok)
		}
		if ok && got.ShortString() != tt.short {
			t.Errorf("%v.ShortString() = %q, want %q", got, got.ShortString(), tt.short)
		}
	}
	if Informational.String() != "Informational" || !Critical.AtLeast(Warning) || Debug.AtLeast(Notice) {
		t.Error("String/AtLeast")
	}
}
