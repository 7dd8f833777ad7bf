package e2e

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/eventbus"
)

// claim is one expectation of testdata/events/EXPECTED.md: field of event
// number event (from 1) has value want (nil: no value).
type claim struct {
	event int
	field string
	want  any
}

// checkClaims streams source with every field the claims name and checks
// each claim against the delivered records.
func checkClaims(t *testing.T, bus *eventbus.Bus, source string, wantEvents int, claims []claim) {
	t.Helper()
	var fields []string
	for _, c := range claims {
		if !slices.Contains(fields, c.field) {
			fields = append(fields, c.field)
		}
	}
	got := record(t, bus, source, fields)
	if err := run(t, bus); err != nil {
		t.Fatal(err)
	}
	if len(*got) != wantEvents {
		t.Fatalf("%s: %d events, want %d", source, len(*got), wantEvents)
	}
	for _, c := range claims {
		v := (*got)[c.event-1].Values[slices.Index(fields, c.field)]
		if !equalValue(v, c.want) {
			t.Errorf("%s #%d: %s = %s, want %s", source, c.event, c.field, show(v), show(c.want))
		}
	}
}

func equalValue(a, b any) bool {
	if as, ok := a.([]string); ok {
		bs, ok := b.([]string)
		return ok && slices.Equal(as, bs)
	}
	return a == b
}

// The detailed expectations of EXPECTED.md sections 1.4 and 1.5 (k8saudit
// on audit.log) that TestK8sAuditFile does not cover, checked through the
// host. Note ka.auth.reason on #8: present and empty, which the host must
// keep apart from no value.
//
// Arguments reach the plugin as libsinsp sends them: an index field gets
// arg_index, a key field gets arg_key with arg_index 0, both with
// arg_present.
func TestExpectedK8sAuditDetails(t *testing.T) {
	reg, states := setup(t, k8sAudit)
	bus := newBus(t, reg, states, map[string]string{"k8s_audit": eventsPath("k8saudit", "audit.log")})
	checkClaims(t, bus, "k8s_audit", 23, []claim{
		{1, "ka.useragent", "kubectl/v1.29.3 (linux/amd64) kubernetes/6813625"},
		{1, "ka.req.container.privileged", nil},
		{1, "ka.target.pod.name", nil},
		{2, "ka.req.pod.containers.name", []string{"debug", "log-shipper", "pause"}},
		{2, "ka.req.pod.containers.privileged[1]", []string{"false"}},
		{2, "ka.req.pod.containers.privileged[2]", nil},
		{2, "ka.req.container.privileged", "true"},
		{2, "ka.req.pod.volumes.hostpath[2]", nil},
		// ka.req.volume.hostpath takes a key; the plugin filters the volumes
		// by ArgIndex() whenever an argument is present, and libsinsp
		// passes arg_index UINT64_MAX (-1: no filter) for a key argument,
		// so every volume is compared.
		{2, "ka.req.volume.hostpath[/var/run/docker.sock]", "true"},
		{2, "ka.req.volume.hostpath[/var/*]", "true"},
		{2, "ka.req.volume.hostpath[/]", "true"},
		{2, "ka.req.volume.hostpath[/*]", "true"},
		{2, "ka.req.volume.hostpath[/etc]", "false"},
		{2, "ka.req.pod.volumes.volume_type", []string{"hostPath", "hostPath", "configMap"}},
		{2, "ka.req.pod.host_pid", "true"},
		{2, "ka.req.pod.host_ipc", nil},
		{2, "ka.req.pod.containers.image.repository", []string{"docker.io/library/busybox", "cr.fluentbit.io/fluent/fluent-bit", "registry.k8s.io/pause"}},
		{2, "ka.req.container.image", "docker.io/library/busybox:1.36.1"},
		{2, "ka.req.pod.containers.command", []string{"sh -c sleep 86400"}},
		{2, "ka.req.pod.containers.args", []string{"--config=/fluent-bit/etc/fluent-bit.conf"}},
		{2, "ka.req.pod.containers.run_as_user", []string{"0"}},
		{2, "ka.req.pod.containers.eff_run_as_user", []string{"0", "0", "0"}},
		{2, "ka.req.pod.containers.allow_privilege_escalation", []string{"false"}},
		{2, "ka.req.pod.containers.read_only_fs", []string{"true"}},
		{2, "ka.target.pod.name", "debug-shell"},
		{2, "ka.resp.name", "debug-shell"},
		{2, "ka.req.configmap.name", "debug-shell"},
		{2, "ka.security.pod.violations", `would violate PodSecurity "baseline:latest": host namespaces (hostNetwork=true, hostPID=true), privileged (container "debug" must not set securityContext.privileged=true), hostPath volumes (volumes "host-root", "docker-sock")`},
		{3, "ka.uri.param[command]", "sh"},
		{3, "ka.target.pod.name", nil},
		{5, "ka.useragent", "payments-api/2.14.0 (linux/amd64) kubernetes-client-go"},
		{6, "ka.req.configmap.obj", `{"LOG_LEVEL":"debug","PAYMENT_GATEWAY_URL":"https://gw.payments.example.com/v2","FEATURE_FLAGS":"refunds=on,3ds=off"}`},
		{6, "ka.req.configmap.name", "app-config"},
		{8, "ka.response.reason", "Forbidden"},
		{8, "ka.auth.decision", "forbid"},
		{8, "ka.auth.reason", ""},
		{8, "ka.uri.param[limit]", "500"},
		{9, "ka.useragent", "curl/8.4.0"},
		{10, "ka.useragent", "python-requests/2.31.0"},
		{11, "ka.req.binding.subjects.user_names", nil},
		{11, "ka.req.binding.role", nil},
		{12, "ka.req.binding.subjects.serviceaccount_names", []string{"ci-deployer"}},
		{12, "ka.req.binding.subjects.serviceaccount_ns_names", []string{"ci:ci-deployer"}},
		{12, "ka.req.binding.subjects.user_names", []string{"bob.smith@example.com"}},
		{12, "ka.req.binding.subjects.group_names", []string{"oidc:sre-oncall"}},
		{12, "ka.req.binding.subjects", []string{
			`{"kind":"ServiceAccount","name":"ci-deployer","namespace":"ci"}`,
			`{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"bob.smith@example.com"}`,
			`{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"oidc:sre-oncall"}`,
		}},
		{12, "ka.req.binding.subject.has_name[anything]", "true"},
		{12, "ka.resp.name", "ci-deployer-cluster-admin"},
		{12, "ka.req.configmap.name", "ci-deployer-cluster-admin"},
		{15, "ka.req.role.rules.resources", []string{"secrets"}},
		{15, "ka.req.role.rules.apiGroups", []string{""}},
		{15, "ka.req.role.rules.nonResourceURLs", []string{"/metrics"}},
		{15, "ka.req.role.rules", []string{`{"verbs":["get","list","watch"],"apiGroups":[""],"resources":["secrets"]}`, `{"verbs":["get"],"nonResourceURLs":["/metrics"]}`}},
		{19, "ka.resp.name", "staging-legacy"},
		{20, "ka.impuser.name", "system:serviceaccount:payments:payments-api"},
		{21, "ka.sourceips", nil},
		{21, "ka.sourceips[0]", nil},
		{23, "ka.target.pod.name", nil},
	})
}

// EXPECTED.md section 2.4 (cloudtrail), on the directory (trail.json's 13
// events, then trail.json.gz's 4 as #14-#17).
func TestExpectedCloudTrailDetails(t *testing.T) {
	reg, states := setup(t, cloudTrail)
	bus := newBus(t, reg, states, map[string]string{"aws_cloudtrail": eventsPath("cloudtrail")})
	checkClaims(t, bus, "aws_cloudtrail", 17, []claim{
		{1, "ct.additionaleventdata", `{"LoginTo":"https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_515c83333a044486","MobileVersion":"No","MFAIdentifier":"arn:aws:iam::123456789012:mfa/alice-yubikey","MFAUsed":"Yes"}`},
		{1, "ct.response", `{"ConsoleLogin":"Success"}`},
		{1, "ct.request", "null"},
		{1, "ct.src", "signin.amazonaws.com"},
		{1, "ct.tlsdetails.tlsversion", "TLSv1.3"},
		{1, "s3.cnt.other", uint64(1)},
		{1, "s3.key", nil},
		{2, "ct.error", nil},
		{2, "ct.errormessage", "Failed authentication"},
		{2, "ct.response", `{"ConsoleLogin":"Failure"}`},
		{3, "ct.request", `{"userName":"svc-backup","tags":[{"key":"team","value":"platform"}]}`},
		{3, "ct.useragent", "AWS Internal"},
		{4, "ct.request", `{"userName":"svc-backup","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}`},
		{4, "ct.response", "null"},
		{4, "iam.policy", nil},
		{5, "ct.request.host", "acme-prod-invoices.s3.eu-west-1.amazonaws.com"},
		{5, "ct.request.policy", ""},
		{5, "s3.bytes.in", uint64(221)},
		{5, "s3.bytes.out", uint64(0)},
		{5, "ct.requestid", "B2980G1JYK752PYA"},
		{5, "ct.resources", `{"accountId":"123456789012","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::acme-prod-invoices"}`},
		{5, "s3.key", nil},
		{6, "ct.user.principalid", "AROA6ON6E4XEKINVRDR:i-0f3c2b1a9d8e7f601"},
		{6, "s3.key", "2024/11/INV-000123.pdf"},
		{6, "s3.bytes.out", uint64(48213)},
		{6, "s3.bytes.in", uint64(0)},
		{6, "s3.cnt.other", nil},
		{6, "ct.vpcendpointid", "vpce-0a1b2c3d4e5f60718"},
		{6, "ct.resources", `{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::acme-prod-invoices/2024/11/INV-000123.pdf"},{"accountId":"123456789012","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::acme-prod-invoices"}`},
		{7, "ct.recipientaccountid", "123456789012"},
		{7, "ct.user.principalid", "AIDA3EXAMPLEPARTNER01"},
		{7, "ct.sharedeventid", "7a12d2ee-81cc-4595-9e62-d9adb9083db5"},
		{7, "ct.request", `{"roleArn":"arn:aws:iam::123456789012:role/PartnerSupportAccess","roleSessionName":"partner-support-kw","externalId":"acme-ext-7f3a9c","durationSeconds":3600}`},
		{8, "ec2.name", "batch-worker-07"},
		{8, "ec2.imageids[1]", []string{"ami-0c1f5a3e8b9d27461"}},
		{8, "ec2.imageid", "ami-0c1f5a3e8b9d27461"},
		{8, "ct.request.subnetid", "subnet-0a1b2c3d4e5f60789"},
		{8, "ct.response.reservationid", "r-0f1e2d3c4b5a69788"},
		{8, "ct.request.availabilityzone", nil},
		{9, "ct.errormessage", "User: arn:aws:sts::123456789012:assumed-role/ci-deploy/gh-actions-8812 is not authorized to perform: cloudtrail:StopLogging on resource: arn:aws:cloudtrail:us-east-1:123456789012:trail/management-events because no identity-based policy allows the cloudtrail:StopLogging action"},
		{11, "ct.user.principalid", "123456789012"},
		{11, "ct.additionaleventdata", `{"LoginTo":"https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_ea0e66b07f5e4675","MobileVersion":"No","MFAUsed":"No"}`},
		{12, "ct.info", "acme-prod via 192.0.2.200 → StopLogging"},
		{13, "ct.info", "acme-prod via 192.0.2.200 → DeleteTrail"},
		{15, "ct.request.serialnumber", "arn:aws:iam::123456789012:mfa/bob-phone"},
		{15, "ct.request.username", "bob"},
		{16, "ct.request.host", "s3.amazonaws.com"},
		{17, "s3.bytes.in", uint64(1048576)},
		{17, "s3.cnt.put", uint64(1)},
		{17, "ct.additionaleventdata", `{"SignatureVersion":"SigV4","CipherSuite":"TLS_AES_128_GCM_SHA256","bytesTransferredIn":1048576.0,"AuthenticationMethod":"AuthHeader","x-amz-id-2":"856+4hsHOXTcaaHb+OlV7ypjaBZurFOY77xmk6dcapVlk2o6Po0zZ0+KjBo54C+yiuZWl/yT8n/t","bytesTransferredOut":0.0}`},
		// Declared as ct.request.documentname, matched as ...documentName.
		{3, "ct.request.documentname", nil},
	})
}

// EXPECTED.md section 3: json on k8s_audit events.
func TestExpectedJSONOnK8sAudit(t *testing.T) {
	reg, states := setup(t, k8sAudit, jsonPlugin)
	bus := newBus(t, reg, states, map[string]string{"k8s_audit": eventsPath("k8saudit", "audit.log")})
	checkClaims(t, bus, "k8s_audit", 23, []claim{
		{2, "json.value[/user/username]", "jane.doe@example.com"},
		{1, "json.value[user/username]", "jane.doe@example.com"},
		{8, "json.value[/responseStatus/code]", "403"},
		{2, "json.value[/requestObject/spec/containers/0/securityContext/privileged]", "true"},
		{2, "json.value[/requestObject/spec/volumes/1/hostPath/path]", "/var/run/docker.sock"},
		{2, "json.value[/annotations/authorization.k8s.io~1decision]", "allow"},
		{2, "json.value[/requestObject/metadata/creationTimestamp]", "null"},
		{5, "json.value[/user/extra/authentication.kubernetes.io~1pod-name/0]", "payments-api-7d9f8c6b5-x2k4q"},
		{12, "json.value[/requestObject/roleRef/name]", "cluster-admin"},
		{12, "json.value[/requestObject/subjects/0/namespace]", "ci"},
		{20, "json.value[/impersonatedUser/username]", "system:serviceaccount:payments:payments-api"},
		{21, "json.value[/sourceIPs]", `["10.0.4.23","10.0.0.12"]`},
		{21, "json.value[/sourceIPs/1]", "10.0.0.12"},
		{21, "json.value[/sourceIPs/5]", nil},
		{3, "json.value[/objectRef]", `{"resource":"pods","namespace":"payments","name":"debug-shell","apiVersion":"v1","subresource":"exec"}`},
		{9, "json.value[/objectRef/name]", nil},
		{9, "json.value[/objectRef]", nil},
		{1, "json.value[/]", nil},
		{1, "json.value[/stageTimestamp]", "2024-11-19T14:02:11.345678Z"},
		{1, "json.rawtime", "1732024931345678000"},
	})
}

// EXPECTED.md section 3: json on aws_cloudtrail events (cloudtrail and
// json only: json serves a single source here).
func TestExpectedJSONOnCloudTrail(t *testing.T) {
	reg, states := setup(t, cloudTrail, jsonPlugin)
	bus := newBus(t, reg, states, map[string]string{"aws_cloudtrail": eventsPath("cloudtrail")})
	checkClaims(t, bus, "aws_cloudtrail", 17, []claim{
		{1, "json.value[/additionalEventData/MFAUsed]", "Yes"},
		{2, "json.value[/additionalEventData/MFAUsed]", "No"},
		{11, "json.value[/additionalEventData/MFAIdentifier]", nil},
		{11, "json.value[/userIdentity/userName]", nil},
		{5, "json.value[/requestParameters/bucketName]", "acme-prod-invoices"},
		{1, "json.value[/requestParameters]", "null"},
		{1, "json.value[/requestParameters/bucketName]", nil},
		{3, "json.value[/sessionCredentialFromConsole]", "true"},
		{6, "json.value[/readOnly]", "true"},
		{7, "json.value[/requestParameters/durationSeconds]", "3600"},
		{17, "json.value[/additionalEventData/bytesTransferredIn]", "1048576.0"},
		{17, "json.value[/additionalEventData/bytesTransferredOut]", "0.0"},
		{1, "json.rawtime", "1732024682000000000"},
	})
}

// EXPECTED.md section 2.2: cloudtrail is a pull instance; its batches end
// at the Insight record (TIMEOUT, with the events before it) and at EOF,
// and the host must deliver the events that come with either code.
func TestExpectedCloudTrailBatches(t *testing.T) {
	_, states := setup(t, cloudTrail)
	src, err := capability.NewSource(states[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		want []int
	}{
		{eventsPath("cloudtrail", "trail.json"), []int{6, 7}},
		{eventsPath("cloudtrail", "trail.json.gz"), []int{4}},
		{eventsPath("cloudtrail"), []int{6, 11}},
	} {
		st, err := src.Open(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		var sizes []int
		for {
			err := st.Next(context.Background(), func(b *capability.Batch) error {
				sizes = append(sizes, b.Len())
				return nil
			})
			if errors.Is(err, capability.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		st.Close()
		if !slices.Equal(sizes, tc.want) {
			t.Errorf("%s: batches %v, want %v", tc.path, sizes, tc.want)
		}
	}
}
