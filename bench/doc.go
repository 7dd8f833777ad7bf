// Package bench holds the benchmarks behind BENCHMARKS.md: the host's
// sourcing and extraction path against a C harness that calls the same
// plugin through dlopen with no host (the floor). Every benchmark reports
// ns/event (b.N counts events) so benchstat compares them directly.
package bench
