#!/usr/bin/env bash
# Memory of the mount daemon against its --cache-size budget, side by side for each build given:
# for budgets of 8 MiB and 256 MiB and 4 and 16 parallel readers (dd bs=1M of one disk each,
# cold kernel caches), the daemon's RSS after ready (baseline), its peak (VmHWM) after the reads,
# and what the peak takes beyond baseline + budget. The tool promises that this excess stays
# below a fixed constant (README, "Memory").
# Usage: bench/memory/run.sh [TOOL...]   (root; defaults: dist/esxi-folder-fuse if built by
# scripts/publish.sh, and the Debug build next to the integration tests).
# Settings: BENCH_MEM_DISK_MIB (256, size of each disk), BENCH_MEM_BUDGETS_MIB ("8 256"),
# BENCH_MEM_READERS ("4 16").
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin="$root/tests/integration/bin/Debug/net10.0"
disk_mib=${BENCH_MEM_DISK_MIB:-256}
budgets=(${BENCH_MEM_BUDGETS_MIB:-8 256})
readers_list=(${BENCH_MEM_READERS:-4 16})
tools=("$@")
if [[ ${#tools[@]} -eq 0 ]]; then
    [[ -x "$root/dist/esxi-folder-fuse" ]] && tools+=("$root/dist/esxi-folder-fuse")
    tools+=("$bin/esxi-folder-fuse")
fi
max_readers=0
for r in "${readers_list[@]}"; do (( r > max_readers )) && max_readers=$r; done

work=$(mktemp -d /tmp/esxi-memory-bench.XXXXXX)
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

# One VM per reader, each with one pattern disk.
{
    echo "name: memory-bench"
    echo "users: [{ name: root, password: \"bench!1\" }]"
    echo "datacenters:"
    echo "  - name: ha-datacenter"
    echo "    datastores: [{ name: bench, uuid: 11111111-22222222-3333-000c290000b2 }]"
    echo "    vms:"
    for i in $(seq 0 $((max_readers - 1))); do
        echo "      - { name: vm$i, datastore: bench, disks: [{ slot: \"scsi0:0\", capacity: ${disk_mib}MiB, content: { kind: pattern, seed: $((i + 1)) } }] }"
    done
} > "$work/scenario.yaml"

field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" <<<"$ready_line"; }
mkfifo "$work/emu.out"
"$bin/esxi-emulator" --scenario "$work/scenario.yaml" > "$work/emu.out" 2> "$work/emu.err" &
emu_pid=$!
read -r ready_line < "$work/emu.out"
url=$(field url); user=$(field user); password=$(field password)
hostport=${url#https://}; hostport=${hostport%/}
printf '%s\n' "$password" > "$work/pw"
"$bin/esxi-listvms" --skip-cert-verification --port "${hostport##*:}" "${hostport%:*}" "$user" "$work/pw" > "$work/manifest.json"

kib() { awk -v f="$1" '$1 == f ":" { print $2 }' "/proc/$tool_pid/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

printf '%-28s %10s %8s %14s %12s %16s %16s %8s\n' tool "budget MiB" readers "baseline MiB" "peak MiB" "peak-base MiB" "over budget MiB" "dd s"
for tool in "${tools[@]}"; do
    for budget in "${budgets[@]}"; do
        for readers in "${readers_list[@]}"; do
            mkdir -p "$work/mnt"
            rm -f "$work/ready"; mkfifo "$work/ready"
            ESXI_FUSE_SYSLOG_SOCKET="$work/no-syslog" "$tool" --ready-fd 3 --skip-cert-verification \
                --cache-size $((budget << 20)) --user "$user" --password-file "$work/pw" \
                "$hostport" "$work/manifest.json" "$work/mnt" 3> "$work/ready" 2>> "$work/tool.err" &
            tool_pid=$!
            ready_text=$(cat "$work/ready")
            if [[ -n "$ready_text" ]]; then echo "$tool: $ready_text" >&2; exit 1; fi
            # Let the background VM check finish, then take the resting size as the baseline.
            sleep 2
            base=$(kib VmRSS)
            sync; echo 3 > /proc/sys/vm/drop_caches
            start=$(date +%s%N)
            pids=()
            for i in $(seq 0 $((readers - 1))); do
                dd if="$work/mnt/ha-datacenter/bench/vm$i/vm$i-flat.vmdk" of=/dev/null bs=1M status=none &
                pids+=($!)
            done
            wait "${pids[@]}"
            secs=$(awk -v n=$(( $(date +%s%N) - start )) 'BEGIN { printf "%.1f", n / 1e9 }')
            peak=$(kib VmHWM)
            printf '%-28s %10s %8s %14s %12s %16s %16s %8s\n' "$(basename "$(dirname "$tool")")/$(basename "$tool")" \
                "$budget" "$readers" "$(mib "$base")" "$(mib "$peak")" "$(mib $((peak - base)))" \
                "$(mib $((peak - base - (budget << 10))))" "$secs"
            kill -TERM "$tool_pid"; wait "$tool_pid" || true; tool_pid=""
        done
    done
done
