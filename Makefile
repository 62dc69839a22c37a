# Dossier — build, run and check. Two commands on a fresh Debian/Ubuntu
# machine: `make run` and `make test`.

GO        ?= go
TAGS      := migrated_fynedo
BIN       := bin
DATA      ?=
# Packages that run without cgo: everything but the desktop's main.
PURE      := $(shell $(GO) list ./... 2>/dev/null | grep -v '/cmd/dossier$$')
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
# The one version, from FyneApp.toml, stamped into every program
# (internal/version; its default is the same, so a plain go build agrees).
VERSION   := $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
LDFLAGS   := -X dossier/internal/version.Version=$(VERSION)
# How long the first (cold) build of cmd/dossier takes on 2 cores, as
# measured (docs/testing.md, "Start-up").
COLD_BUILD := 3 to 4 minutes
# Every log line the suite's servers write, read afterwards for secrets.
TESTLOG   := $(CURDIR)/$(BIN)/test-logs.jsonl

# What cgo needs to build the Fyne window (go-gl and GLFW), poppler's
# pdftotext, which the tests read printed PDFs with, and xdg-utils, whose
# xdg-open the app opens a PDF in the person's viewer with.
APT_PACKAGES := gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev \
	libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev poppler-utils xdg-utils

.PHONY: run build package package-deps package-test test test-postgres pg-suite bench bench-push-postgres bench-side load crash race vulncheck fuzz fuzz-short lint deps vet generate clean print-shots screenshots

## run: install what is missing, build, and open the desktop app
run: deps build
	./$(BIN)/dossier $(if $(DATA),--data $(DATA))

## build: every program under cmd/ into bin/, naming each package as it
## compiles it; the first build says first that it is the long one
build:
	@if [ "$$($(GO) list -tags $(TAGS) -f '{{.Stale}}' github.com/go-gl/glfw/v3.3/glfw 2>/dev/null)" != false ]; then \
	  echo "first build: compiling Go's standard library and the OpenGL and GLFW C bindings (cgo)"; \
	  echo "  about $(COLD_BUILD) on 2 cores; later builds take seconds. Each package is named as it is compiled:"; \
	fi
	$(GO) build -v -tags $(TAGS) -ldflags "$(LDFLAGS)" -o $(BIN)/ ./cmd/...

# What make package needs besides the desktop build's packages: the
# MinGW-w64 C compiler for dossier.exe, zip and xz; and what make
# package-test runs the installers with: Wine, Xvfb, xdotool, the X
# screenshot tools and curl.
PACKAGE_APT := gcc-mingw-w64-x86-64 zip xz-utils
PACKAGE_TEST_APT := wine64 gcc-mingw-w64-x86-64 unzip xvfb xdotool x11-apps netpbm curl ca-certificates

## package: every installer into dist/: the desktop app for Linux
## (.tar.xz by fyne package, .deb), dossierd and dossierctl as a .deb with
## a systemd unit, and a Windows .zip (dossier.exe cross-built with cgo and
## MinGW-w64); installs its own tools (packaging/build.sh)
package:
	@$(MAKE) --no-print-directory deps APT_PACKAGES="$(APT_PACKAGES) $(PACKAGE_APT)"
	VERSION=$(VERSION) GO=$(GO) packaging/build.sh

## package-test: install, run and remove what make package made, for real
## (root: dpkg, a dossierd user, /healthz over TLS, the app under Xvfb,
## the Windows programs under Wine), then leave the machine as it was
## (packaging/test.sh)
package-test:
	@$(MAKE) --no-print-directory deps APT_PACKAGES="$(PACKAGE_TEST_APT)"
	VERSION=$(VERSION) packaging/test.sh

## test: every test, the UI ones headless without cgo, and the patched
## bbolt's and gofpdf's (third_party/*/PATCHED.md), then build every
## program, then the PostgreSQL suite (skipped, loudly, without PostgreSQL)
test: deps
	@mkdir -p $(BIN) && rm -f $(TESTLOG)
	DOSSIER_TEST_LOG=$(TESTLOG) CGO_ENABLED=0 $(GO) test -tags $(TAGS) -count=1 $(PURE)
	$(GO) vet -tags $(TAGS) ./...
	cd third_party/bbolt && CGO_ENABLED=0 $(GO) test -count=1 . && $(GO) vet .
	cd third_party/gofpdf && CGO_ENABLED=0 $(GO) test -count=1 . && $(GO) vet .
	$(MAKE) build
	DOSSIER_TEST_LOG=$(TESTLOG) $(MAKE) --no-print-directory test-postgres
	@DOSSIER_SCAN_LOG=$(TESTLOG) CGO_ENABLED=0 $(GO) test -count=1 -v -run 'TestLogsHoldNoSecrets' ./internal/testlog/ \
	  > $(BIN)/logscan.log 2>&1; rc=$$?; grep -v '^=== RUN' $(BIN)/logscan.log; exit $$rc

## test-postgres: the server store's suite on PostgreSQL — store/postgres,
## dossierd --db, and the whole sync suite against dossierd on PostgreSQL —
## on DOSSIER_TEST_POSTGRES, or on a throw-away cluster when PostgreSQL is
## installed (scripts/postgres)
test-postgres:
	@if [ -n "$$DOSSIER_TEST_POSTGRES" ]; then \
	  $(MAKE) --no-print-directory pg-suite; \
	elif ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  dir=$$(mktemp -d) && chmod 755 $$dir && url=$$(scripts/postgres start $$dir/pg) || exit 1; \
	  DOSSIER_TEST_POSTGRES=$$url $(MAKE) --no-print-directory pg-suite; rc=$$?; \
	  scripts/postgres stop $$dir/pg; rm -rf $$dir; exit $$rc; \
	else \
	  echo "*** SKIPPED: the PostgreSQL suite — PostgreSQL is not installed here."; \
	  echo "*** scripts/postgres start DIR installs it and prints a URL for DOSSIER_TEST_POSTGRES. ***"; \
	fi

pg-suite:
	CGO_ENABLED=0 $(GO) test -tags $(TAGS) -count=1 ./store/postgres/... ./cmd/dossierd/
	DOSSIER_TEST_BACKEND=postgres CGO_ENABLED=0 $(GO) test -tags $(TAGS) -count=1 ./sync/client/
	DOSSIER_TEST_BACKEND=postgres CGO_ENABLED=0 $(GO) test -tags '$(TAGS) slow' -count=1 -run Random ./sync/client/

## bench: the store's figures on a 100,000-request demo profile, first
## side by side with the SQLite reference (bench/sqlite) in one table
bench: bench-side
	CGO_ENABLED=0 $(GO) test -tags $(TAGS) -run '^$$' -bench 'Demo|Open|Page|EVN|Name|Verify' -benchmem -benchtime 1s ./store/programs/
	CGO_ENABLED=0 $(GO) test -tags $(TAGS) -run '^$$' -bench 'NameSortCold|NameSortNeverSorted' -benchtime 5x ./store/programs/
	CGO_ENABLED=0 $(GO) test -tags $(TAGS) -run '^$$' -bench 'KeyDerivation' -benchtime 10x ./store/programs/
	CGO_ENABLED=0 $(GO) test -tags $(TAGS) -run '^$$' -bench 'OfficerFiles10k$$|RepresentativeFiles10k' -benchmem -benchtime 20x ./store/applications/
	CGO_ENABLED=0 $(GO) test -tags $(TAGS) -run '^$$' -bench 'VerifyAudit' -benchmem ./store/
	CGO_ENABLED=0 $(GO) test -tags $(TAGS) -run '^$$' -bench 'InitialSync' -benchtime 1x ./sync/client/
	CGO_ENABLED=0 $(GO) test -tags $(TAGS) -run '^$$' -bench 'SecondDesk' -benchtime 500x ./sync/client/
	CGO_ENABLED=0 $(GO) test -tags $(TAGS) -run '^$$' -bench 'ServerPush50' -benchtime 1x ./sync/client/
	CGO_ENABLED=0 $(GO) test -tags $(TAGS) -run '^$$' -bench 'ServerPush200' -benchtime 3x ./sync/client/
	@$(MAKE) --no-print-directory bench-push-postgres
	CGO_ENABLED=0 $(GO) test -tags $(TAGS) -run '^$$' -bench 'UnderAttack' -benchtime 1x ./cmd/dossierd/
	CGO_ENABLED=0 $(GO) test -tags $(TAGS) -run '^$$' -bench 'CheckForErrors' -benchmem ./domain/oinp/
	CGO_ENABLED=0 $(GO) test -tags $(TAGS) -run '^$$' -bench 'Attach10MB' -benchmem -benchtime 10x ./store/applications/
	CGO_ENABLED=0 $(GO) test -tags $(TAGS) -run '^$$' -bench 'MoveBetweenTabs' -benchmem ./ui/
	CGO_ENABLED=0 $(GO) test -tags $(TAGS) -run '^$$' -bench 'PopulateCompliance' -benchtime 1x ./store/programs/
	CGO_ENABLED=0 $(GO) test -tags $(TAGS) -run '^$$' -bench 'ComplianceList10k|QueueExport100k|NominationLetter' -benchtime 3x ./report/

## bench-push-postgres: BenchmarkServerPush200 (closed, and paced at
## 5,000 commands/s) on PostgreSQL, then paced at 1,000/s, a rate it
## carries — on DOSSIER_TEST_POSTGRES, or on a throw-away cluster when
## PostgreSQL is installed (scripts/postgres)
bench-push-postgres:
	@run='DOSSIER_TEST_BACKEND=postgres CGO_ENABLED=0 $(GO) test -tags $(TAGS) -run ^$$ -bench ServerPush200 -benchtime 1x ./sync/client/ && \
	  DOSSIER_TEST_BACKEND=postgres DOSSIER_PUSH_RATE=1000 CGO_ENABLED=0 $(GO) test -tags $(TAGS) -run ^$$ -bench ServerPush200Paced -benchtime 1x ./sync/client/'; \
	if [ -n "$$DOSSIER_TEST_POSTGRES" ]; then \
	  eval "$$run"; \
	elif ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  dir=$$(mktemp -d) && chmod 755 $$dir && url=$$(scripts/postgres start $$dir/pg) || exit 1; \
	  export DOSSIER_TEST_POSTGRES=$$url; eval "$$run"; rc=$$?; \
	  scripts/postgres stop $$dir/pg; rm -rf $$dir; exit $$rc; \
	else \
	  echo "*** SKIPPED: BenchmarkServerPush200 on PostgreSQL — PostgreSQL is not installed here."; \
	fi

## bench-side: Dossier and the SQLite reference (bench/sqlite, a module of
## its own that needs cgo) on the same 100,000 requests, each figure run
## on one side then the other, SIDE_ROUNDS times (each side's demo built
## once and kept in bin/bench-cache meanwhile), then one table of
## medians: figure | Dossier | SQLite | ratio
SIDE_FIGURES := EVNLookup FirstPage NamePrefix Verify OpenFirstPage
SIDE_ROUNDS  ?= 5
SIDE_TIME    ?= 0.5s
bench-side:
	@mkdir -p $(BIN) && rm -rf $(BIN)/bench-dossier.txt $(BIN)/bench-sqlite.txt $(BIN)/bench-cache
	cd bench/sqlite && $(GO) test -c -o $(CURDIR)/$(BIN)/sqlite-bench.test .
	CGO_ENABLED=0 $(GO) test -c -tags $(TAGS) -o $(BIN)/dossier-bench.test ./store/programs/
	@for i in $$(seq $(SIDE_ROUNDS)); do \
	  echo "side by side: round $$i of $(SIDE_ROUNDS)"; \
	  for f in $(SIDE_FIGURES); do \
	    (cd store/programs && DOSSIER_BENCH_CACHE=$(CURDIR)/$(BIN)/bench-cache/dossier $(CURDIR)/$(BIN)/dossier-bench.test \
	      -test.run '^$$' -test.bench "^Benchmark$$f\$$" -test.benchtime $(SIDE_TIME)) >> $(BIN)/bench-dossier.txt || exit 1; \
	    (cd bench/sqlite && DOSSIER_BENCH_CACHE=$(CURDIR)/$(BIN)/bench-cache/sqlite $(CURDIR)/$(BIN)/sqlite-bench.test \
	      -test.run '^$$' -test.bench "^Benchmark$$f\$$" -test.benchtime $(SIDE_TIME)) >> $(BIN)/bench-sqlite.txt || exit 1; \
	  done; \
	done; rm -rf $(BIN)/bench-cache
	cd bench/sqlite && $(GO) run ./cmd/benchtable $(CURDIR)/$(BIN)/bench-dossier.txt $(CURDIR)/$(BIN)/bench-sqlite.txt

## fuzz: every fuzz target for FUZZTIME (2m) each, one after another; a
## crash stops the run and leaves its input under the package's
## testdata/fuzz/FuzzName, where it stays as a regression test (scripts/fuzz
## tells Go 1.26's own end-of-run deadline race, go.dev/issue/75804, from a
## crash)
FUZZTIME ?= 2m
# Every fuzz target, as package:FuzzName (seed corpora in each package's
# testdata/fuzz).
FUZZ_TARGETS := \
	domain:FuzzParseClientID domain:FuzzParseID domain:FuzzParseDate domain:FuzzTypedText domain:FuzzStripInvisible \
	domain/ens:FuzzParseEVN domain/account:FuzzParsePIN domain/printcode:FuzzParseCode \
	domain/employer:FuzzParseBN domain/employer:FuzzReadSignedForm \
	domain/oinp:FuzzReadFile domain/oinp:FuzzSniffType domain/oinp:FuzzParseWages \
	sync:FuzzWireDecode sync:FuzzHLC sync:FuzzMergeFields store/programs:FuzzCommandPayloads

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
	  echo "== $${t#*:} ($${t%%:*}) for $(FUZZTIME)"; \
	  GO=$(GO) scripts/fuzz $${t%%:*} $${t#*:} $(FUZZTIME) -tags $(TAGS); \
	done

## fuzz-short: every fuzz target for 10 s (what CI runs: under 3 minutes)
fuzz-short:
	@$(MAKE) --no-print-directory fuzz FUZZTIME=10s

## print-shots: the first page of every printed document, EN and FR, as
## PNG under docs/screenshots/print (from the report package's demo records)
print-shots:
	rm -rf $(BIN)/print && mkdir -p $(BIN)/print docs/screenshots/print
	CGO_ENABLED=0 $(GO) test -tags $(TAGS) -count=1 -run TestWriteDemoPDFs ./report/ -pdfdir $(CURDIR)/$(BIN)/print
	for f in $(BIN)/print/*.pdf; do \
	  pdftoppm -png -r 70 -f 1 -l 1 -singlefile $$f docs/screenshots/print/$$(basename $${f%.pdf}); done

## screenshots: every screen and dialog, EN and FR, from the real window
## under Xvfb at 1024×768, into docs/screenshots: builds the app (cgo),
## installs Xvfb and the X screenshot tools, and runs its screenshot tour
## (scripts/screenshots)
screenshots: deps
	VERSION=$(VERSION) GO=$(GO) scripts/screenshots

## load: the server's load test, bounded (15 minutes each): 200 desks each
## pushing 500 commands and pulling, against two dossierd on one PostgreSQL
## (a throw-away cluster, or a fresh database on DOSSIER_TEST_POSTGRES's
## server), one killed and restarted mid-run; then the same against one
## dossierd on its bbolt file. Each run ends proving every acknowledged
## command is on the server exactly once and every desk converged. It
## builds only the two programs it runs (no cgo).
load:
	CGO_ENABLED=0 $(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o $(BIN)/ ./cmd/dossierd ./cmd/dossierload
	@dir=$$(mktemp -d) && chmod 755 $$dir && url=$$(scripts/postgres start $$dir/pg) || exit 1; \
	  ./$(BIN)/dossierload --store postgres --db "$$url"; rc=$$?; \
	  scripts/postgres stop $$dir/pg; rm -rf $$dir; [ $$rc -eq 0 ]
	./$(BIN)/dossierload --store bbolt

## crash: the crash loops, DOSSIER_CRASH_LOOPS kills each (500 by default):
## a desk's profile under random user actions, then dossierd on its bbolt
## file under a desk's pushes, each SIGKILLed at random moments and checked
## after every restart
crash:
	@mkdir -p $(BIN); DOSSIER_CRASH_LOOPS=$${DOSSIER_CRASH_LOOPS:-500} CGO_ENABLED=0 $(GO) test -tags '$(TAGS) crash' -count=1 -v \
	  -timeout 40m -run 'TestDeskSurvivesKills|TestServerSurvivesKills' ./store/programs/ ./cmd/dossierd/ > $(BIN)/crash.log 2>&1; rc=$$?; \
	  grep -E '^(--- |ok|FAIL|panic)|kills|loop [0-9]+:' $(BIN)/crash.log; exit $$rc

## race: every package's tests under the race detector (it needs cgo)
race:
	$(GO) test -race -tags $(TAGS) -count=1 -timeout 30m $(PURE)
	cd third_party/bbolt && $(GO) test -race -count=1 -run 'Cold|Concurrency' .
	cd third_party/gofpdf && $(GO) test -race -count=1 .

## vulncheck: known vulnerabilities in the code's call graph (govulncheck;
## it needs vuln.go.dev, and says so loudly when it cannot reach it)
vulncheck:
	@out=$$($(GO) run golang.org/x/vuln/cmd/govulncheck@v1.1.4 -tags $(TAGS) ./... 2>&1); rc=$$?; \
	if echo "$$out" | grep -q 'fetching vulnerabilities'; then \
	  echo "*** SKIPPED: govulncheck cannot reach its database (vuln.go.dev) from this machine ***"; \
	else echo "$$out"; exit $$rc; fi

## lint: formatting, vet and staticcheck, all clean
lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	CGO_ENABLED=0 $(GO) vet -tags $(TAGS) $(PURE)
	CGO_ENABLED=0 $(GO) run $(STATICCHECK) -tags $(TAGS) $(PURE)

## generate: rebuild the translation catalog after editing translations/locales
generate:
	$(GO) generate ./translations

## deps: install the system packages the desktop build needs, if missing
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  sudo=""; [ "$$(id -u)" -ne 0 ] && sudo="sudo"; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

clean:
	rm -rf $(BIN) dist
