#!/usr/bin/env bash
# Installs the system packages the demo and the tests need, once. Idempotent: a package
# that is already there is not fetched again, so a second run costs a few dpkg queries.
set -euo pipefail

# libjson-perl: the JSON module the storage plugin decodes the listing with (from_json).
# clang, zlib1g-dev: NativeAOT builds (scripts/publish.sh). dpkg-dev, lintian: the Debian
# package (scripts/package-deb.sh: dpkg-shlibdeps for Depends, lintian must be clean).
# iptables: the kernel connection limit in front of the emulator (tests/integration/Peers/Netfilter).
# golang-go and the two -dev packages: the Go toolchain and govmomi's simulator library, built into
# the vcsim peer (tests/peers/vcsim/build.sh).
packages=(fuse3 qemu-utils curl perl libjson-perl python3-pyvmomi openssl clang zlib1g-dev dpkg-dev lintian iptables
  golang-go golang-github-vmware-govmomi-dev golang-github-google-uuid-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: missing packages (${missing[*]}) and not root to install them" >&2
    exit 1
  fi
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v dotnet >/dev/null || { echo "error: the .NET SDK (dotnet) is not on PATH" >&2; exit 1; }
