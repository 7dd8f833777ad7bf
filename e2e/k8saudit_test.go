package e2e

import (
	"strings"
	"testing"
)

// TestK8sAuditFile streams testdata/events/k8saudit/audit.log through
// k8saudit v0.18.0, opened with a plain path (a file:// URL would tail the
// file with fsnotify and never reach EOF).
//
// The 17 lines give 23 events, in file order (not sorted by time: the
// scheduler binding of line 11 is older than the lease update before it):
//   - line 5 is empty and line 8 is truncated JSON: both are skipped
//     (the plugin logs the parse error and goes on);
//   - lines 3 and 11 are EventLists of 5 and 6 items; the 4th item of
//     line 11 (auditID b05b710e-...) has no stageTimestamp and is dropped;
//   - the timestamp of each event is its stageTimestamp.
//
// Expected values follow the plugin's extraction code: every field is a
// string (ka.response.code included); list fields skip the containers that
// lack the value (the "pause" container has no securityContext); and
// ka.sourceips never has a value, because v0.18.0 (like upstream) reads it
// from requestObject.rules[*].sourceIPs instead of the top-level sourceIPs
// (the clusterrole create of line 11 has rules, none with sourceIPs: an
// empty list, which is no value).
func TestK8sAuditFile(t *testing.T) {
	reg, states := setup(t, k8sAudit)
	bus := newBus(t, reg, states, map[string]string{"k8s_audit": eventsPath("k8saudit", "audit.log")})
	got := record(t, bus, "k8s_audit", k8sFields)
	if err := run(t, bus); err != nil {
		t.Fatal(err)
	}
	checkRows(t, "k8s_audit", k8sFields, *got, k8sWant)
	for i, r := range *got {
		if data := string(r.Event.Data()); !strings.HasPrefix(data, `{"kind":"Event",`) || !strings.Contains(data, `"auditID":"`+r.Values[0].(string)+`"`) {
			t.Errorf("event %d: payload is not the audit event's JSON: %.80s", i+1, data)
		}
	}
}

// TestK8sAuditLineTooLong: the first line of audit-bad.log is 92,589
// bytes. OpenReader scans lines with bufio.Scanner's default 64 KiB limit
// (only the file:// watcher raises it to maxEventSize), so the plugin fails
// the stream before the first event, and the two valid lines after it are
// never read. The bus must report the plugin's error, deliver nothing, and
// release everything.
func TestK8sAuditLineTooLong(t *testing.T) {
	reg, states := setup(t, k8sAudit)
	bus := newBus(t, reg, states, map[string]string{"k8s_audit": eventsPath("k8saudit", "audit-bad.log")})
	got := record(t, bus, "k8s_audit", []string{"ka.auditid"})
	err := run(t, bus)
	if err == nil || !strings.Contains(err.Error(), "token too long") {
		t.Fatalf("Run = %v, want the plugin's bufio.Scanner 'token too long' error", err)
	}
	t.Logf("Run: %v", err)
	if len(*got) != 0 {
		t.Errorf("got %d events, want 0", len(*got))
	}
}

var k8sFields = []string{
	"ka.auditid",
	"ka.stage",
	"ka.verb",
	"ka.user.name",
	"ka.user.groups",
	"ka.target.resource",
	"ka.target.namespace",
	"ka.target.name",
	"ka.target.subresource",
	"ka.response.code",
	"ka.uri",
	"ka.uri.param[fieldManager]",
	"ka.auth.decision",
	"ka.req.pod.containers.privileged",
	"ka.req.pod.containers.image",
	"ka.req.pod.volumes.hostpath",
	"ka.req.pod.volumes.hostpath[1]",
	"ka.req.pod.host_network",
	"ka.req.binding.role",
	"ka.req.role.rules.verbs",
	"ka.sourceips",
}

var k8sWant = []row{
	// line 1
	{ts: 1732024931345678000, values: []any{
		"fa27291b-04d6-45db-83a9-5e7a54f0ce33", "RequestReceived", "create", "jane.doe@example.com",
		[]string{"oidc:platform-devs", "system:authenticated"}, "pods", "payments", "debug-shell", nil, nil,
		"/api/v1/namespaces/payments/pods?fieldManager=kubectl-run", "kubectl-run", nil, nil, nil, nil, nil, nil,
		nil, nil, nil,
	}},
	// line 2
	{ts: 1732024931401223000, values: []any{
		"fa27291b-04d6-45db-83a9-5e7a54f0ce33", "ResponseComplete", "create", "jane.doe@example.com",
		[]string{"oidc:platform-devs", "system:authenticated"}, "pods", "payments", "debug-shell", nil, "201",
		"/api/v1/namespaces/payments/pods?fieldManager=kubectl-run", "kubectl-run", "allow",
		[]string{"true", "false"},
		[]string{"docker.io/library/busybox:1.36.1", "cr.fluentbit.io/fluent/fluent-bit:3.0.4", "registry.k8s.io/pause:3.9"},
		[]string{"/", "/var/run/docker.sock"}, []string{"/var/run/docker.sock"}, "true", nil, nil, nil,
	}},
	// line 3, EventList item 0
	{ts: 1732024960163981000, values: []any{
		"ac98c909-5f43-4e83-a687-d0f67b5137eb", "ResponseStarted", "create", "jane.doe@example.com",
		[]string{"oidc:platform-devs", "system:authenticated"}, "pods", "payments", "debug-shell", "exec", "101",
		"/api/v1/namespaces/payments/pods/debug-shell/exec?command=sh&command=-c&command=cat+%2Fhost%2Fetc%2Fshadow&container=debug&stdin=true&stdout=true&tty=true",
		nil, "allow", nil, nil, nil, nil, nil, nil, nil, nil,
	}},
	// line 3, EventList item 1
	{ts: 1732025032870455000, values: []any{
		"ac98c909-5f43-4e83-a687-d0f67b5137eb", "ResponseComplete", "create", "jane.doe@example.com",
		[]string{"oidc:platform-devs", "system:authenticated"}, "pods", "payments", "debug-shell", "exec", "101",
		"/api/v1/namespaces/payments/pods/debug-shell/exec?command=sh&command=-c&command=cat+%2Fhost%2Fetc%2Fshadow&container=debug&stdin=true&stdout=true&tty=true",
		nil, "allow", nil, nil, nil, nil, nil, nil, nil, nil,
	}},
	// line 3, EventList item 2
	{ts: 1732025045514877000, values: []any{
		"d7281083-3333-42db-bf6d-767a5055c847", "ResponseComplete", "get",
		"system:serviceaccount:payments:payments-api",
		[]string{"system:serviceaccounts", "system:serviceaccounts:payments", "system:authenticated"},
		"configmaps", "payments", "app-config", nil, "200", "/api/v1/namespaces/payments/configmaps/app-config",
		nil, "allow", nil, nil, nil, nil, nil, nil, nil, nil,
	}},
	// line 3, EventList item 3
	{ts: 1732025071049310000, values: []any{
		"765b5232-f8f0-44f8-a10f-fb730b3fb0c1", "ResponseComplete", "update", "jane.doe@example.com",
		[]string{"oidc:platform-devs", "system:authenticated"}, "configmaps", "payments", "app-config", nil, "200",
		"/api/v1/namespaces/payments/configmaps/app-config?fieldManager=kubectl-edit&fieldValidation=Strict",
		"kubectl-edit", "allow", nil, nil, nil, nil, nil, nil, nil, nil,
	}},
	// line 3, EventList item 4
	{ts: 1732025098905664000, values: []any{
		"eb8a8f5b-e3a0-4e30-b750-406cd7a00e1d", "ResponseComplete", "get",
		"system:serviceaccount:payments:payments-api",
		[]string{"system:serviceaccounts", "system:serviceaccounts:payments", "system:authenticated"}, "secrets",
		"payments", "payments-db-credentials", nil, "200",
		"/api/v1/namespaces/payments/secrets/payments-db-credentials", nil, "allow", nil, nil, nil, nil, nil, nil,
		nil, nil,
	}},
	// line 4
	{ts: 1732025120662531000, values: []any{
		"3433f0af-dd76-469a-b53a-f13d44871085", "ResponseComplete", "list", "jane.doe@example.com",
		[]string{"oidc:platform-devs", "system:authenticated"}, "secrets", "kube-system", nil, nil, "403",
		"/api/v1/namespaces/kube-system/secrets?limit=500", nil, "forbid", nil, nil, nil, nil, nil, nil, nil, nil,
	}},
	// line 6
	{ts: 1732025162005102000, values: []any{
		"bd46d46d-ca51-4f9b-a925-fde47e171edf", "ResponseComplete", "get", "system:anonymous",
		[]string{"system:unauthenticated"}, nil, nil, nil, nil, "200", "/version", nil, "allow", nil, nil, nil,
		nil, nil, nil, nil, nil,
	}},
	// line 7
	{ts: 1732025169772016000, values: []any{
		"887112c6-108c-4dc7-becd-2fbc8a88570f", "ResponseComplete", "list", "system:anonymous",
		[]string{"system:unauthenticated"}, "secrets", "kube-system", nil, nil, "403",
		"/api/v1/namespaces/kube-system/secrets", nil, "forbid", nil, nil, nil, nil, nil, nil, nil, nil,
	}},
	// line 9
	{ts: 1732025234220514000, values: []any{
		"b510db8e-aa7c-463e-96c2-78bcc58f8111", "RequestReceived", "create", "kubernetes-admin",
		[]string{"kubeadm:cluster-admins", "system:authenticated"}, "clusterrolebindings", nil,
		"ci-deployer-cluster-admin", nil, nil,
		"/apis/rbac.authorization.k8s.io/v1/clusterrolebindings?fieldManager=kubectl-create&fieldValidation=Strict",
		"kubectl-create", nil, nil, nil, nil, nil, nil, nil, nil, nil,
	}},
	// line 10
	{ts: 1732025234236981000, values: []any{
		"b510db8e-aa7c-463e-96c2-78bcc58f8111", "ResponseComplete", "create", "kubernetes-admin",
		[]string{"kubeadm:cluster-admins", "system:authenticated"}, "clusterrolebindings", nil,
		"ci-deployer-cluster-admin", nil, "201",
		"/apis/rbac.authorization.k8s.io/v1/clusterrolebindings?fieldManager=kubectl-create&fieldValidation=Strict",
		"kubectl-create", "allow", nil, nil, nil, nil, nil, "cluster-admin", nil, nil,
	}},
	// line 11, EventList item 0
	{ts: 1732025240016808000, values: []any{
		"b35cd19a-f365-43ab-9afa-9dacd67bba4d", "ResponseComplete", "update",
		"system:node:ip-10-0-3-17.eu-west-1.compute.internal", []string{"system:nodes", "system:authenticated"},
		"leases", "kube-node-lease", "ip-10-0-3-17.eu-west-1.compute.internal", nil, "200",
		"/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/ip-10-0-3-17.eu-west-1.compute.internal?timeout=10s",
		nil, "allow", nil, nil, nil, nil, nil, nil, nil, nil,
	}},
	// line 11, EventList item 1
	{ts: 1732024931419754000, values: []any{
		"9a8b8188-54bd-4962-81d5-b9eaa5bc715f", "ResponseComplete", "create", "system:kube-scheduler",
		[]string{"system:authenticated"}, "pods", "payments", "debug-shell", "binding", "201",
		"/api/v1/namespaces/payments/pods/debug-shell/binding", nil, "allow", nil, nil, nil, nil, nil, nil, nil,
		nil,
	}},
	// line 11, EventList item 2
	{ts: 1732025281341093000, values: []any{
		"b785c19f-8613-4d25-9ac8-588a4ebf1864", "ResponseComplete", "create",
		"system:serviceaccount:ci:ci-deployer",
		[]string{"system:serviceaccounts", "system:serviceaccounts:ci", "system:authenticated"}, "clusterroles",
		nil, "secrets-reader-all", nil, "201", "/apis/rbac.authorization.k8s.io/v1/clusterroles?fieldManager=helm",
		"helm", "allow", nil, nil, nil, nil, nil, nil, []string{"get", "list", "watch", "get"}, nil,
	}},
	// line 11, EventList item 4
	{ts: 1732025296904007000, values: []any{
		"6c3d7a3e-62df-4a2e-aa0e-b2085a675bd7", "ResponseComplete", "watch", "system:kube-scheduler",
		[]string{"system:authenticated"}, "pods", nil, nil, nil, "200",
		"/api/v1/pods?allowWatchBookmarks=true&fieldSelector=status.phase%21%3DSucceeded%2Cstatus.phase%21%3DFailed&resourceVersion=48200001&timeout=7m41s&timeoutSeconds=461&watch=true",
		nil, "allow", nil, nil, nil, nil, nil, nil, nil, nil,
	}},
	// line 11, EventList item 5
	{ts: 1732025295512640000, values: []any{
		"ed888ea9-b1e9-48c2-b373-c3463740fb09", "ResponseComplete", "list", "kubernetes-admin",
		[]string{"kubeadm:cluster-admins", "system:authenticated"}, "nodes", nil, nil, nil, "200",
		"/api/v1/nodes?limit=500", nil, "allow", nil, nil, nil, nil, nil, nil, nil, nil,
	}},
	// line 12
	{ts: 1732025382008816000, values: []any{
		"6e6048e5-10d4-40cc-88bf-d85893a391fa", "RequestReceived", "delete", "kubernetes-admin",
		[]string{"kubeadm:cluster-admins", "system:authenticated"}, "namespaces", nil, "staging-legacy", nil, nil,
		"/api/v1/namespaces/staging-legacy", nil, nil, nil, nil, nil, nil, nil, nil, nil, nil,
	}},
	// line 13
	{ts: 1732025382027345000, values: []any{
		"6e6048e5-10d4-40cc-88bf-d85893a391fa", "ResponseComplete", "delete", "kubernetes-admin",
		[]string{"kubeadm:cluster-admins", "system:authenticated"}, "namespaces", nil, "staging-legacy", nil,
		"200", "/api/v1/namespaces/staging-legacy", nil, "allow", nil, nil, nil, nil, nil, nil, nil, nil,
	}},
	// line 14
	{ts: 1732025403444310000, values: []any{
		"2288f913-2cd7-4ae2-be9c-3786a0384147", "ResponseComplete", "get", "kubernetes-admin",
		[]string{"kubeadm:cluster-admins", "system:authenticated"}, "secrets", "payments",
		"payments-db-credentials", nil, "200", "/api/v1/namespaces/payments/secrets/payments-db-credentials", nil,
		"allow", nil, nil, nil, nil, nil, nil, nil, nil,
	}},
	// line 15
	{ts: 1732025487329902000, values: []any{
		"f09bbcfc-a48f-4f52-ab08-c6c67af56ed7", "ResponseComplete", "patch",
		"system:serviceaccount:argocd:argocd-application-controller",
		[]string{"system:serviceaccounts", "system:serviceaccounts:argocd", "system:authenticated"}, "deployments",
		"payments", "payments-api", nil, "200",
		"/apis/apps/v1/namespaces/payments/deployments/payments-api?fieldManager=argocd-controller",
		"argocd-controller", "allow", nil, nil, nil, nil, nil, nil, nil, nil,
	}},
	// line 16
	{ts: 1732025564019236000, values: []any{
		"c90d50e2-5632-49f6-9c66-f3912f4e55be", "ResponseComplete", "get", "jane.doe@example.com",
		[]string{"oidc:platform-devs", "system:authenticated"}, "pods", "payments", "debug-shell", "log", "200",
		"/api/v1/namespaces/payments/pods/debug-shell/log?container=debug&follow=true", nil, "allow", nil, nil,
		nil, nil, nil, nil, nil, nil,
	}},
	// line 17
	{ts: 1732025585139776000, values: []any{
		"780a39ec-a0d0-48d4-9c3b-4357fed1f7ab", "ResponseComplete", "delete", "jane.doe@example.com",
		[]string{"oidc:platform-devs", "system:authenticated"}, "pods", "payments", "debug-shell", nil, "200",
		"/api/v1/namespaces/payments/pods/debug-shell", nil, "allow", nil, nil, nil, nil, nil, nil, nil, nil,
	}},
}
