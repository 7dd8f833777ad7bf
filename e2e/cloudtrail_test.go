package e2e

import (
	"context"
	"errors"
	"testing"

	"github.com/plughost/plughost/capability"
)

// TestCloudTrailFiles streams testdata/events/cloudtrail through cloudtrail
// v0.17.1, whose open params are a local path (anything but s3:// or
// sqs://): a .json or .json.gz file, or a directory walked in lexical
// order. Init config is "{}" (all defaults; nothing AWS is contacted in
// file mode).
//
// trail.json holds 14 records; Records[6] is an AwsCloudTrailInsight,
// which the plugin skips, so 13 events. trail.json.gz holds 4. The
// directory gives both files, trail.json first: 17.
//
// Expected values follow the plugin's extraction code, quirks included:
//   - ct.user is userIdentity.userName for Root and IAMUser, the session
//     issuer's userName for AssumedRole, and the literal "AWSAccount" for
//     AWSAccount; the Root console login has no userName, so no value;
//   - ct.originaluser is the session name (last part of the arn) for
//     AssumedRole;
//   - ct.sessioncredentialfromconsole is "false" although the records say
//     "true": they hold a JSON string, and the plugin reads a JSON bool;
//   - s3.bytes is bytesTransferredIn + bytesTransferredOut, float values
//     included (1048576.0 in trail.json.gz); s3.cnt.get is 1 for GetObject
//     and no value otherwise;
//   - ec2.imageids lists the image of each instance in responseElements.
func TestCloudTrailFiles(t *testing.T) {
	all := append(append([]row(nil), ctTrailWant...), ctTrailGzWant...)
	for _, tc := range []struct {
		name string
		path string
		want []row
	}{
		{"trail.json", eventsPath("cloudtrail", "trail.json"), ctTrailWant},
		{"trail.json.gz", eventsPath("cloudtrail", "trail.json.gz"), ctTrailGzWant},
		{"directory", eventsPath("cloudtrail"), all},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg, states := setup(t, cloudTrail)
			bus := newBus(t, reg, states, map[string]string{"aws_cloudtrail": tc.path})
			got := record(t, bus, "aws_cloudtrail", ctFields)
			info := record(t, bus, "aws_cloudtrail", []string{"ct.id", "ct.info"})
			if err := run(t, bus); err != nil {
				t.Fatal(err)
			}
			checkRows(t, "aws_cloudtrail", ctFields, *got, tc.want)
			// ct.info: "<user> via <srcip> [!]<→ write|← read> <name>" plus
			// the size and the S3 URI, bucket or host when present.
			wantInfo := map[string]string{
				"0bf7add1-4532-4ea0-861c-b147b3e09d36": "alice via 203.0.113.10 → ConsoleLogin",
				"3dc26e33-dd75-4a47-8935-74ae5cc330ac": "app-invoice-reader via 10.20.4.118 ← GetObject Size=48213 URI=s3://acme-prod-invoices/2024/11/INV-000123.pdf",
				"b77fe39c-3f4e-4305-87e8-964d1cd2a40c": "ci-deploy via 34.228.91.15 !→ StopLogging",
				"6f4956ef-18b8-4c08-aafe-f4b1b97be82d": "<invalid cloudtrail event: userIdentity field missing>",
				"3fd255c7-2e65-4370-889e-f2d80f12ca3a": "svc-backup via 192.0.2.77 ← ListBuckets Size=1187 Host=s3.amazonaws.com",
				"6f5473ef-9cf8-4e9a-9e15-3e0843e12046": "svc-backup via 192.0.2.77 → PutObject Size=1048576 URI=s3://acme-prod-invoices/backups/db-dump-20241119.sql.gz",
			}
			checked := 0
			for _, r := range *info {
				if want, ok := wantInfo[r.Values[0].(string)]; ok {
					checked++
					if r.Values[1] != want {
						t.Errorf("%s: ct.info = %s, want %q", r.Values[0], show(r.Values[1]), want)
					}
				}
			}
			t.Logf("%d events, %d ct.info values checked", len(*got), checked)
		})
	}
}

// TestCloudTrailCapabilityAPI reads trail.json.gz with the lower-level
// capability API: Source.Open / Stream.Next, Extractor.ExtractBatch on
// each lent batch, progress at EOF and event_to_string.
func TestCloudTrailCapabilityAPI(t *testing.T) {
	_, states := setup(t, cloudTrail)
	src, err := capability.NewSource(states[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Open(eventsPath("cloudtrail", "nosuch")); err == nil {
		t.Fatal("Open of a missing path succeeded")
	} else {
		t.Logf("Open(nosuch): %v", err)
	}
	st, err := src.Open(eventsPath("cloudtrail", "trail.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fields := []string{"ct.id", "ct.name", "s3.bytes", "ct.user"}
	x, err := capability.NewExtractor(states[0], "aws_cloudtrail", fields, capability.ExtractOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()

	type got struct {
		num      uint64
		ts       uint64
		id, name string
		bytes    any
		user     string
		text     string
	}
	var events []got
	for {
		err := st.Next(context.Background(), func(b *capability.Batch) error {
			res, err := x.ExtractBatch(b)
			if err != nil {
				return err
			}
			for i := 0; i < b.Len(); i++ {
				ev := b.Event(i)
				text, _ := st.EventToString(ev)
				events = append(events, got{ev.Num(), ev.Ts(), res.Value(i, 0).String(0), res.Value(i, 1).String(0),
					res.Value(i, 2).Any(), res.Value(i, 3).String(0), text})
			}
			return nil
		})
		if errors.Is(err, capability.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(events) != len(ctTrailGzWant) {
		t.Fatalf("got %d events, want %d", len(events), len(ctTrailGzWant))
	}
	for i, e := range events {
		w := ctTrailGzWant[i]
		if e.num != uint64(i+1) || e.ts != w.ts || e.id != w.values[0] || e.name != w.values[2] || e.bytes != w.values[21] || e.user != w.values[6] {
			t.Errorf("event %d = %+v, want ts %d, ct.id %v, ct.name %v, s3.bytes %v, ct.user %v", i+1, e, w.ts, w.values[0], w.values[2], w.values[21], w.values[6])
		}
	}
	// event_to_string: "<region> <user> <short source> <name> <ct.info>".
	if want := "us-east-1 alice iam CreateAccessKey alice via 203.0.113.10 → CreateAccessKey"; events[0].text != want {
		t.Errorf("event_to_string = %q, want %q", events[0].text, want)
	}
	pct, text, ok, err := st.Progress()
	if err != nil || !ok || pct != 10000 || text != "100.00% - 1/1 files" {
		t.Errorf("Progress at EOF = %d, %q, %v, %v; want 10000, \"100.00%% - 1/1 files\"", pct, text, ok, err)
	}
}

var ctFields = []string{
	"ct.id",
	"ct.time",
	"ct.name",
	"ct.shortsrc",
	"ct.region",
	"ct.srcip",
	"ct.user",
	"ct.originaluser",
	"ct.user.identitytype",
	"ct.user.accountid",
	"ct.user.arn",
	"ct.error",
	"ct.readonly",
	"ct.managementevent",
	"ct.eventtype",
	"ct.eventcategory",
	"ct.request.username",
	"ct.request.name",
	"ct.sessioncredentialfromconsole",
	"s3.bucket",
	"s3.uri",
	"s3.bytes",
	"s3.cnt.get",
	"ec2.imageids",
}

var ctTrailWant = []row{
	// Records[0]
	{ts: 1732024682000000000, values: []any{
		"0bf7add1-4532-4ea0-861c-b147b3e09d36", "2024-11-19T13:58:02Z", "ConsoleLogin", "signin", "us-east-1",
		"203.0.113.10", "alice", "alice", "IAMUser", "123456789012", "arn:aws:iam::123456789012:user/alice", nil,
		"false", "true", "AwsConsoleSignIn", "Management", nil, nil, nil, nil, nil, nil, nil, nil,
	}},
	// Records[1]
	{ts: 1732024780000000000, values: []any{
		"618db1b7-b3e2-4ec4-8dbb-7344e1a8c4e8", "2024-11-19T13:59:40Z", "ConsoleLogin", "signin", "us-east-1",
		"198.51.100.23", "bob", "bob", "IAMUser", "123456789012", nil, nil, "false", "true", "AwsConsoleSignIn",
		"Management", nil, nil, nil, nil, nil, nil, nil, nil,
	}},
	// Records[2]
	{ts: 1732024897000000000, values: []any{
		"7a60d95a-27dc-4389-b3a4-1c23741b4592", "2024-11-19T14:01:37Z", "CreateUser", "iam", "us-east-1",
		"203.0.113.10", "alice", "alice", "IAMUser", "123456789012", "arn:aws:iam::123456789012:user/alice", nil,
		"false", "true", "AwsApiCall", "Management", "svc-backup", nil, "false", nil, nil, nil, nil, nil,
	}},
	// Records[3]
	{ts: 1732024925000000000, values: []any{
		"32cc04af-2f21-4a3d-810e-4c356d258655", "2024-11-19T14:02:05Z", "AttachUserPolicy", "iam", "us-east-1",
		"203.0.113.10", "alice", "alice", "IAMUser", "123456789012", "arn:aws:iam::123456789012:user/alice", nil,
		"false", "true", "AwsApiCall", "Management", "svc-backup", nil, "false", nil, nil, nil, nil, nil,
	}},
	// Records[4]
	{ts: 1732025211000000000, values: []any{
		"b0adfca2-0be0-46cc-9480-f13504d2b457", "2024-11-19T14:06:51Z", "PutBucketPolicy", "s3", "eu-west-1",
		"203.0.113.10", "alice", "alice", "IAMUser", "123456789012", "arn:aws:iam::123456789012:user/alice", nil,
		"false", "true", "AwsApiCall", "Management", nil, nil, nil, "acme-prod-invoices", nil, uint64(221), nil,
		nil,
	}},
	// Records[5]
	{ts: 1732025250000000000, values: []any{
		"3dc26e33-dd75-4a47-8935-74ae5cc330ac", "2024-11-19T14:07:30Z", "GetObject", "s3", "eu-west-1",
		"10.20.4.118", "app-invoice-reader", "i-0f3c2b1a9d8e7f601", "AssumedRole", "123456789012",
		"arn:aws:sts::123456789012:assumed-role/app-invoice-reader/i-0f3c2b1a9d8e7f601", nil, "true", "false",
		"AwsApiCall", "Data", nil, nil, nil, "acme-prod-invoices",
		"s3://acme-prod-invoices/2024/11/INV-000123.pdf", uint64(48213), uint64(1), nil,
	}},
	// Records[7]
	{ts: 1732025538000000000, values: []any{
		"91de6958-80cd-4bbd-a18e-ad2e86488a25", "2024-11-19T14:12:18Z", "AssumeRole", "sts", "us-east-1",
		"198.51.100.61", "AWSAccount", nil, "AWSAccount", "210987654321", nil, nil, "true", "true", "AwsApiCall",
		"Management", nil, nil, nil, nil, nil, nil, nil, nil,
	}},
	// Records[8]
	{ts: 1732025695000000000, values: []any{
		"b3c7cba9-9533-433a-9430-62a096f0d865", "2024-11-19T14:14:55Z", "RunInstances", "ec2", "eu-west-1",
		"198.51.100.61", "PartnerSupportAccess", "partner-support-kw", "AssumedRole", "123456789012",
		"arn:aws:sts::123456789012:assumed-role/PartnerSupportAccess/partner-support-kw", nil, "false", "true",
		"AwsApiCall", "Management", nil, nil, nil, nil, nil, nil, nil,
		[]string{"ami-0c1f5a3e8b9d27461", "ami-0c1f5a3e8b9d27461"},
	}},
	// Records[9]
	{ts: 1732025707000000000, values: []any{
		"b77fe39c-3f4e-4305-87e8-964d1cd2a40c", "2024-11-19T14:15:07Z", "StopLogging", "cloudtrail", "us-east-1",
		"34.228.91.15", "ci-deploy", "gh-actions-8812", "AssumedRole", "123456789012",
		"arn:aws:sts::123456789012:assumed-role/ci-deploy/gh-actions-8812", "AccessDenied", "false", "true",
		"AwsApiCall", "Management", nil, "management-events", nil, nil, nil, nil, nil, nil,
	}},
	// Records[10]
	{ts: 1732025924000000000, values: []any{
		"baa9356e-e128-4ff5-a569-c803fc0eb387", "2024-11-19T14:18:44Z", "GetCallerIdentity", "sts", "us-west-2",
		"192.0.2.77", "svc-backup", "svc-backup", "IAMUser", "123456789012",
		"arn:aws:iam::123456789012:user/svc-backup", nil, "true", "true", "AwsApiCall", "Management", nil, nil,
		nil, nil, nil, nil, nil, nil,
	}},
	// Records[11]
	{ts: 1732026012000000000, values: []any{
		"6f4956ef-18b8-4c08-aafe-f4b1b97be82d", "2024-11-19T14:20:12Z", "ConsoleLogin", "signin", "us-east-1",
		"192.0.2.200", nil, nil, "Root", "123456789012", "arn:aws:iam::123456789012:root", nil, "false", "true",
		"AwsConsoleSignIn", "Management", nil, nil, nil, nil, nil, nil, nil, nil,
	}},
	// Records[12]
	{ts: 1732026150000000000, values: []any{
		"13ffd577-c44f-43a4-bc82-be1daedd6097", "2024-11-19T14:22:30Z", "StopLogging", "cloudtrail", "us-east-1",
		"192.0.2.200", "acme-prod", "acme-prod", "Root", "123456789012", "arn:aws:iam::123456789012:root", nil,
		"false", "true", "AwsApiCall", "Management", nil,
		"arn:aws:cloudtrail:us-east-1:123456789012:trail/management-events", "false", nil, nil, nil, nil, nil,
	}},
	// Records[13]
	{ts: 1732026185000000000, values: []any{
		"e414372f-4239-468a-b7e0-a1c4ba6a4b0f", "2024-11-19T14:23:05Z", "DeleteTrail", "cloudtrail", "us-east-1",
		"192.0.2.200", "acme-prod", "acme-prod", "Root", "123456789012", "arn:aws:iam::123456789012:root", nil,
		"false", "true", "AwsApiCall", "Management", nil,
		"arn:aws:cloudtrail:us-east-1:123456789012:trail/management-events", "false", nil, nil, nil, nil, nil,
	}},
}

var ctTrailGzWant = []row{
	// Records[0]
	{ts: 1732024990000000000, values: []any{
		"0f6e7744-a11d-40a3-97c5-b2d96da54313", "2024-11-19T14:03:10Z", "CreateAccessKey", "iam", "us-east-1",
		"203.0.113.10", "alice", "alice", "IAMUser", "123456789012", "arn:aws:iam::123456789012:user/alice", nil,
		"false", "true", "AwsApiCall", "Management", "svc-backup", nil, "false", nil, nil, nil, nil, nil,
	}},
	// Records[1]
	{ts: 1732025062000000000, values: []any{
		"d92406fb-0e04-46fe-ab66-097f150bd037", "2024-11-19T14:04:22Z", "DeactivateMFADevice", "iam", "us-east-1",
		"203.0.113.10", "alice", "alice", "IAMUser", "123456789012", "arn:aws:iam::123456789012:user/alice", nil,
		"false", "true", "AwsApiCall", "Management", "bob", nil, "false", nil, nil, nil, nil, nil,
	}},
	// Records[2]
	{ts: 1732025879000000000, values: []any{
		"3fd255c7-2e65-4370-889e-f2d80f12ca3a", "2024-11-19T14:17:59Z", "ListBuckets", "s3", "us-east-1",
		"192.0.2.77", "svc-backup", "svc-backup", "IAMUser", "123456789012",
		"arn:aws:iam::123456789012:user/svc-backup", nil, "true", "true", "AwsApiCall", "Management", nil, nil,
		nil, nil, nil, uint64(1187), nil, nil,
	}},
	// Records[3]
	{ts: 1732025971000000000, values: []any{
		"6f5473ef-9cf8-4e9a-9e15-3e0843e12046", "2024-11-19T14:19:31Z", "PutObject", "s3", "eu-west-1",
		"192.0.2.77", "svc-backup", "svc-backup", "IAMUser", "123456789012",
		"arn:aws:iam::123456789012:user/svc-backup", nil, "false", "false", "AwsApiCall", "Data", nil, nil, nil,
		"acme-prod-invoices", "s3://acme-prod-invoices/backups/db-dump-20241119.sql.gz", uint64(1048576), nil, nil,
	}},
}
