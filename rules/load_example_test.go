package rules_test

import (
	"fmt"

	"github.com/plughost/plughost/rules"
)

// A rules file whose rule targets a source no plugin serves loads with a
// warning, and its macro is then unused.
func ExampleLoader_Load() {
	l := rules.NewLoader(rules.Env{})
	res := l.Load("my_rules.yaml", []byte(`- macro: is_get
  condition: ka.verb = get
- rule: Get
  desc: a get request
  condition: is_get
  output: get by %ka.user.name
  priority: INFO
  source: k8s_audit
`))
	fmt.Println(res.Text(false))
	fmt.Println(len(l.Rules()))
	// Output:
	// my_rules.yaml: Ok, with warnings
	//  2 warnings: [LOAD_UNKNOWN_SOURCE (Unknown event source) LOAD_UNUSED_MACRO (Unused macro)]
	// 0
}
