#!/bin/sh
# Signs the Windows exe and wraps it in the NSIS installer, which is signed too.
#   package.sh EXE OUTDIR WINVERSION
# Needs build/windows/installer/wails_tools.nsh and tmp/MicrosoftEdgeWebview2Setup.exe, which
# `wails build -platform windows/amd64 -nsis` writes. Signing: see sign.sh.
# Writes OUTDIR/stormdesk-windows-amd64.exe and OUTDIR/stormdesk-windows-amd64-setup.exe.
set -eu
exe=${1:?usage: package.sh EXE OUTDIR WINVERSION}
out=${2:?usage: package.sh EXE OUTDIR WINVERSION}
winver=${3:?usage: package.sh EXE OUTDIR WINVERSION}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)

for f in "$here/installer/wails_tools.nsh" "$here/installer/tmp/MicrosoftEdgeWebview2Setup.exe"; do
	[ -f "$f" ] || { echo "package.sh: $f is missing: run wails build -platform windows/amd64 -nsis first" >&2; exit 1; }
done

# makensis runs sign.sh from the installer folder, so relative certificate paths are made absolute.
abs() { case $1 in "" | /*) printf '%s' "$1" ;; *) printf '%s/%s' "$PWD" "$1" ;; esac; }
STORMDESK_SIGN_CERT=$(abs "${STORMDESK_SIGN_CERT:-}")
STORMDESK_SIGN_KEY=$(abs "${STORMDESK_SIGN_KEY:-}")
STORMDESK_SIGN_PKCS12=$(abs "${STORMDESK_SIGN_PKCS12:-}")
export STORMDESK_SIGN_CERT STORMDESK_SIGN_KEY STORMDESK_SIGN_PKCS12

signing=""
if [ -n "${STORMDESK_SIGN_CERT:-}${STORMDESK_SIGN_KEY:-}${STORMDESK_SIGN_PKCS12:-}" ]; then signing=1; fi

cp "$exe" "$out/stormdesk-windows-amd64.exe"
# The installer must carry the signed exe, so it is signed before makensis packs it.
sh "$here/sign.sh" "$out/stormdesk-windows-amd64.exe"

set -- -V2 -DARG_WAILS_AMD64_BINARY="$out/stormdesk-windows-amd64.exe" -DINFO_PRODUCTVERSION="$winver" \
	-DOUTFILE="$out/stormdesk-windows-amd64-setup.exe"
if [ -n "$signing" ]; then set -- "$@" -DSIGN_SCRIPT="$here/sign.sh"; fi
(cd "$here/installer" && makensis "$@" project.nsi)
sh "$here/sign.sh" "$out/stormdesk-windows-amd64-setup.exe"

if [ -z "$signing" ]; then
	echo "WARNING: the Windows exe and installer in $out are UNSIGNED; Windows SmartScreen will warn users." >&2
fi
