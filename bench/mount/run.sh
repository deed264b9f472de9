#!/usr/bin/env bash
# Mount figures in one run, side by side for each build of esxi-folder-fuse given:
#   start-up: exec → EOF on the ready fd, median of 5 mounts of the default scenario;
#   read: dd bs=1M of the 1 GiB flat disk of bench/mount/bench.yaml through the mount (cold
#         caches) next to curl of the same /folder URL;
#   peak RSS of the tool (VmHWM) after that read.
# Usage: bench/mount/run.sh [TOOL...]   (root; defaults: dist/esxi-folder-fuse if built by
# scripts/publish.sh, and the Debug build next to the integration tests).
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
    if [[ -n "$tool_pid" ]]; then
        kill -TERM "$tool_pid" 2>/dev/null && sleep 1
        kill -KILL "$tool_pid" 2>/dev/null || true
    fi
    if mountpoint -q "$work/mnt" 2>/dev/null; then umount -l "$work/mnt"; fi
    if [[ -n "$emu_pid" ]]; then kill "$emu_pid" 2>/dev/null || true; fi
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" <<<"$ready_line"; }

# Starts the emulator on scenario $1 and lists it into $work/manifest.json (the emulator prints
# one JSON line when it listens).
start_emulator() {
    rm -f "$work/emu.out"; mkfifo "$work/emu.out"
    "$bin/esxi-emulator" --scenario "$1" > "$work/emu.out" 2> "$work/emu.err" &
    emu_pid=$!
    read -r ready_line < "$work/emu.out"
    url=$(field url); user=$(field user); password=$(field password)
    hostport=${url#https://}; hostport=${hostport%/}
    printf '%s\n' "$password" > "$work/pw"
    "$bin/esxi-listvms" --skip-cert-verification --port "${hostport##*:}" "${hostport%:*}" "$user" "$work/pw" > "$work/manifest.json"
}

stop_emulator() {
    kill "$emu_pid"; wait "$emu_pid" 2>/dev/null || true; emu_pid=""
}

# Mounts with tool $1, leaves it running as $tool_pid and sets $startup_ms (exec → ready EOF).
mount_tool() {
    mkdir -p "$work/mnt"
    rm -f "$work/ready"; mkfifo "$work/ready"
    local start ready_text
    start=$(date +%s%N)
    ESXI_FUSE_SYSLOG_SOCKET="$work/no-syslog" "$1" --ready-fd 3 --skip-cert-verification \
        --user "$user" --password-file "$work/pw" "$hostport" "$work/manifest.json" "$work/mnt" \
        3> "$work/ready" 2>> "$work/tool.err" &
    tool_pid=$!
    ready_text=$(cat "$work/ready")
    startup_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    if [[ -n "$ready_text" ]]; then
        echo "$1: $ready_text" >&2
        exit 1
    fi
}

stop_tool() {
    kill -TERM "$tool_pid"
    wait "$tool_pid" || true
    tool_pid=""
}

mib() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.0f", b / s / 1048576 }'; }

declare -A startup
start_emulator default
for tool in "${tools[@]}"; do
    times=()
    for _ in 1 2 3 4 5; do
        mount_tool "$tool"
        times+=("$startup_ms")
        stop_tool
    done
    startup[$tool]=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
done
stop_emulator

start_emulator "$root/bench/mount/bench.yaml"
disk="ha-datacenter/bench/big/big-flat.vmdk"
size=$((1 << 30))
sync; echo 3 > /proc/sys/vm/drop_caches
curl_s=$(curl -sk -u "$user:$password" -o /dev/null -w '%{time_total}' \
    "${url}folder/big/big-flat.vmdk?dcPath=ha-datacenter&dsName=bench")

printf '%-32s %14s %12s %12s %12s %10s\n' "tool" "start-up (ms)" "dd (MiB/s)" "curl (MiB/s)" "VmHWM" "size"
for tool in "${tools[@]}"; do
    mount_tool "$tool"
    sync; echo 3 > /proc/sys/vm/drop_caches
    dd_start=$(date +%s%N)
    dd if="$work/mnt/$disk" of=/dev/null bs=1M status=none
    dd_s=$(awk -v n=$(( $(date +%s%N) - dd_start )) 'BEGIN { print n / 1e9 }')
    hwm=$(awk '/VmHWM/ { print $2 " " $3 }' "/proc/$tool_pid/status")
    printf '%-32s %14s %12s %12s %12s %10s\n' "$(basename "$(dirname "$tool")")/$(basename "$tool")" \
        "${startup[$tool]}" "$(mib $size "$dd_s")" "$(mib $size "$curl_s")" "$hwm" "$(du -h "$tool" | cut -f1)"
    stop_tool
done
