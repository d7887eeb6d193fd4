# Installable builds (issue #9), included by the Makefile: `make dist` writes into build/dist/
#   stormdesk-linux-amd64                   the Wails production binary (same as `make build`)
#   stormdesk_<version>_amd64.deb           Debian/Ubuntu package (nfpm, build/linux/nfpm.yaml)
#   stormdesk-windows-amd64.exe             cross-compiled with mingw-w64 (cgo for go-sqlite3)
#   stormdesk-windows-amd64-setup.exe       NSIS installer (build/windows/installer/project.nsi)
# The Windows files are Authenticode-signed when STORMDESK_SIGN_CERT + STORMDESK_SIGN_KEY or
# STORMDESK_SIGN_PKCS12 (+ STORMDESK_SIGN_PASSWORD) are set (build/windows/sign.sh); otherwise
# they are built unsigned and the build says so. macOS is built on a Mac: docs/packaging.md.

# Defaults for `make -f build/dist.mk`; the Makefile's own values win when it includes this.
GO      ?= go
GOBIN   ?= $(shell $(GO) env GOPATH)/bin
WAILS   ?= $(GOBIN)/wails
TAGS    ?= sqlite_fts5 webkit2_41
BIN     ?= build/bin/stormdesk
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse --short HEAD 2>/dev/null)
DATE    ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS ?= -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.date=$(DATE)

DIST_DIR      ?= build/dist
# nfpm.yaml names this folder: nfpm expands no variables in file paths.
DIST_STAGE    := build/dist/.stage
NFPM_VERSION  := v2.45.2
NFPM          := $(GOBIN)/nfpm
DEB_VERSION   = $(shell build/version.sh deb '$(VERSION)')
WIN_VERSION   = $(shell build/version.sh win '$(VERSION)')
# go-sqlite3 needs cgo, so the Windows build uses the mingw-w64 cross compiler.
WIN_CC        ?= x86_64-w64-mingw32-gcc
DIST_APT_PACKAGES := gcc-mingw-w64-x86-64 nsis osslsigncode openssl imagemagick dpkg xvfb xauth
ICON_SIZES    := 48 128 256 512
TESTCERT_DIR  := $(DIST_DIR)/testcert

.PHONY: dist dist-linux dist-deb dist-windows deps-dist dist-test-cert test-dist clean-dist

dist: dist-linux dist-deb dist-windows
	@echo "== $(DIST_DIR) (version $(VERSION), deb $(DEB_VERSION))"
	@cd $(DIST_DIR) && ls -l stormdesk-linux-amd64 stormdesk_*_amd64.deb stormdesk-windows-amd64.exe stormdesk-windows-amd64-setup.exe
	@if [ -z "$$STORMDESK_SIGN_CERT$$STORMDESK_SIGN_KEY$$STORMDESK_SIGN_PKCS12" ]; then \
	  echo "WARNING: Windows files are UNSIGNED (no STORMDESK_SIGN_CERT/STORMDESK_SIGN_KEY or STORMDESK_SIGN_PKCS12)"; fi

# Checks the cross compiler and packagers; installs them as root, else says what to run.
deps-dist:
	@missing=""; for p in $(DIST_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else echo "missing Debian packages:$$missing"; echo "run: sudo apt-get install$$missing"; exit 1; fi; \
	fi
	@$(GO) version -m $(NFPM) 2>/dev/null | grep -q "mod.*nfpm/v2.*$(NFPM_VERSION)" || $(GO) install github.com/goreleaser/nfpm/v2/cmd/nfpm@$(NFPM_VERSION)

dist-linux: build
	@mkdir -p $(DIST_DIR)
	cp $(BIN) $(DIST_DIR)/stormdesk-linux-amd64

dist-deb: dist-linux deps-dist
	@rm -rf $(DIST_STAGE) $(DIST_DIR)/stormdesk_*_amd64.deb && mkdir -p $(DIST_STAGE)
	cp $(BIN) $(DIST_STAGE)/stormdesk
	@for s in $(ICON_SIZES); do mkdir -p $(DIST_STAGE)/icons/$${s}x$${s} && \
	  convert build/appicon.png -resize $${s}x$${s} $(DIST_STAGE)/icons/$${s}x$${s}/stormdesk.png || exit 1; done
	DIST_DEB_VERSION='$(DEB_VERSION)' \
	  $(NFPM) package --config build/linux/nfpm.yaml --packager deb --target $(DIST_DIR)/
	@rm -rf $(DIST_STAGE)

# `build` first: it builds the frontend and bindings, which the Windows build then reuses (-s -skipbindings).
# Wails' own installer (build/bin/*-installer.exe) holds the unsigned exe; package.sh makes the real one.
dist-windows: build deps-dist
	CGO_ENABLED=1 CC=$(WIN_CC) $(WAILS) build -platform windows/amd64 -nsis -s -skipbindings \
	  -tags "$(filter-out webkit2_41,$(TAGS))" -ldflags "$(LDFLAGS)" -o stormdesk.exe
	build/windows/package.sh build/bin/stormdesk.exe $(DIST_DIR) '$(WIN_VERSION)'

# A throwaway self-signed code-signing certificate (PEM and PKCS#12) for the tests.
dist-test-cert:
	@mkdir -p $(TESTCERT_DIR)
	openssl req -x509 -newkey rsa:3072 -sha256 -nodes -days 2 -subj "/CN=Stormdesk Test Code Signing" \
	  -addext "keyUsage=critical,digitalSignature" -addext "extendedKeyUsage=codeSigning" \
	  -keyout $(TESTCERT_DIR)/key.pem -out $(TESTCERT_DIR)/cert.pem 2>/dev/null
	openssl pkcs12 -export -inkey $(TESTCERT_DIR)/key.pem -in $(TESTCERT_DIR)/cert.pem \
	  -passout pass:stormdesk-test -out $(TESTCERT_DIR)/cert.p12

# Installs the .deb on this machine (root) and runs it headless and under Xvfb; checks the signatures.
test-dist: dist dist-test-cert
	STORMDESK_DIST_DIR=$(abspath $(DIST_DIR)) STORMDESK_TESTCERT_DIR=$(abspath $(TESTCERT_DIR)) \
	  $(GO) test -tags "$(TAGS) dist" -count=1 -v -timeout 20m ./backend/e2e/

clean-dist:
	rm -rf $(DIST_DIR) build/bin/stormdesk.exe build/bin/stormdesk-amd64-installer.exe build/windows/installer/tmp
