# plughost developer targets. `make help` lists them.
#
# Fixture plugins (C, Go SDK and official ones) are built by
# ./internal/fixtures/cmd/fixtures and cached in $PLUGHOST_FIXTURE_CACHE, or
# in <user cache dir>/plughost/fixtures. The first build of an official
# plugin downloads it from the Go module proxy.

SHELL       := bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help

GO       ?= go
# Build outputs (binaries, benchstat) and reports (bench.txt); both gitignored.
BIN      ?= $(CURDIR)/bin
OUT      ?= $(CURDIR)/out
FUZZTIME ?= 30s
# The first test run builds official plugins from the Go module proxy.
TEST_TIMEOUT ?= 25m
# Extra go test flags for test-nocgo.
TEST_NOCGO_FLAGS ?=

FIXTURES    := $(GO) run ./internal/fixtures/cmd/fixtures
PLUGINCHECK := $(BIN)/plugincheck

# Plugins the demo checks. init_echo requires an init config with a "name",
# so it is checked on its own with --init-config.
DEMO_VALID_C    := full source_only extract_only
DEMO_ECHO_C     := init_echo
DEMO_GOSDK      := gocounter
DEMO_OFFICIAL   := dummy@v0.11.5
DEMO_BROKEN_C   := api_major_mismatch missing_get_name caps_two_broken \
                   fields_no_desc source_reserved_syscall

# Extra flags for the valid run, e.g. `make demo DEMO_STREAM_FLAGS='--events 5'`
# to stream from every sourcing plugin there too (the demo has its own
# streaming step, after the init_echo run).
DEMO_STREAM_FLAGS ?=

.PHONY: help
help:
	@cat <<'EOF'
	Targets:
	  demo          pluginrun: official k8saudit rules over the bundled audit log; then plugincheck's demo
	  demo-pluginrun    just the pluginrun part
	  demo-plugincheck  just plugincheck: check valid and broken plugins
	  test          go test -race -count=1 ./..., then test-nocgo   (timeout $(TEST_TIMEOUT) each)
	  test-short    go test -short -count=1 ./...  (no race detector, no official plugins)
	  test-nocgo    CGO_ENABLED=0 go test ./...    (tests that build C fixtures still need cc)
	  bench         benchmarks (-count 6; plugincheck whole-process -count 3) into $(OUT), then benchstat
	  fuzz          each fuzz target for FUZZTIME (default $(FUZZTIME))
	  vet           go vet ./...
	  fmt           list files gofmt would change; fails if any
	  build-nocgo   CGO_ENABLED=0 go build ./... and every command under cmd/
	  clean-cache   remove the fixture plugin cache
	  clean         remove $(BIN) and $(OUT)
	EOF

# ---------------------------------------------------------------------------
# Demo

PLUGINRUN      := $(BIN)/pluginrun
DEMO_AUDIT_LOG := testdata/events/rules/audit.log

.PHONY: demo
demo: demo-pluginrun demo-plugincheck

# pluginrun: the official k8saudit and json plugins, with the rules file
# k8saudit v0.18.0 ships (read from the Go module cache), over the bundled
# audit log: Falco's alerts, then Falco's statistics.
.PHONY: demo-pluginrun
demo-pluginrun:
	@echo "== building the official k8saudit and json plugins (cached) and pluginrun"
	out=$$($(FIXTURES) official k8saudit@v0.18.0 json@v0.7.4); mapfile -t libs <<<"$$out"
	mkdir -p $(BIN)/plugins
	ln -sf "$${libs[0]}" $(BIN)/plugins/libk8saudit.so
	ln -sf "$${libs[1]}" $(BIN)/plugins/libjson.so
	rules_dir=$$($(FIXTURES) module k8saudit@v0.18.0)/rules
	$(GO) build -o $(PLUGINRUN) ./cmd/pluginrun
	echo
	echo "== pluginrun -c examples/pluginrun/falco.yaml -r k8s_audit_rules.yaml over $(DEMO_AUDIT_LOG)"
	PLUGHOST_AUDIT_LOG=$(DEMO_AUDIT_LOG) $(PLUGINRUN) -c examples/pluginrun/falco.yaml \
	  --plugins-dir $(BIN)/plugins -r "$$rules_dir/k8s_audit_rules.yaml"

.PHONY: demo-plugincheck
demo-plugincheck:
	@echo "== building fixture plugins (cached; the first run fetches and builds official plugins)"
	out=$$($(FIXTURES) c $(DEMO_VALID_C));        mapfile -t valid_c   <<<"$$out"
	out=$$($(FIXTURES) gosdk $(DEMO_GOSDK));      mapfile -t gosdk     <<<"$$out"
	out=$$($(FIXTURES) official $(DEMO_OFFICIAL)); mapfile -t official <<<"$$out"
	out=$$($(FIXTURES) c $(DEMO_ECHO_C));         mapfile -t echo_c    <<<"$$out"
	out=$$($(FIXTURES) c $(DEMO_BROKEN_C));       mapfile -t broken    <<<"$$out"
	echo "== building plugincheck into $(PLUGINCHECK)"
	$(GO) build -o $(PLUGINCHECK) ./cmd/plugincheck
	echo
	echo "== plugincheck: valid plugins ($(DEMO_VALID_C) $(DEMO_GOSDK) $(DEMO_OFFICIAL))"
	$(PLUGINCHECK) $(DEMO_STREAM_FLAGS) "$${valid_c[@]}" "$${gosdk[@]}" "$${official[@]}"
	echo
	echo "== plugincheck: $(DEMO_ECHO_C), whose init schema requires a name"
	$(PLUGINCHECK) --init-config '{"name":"demo"}' "$${echo_c[@]}"
	# Streaming: --events 5 opens each source and reads 5 events, extracting
	# every field that needs no argument (--open-params 5: 5 events from
	# either fixture).
	out=$$($(FIXTURES) c source_only);              mapfile -t stream_c  <<<"$$out"
	echo
	echo "== plugincheck --events 5 --open-params 5: stream from source_only and $(DEMO_GOSDK)"
	$(PLUGINCHECK) --events 5 --open-params 5 "$${stream_c[@]}" "$${gosdk[@]}"
	# A few fields per event, through the event bus (examples/streamfields).
	out=$$($(FIXTURES) gosdk gocounter goextract);  mapfile -t counter <<<"$$out"
	out=$$($(FIXTURES) official dummy@v0.11.5);     mapfile -t dummy   <<<"$$out"
	echo
	echo "== streamfields: gocounter with goextract, 5 events"
	$(GO) run ./examples/streamfields -n 5 -open-params 100 -fields gocounter.value,gocounter.even,gocounter.digits,goextract.square "$${counter[@]}"
	echo
	echo "== streamfields: the official dummy plugin, 5 events"
	$(GO) run ./examples/streamfields -n 5 -open-params '{"start":1,"maxEvents":100}' "$${dummy[@]}"
	# --filter and --output: the official k8saudit plugin reads the rule
	# tests' audit log (testdata/events/rules); a Falco condition counts the
	# privileged pods created and an output format prints each. The text
	# report's 100 field rows are left out here.
	out=$$($(FIXTURES) official k8saudit@v0.18.0);  mapfile -t k8saudit <<<"$$out"
	k8s_filter='ka.verb=create and ka.target.resource=pods and ka.req.pod.containers.privileged intersects (true)'
	k8s_output='%ka.user.name %ka.target.namespace %ka.target.name'
	k8s_args=(--events 100 --open-params testdata/events/rules/audit.log --filter "$$k8s_filter" --output "$$k8s_output")
	echo
	echo "== plugincheck --events 100 --open-params testdata/events/rules/audit.log --filter '$$k8s_filter' --output '$$k8s_output': k8saudit"
	$(PLUGINCHECK) "$${k8s_args[@]}" "$${k8saudit[@]}" |
	  awk '/^    NAME /{skip=1; n=0; next} skip && /^    /{n++; next} skip{print "    (" n " field rows left out)"; skip=0} {print}'
	echo
	echo "== the same with --format json --max-outputs 2: the plugin's stream object"
	$(PLUGINCHECK) --format json --max-outputs 2 "$${k8s_args[@]}" "$${k8saudit[@]}" | sed -n '/^      "stream": {/,/^      }/p'
	echo
	echo "== plugincheck: broken plugins ($(DEMO_BROKEN_C))"
	rc=0
	$(PLUGINCHECK) "$${broken[@]}" || rc=$$?
	if [[ $$rc -eq 1 ]]; then
	  echo "(exit 1 expected: broken fixtures)"
	else
	  echo "demo: plugincheck exited $$rc on the broken fixtures; want 1" >&2
	  exit 1
	fi

# ---------------------------------------------------------------------------
# Tests. testdata/goplugins is a separate module (Go SDK fixtures built by
# the tests); it has no tests of its own and ./... does not enter it.

.PHONY: test
# Every test twice: with cgo under the race detector, then built with
# CGO_ENABLED=0 (the race detector needs cgo). TestHostileMatrix builds
# plugincheck both ways itself, so the second pass skips it.
test:
	$(GO) test -race -count=1 -timeout $(TEST_TIMEOUT) ./...
	$(MAKE) --no-print-directory test-nocgo TEST_NOCGO_FLAGS='-skip ^TestHostileMatrix$$'

.PHONY: test-short
test-short:
	$(GO) test -short -count=1 -timeout $(TEST_TIMEOUT) ./...

# purego needs no cgo; tests that compile C fixtures still need a C compiler.
.PHONY: test-nocgo
test-nocgo:
	CGO_ENABLED=0 $(GO) test -count=1 -timeout $(TEST_TIMEOUT) $(TEST_NOCGO_FLAGS) ./...

# ---------------------------------------------------------------------------
# Benchmarks and fuzzing

.PHONY: bench
bench:
	@mkdir -p $(OUT)
	# The settings behind BENCHMARKS.md: b.N counts events.
	$(GO) test ./bench -run '^$$' -bench Noop -benchtime 2000000x -count 6 -benchmem | tee $(OUT)/bench.txt
	CGO_ENABLED=0 $(GO) test ./bench -run '^$$' -bench Noop -benchtime 2000000x -count 6 -benchmem | tee $(OUT)/bench-nocgo.txt
	$(GO) test ./bench -run '^$$' -bench Dummy -benchtime 100000x -count 4 -benchmem -timeout 60m | tee -a $(OUT)/bench.txt
	# Filters and outputs (BenchmarkFilters): per plugin and workload, host vs floor.
	$(GO) test ./bench -run '^$$' -bench 'Filters/plugin=noop' -benchtime 2000000x -count 6 -benchmem | tee $(OUT)/bench-filters.txt
	$(GO) test ./bench -run '^$$' -bench 'Filters/plugin=dummy' -benchtime 100000x -count 6 -benchmem | tee -a $(OUT)/bench-filters.txt
	$(GO) test ./bench -run '^$$' -bench 'Filters/plugin=k8saudit' -benchtime 20000x -count 6 -benchmem -timeout 60m | tee -a $(OUT)/bench-filters.txt
	# Whole processes, filter + output on 1M dummy events; impl=libsinsp
	# runs libsinsp's sinsp-example when $$SINSP_EXAMPLE names it.
	$(GO) test ./bench -run '^$$' -bench SinspExample -benchtime 1000000x -count 3 | tee $(OUT)/bench-sinsp.txt
	# Whole processes: plugincheck --events 50000000 --open-params 50000000
	# (built by the benchmark) against the floor harness, on bench_pair.
	$(GO) test ./bench -run '^$$' -bench Plugincheck -benchtime 50000000x -count 3 -benchmem | tee $(OUT)/bench-plugincheck.txt
	# Rules: the official k8saudit rules through the engine (library) and
	# through the pluginrun process; a filter Set from 1 to 100 rules.
	$(GO) test ./rules -run '^$$' -bench EngineK8sAudit -benchtime 2x -count 3 -timeout 60m | tee $(OUT)/bench-rules.txt
	$(GO) test ./bench -run '^$$' -bench Pluginrun -benchtime 100000x -count 3 -timeout 60m | tee -a $(OUT)/bench-rules.txt
	$(GO) test ./filter -run '^$$' -bench SetK8sAudit -count 3 -timeout 60m | tee -a $(OUT)/bench-rules.txt
	if command -v benchstat >/dev/null; then
	  benchstat=benchstat
	else
	  benchstat=$(BIN)/benchstat
	  if [[ ! -x $$benchstat ]]; then
	    echo "== installing benchstat into $(BIN)"
	    GOBIN=$(BIN) $(GO) install golang.org/x/perf/cmd/benchstat@latest
	  fi
	fi
	echo "== benchstat: host vs floor (cgo build)"
	$$benchstat -col /impl $(OUT)/bench.txt | tee $(OUT)/benchstat.txt
	echo "== benchstat: cgo vs CGO_ENABLED=0"
	$$benchstat $(OUT)/bench.txt $(OUT)/bench-nocgo.txt | tee -a $(OUT)/benchstat.txt
	echo "== benchstat: plugincheck --events, whole process (ns/event, floor-ns/event, host/floor)"
	$$benchstat $(OUT)/bench-plugincheck.txt | tee -a $(OUT)/benchstat.txt
	echo "== benchstat: filters and outputs, host vs floor"
	$$benchstat -col /impl $(OUT)/bench-filters.txt | tee -a $(OUT)/benchstat.txt
	echo "== benchstat: filter + output, whole process, plughost vs libsinsp sinsp-example"
	$$benchstat -col /impl $(OUT)/bench-sinsp.txt | tee -a $(OUT)/benchstat.txt

.PHONY: fuzz
fuzz:
	@list=$$($(GO) test -list '^Fuzz' ./...)
	targets=$$(awk '/^Fuzz/ { names = names " " $$1 } /^ok / { if (names != "") print $$2 names; names = "" }' <<<"$$list")
	if [[ -z $$targets ]]; then echo "no fuzz targets"; exit 0; fi
	while read -r pkg names; do
	  for name in $$names; do
	    echo "== fuzz $$pkg $$name ($(FUZZTIME))"
	    $(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) "$$pkg"
	  done
	done <<<"$$targets"

# ---------------------------------------------------------------------------
# Static checks and builds

.PHONY: vet
vet:
	$(GO) vet ./...

.PHONY: fmt
fmt:
	@echo "gofmt -l ."
	files=$$(gofmt -l .)
	if [[ -n $$files ]]; then
	  echo "gofmt would change:"; echo "$$files"; exit 1
	fi

.PHONY: build-nocgo
build-nocgo:
	@echo "CGO_ENABLED=0 go build ./..."
	CGO_ENABLED=0 $(GO) build ./...
	for dir in cmd/*/; do
	  echo "CGO_ENABLED=0 go build -o $(BIN)/nocgo/ ./$$dir"
	  CGO_ENABLED=0 $(GO) build -o $(BIN)/nocgo/ ./$$dir
	done

# ---------------------------------------------------------------------------
# Cleaning

# The fixture cache: $PLUGHOST_FIXTURE_CACHE, else os.UserCacheDir()/plughost/fixtures.
.PHONY: clean-cache
clean-cache:
	@dir=$${PLUGHOST_FIXTURE_CACHE:-}
	if [[ -z $$dir ]]; then
	  case $$(uname -s) in
	    Darwin) base=$$HOME/Library/Caches ;;
	    *)      base=$${XDG_CACHE_HOME:-$$HOME/.cache} ;;
	  esac
	  dir=$$base/plughost/fixtures
	fi
	echo "rm -rf $$dir"
	rm -rf "$$dir"

.PHONY: clean
clean:
	rm -rf $(BIN) $(OUT)
