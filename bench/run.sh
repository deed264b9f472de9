#!/usr/bin/env bash
# The one benchmark command: builds Release and dist/ (scripts/publish.sh, AOT and --jit),
# installs the peer tools, runs bench/peers/peers.sh
# (our mount vs curl, rclone, httpfs2, nbdkit; random reads; parallel readers; RSS; start-up)
# and every other bench/<area>/run.sh that exists (emulator, fuse, listing, mount, cache, ...),
# prints the tables and writes them to bench/results/<UTC date and time>.md.
# Needs root (FUSE mounts, dropping the page cache). Settings: see bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

only=${BENCH_ONLY:-}
if [ "$only" != startup ]; then
  echo "== installing the peers (rclone, httpfs2, nbdkit, libnbd-bin, nbdfuse) and the tools" >&2
  scripts/install-deps.sh >&2
  peers=(rclone httpfs2 nbdkit libnbd-bin nbdfuse)
  missing=()
  for p in "${peers[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
fi

echo "== building (Release; the shipped NativeAOT build and the JIT fallback with scripts/publish.sh)" >&2
for p in EsxiFuse EsxiEmulator EsxiListing; do
  dotnet build "src/$p/$p.csproj" -c Release -nologo -v:q >&2
done
scripts/publish.sh dist >/dev/null
scripts/publish.sh --jit dist/jit >/dev/null

mkdir -p bench/results
report="bench/results/$(date -u +%Y-%m-%dT%H%M)Z.md"
{
  echo "# Benchmark run $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), load average at start $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown). Peers: $(rclone version 2>/dev/null | head -n1), nbdkit $(nbdkit --version 2>/dev/null | cut -d' ' -f2), curl $(curl --version | head -n1 | cut -d' ' -f2), qemu-img $(qemu-img --version | head -n1 | cut -d' ' -f3)."
  echo "Everything runs on loopback against esxi-emulator, one measurement after the other in this one run."
  echo
  echo "## Our mount against its peers"
  echo
  bench/peers/peers.sh
  # BENCH_ONLY=startup: the start-up table of peers.sh only, no other area.
  [ -n "$only" ] || for script in bench/*/run.sh; do
    area=$(basename "$(dirname "$script")")
    [ "$area" = peers ] && continue
    [ -x "$script" ] || continue
    echo
    echo "## bench/$area"
    echo
    echo "== bench/$area" >&2
    timeout "${BENCH_AREA_TIMEOUT:-1200}" "$script" || echo "(bench/$area/run.sh failed with exit code $?)"
  done
} | tee "$report"
echo "== report written to $report" >&2
