#!/bin/sh
# Authenticode-signs a Windows file in place with osslsigncode.
#   sign.sh FILE
# The certificate comes from the environment:
#   STORMDESK_SIGN_CERT + STORMDESK_SIGN_KEY       PEM certificate (chain) and private key files, or
#   STORMDESK_SIGN_PKCS12 [+ STORMDESK_SIGN_PASSWORD]  a PKCS#12 bundle;
#   STORMDESK_SIGN_PASSWORD also unlocks an encrypted PEM key.
#   STORMDESK_SIGN_TIMESTAMP_URL (optional) an RFC 3161 server, so signatures outlive the certificate.
# With none of them set the file stays unsigned, which is said on stderr; the exit code is still 0
# so a developer build works without a certificate. A half-set configuration is an error.
set -eu
file=${1:?usage: sign.sh FILE}
[ -f "$file" ] || { echo "sign.sh: $file: no such file" >&2; exit 1; }

cert=${STORMDESK_SIGN_CERT:-}
key=${STORMDESK_SIGN_KEY:-}
p12=${STORMDESK_SIGN_PKCS12:-}

if [ -z "$cert$key$p12" ]; then
	echo "UNSIGNED: $(basename "$file") is not Authenticode-signed (set STORMDESK_SIGN_CERT and STORMDESK_SIGN_KEY, or STORMDESK_SIGN_PKCS12)" >&2
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

set -- sign -h sha256 -n Stormdesk
if [ -n "$p12" ]; then
	[ -f "$p12" ] || { echo "sign.sh: STORMDESK_SIGN_PKCS12=$p12: no such file" >&2; exit 1; }
	set -- "$@" -pkcs12 "$p12"
else
	[ -n "$cert" ] && [ -n "$key" ] || { echo "sign.sh: set both STORMDESK_SIGN_CERT and STORMDESK_SIGN_KEY" >&2; exit 1; }
	[ -f "$cert" ] || { echo "sign.sh: STORMDESK_SIGN_CERT=$cert: no such file" >&2; exit 1; }
	[ -f "$key" ] || { echo "sign.sh: STORMDESK_SIGN_KEY=$key: no such file" >&2; exit 1; }
	set -- "$@" -certs "$cert" -key "$key"
fi
if [ -n "${STORMDESK_SIGN_PASSWORD:-}" ]; then
	# Through a private file, never the command line, which other users can read in ps.
	(umask 077 && printf '%s' "$STORMDESK_SIGN_PASSWORD" >"$tmp/pass")
	set -- "$@" -readpass "$tmp/pass"
fi
if [ -n "${STORMDESK_SIGN_TIMESTAMP_URL:-}" ]; then
	set -- "$@" -ts "$STORMDESK_SIGN_TIMESTAMP_URL"
fi

if ! osslsigncode "$@" -in "$file" -out "$tmp/signed" >"$tmp/log" 2>&1; then
	echo "sign.sh: signing $(basename "$file") failed:" >&2
	cat "$tmp/log" >&2
	exit 1
fi
mv "$tmp/signed" "$file"
echo "signed: $(basename "$file")"
