// Package e2e drives the real built binary: headless commands and the window under Xvfb.
// Its tests need the build tag e2e and STORMDESK_BIN pointing at the binary (`make test-e2e`);
// the packaging tests (tag dist, `make test-dist`) build, install and run the .deb and check the
// Windows installer's signature.
package e2e
