#!/usr/bin/env bash
# FUSE layer throughput: sequential `dd bs=1M` of a 4 GiB generated file through the mount
# against the same bytes on tmpfs, plus 4 parallel readers; prints the ratios and the daemon's
# CPU seconds per GiB. Needs root (mount, tmpfs, read_ahead_kb).
#
#   bench/fuse/bench.sh                 4 GiB, 3 runs per row
#   SIZE_GIB=1 RUNS=1 bench/fuse/bench.sh
#
# The daemon is tests/FuseTestHost (fuse-test-host) built in Release; bench/fuse/bench.py does
# the measuring. Everything it mounts or starts is removed on exit, also on failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

SIZE_GIB=${SIZE_GIB:-4}
RUNS=${RUNS:-3}
work=$(mktemp -d /tmp/fuse-bench.XXXXXX)
cleanup() {
  set +e
  [ -n "${host_pid:-}" ] && kill "$host_pid" 2>/dev/null
  for m in "$work"/mnt-*; do [ -d "$m" ] && umount -l "$m" 2>/dev/null; done
  umount -l "$work/tmpfs" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build tests/FuseTestHost/FuseTestHost.csproj -c Release -nologo -v:q -o "$work/host" >/dev/null
mkdir -p "$work/tmpfs"
mount -t tmpfs -o size=$((SIZE_GIB + 1))G tmpfs "$work/tmpfs"

/usr/bin/python3 bench/fuse/bench.py --host "$work/host/fuse-test-host.dll" --work "$work" \
  --size-gib "$SIZE_GIB" --runs "$RUNS"
