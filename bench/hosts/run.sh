#!/usr/bin/env bash
# Our mount on each host profile of the emulator (spec/scenarios/README.md, "The host model"):
# a sequential read of one disk through the mount — dd bs=1M over HTTP/1.1 and over HTTP/2, and
# qemu-img convert, with the adaptive number of requests in flight, and dd and qemu-img again with
# the number pinned at upstream's 4 (ESXI_FUSE_FIXED_REQUESTS=1, the behaviour before the adaptive
# limit) — side by side with one curl stream and with N parallel curl range streams
# (N = the profile's 503 threshold, 8 where it has none), with what the host saw: requests,
# 503s answered, most requests in flight, connections refused. Every measurement gets a fresh
# emulator, so its counters are its own; each read starts on a fresh mount with the page cache
# dropped. Prints markdown to stdout, progress to stderr. Needs root (FUSE, drop_caches).
# Settings (environment):
#   BENCH_HOST_PROFILES  profiles (default: unlimited nvme-25gbe iscsi throttling esxi8-connections)
#   BENCH_HOST_MIB       disk read through the mount and by the N curl streams (default 512)
#   BENCH_HOST_CURL_MIB  the part one curl stream reads (default 128: at 9.5 MiB/s that is 13 s)
#   BENCH_AOT            our build (default dist/esxi-folder-fuse, else the Release build)
#   BENCH_HOST_ARGS      extra arguments for our tool (e.g. "--max-requests 16")
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
profiles=${BENCH_HOST_PROFILES:-"unlimited nvme-25gbe iscsi throttling esxi8-connections"}
size_mib=${BENCH_HOST_MIB:-512}
curl_mib=${BENCH_HOST_CURL_MIB:-128}
read -r -a tool_args <<<"${BENCH_HOST_ARGS:-}"
py=/usr/bin/python3
log() { echo "   $*" >&2; }
release() { echo "$root/src/$1/bin/Release/net10.0/$2"; }
emulator=$(release EsxiEmulator esxi-emulator)
listvms=$(release EsxiListing esxi-listvms)
fuse=${BENCH_AOT:-$root/dist/esxi-folder-fuse}
[ -x "$fuse" ] || fuse=$(release EsxiFuse esxi-folder-fuse)
for c in "$emulator" "$listvms" "$fuse"; do
  [ -x "$c" ] || { echo "bench/hosts: $c is not built (bench/run.sh builds it)" >&2; exit 2; }
done
command -v qemu-img >/dev/null || { echo "bench/hosts: qemu-img is needed (apt-get install qemu-utils)" >&2; exit 2; }

work=$(mktemp -d /tmp/esxi-bench-hosts.XXXXXX)
emu_pid="" tool_pid=""
cleanup() {
  stop_tool || true
  [ -n "$emu_pid" ] && kill -TERM "$emu_pid" 2>/dev/null && wait "$emu_pid" 2>/dev/null || true
  mountpoint -q "$work/mnt" 2>/dev/null && umount -l "$work/mnt"
  rm -rf "$work"
}
trap cleanup EXIT

"$py" "$root/bench/peers/measure.py" scenario peers "$size_mib" 1 >"$work/scenario.yaml"
disk_bytes=$((size_mib << 20))

# shellcheck source=../emulator.sh
. "$root/bench/emulator.sh"
start_emulator() { # [profile]
  local extra=()
  [ -n "${1:-}" ] && extra=(--host-profile "$1")
  emulator_up --scenario "$work/scenario.yaml" "${extra[@]}"
}
stop_emulator() { # → sets host_seen: "requests 503s max-in-flight refused"
  kill -TERM "$emu_pid"; wait "$emu_pid" || true; emu_pid=""
  host_seen=$("$py" -c 'import json,sys; c=json.load(open(sys.argv[1])); print(c["folderRequests"], c["rejectedBusy"], c["maxFolderInFlight"], c["connectionsRefused"])' "$work/counters.json")
}
file_url() { echo "$url/folder/big/big-flat.vmdk?dcPath=ha-datacenter&dsName=bench"; }

start_tool() { # http-version[:fixed]
  local version=${1%:fixed} fixed=0
  [ "$version" = "$1" ] || fixed=1
  mkdir -p "$work/mnt"
  rm -f "$work/ready.fifo"; mkfifo "$work/ready.fifo"
  ESXI_FUSE_HTTP_VERSION=$version ESXI_FUSE_FIXED_REQUESTS=$fixed "$fuse" --skip-cert-verification --user "$user" --password-file "$work/password" \
    --ready-fd 3 "${tool_args[@]}" "127.0.0.1:$port" "$work/manifest.json" "$work/mnt" \
    3>"$work/ready.fifo" 2>>"$work/tool.stderr" &
  tool_pid=$!
  local text; text=$(cat "$work/ready.fifo")
  [ -z "$text" ] || { log "our mount failed: $text"; return 1; }
}
stop_tool() {
  [ -n "$tool_pid" ] || return 0
  umount "$work/mnt" 2>/dev/null || umount -l "$work/mnt" 2>/dev/null || true
  kill -TERM "$tool_pid" 2>/dev/null || true
  wait "$tool_pid" 2>/dev/null || true
  tool_pid=""
}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / s / 1048576 }'; }
row() { printf '| %s |\n' "$(IFS='|'; echo "$*" | sed 's/|/ | /g')"; }
drop_caches() { sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true; }

# A manifest once (the VM layout is the same on every profile; the host is given per mount).
start_emulator
"$listvms" --skip-cert-verification --port "$port" 127.0.0.1 "$user" "$work/password" >"$work/manifest.json"
stop_emulator

# One measurement: a fresh emulator on the profile, the command, the host's counters.
# → appends a row; $rate is the MiB/s (empty when it failed).
measure_on() { # LABEL BYTES MOUNT CMD... (MOUNT: "-", or the HTTP version our mount uses, ":fixed" for 4 in flight; mounted before the clock starts)
  local label=$1 bytes=$2 mount=$3 t0 secs status=ok
  shift 3
  start_emulator "$profile"
  [ "$mount" = - ] || start_tool "$mount" || status="failed"
  drop_caches
  t0=$(now)
  if [ "$status" = failed ] || ! "$@"; then status="failed"; fi
  secs=$(since "$t0")
  stop_tool
  stop_emulator
  rate=$([ "$status" = ok ] && mbps "$bytes" "$secs" || echo "")
  read -r reqs busy inflight refused <<<"$host_seen"
  rows+=("$(row "$profile" "$label" "${rate:-failed}" "$secs" "$reqs" "$busy" "$inflight" "$refused")")
}

curl_one() { curl -sk --fail -u "$user:$password" -r "0-$(((curl_mib << 20) - 1))" -o /dev/null "$(file_url)"; }
curl_n() { # n parallel range streams over the whole disk
  local n=$1 part=$((disk_bytes / $1)) i pids=() ok=0
  for i in $(seq 0 $((n - 1))); do
    curl -sk --fail -u "$user:$password" -r "$((i * part))-$(((i + 1) * part - 1))" -o /dev/null "$(file_url)" & pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || ok=1; done
  return $ok
}
ours_dd() {
  local got
  got=$(dd if="$work/mnt/ha-datacenter/bench/big/big-flat.vmdk" of=/dev/null bs=1M 2>&1 | awk '/bytes/ { print $1 }') || return 1
  [ "$got" = "$disk_bytes" ] || { log "dd read $got of $disk_bytes bytes"; return 1; }
}
ours_qemu() {
  qemu-img convert -n -f raw --target-image-opts "$work/mnt/ha-datacenter/bench/big/big-flat.vmdk" "driver=null-co,size=$disk_bytes"
}

rows=()
ratios=()
for profile in $profiles; do
  # N: the profile's 503 threshold from the emulator's documentation table, else 8.
  threshold=$(sed -n "s/^| \`$profile\` | [^|]*503 above \([0-9]*\).*/\1/p" "$root/spec/scenarios/README.md" | head -n1)
  n=${threshold:-8}
  log "profile $profile (N = $n)"
  declare -A r=()
  measure_on "curl, 1 stream (${curl_mib} MiB)" $((curl_mib << 20)) - curl_one; r[curl1]=$rate
  measure_on "curl, $n range streams" "$disk_bytes" - curl_n "$n"; r[curln]=$rate
  measure_on "ours dd bs=1M, HTTP/1.1" "$disk_bytes" 1.1 ours_dd; r[h1]=$rate
  measure_on "ours dd bs=1M, HTTP/2" "$disk_bytes" 2 ours_dd; r[h2]=$rate
  measure_on "ours qemu-img convert" "$disk_bytes" 1.1 ours_qemu; r[qemu]=$rate
  measure_on "ours dd bs=1M, HTTP/1.1, fixed 4" "$disk_bytes" 1.1:fixed ours_dd; r[h1fixed]=$rate
  measure_on "ours qemu-img convert, fixed 4" "$disk_bytes" 1.1:fixed ours_qemu; r[qemufixed]=$rate
  ratio() { awk -v a="${r[$1]}" -v b="${r[$2]}" 'BEGIN { if (a > 0 && b > 0) printf "%.2f×", a / b; else print "n/a" }'; }
  ratios+=("$(row "$profile" "$n" "$(ratio h1 h1fixed)" "$(ratio qemu qemufixed)" "$(ratio h1 curl1)" "$(ratio h1 curln)" "$(ratio h2 curl1)" "$(ratio h2 h1)" "$(ratio qemu curl1)" "$(ratio qemu curln)")")
done

echo "### Sequential read of a ${size_mib} MiB disk on each host profile (one curl stream reads ${curl_mib} MiB)"
echo
echo "Our build: \`${fuse#"$root"/}\`${tool_args[*]:+ with ${tool_args[*]}}. Host counters from the emulator (fresh per row): /folder requests, 503s answered, most in flight, connections refused."
echo
row profile reader "MiB/s" seconds "requests" "503s" "max in flight" "refused"
row --- --- ---: ---: ---: ---: ---: ---:
printf '%s\n' "${rows[@]}"
echo
echo "Ratios (N = the profile's 503 threshold, 8 where it has none):"
echo
row profile N "dd h1 adaptive ÷ fixed 4" "qemu-img adaptive ÷ fixed 4" "dd h1 ÷ 1 curl" "dd h1 ÷ N curl" "dd h2 ÷ 1 curl" "dd h2 ÷ dd h1" "qemu-img ÷ 1 curl" "qemu-img ÷ N curl"
row --- ---: ---: ---: ---: ---: ---: ---: ---: ---:
printf '%s\n' "${ratios[@]}"
