#!/usr/bin/env bash
# Mount figures in one run, side by side for each build of esxi-folder-fuse given:
#   start-up (exec → EOF on the ready fd), sequential read of a 1 GiB flat disk through the
#   mount (dd bs=1M, cold cache) against curl of the same /folder URL, and the tool's peak RSS (VmHWM).
# Usage: bench/mount/run.sh [TOOL...]   (root; defaults: dist/esxi-folder-fuse and the Debug JIT build)
# Needs the emulator and esxi-listvms built (dotnet build tests/integration).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin="$root/tests/integration/bin/Debug/net10.0"
tools=("$@")
if [[ ${#tools[@]} -eq 0 ]]; then
    [[ -x "$root/dist/esxi-folder-fuse" ]] && tools+=("$root/dist/esxi-folder-fuse")
    tools+=("$bin/esxi-folder-fuse")
fi
work=$(mktemp -d /tmp/esxi-mount-bench.XXXXXX)
emu_pid=""
tool_pid=""
cleanup() {
    [[ -n "$tool_pid" ]] && kill -TERM "$tool_pid" 2>/dev/null && sleep 1
    [[ -n "$tool_pid" ]] && kill -KILL "$tool_pid" 2>/dev/null
    mountpoint -q "$work/mnt" 2>/dev/null && umount -l "$work/mnt"
    [[ -n "$emu_pid" ]] && kill "$emu_pid" 2>/dev/null
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# The emulator prints one JSON line when it listens.
mkfifo "$work/emu.out"
"$bin/esxi-emulator" --scenario "$root/bench/mount/bench.yaml" > "$work/emu.out" 2> "$work/emu.err" &
emu_pid=$!
read -r ready_line < "$work/emu.out"
field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" <<<"$ready_line"; }
url=$(field url); user=$(field user); password=$(field password)
hostport=${url#https://}; hostport=${hostport%/}
printf '%s\n' "$password" > "$work/pw"
"$bin/esxi-listvms" --skip-cert-verification --port "${hostport##*:}" "${hostport%:*}" "$user" "$work/pw" > "$work/manifest.json"

disk="ha-datacenter/bench/big/big-flat.vmdk"
size=$((1 << 30))
mib() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.0f", b / s / 1048576 }'; }

# curl: the same bytes straight from /folder.
curl_s=$(curl -sk -u "$user:$password" -o /dev/null -w '%{time_total}' \
    "${url}folder/big/big-flat.vmdk?dcPath=ha-datacenter&dsName=bench")

printf '%-44s %10s %12s %12s %10s\n' "tool" "start (ms)" "dd (MiB/s)" "curl (MiB/s)" "VmHWM"
for tool in "${tools[@]}"; do
    mkdir -p "$work/mnt"
    rm -f "$work/ready"; mkfifo "$work/ready"
    start=$(date +%s%N)
    ESXI_FUSE_SYSLOG_SOCKET="$work/no-syslog" "$tool" --ready-fd 3 --skip-cert-verification \
        --user "$user" --password-file "$work/pw" "$hostport" "$work/manifest.json" "$work/mnt" \
        3> "$work/ready" 2>> "$work/tool.err" &
    tool_pid=$!
    ready_text=$(cat "$work/ready")
    ready_ns=$(( $(date +%s%N) - start ))
    if [[ -n "$ready_text" ]]; then
        echo "$tool: $ready_text" >&2
        exit 1
    fi
    sync; echo 3 > /proc/sys/vm/drop_caches
    dd_start=$(date +%s%N)
    dd if="$work/mnt/$disk" of=/dev/null bs=1M status=none
    dd_s=$(awk -v n=$(( $(date +%s%N) - dd_start )) 'BEGIN { print n / 1e9 }')
    hwm=$(awk '/VmHWM/ { print $2 " " $3 }' "/proc/$tool_pid/status")
    printf '%-44s %10d %12s %12s %10s\n' "$(basename "$(dirname "$tool")")/$(basename "$tool")" \
        $(( ready_ns / 1000000 )) "$(mib $size "$dd_s")" "$(mib $size "$curl_s")" "$hwm"
    kill -TERM "$tool_pid"
    wait "$tool_pid" || true
    tool_pid=""
done
