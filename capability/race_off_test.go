//go:build !race

package capability_test

const raceEnabled = false
