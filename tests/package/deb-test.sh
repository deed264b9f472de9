#!/usr/bin/env bash
# The Debian package end to end (CI runs it from scripts/test.sh; root, /dev/fuse):
#   1. lintian reports nothing; the control fields carry the one version and the relations;
#   2. dpkg, in a temporary root (dpkg --root): the package takes the place of a stand-in
#      pve-esxi-import-tools while a stand-in of the storage plugin's package keeps its
#      versioned relation satisfied (by our Provides), and gives it back again;
#   3. through the installed paths, as the plugin runs them, against the emulated host:
#      listvms.py → the plugin's decoding (Perl from_json) and manifest file → esxi-folder-fuse
#      started by the plugin's launch steps (Perl harness) → qemu-img reads two disks (one with
#      non-ASCII names) whose SHA-256 must equal the host's bytes → unmount as the plugin does
#      (stop: SIGTERM; then umount).
#
#   tests/package/deb-test.sh DEB EMULATOR     (EMULATOR: the esxi-emulator executable)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
deb=$(realpath "${1:?usage: deb-test.sh DEB EMULATOR}")
emulator=$(realpath "${2:?usage: deb-test.sh DEB EMULATOR}")
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props")
libexec=usr/libexec/pve-esxi-import-tools

work=$(mktemp -d /tmp/esxi-deb-test.XXXXXX)
chmod 0755 "$work"
root=$work/root
mnt=$work/mnt
emulator_pid="" tool_pid=""
cleanup() {
  [ -n "$tool_pid" ] && kill -TERM "$tool_pid" 2>/dev/null && sleep 1
  mountpoint -q "$mnt" 2>/dev/null && umount -l "$mnt"
  [ -n "$tool_pid" ] && kill -KILL "$tool_pid" 2>/dev/null
  [ -n "$emulator_pid" ] && kill -TERM "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

started=$SECONDS
fail() { echo "deb-test: FAILED: $*" >&2; exit 1; }
step() { echo "== [$((SECONDS - started)) s] $*"; }
expect() { [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"; }

step "lintian $(basename "$deb")"
findings=$(lintian "$deb" 2>&1 | grep -v '^running with root privileges' || true)
[ -z "$findings" ] || fail "lintian:
$findings"

step "control fields"
field() { dpkg-deb -f "$deb" "$1"; }
expect Package "$(field Package)" esxi-import-tools
expect Version "$(field Version)" "$version"
expect Provides "$(field Provides)" "pve-esxi-import-tools (= $version)"
expect Conflicts "$(field Conflicts)" pve-esxi-import-tools
expect Replaces "$(field Replaces)" pve-esxi-import-tools
[[ ", $(field Depends), " == *", fuse3, "* ]] || fail "Depends lacks fuse3: $(field Depends)"

step "dpkg --root: in place of pve-esxi-import-tools, and back"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
rdpkg() { dpkg --root="$root" --log=/dev/null "$@"; }
stand_in() {  # NAME VERSION "RELATION-LINES" [FILES under usr/libexec/pve-esxi-import-tools]
  local dir=$work/stand-in-$1
  mkdir -p "$dir/DEBIAN"
  printf 'Package: %s\nVersion: %s\nArchitecture: all\nMaintainer: test <test@esxi-import.example>\n%sDescription: stand-in %s\n' \
    "$1" "$2" "$3" "$1" >"$dir/DEBIAN/control"
  shift 3
  for f in "$@"; do
    install -D -m 0755 /dev/stdin "$dir/$libexec/$f" <<<'#!/bin/sh
echo upstream'
  done
  dpkg-deb --root-owner-group --build "$dir" "$dir.deb" >/dev/null
  echo "$dir.deb"
}
upstream=$(stand_in pve-esxi-import-tools "$version" "" listvms.py esxi-folder-fuse)
# The storage plugin's package (libpve-storage-perl) recommends pve-esxi-import-tools (>= 0.6.0);
# dpkg checks Depends only, so the stand-in depends on it.
plugin=$(stand_in libpve-storage-perl-stand-in 9.1.7 "Depends: pve-esxi-import-tools (>= 0.6.0)
")
rdpkg -i "$upstream" >/dev/null
rdpkg -i "$plugin" >/dev/null
# Our own Depends (libc6, fuse3, libssl3) are not in the empty root: only they are forced.
rdpkg --force-depends -i "$deb" >/dev/null 2>&1 || fail "dpkg -i of the package into the root"
status() { dpkg-query --root="$root" -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | tr -d ' ' || true; }
expect "ours after install" "$(status esxi-import-tools)" ii
expect "pve-esxi-import-tools after install" "$(status pve-esxi-import-tools)" un
expect "plugin stand-in after install" "$(status libpve-storage-perl-stand-in)" ii
rdpkg --audit >/dev/null || fail "dpkg --audit"
for f in esxi-folder-fuse listvms.py; do
  head -c4 "$root/$libexec/$f" | grep -q ELF || fail "$libexec/$f is not our executable"
done
expect "esxi-folder-fuse --version" "$("$root/$libexec/esxi-folder-fuse" --version)" "$version"
expect "listvms.py --version" "$("$root/$libexec/listvms.py" --version)" "$version"
"$root/$libexec/listvms.py" --help | head -n1 | grep -q '^usage: ' || fail "listvms.py --help"

step "list → mount → checksum → unmount through the installed paths"
"$emulator" --scenario default >"$work/emulator.ready" 2>"$work/emulator.log" &
emulator_pid=$!
for _ in $(seq 300); do [ -s "$work/emulator.ready" ] && break; sleep 0.1; done
ready=$(head -n1 "$work/emulator.ready")
[ -n "$ready" ] || fail "the emulator did not start: $(cat "$work/emulator.log")"
json() { /usr/bin/python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$ready" "$1"; }
url=$(json url) user=$(json user)
port=${url##*:} port=${port%/}
(umask 077 && json password | tr -d '\n' >"$work/password")

# The plugin: run listvms.py, join its stdout lines with "\n", from_json, store the manifest.
perl "$repo/tests/integration/Listing/plugin_decode.pl" --manifest-out "$work/manifest.json" -- \
  "$root/$libexec/listvms.py" --skip-cert-verification --port "$port" 127.0.0.1 "$user" "$work/password" \
  >"$work/decoded" 2>"$work/listing.stderr" || fail "listing: $(cat "$work/listing.stderr")"
grep -Fqx "$(printf 'vm\tha-datacenter\tÜnïcode web #1\tLocal SSD (1)\tÜnïcode web #1 [prod]/Ünïcode web #1.vmx')" "$work/decoded" \
  || fail "the plugin did not decode the non-ASCII VM: $(cat "$work/decoded")"

mkdir -p "$mnt"
verdict=$(perl "$repo/tests/integration/plugin/esxi_mount_harness.pl" --variant today --timeout 120 \
  --skip-cert-verification --stderr "$work/tool.stderr" --user "$user" --password-file "$work/password" \
  "127.0.0.1:$port" "$work/manifest.json" "$mnt" -- "$root/$libexec/esxi-folder-fuse")
expect "plugin's verdict" "$verdict" ok
mountpoint -q "$mnt" || fail "nothing is mounted at $mnt"
for p in /proc/[0-9]*; do
  [ "$(readlink "$p/exe" 2>/dev/null)" = "$root/$libexec/esxi-folder-fuse" ] && tool_pid=${p#/proc/}
done
[ -n "$tool_pid" ] || fail "the installed esxi-folder-fuse is not running"

check_disk() {  # DATASTORE DESCRIPTOR FLAT
  local through from
  qemu-img convert -f vmdk -O raw "$mnt/ha-datacenter/$1/$2" "$work/disk.raw"
  through=$(sha256sum "$work/disk.raw" | cut -d' ' -f1)
  rm -f "$work/disk.raw"
  from=$(curl -sSfk -u "$user:$(cat "$work/password")" \
    "${url}folder/$(/usr/bin/python3 -c 'import sys, urllib.parse as u; print(u.quote(sys.argv[1]) + "?dcPath=ha-datacenter&dsName=" + u.quote(sys.argv[2], safe=""))' "$3" "$1")" \
    | sha256sum | cut -d' ' -f1)
  expect "SHA-256 of $1/$2 through the mount" "$through" "$from"
  echo "   $1/$2: $through"
}
check_disk datastore1 db01/db01.vmdk db01/db01-flat.vmdk
check_disk "Local SSD (1)" "Ünïcode web #1 [prod]/Ünïcode web #1.vmdk" "Ünïcode web #1 [prod]/Ünïcode web #1-flat.vmdk"

# The plugin unmounts (esxi_unmount) by stopping the tool's scope (SIGTERM, waiting for the
# exit), then umount of the mount path.
kill -TERM "$tool_pid"
for _ in $(seq 100); do kill -0 "$tool_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$tool_pid" 2>/dev/null && fail "esxi-folder-fuse still runs 10 s after SIGTERM"
tool_pid=""
# As upstream's tool, ours leaves its (dead) mount on SIGTERM for exactly that umount, which the
# plugin runs outside an eval: it must succeed.
mountpoint -q "$mnt" || fail "the tool unmounted itself on SIGTERM; the plugin's following umount would fail (not mounted)"
/bin/umount "$mnt" || fail "the plugin's umount after SIGTERM failed"
mountpoint -q "$mnt" && fail "still mounted"

rdpkg --force-depends -r esxi-import-tools >/dev/null 2>&1
rdpkg -i "$upstream" >/dev/null
expect "pve-esxi-import-tools back" "$(status pve-esxi-import-tools)" ii
[[ "$(status esxi-import-tools)" =~ ^(un)?$ ]] || fail "ours still installed after dpkg -r: $(status esxi-import-tools)"
[ "$("$root/$libexec/listvms.py")" = upstream ] || fail "upstream's files are not back"

step "package test passed"
