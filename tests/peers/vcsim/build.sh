#!/usr/bin/env bash
# Builds the vcsim peer (main.go here + govmomi's simulator package from Debian's
# golang-github-vmware-govmomi-dev) offline, in GOPATH mode with no module proxy, and prints the
# binary's path on stdout. The binary is cached under a key made of this folder's sources and the
# versions of the Go and govmomi packages, so a second run costs a hash and a stat; the Go build
# cache beside it makes a rebuild after a source change take seconds instead of a minute.
#
#   tests/peers/vcsim/build.sh            # build if needed, print the path
#   VCSIM_PEER_CACHE=DIR tests/peers/vcsim/build.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

packages=(golang-go golang-github-vmware-govmomi-dev golang-github-google-uuid-dev)
versions=$(dpkg-query -W -f='${Package}=${Version}\n' "${packages[@]}" 2>/dev/null) || {
  echo "error: the vcsim peer needs ${packages[*]}; run scripts/install-deps.sh" >&2
  exit 1
}
go=$(command -v go || echo /usr/lib/go/bin/go)
[ -x "$go" ] || { echo "error: go not found (golang-go)" >&2; exit 1; }

# Style is part of the gate here too: the sources must be as gofmt leaves them.
unformatted=$("$(dirname "$go")/gofmt" -l "$here")
[ -z "$unformatted" ] || { echo "error: gofmt would change: $unformatted (run gofmt -w)" >&2; exit 1; }

cache=${VCSIM_PEER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/esxi-import/vcsim-peer}
key=$({ printf '%s\n' "$versions"; "$go" version; cat "$here"/*.go "$here"/build.sh; } | sha256sum | cut -c1-16)
binary="$cache/$key/vcsim-peer"

if [ ! -x "$binary" ]; then
  mkdir -p "$cache/$key"
  gopath=$(mktemp -d)
  trap 'rm -rf "$gopath"' EXIT
  started=$(date +%s)
  echo "building the vcsim peer (govmomi $(dpkg-query -W -f='${Version}' golang-github-vmware-govmomi-dev))..." >&2
  # GOPATH mode: imports resolve in /usr/share/gocode (Debian's Go libraries), nothing is fetched.
  (cd "$here" && GO111MODULE=off GOPROXY=off GOFLAGS= GOPATH="$gopath:/usr/share/gocode" \
    GOCACHE="$cache/go-build" CGO_ENABLED=0 \
    "$go" build -trimpath -o "$binary.tmp" .)
  mv "$binary.tmp" "$binary"
  # Binaries of other keys untouched for a week go (another checkout may still use a recent one);
  # the Go build cache stays: it makes rebuilds fast.
  find "$cache" -mindepth 1 -maxdepth 1 -type d ! -name go-build ! -name "$key" -mtime +7 -exec rm -rf {} +
  echo "built the vcsim peer in $(($(date +%s) - started)) s: $binary" >&2
fi
touch "$cache/$key" # in use: keeps it from the pruning above
echo "$binary"
