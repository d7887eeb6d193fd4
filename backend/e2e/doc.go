// Package e2e drives the real built binary: headless commands and the window under Xvfb.
// Its tests need the build tag e2e and STORMDESK_BIN pointing at the binary (`make test-e2e`).
package e2e
