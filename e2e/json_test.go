package e2e

import (
	"slices"
	"testing"
)

// TestJSONAlongsideK8sAudit registers json v0.7.4 next to k8saudit: json
// has no event source and an empty extract-sources list, so it extracts
// from every source, including k8s_audit. One subscriber mixes fields of
// both plugins, and each field must reach the plugin that owns it.
//
// json.value takes an RFC 6901 pointer: "~1" stands for "/", an array index
// is a decimal key, a string is returned unquoted and anything else as its
// compact JSON text (so /responseStatus/code is "201"); a missing key, or a
// key under a string, is no value. json.rawtime is the event timestamp in
// decimal nanoseconds.
func TestJSONAlongsideK8sAudit(t *testing.T) {
	reg, states := setup(t, k8sAudit, jsonPlugin)
	var names []string
	for _, p := range reg.Extractors("k8s_audit") {
		names = append(names, p.Name)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"json", "k8saudit"}) {
		t.Fatalf("extractors of k8s_audit = %v, want json and k8saudit", names)
	}

	bus := newBus(t, reg, states, map[string]string{"k8s_audit": eventsPath("k8saudit", "audit.log")})
	mixed := []string{"ka.auditid", "json.value[/auditID]", "ka.user.name", "json.value[/user/username]", "ka.verb", "json.value[/verb]"}
	gotJSON := record(t, bus, "k8s_audit", jsonFields)
	gotMixed := record(t, bus, "k8s_audit", mixed)
	if err := run(t, bus); err != nil {
		t.Fatal(err)
	}
	checkRows(t, "k8s_audit", jsonFields, *gotJSON, jsonWant)

	if len(*gotMixed) != len(k8sWant) {
		t.Fatalf("mixed subscriber: got %d events, want %d", len(*gotMixed), len(k8sWant))
	}
	for i, r := range *gotMixed {
		want := []any{k8sWant[i].values[0], k8sWant[i].values[3], k8sWant[i].values[2]} // auditid, user, verb
		for k := range want {
			if r.Values[2*k] != want[k] || r.Values[2*k+1] != want[k] {
				t.Errorf("event %d: %s = %s and %s = %s, want both %s", i+1,
					mixed[2*k], show(r.Values[2*k]), mixed[2*k+1], show(r.Values[2*k+1]), show(want[k]))
			}
		}
	}
}

var jsonFields = []string{
	"json.value[/user/username]",
	"json.value[/objectRef/resource]",
	"json.value[/nosuch]",
	"json.value[/sourceIPs/0]",
	"json.value[/sourceIPs]",
	"json.value[/responseStatus/code]",
	"json.value[/user/groups/1]",
	"json.value[/annotations/authorization.k8s.io~1decision]",
	"json.value[/objectRef/name/nosuch]",
	"json.rawtime",
}

var jsonWant = []row{
	// line 1
	{ts: 1732024931345678000, values: []any{
		"jane.doe@example.com", "pods", nil, "203.0.113.45", "[\"203.0.113.45\"]", nil, "system:authenticated",
		nil, nil, "1732024931345678000",
	}},
	// line 2
	{ts: 1732024931401223000, values: []any{
		"jane.doe@example.com", "pods", nil, "203.0.113.45", "[\"203.0.113.45\"]", "201", "system:authenticated",
		"allow", nil, "1732024931401223000",
	}},
	// line 3, EventList item 0
	{ts: 1732024960163981000, values: []any{
		"jane.doe@example.com", "pods", nil, "203.0.113.45", "[\"203.0.113.45\"]", "101", "system:authenticated",
		"allow", nil, "1732024960163981000",
	}},
	// line 3, EventList item 1
	{ts: 1732025032870455000, values: []any{
		"jane.doe@example.com", "pods", nil, "203.0.113.45", "[\"203.0.113.45\"]", "101", "system:authenticated",
		"allow", nil, "1732025032870455000",
	}},
	// line 3, EventList item 2
	{ts: 1732025045514877000, values: []any{
		"system:serviceaccount:payments:payments-api", "configmaps", nil, "10.0.3.17", "[\"10.0.3.17\"]", "200",
		"system:serviceaccounts:payments", "allow", nil, "1732025045514877000",
	}},
	// line 3, EventList item 3
	{ts: 1732025071049310000, values: []any{
		"jane.doe@example.com", "configmaps", nil, "203.0.113.45", "[\"203.0.113.45\"]", "200",
		"system:authenticated", "allow", nil, "1732025071049310000",
	}},
	// line 3, EventList item 4
	{ts: 1732025098905664000, values: []any{
		"system:serviceaccount:payments:payments-api", "secrets", nil, "10.0.3.17", "[\"10.0.3.17\"]", "200",
		"system:serviceaccounts:payments", "allow", nil, "1732025098905664000",
	}},
	// line 4
	{ts: 1732025120662531000, values: []any{
		"jane.doe@example.com", "secrets", nil, "203.0.113.45", "[\"203.0.113.45\"]", "403",
		"system:authenticated", "forbid", nil, "1732025120662531000",
	}},
	// line 6
	{ts: 1732025162005102000, values: []any{
		"system:anonymous", nil, nil, "198.51.100.77", "[\"198.51.100.77\"]", "200", nil, "allow", nil,
		"1732025162005102000",
	}},
	// line 7
	{ts: 1732025169772016000, values: []any{
		"system:anonymous", "secrets", nil, "198.51.100.77", "[\"198.51.100.77\"]", "403", nil, "forbid", nil,
		"1732025169772016000",
	}},
	// line 9
	{ts: 1732025234220514000, values: []any{
		"kubernetes-admin", "clusterrolebindings", nil, "203.0.113.9", "[\"203.0.113.9\"]", nil,
		"system:authenticated", nil, nil, "1732025234220514000",
	}},
	// line 10
	{ts: 1732025234236981000, values: []any{
		"kubernetes-admin", "clusterrolebindings", nil, "203.0.113.9", "[\"203.0.113.9\"]", "201",
		"system:authenticated", "allow", nil, "1732025234236981000",
	}},
	// line 11, EventList item 0
	{ts: 1732025240016808000, values: []any{
		"system:node:ip-10-0-3-17.eu-west-1.compute.internal", "leases", nil, "10.0.3.17", "[\"10.0.3.17\"]",
		"200", "system:authenticated", "allow", nil, "1732025240016808000",
	}},
	// line 11, EventList item 1
	{ts: 1732024931419754000, values: []any{
		"system:kube-scheduler", "pods", nil, "10.0.1.5", "[\"10.0.1.5\"]", "201", nil, "allow", nil,
		"1732024931419754000",
	}},
	// line 11, EventList item 2
	{ts: 1732025281341093000, values: []any{
		"system:serviceaccount:ci:ci-deployer", "clusterroles", nil, "10.0.2.41", "[\"10.0.2.41\"]", "201",
		"system:serviceaccounts:ci", "allow", nil, "1732025281341093000",
	}},
	// line 11, EventList item 4
	{ts: 1732025296904007000, values: []any{
		"system:kube-scheduler", "pods", nil, "10.0.1.5", "[\"10.0.1.5\"]", "200", nil, "allow", nil,
		"1732025296904007000",
	}},
	// line 11, EventList item 5
	{ts: 1732025295512640000, values: []any{
		"kubernetes-admin", "nodes", nil, "203.0.113.9", "[\"203.0.113.9\"]", "200", "system:authenticated",
		"allow", nil, "1732025295512640000",
	}},
	// line 12
	{ts: 1732025382008816000, values: []any{
		"kubernetes-admin", "namespaces", nil, "203.0.113.9", "[\"203.0.113.9\"]", nil, "system:authenticated",
		nil, nil, "1732025382008816000",
	}},
	// line 13
	{ts: 1732025382027345000, values: []any{
		"kubernetes-admin", "namespaces", nil, "203.0.113.9", "[\"203.0.113.9\"]", "200", "system:authenticated",
		"allow", nil, "1732025382027345000",
	}},
	// line 14
	{ts: 1732025403444310000, values: []any{
		"kubernetes-admin", "secrets", nil, "203.0.113.9", "[\"203.0.113.9\"]", "200", "system:authenticated",
		"allow", nil, "1732025403444310000",
	}},
	// line 15
	{ts: 1732025487329902000, values: []any{
		"system:serviceaccount:argocd:argocd-application-controller", "deployments", nil, "10.0.4.23",
		"[\"10.0.4.23\",\"10.0.0.12\"]", "200", "system:serviceaccounts:argocd", "allow", nil,
		"1732025487329902000",
	}},
	// line 16
	{ts: 1732025564019236000, values: []any{
		"jane.doe@example.com", "pods", nil, "203.0.113.45", "[\"203.0.113.45\"]", "200", "system:authenticated",
		"allow", nil, "1732025564019236000",
	}},
	// line 17
	{ts: 1732025585139776000, values: []any{
		"jane.doe@example.com", "pods", nil, "203.0.113.45", "[\"203.0.113.45\"]", "200", "system:authenticated",
		"allow", nil, "1732025585139776000",
	}},
}
