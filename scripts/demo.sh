#!/usr/bin/env bash
# The README's first command: sets everything up, then runs the whole import mount path on the
# built-in default scenario: an emulated ESXi host → the listing (manifest) → the FUSE mount
# (started the way the Proxmox plugin starts it, with --ready-fd) → list the tree, inspect and
# read a disk → unmount. Everything it starts is stopped again, also on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/install-deps.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "== building (Release)"
dotnet build EsxiImport.slnx -c Release -nologo -v:q >/dev/null

bin() { echo "$root/src/$1/bin/Release/net10.0/$2"; }
emulator=$(bin EsxiEmulator esxi-emulator)
listvms=$(bin EsxiListing esxi-listvms)
fuse=$(bin EsxiFuse esxi-folder-fuse)

work=$(mktemp -d /tmp/esxi-demo.XXXXXX)
mnt="$work/mnt"
mkdir -p "$mnt"
emulator_pid="" fuse_pid=""
cleanup() {
  [ -n "$fuse_pid" ] && kill -TERM "$fuse_pid" 2>/dev/null && wait "$fuse_pid" 2>/dev/null || true
  mountpoint -q "$mnt" 2>/dev/null && umount -l "$mnt" || true
  [ -n "$emulator_pid" ] && kill -TERM "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== starting the emulated ESXi host (scenario: default)"
"$emulator" --scenario default >"$work/emulator.ready" 2>"$work/emulator.log" &
emulator_pid=$!
for _ in $(seq 100); do [ -s "$work/emulator.ready" ] && break; sleep 0.1; done
ready=$(head -n1 "$work/emulator.ready")
echo "   $ready"
field() { /usr/bin/python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$ready" "$1"; }
url=$(field url); user=$(field user)
port=${url##*:}; port=${port%/}
umask 077
field password | tr -d '\n' >"$work/password"

echo "== listing VMs (esxi-listvms) → manifest.json"
"$listvms" --skip-cert-verification --port "$port" 127.0.0.1 "$user" "$work/password" >"$work/manifest.json"
/usr/bin/python3 - "$work/manifest.json" <<'PY'
import json, sys
for dc, d in json.load(open(sys.argv[1])).items():
    for vm, v in d["vms"].items():
        print("   %s: %r (%s, %d disk(s))" % (dc, vm, v.get("power"), len(v.get("disks", []))))
PY

echo "== mounting (esxi-folder-fuse, started as the plugin does, with --ready-fd)"
mkfifo "$work/ready.fifo"
"$fuse" --skip-cert-verification --user "$user" --password-file "$work/password" \
  -o allow_other --ready-fd 3 "127.0.0.1:$port" "$work/manifest.json" "$mnt" \
  3>"$work/ready.fifo" 2>"$work/fuse.stderr" &
fuse_pid=$!
ready_text=$(cat "$work/ready.fifo")
if [ -n "$ready_text" ] || ! kill -0 "$fuse_pid" 2>/dev/null; then
  echo "mount failed: ${ready_text:-process exited}" >&2
  cat "$work/fuse.stderr" >&2
  exit 1
fi
grep " $mnt " /proc/mounts | sed 's/^/   /'

echo "== the mounted tree"
(cd "$mnt" && find . -mindepth 1 | sort | sed 's/^/   /')

disk="$mnt/ha-datacenter/datastore1/db01/db01.vmdk"
echo "== qemu-img info of a disk through the mount"
qemu-img info "$disk" | sed 's/^/   /'

echo "== reading the whole disk through the mount (qemu-img convert) and comparing with the host's bytes"
qemu-img convert -f vmdk -O raw "$disk" "$work/disk.raw"
through_mount=$(sha256sum "$work/disk.raw" | cut -d' ' -f1)
rm -f "$work/disk.raw"
from_host=$(curl -sk -u "$user:$(cat "$work/password")" \
  "${url}folder/db01/db01-flat.vmdk?dcPath=ha-datacenter&dsName=datastore1" | sha256sum | cut -d' ' -f1)
echo "   through the mount: $through_mount"
echo "   straight from host: $from_host"
[ "$through_mount" = "$from_host" ] || { echo "error: the bytes differ" >&2; exit 1; }

echo "== unmounting (SIGTERM, then umount, as the plugin does)"
kill -TERM "$fuse_pid"; wait "$fuse_pid" || true; fuse_pid=""
umount "$mnt"
mountpoint -q "$mnt" && { echo "error: still mounted" >&2; exit 1; }
echo "demo finished: listed, mounted, read and unmounted the default scenario"
