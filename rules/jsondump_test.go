package rules

import (
	"encoding/json"
	"testing"
)

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
