#!/bin/sh
# Turns the version the binary embeds (`git describe --tags --always --dirty`)
# into the forms the package formats accept:
#   version.sh deb VERSION   Debian version, e.g. v1.2.0-3-gabc1234-dirty -> 1.2.0+3.gabc1234.dirty
#   version.sh win VERSION   three numbers for Windows resources and NSIS, e.g. 1.2.0
# A build-number-only describe (no tag yet, just a commit) becomes 0.0.0~gitN.SHA, where N is
# the commit count (GIT_COUNT, else `git rev-list --count HEAD`) so later builds sort higher.
set -eu
kind=${1:?usage: version.sh deb|win VERSION}
v=${2:?usage: version.sh deb|win VERSION}

dirty=""
case $v in *-dirty) dirty=1; v=${v%-dirty} ;; esac

case $v in
[vV][0-9]* | [0-9]*)
	v=${v#[vV]}
	# TAG-N-gSHA: N commits after TAG, so it must sort after TAG ("+").
	post=$(printf '%s\n' "$v" | sed -n 's/^.*-\([0-9][0-9]*\)-\(g[0-9a-f][0-9a-f]*\)$/\1.\2/p')
	if [ -n "$post" ]; then
		v=$(printf '%s\n' "$v" | sed 's/-[0-9][0-9]*-g[0-9a-f][0-9a-f]*$//')
	fi
	# A hyphen left in the tag is a pre-release (v2.0.0-rc1), which sorts before the release ("~").
	base=$(printf '%s\n' "$v" | tr '-' '~' | tr -cd '0-9A-Za-z.+~')
	nums=$(printf '%s\n' "$v" | sed -n 's/^\([0-9][0-9]*\(\.[0-9][0-9]*\)\{0,2\}\).*/\1/p')
	;;
*)
	count=${GIT_COUNT:-$(git rev-list --count HEAD 2>/dev/null || echo 0)}
	base="0.0.0~git${count}.$(printf '%s' "$v" | tr -cd '0-9a-f')"
	post=""
	nums=0.0.0
	;;
esac

case $kind in
deb)
	out=$base
	if [ -n "$post" ]; then out="$out+$post"; fi
	if [ -n "$dirty" ]; then
		case $out in *+*) out="$out.dirty" ;; *) out="$out+dirty" ;; esac
	fi
	printf '%s\n' "$out"
	;;
win)
	# Pad to three numbers: NSIS appends the fourth.
	while [ "$(printf '%s' "$nums" | tr -cd '.' | wc -c)" -lt 2 ]; do nums="$nums.0"; done
	printf '%s\n' "$nums"
	;;
*)
	echo "version.sh: unknown kind $kind (want deb or win)" >&2
	exit 2
	;;
esac
