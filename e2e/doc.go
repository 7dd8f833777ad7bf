// Package e2e holds end-to-end tests: official Falco plugins (k8saudit,
// cloudtrail, json, dummy) built from the Go module proxy, streaming the
// event files of testdata/events through the loader, registry and eventbus.
//
// Every test is skipped under -short, since the official plugins are built
// (and cached) on first use.
package e2e
