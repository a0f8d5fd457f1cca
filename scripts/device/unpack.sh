#!/usr/bin/env bash
# On the GPU machine, in every command of a session: unpacks stage.sh's Node/Deno piece when a
# command carries it (.carry/js-hosts.xz, checked against .carry/js-hosts.sha256), keeps the
# carried pieces of the browser bundle in /tmp (one command's carry holds one piece), and once
# every piece named in .carry/SHA256SUMS has arrived, checks them and unpacks the bundle into the
# repository. Exit status 0 when the bundle is unpacked (now or before), 3 while pieces are
# missing or none was carried, 1 when a piece does not match its checksum. WGSLRUN_PIECES moves
# the waiting room from /tmp.
set -euo pipefail
cd "$(dirname "$0")/../.."
pieces=${WGSLRUN_PIECES:-/tmp/wgslrun-pieces} # where the pieces wait between commands
if [ -f .carry/js-hosts.xz ] && [ ! -f .dev/.js-hosts-unpacked ]; then
  if ! (cd .carry && sha256sum --quiet -c js-hosts.sha256); then
    echo "unpack.sh: .carry/js-hosts.xz does not match .carry/js-hosts.sha256: run stage.sh again" >&2
    exit 1
  fi
  xz -dc .carry/js-hosts.xz | tar -xf -
  touch .dev/.js-hosts-unpacked
  echo "unpack.sh: Node, dawn.node and Deno unpacked"
fi
[ -f .dev/.unpacked ] && exit 0
[ -f .carry/SHA256SUMS ] || { echo "unpack.sh: no bundle carried (.carry/SHA256SUMS missing)"; exit 3; }
mkdir -p "$pieces"
cp .carry/SHA256SUMS "$pieces/"
for piece in .carry/bundle.*; do [ -f "$piece" ] && cp "$piece" "$pieces/"; done
missing=$(cd "$pieces" && awk '{ print $2 }' SHA256SUMS | while read -r f; do [ -f "$f" ] || echo "$f"; done)
if [ -n "$missing" ]; then
  echo "unpack.sh: have $(cd "$pieces" && ls bundle.* | tr '\n' ' '); still missing: $(echo $missing)"
  exit 3
fi
if ! (cd "$pieces" && sha256sum --quiet -c SHA256SUMS); then
  echo "unpack.sh: a piece in $pieces does not match .carry/SHA256SUMS: run stage.sh again and carry every piece" >&2
  exit 1
fi
cat "$pieces"/bundle.* | xz -dc | tar -xf -
touch .dev/.unpacked
echo "unpack.sh: bundle unpacked ($(du -sh .dev | cut -f1) under .dev)"
