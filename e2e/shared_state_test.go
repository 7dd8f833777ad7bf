package e2e

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSharedExtractorStateAcrossSources: json extracts from every source.
// When one json state served both the k8s_audit and aws_cloudtrail
// pipelines, their goroutines called plugin_extract_fields on the same
// ss_plugin_t concurrently, with event numbers restarting at 1 in each
// stream, while json caches its parsed event by event number: one source
// got the other's JSON. The bus now initializes a plugin once per source
// pipeline, as Falco does once per event source.
func TestSharedExtractorStateAcrossSources(t *testing.T) {
	skipShort(t)
	dir := t.TempDir()
	audit := filepath.Join(dir, "audit.log")
	trail := filepath.Join(dir, "trail")
	must(t, os.WriteFile(audit, []byte(`{"kind":"Event","apiVersion":"audit.k8s.io/v1","auditID":"k-1","stage":"ResponseComplete","verb":"get","stageTimestamp":"2024-11-19T14:00:00Z"}`+"\n"), 0o644))
	must(t, os.Mkdir(trail, 0o755))
	must(t, os.WriteFile(filepath.Join(trail, "t.json"), []byte(`{"Records":[{"eventTime":"2024-11-19T14:00:00Z","eventType":"AwsApiCall","eventID":"c-1"}]}`), 0o644))

	reg, states := setup(t, k8sAudit, cloudTrail, jsonPlugin)
	bus := newBus(t, reg, states, map[string]string{"k8s_audit": audit, "aws_cloudtrail": trail})
	k8s := record(t, bus, "k8s_audit", []string{"ka.auditid", "json.value[/auditID]"})
	ct := record(t, bus, "aws_cloudtrail", []string{"ct.id", "json.value[/eventID]"})
	if err := run(t, bus); err != nil {
		t.Fatal(err)
	}
	if len(*k8s) != 1 || len(*ct) != 1 {
		t.Fatalf("got %d k8s_audit and %d aws_cloudtrail events, want 1 and 1", len(*k8s), len(*ct))
	}
	for _, r := range [][]any{(*k8s)[0].Values, (*ct)[0].Values} {
		if r[0] != r[1] {
			t.Errorf("json extracted %s where the source plugin extracted %s: the json state answered from another source's event", show(r[1]), show(r[0]))
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
