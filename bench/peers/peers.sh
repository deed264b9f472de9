#!/usr/bin/env bash
# Side-by-side benchmark of esxi-folder-fuse against its peers on one emulated ESXi host on
# loopback: a single curl stream (the practical limit), rclone mount (:http: remote), httpfs2 and
# nbdkit curl (+ nbdcopy / nbdfuse). Sequential reads, seeded random 4 KiB reads, 4 parallel
# readers, peak RSS, and the start-up time of our tool for manifests of 10/100/500 VMs.
# Called by bench/run.sh, which builds Release and dist/ first; prints markdown table rows to stdout
# (progress goes to stderr). Settings (environment):
#   BENCH_SIZE_MIB   big disk (default 4096)    BENCH_PAR_MIB  parallel disks (default 1024)
#   BENCH_RANDOM     random reads per peer (default 2000)  BENCH_PROTOCOLS "https http"
#   BENCH_STARTUP    VM counts for start-up (default "10 100 500")
#   BENCH_STARTUP_RUNS  mounts per VM count and build, the median is shown (default 5)
#   BENCH_AOT / BENCH_JIT  our builds (default dist/esxi-folder-fuse and dist/jit/esxi-folder-fuse,
#                    made by scripts/publish.sh [--jit]); "ours" is the shipped AOT build, the JIT
#                    build gets its own sequential row and RSS row
#   BENCH_ONLY=startup  only the start-up section (the other sections need minutes)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
size_mib=${BENCH_SIZE_MIB:-4096}
par_mib=${BENCH_PAR_MIB:-1024}
random_reads=${BENCH_RANDOM:-2000}
protocols=${BENCH_PROTOCOLS:-"https http"}
startup_counts=${BENCH_STARTUP:-"10 100 500"}
startup_runs=${BENCH_STARTUP_RUNS:-5}
only=${BENCH_ONLY:-}
case $only in "" | startup) ;; *) echo "BENCH_ONLY: only 'startup' is known" >&2; exit 2 ;; esac
[ "$only" = startup ] && protocols=""
py=/usr/bin/python3
measure() { "$py" "$here/measure.py" "$@"; }
log() { echo "   $*" >&2; }

# --- what the peers need ------------------------------------------------------------------
# Run on its own, the script installs the peers it misses with apt-get (as root); a peer whose
# commands are still missing gets a row naming what to install, and the run goes on.
declare -A package_of=([curl]=curl [qemu-img]=qemu-utils [httpfs2]=httpfs2 [nbdkit]=nbdkit
  [nbdcopy]=libnbd-bin [nbdfuse]=nbdfuse [rclone]=rclone)
declare -A needs_of=([ours]="dd qemu-img" [ours-jit]="dd" [rclone]="" [httpfs2]="httpfs2 dd" [nbdkit]="nbdkit nbdcopy nbdfuse dd")
install_missing() {
  local missing=() c
  for c in "${!package_of[@]}"; do command -v "$c" >/dev/null || missing+=("${package_of[$c]}"); done
  [ ${#missing[@]} -gt 0 ] || return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing ${missing[*]}"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >&2 \
      || log "apt-get could not install ${missing[*]}; those peers get a row saying so"
  else
    log "missing ${missing[*]} (not root or no apt-get); those peers get a row saying so"
  fi
}
peer_ready() { # peer → 0 when its commands exist; else sets peer_missing
  local c build=""
  case $1 in ours) build=$fuse ;; ours-jit) build=$fuse_jit ;; esac
  if [ -n "$build" ] && [ ! -x "$build" ]; then peer_missing="not built: $build (scripts/publish.sh)"; return 1; fi
  for c in ${needs_of[$1]}; do
    command -v "$c" >/dev/null || { peer_missing="$c not installed (apt-get install ${package_of[$c]:-coreutils})"; return 1; }
  done
}
[ "$only" = startup ] || install_missing
command -v curl >/dev/null || { echo "peers.sh: curl is needed (apt-get install curl)" >&2; exit 2; }

bin() { echo "$root/src/$1/bin/Release/net10.0/$2"; }
emulator=$(bin EsxiEmulator esxi-emulator)
listvms=$(bin EsxiListing esxi-listvms)
fuse=${BENCH_AOT:-$root/dist/esxi-folder-fuse}
fuse_jit=${BENCH_JIT:-$root/dist/jit/esxi-folder-fuse}

work=$(mktemp -d /tmp/esxi-bench.XXXXXX)
emu_pid="" daemon_pid="" daemon_mnt=""
cleanup() {
  stop_all_daemons
  [ -n "$emu_pid" ] && kill -TERM "$emu_pid" 2>/dev/null && wait "$emu_pid" 2>/dev/null || true
  for m in "$work"/mnt*; do mountpoint -q "$m" 2>/dev/null && umount -l "$m"; done 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- the emulator -----------------------------------------------------------------------
# shellcheck source=../emulator.sh
. "$root/bench/emulator.sh"
start_emulator() { # scenario-file https|http
  local extra=()
  [ "$2" = http ] && extra=(--http)
  emulator_up --scenario "$1" "${extra[@]}"
  basic=$(printf %s "$user:$password" | base64 -w0)
}
stop_emulator() {
  kill -TERM "$emu_pid"; wait "$emu_pid" || true; emu_pid=""
}
file_url() { # vm → URL of its flat extent
  echo "$url/folder/$1/$1-flat.vmdk?dcPath=ha-datacenter&dsName=bench"
}

# --- FUSE daemons: start one, remember its pid and mount point, read VmHWM before stopping --
wait_mounted() { # mnt pid
  for _ in $(seq 300); do
    mountpoint -q "$1" && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
stop_daemon() {
  [ -n "$daemon_mnt" ] || return 0
  daemon_hwm=$(measure hwm "$daemon_pid")
  umount "$daemon_mnt" 2>/dev/null || umount -l "$daemon_mnt" 2>/dev/null || true
  kill -TERM "$daemon_pid" 2>/dev/null || true
  wait "$daemon_pid" 2>/dev/null || true
  daemon_pid="" daemon_mnt=""
}
daemon_alive() { # the current daemon (if any) still runs and its mount still answers
  [ -z "$daemon_pid" ] || { kill -0 "$daemon_pid" 2>/dev/null && mountpoint -q "$daemon_mnt" 2>/dev/null; }
}
peer_failure() { # peer → why it failed, in a few words (its daemon's state, the last line it wrote)
  local why="" last
  if [ -n "$daemon_pid" ] && ! kill -0 "$daemon_pid" 2>/dev/null; then why="its daemon exited"
  elif [ -n "$daemon_mnt" ] && ! mountpoint -q "$daemon_mnt" 2>/dev/null; then why="its mount stopped answering"
  else why="it did not start or a read failed"; fi
  last=$(tail -n 1 "$work/$1.stderr" 2>/dev/null | tr -d '|' | cut -c1-120)
  echo "$why${last:+ (\"$last\")}"
}
extra_daemons=()
stop_all_daemons() { # the current daemon and the one-per-file daemons of httpfs2/nbdfuse
  local d
  stop_daemon || true
  for d in "${extra_daemons[@]}"; do daemon_pid=${d%%:*} daemon_mnt=${d#*:}; stop_daemon || true; done
  extra_daemons=()
}
start_ours() { # proto [build] → sets disk paths big/par1..4
  local mnt="$work/mnt-ours" extra=() build=${2:-$fuse}
  mkdir -p "$mnt"
  [ "$1" = https ] && extra=(--skip-cert-verification)
  rm -f "$work/ready.fifo"; mkfifo "$work/ready.fifo"
  ESXI_FUSE_TEST_PLAIN_HTTP=$([ "$1" = http ] && echo 1 || echo 0) \
    "$build" "${extra[@]}" --user "$user" --password-file "$work/password" --ready-fd 3 \
    "127.0.0.1:$port" "$work/manifest.json" "$mnt" 3>"$work/ready.fifo" 2>>"$work/ours.stderr" &
  daemon_pid=$! daemon_mnt=$mnt
  local text; text=$(cat "$work/ready.fifo")
  [ -z "$text" ] || { log "our mount failed: $text"; return 1; }
  layout=ours layout_root=$mnt
}
start_rclone() {
  local mnt="$work/mnt-rclone"; mkdir -p "$mnt"
  # The :http: remote joins file names onto the URL path; ESXi's selector is in the query, so
  # rclone is pointed at one file (--http-url to the file; its name is the last path segment).
  rclone mount ":http:" "$mnt" --read-only --http-url "$url/folder/?dcPath=ha-datacenter&dsName=bench" \
    --http-headers "Authorization,Basic $basic" --no-check-certificate --vfs-cache-mode off \
    --dir-cache-time 1h --log-file "$work/rclone.log" &
  daemon_pid=$! daemon_mnt=$mnt
  wait_mounted "$mnt" "$daemon_pid"
  layout=rclone layout_root=$mnt
}
start_httpfs2() { # vm
  local mnt="$work/mnt-httpfs2-$1"; mkdir -p "$mnt"
  local u; u=$(file_url "$1"); u=${u/:\/\//://$user:$password@}
  httpfs2 -f -c /dev/null "$u" "$mnt" -o ro 2>>"$work/httpfs2.stderr" &
  daemon_pid=$! daemon_mnt=$mnt
  wait_mounted "$mnt" "$daemon_pid"
  layout=httpfs2
}
start_nbdfuse() { # vm: nbdkit curl behind nbdfuse, for reads that need a file
  local mnt="$work/mnt-nbd-$1"; mkdir -p "$mnt"
  nbdfuse -r "$mnt" --command nbdkit -s -r curl "url=$(file_url "$1")" user="$user" \
    "password=+$work/password" sslverify=false 2>>"$work/nbdkit.stderr" &
  daemon_pid=$! daemon_mnt=$mnt
  wait_mounted "$mnt" "$daemon_pid"
  layout=nbd
}

disk_of() { # vm → the file of its flat extent under the current peer's mount(s)
  case $layout in
    ours) echo "$layout_root/ha-datacenter/bench/$1/$1-flat.vmdk" ;;
    rclone) echo "$layout_root/$1/$1-flat.vmdk" ;;
    httpfs2) find "$work/mnt-httpfs2-$1" -mindepth 1 -maxdepth 1 | head -n1 ;;
    nbd) echo "$work/mnt-nbd-$1/nbd" ;;
  esac
}

# --- measurements -----------------------------------------------------------------------
size_bytes=$((size_mib << 20))
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.0f", b / s / 1048576 }'; }
row() { printf '| %s |\n' "$(IFS='|'; echo "$*" | sed 's/|/ | /g')"; }
declare -A seq_mbps

last_tool_hwm=""
cpu_ticks() { [ -n "$1" ] && awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo ""; }
seq_read() { # label proto cmd... → records MB/s in seq_mbps and a row in rows_seq
  local label=$1 proto=$2; shift 2
  sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true
  log "$proto $label"
  local emu0 daemon0 out
  emu0=$(cpu_ticks "$emu_pid") daemon0=$(cpu_ticks "$daemon_pid")
  out=$(measure run -- "$@" 2>/dev/null) && daemon_alive || {
    rows_seq+=("$(row "$proto" "$label" "failed: $(peer_failure "${label%%[: ]*}")" "" "" "" "")"); return 0; }
  local secs=${out% *} hwm=${out#* } tick gib emu_cpu daemon_cpu=""
  tick=$(getconf CLK_TCK) gib=$(awk -v b="$size_bytes" 'BEGIN { print b / 1073741824 }')
  emu_cpu=$(awk -v a="$emu0" -v b="$(cpu_ticks "$emu_pid")" -v t="$tick" -v g="$gib" 'BEGIN { printf "%.2f", (b - a) / t / g }')
  [ -n "$daemon0" ] && daemon_cpu=$(awk -v a="$daemon0" -v b="$(cpu_ticks "$daemon_pid")" -v t="$tick" -v g="$gib" 'BEGIN { printf "%.2f", (b - a) / t / g }')
  seq_mbps["$proto $label"]=$(mbps "$size_bytes" "$secs")
  last_tool_hwm=$hwm
  rows_seq+=("$(row "$proto" "$label" "${seq_mbps["$proto $label"]}" "$secs" "$hwm" "$daemon_cpu" "$emu_cpu")")
}

# One peer's rows on one protocol. Returns non-zero when the peer could not be measured at all
# (it did not start, or its mount died); rows measured before that stay.
bench_peer() { # proto peer
  local proto=$1 peer=$2 big seq_hwm=0 r i f j start secs failed=0
  case $peer in
    ours-jit)
      # The JIT fallback build: its sequential speed and its own peak RSS, nothing else.
      start_ours "$proto" "$fuse_jit" || return 1
      seq_read "ours (JIT build): dd bs=1M" "$proto" dd if="$(disk_of big)" of=/dev/null bs=1M status=none
      stop_daemon; rows_rss+=("$(row "$proto" "ours (JIT build)" "$daemon_hwm")")
      return 0 ;;
    rclone)
      # ESXi picks the datastore by the query (?dcPath=&dsName=); rclone's :http: backend appends
      # "/" and path segments to --http-url and drops the query, so it cannot address /folder.
      rows_seq+=("$(row "$proto" "rclone mount :http:" "n/a: cannot address /folder (query dropped)" "" "" "" "")")
      return 0 ;;
    httpfs2)
      if [ "$proto" = https ]; then
        # Debian's httpfs2 is built without TLS ("Invalid protocol in url").
        rows_seq+=("$(row "$proto" "httpfs2: dd bs=1M" "n/a: Debian build has no TLS" "" "" "" "")")
        return 0
      fi ;;
  esac
  case $peer in
    ours) start_ours "$proto" || return 1 ;;
    httpfs2) start_httpfs2 big || return 1 ;;
    nbdkit) start_nbdfuse big || return 1 ;;
  esac
  big=$(disk_of big) || return 1
  if [ "$peer" = nbdkit ]; then
    stop_daemon
    seq_read "nbdkit curl + nbdcopy" "$proto" nbdcopy -- "[" nbdkit -r curl "url=$(file_url big)" \
      user="$user" "password=+$work/password" sslverify=false "]" null:
    start_nbdfuse big || return 1
    big=$(disk_of big) || return 1
  else
    seq_read "$peer: dd bs=1M" "$proto" dd if="$big" of=/dev/null bs=1M status=none
    if [ "$peer" = ours ]; then
      # A fresh mount: qemu-img must not find what dd left in our cache.
      stop_daemon; start_ours "$proto" || return 1; big=$(disk_of big)
      seq_read "$peer: qemu-img convert" "$proto" \
        qemu-img convert -n -f raw --target-image-opts "$big" "driver=null-co,size=$size_bytes"
    fi
  fi
  if [ "$peer" = ours ]; then
    # A fresh mount, so the random reads do not hit pages the sequential runs left in our cache.
    stop_daemon; seq_hwm=$daemon_hwm
    start_ours "$proto" || return 1; big=$(disk_of big)
  fi
  daemon_alive || return 1
  log "$proto $peer random 4 KiB"
  r=$(measure randread "$big" "$random_reads" 42 2>/dev/null) && daemon_alive || r="failed: $(peer_failure "$peer")"
  rows_rand+=("$(row "$proto" "$peer" $r)")
  daemon_alive || return 1
  files=()
  if [ "$peer" = httpfs2 ] || [ "$peer" = nbdkit ]; then
    # One daemon per file: mount the other four disks too.
    stop_daemon; rows_rss+=("$(row "$proto" "$peer" "$daemon_hwm")")
    for i in 1 2 3 4; do
      "start_${peer/nbdkit/nbdfuse}" "par$i" || { extra_daemons+=("$daemon_pid:$daemon_mnt"); daemon_pid="" daemon_mnt=""; return 1; }
      extra_daemons+=("$daemon_pid:$daemon_mnt"); files+=("$(disk_of "par$i")")
      daemon_pid="" daemon_mnt=""
    done
  else
    for i in 1 2 3 4; do files+=("$(disk_of "par$i")"); done
  fi
  log "$proto $peer 4 parallel readers"
  sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true
  start=$(date +%s.%N)
  readers=()
  for f in "${files[@]}"; do dd if="$f" of=/dev/null bs=1M status=none & readers+=($!); done
  for j in "${readers[@]}"; do wait "$j" || failed=1; done
  secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')
  if [ "$failed" = 1 ]; then
    rows_par+=("$(row "$proto" "$peer" "failed: a reader got an error ($(peer_failure "$peer"))" "$secs")")
  else
    rows_par+=("$(row "$proto" "$peer" "$(mbps $((4 * par_mib << 20)) "$secs")" "$secs")")
  fi
  if [ "$peer" = ours ]; then
    stop_daemon; rows_rss+=("$(row "$proto" "$peer" "$((daemon_hwm > seq_hwm ? daemon_hwm : seq_hwm))")")
  fi
}

rows_seq=() rows_rand=() rows_par=() rows_rss=()
for proto in $protocols; do
  scenario="$work/peers.yaml"
  measure scenario peers "$size_mib" "$par_mib" >"$scenario"
  start_emulator "$scenario" https
  if [ ! -s "$work/manifest.json" ]; then
    "$listvms" --skip-cert-verification --port "$port" 127.0.0.1 "$user" "$work/password" >"$work/manifest.json"
  fi
  if [ "$proto" = http ]; then stop_emulator; start_emulator "$scenario" http; fi
  curlk=(-s -o /dev/null -u "$user:$password" --fail)
  [ "$proto" = https ] && curlk+=(-k)

  seq_read "curl (1 stream)" "$proto" curl "${curlk[@]}" "$(file_url big)"
  rows_rss+=("$(row "$proto" "curl" "$last_tool_hwm")")

  for peer in ours ours-jit rclone httpfs2 nbdkit; do
    # A peer that fails to start, crashes or cannot read becomes a row saying so; the run goes on.
    if ! peer_ready "$peer"; then
      rows_seq+=("$(row "$proto" "$peer" "n/a: $peer_missing" "" "" "" "")")
      continue
    fi
    bench_peer "$proto" "$peer" || {
      log "$peer failed on $proto"
      rows_seq+=("$(row "$proto" "$peer" "failed, its other rows skipped: $(peer_failure "$peer")" "" "" "" "")")
    }
    stop_all_daemons
  done
  stop_emulator
done

# --- start-up of our tool ---------------------------------------------------------------
# The production build (NativeAOT) and the JIT fallback, both from scripts/publish.sh. Each mount
# gets a fresh emulator that has already answered one HEAD on /folder (not counted below): a real
# host is warm, and the emulator's own first-request JIT is not our start-up. The first mount of
# each build waits for the background VM check and lists the tree before the requests are counted.
declare -A startup_builds=([AOT]=${BENCH_AOT:-$root/dist/esxi-folder-fuse} [JIT]=${BENCH_JIT:-$root/dist/jit/esxi-folder-fuse})
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
rows_start=()
for n in $startup_counts; do
  measure scenario vms "$n" >"$work/vms-$n.yaml"
  start_emulator "$work/vms-$n.yaml" https
  "$listvms" --skip-cert-verification --port "$port" 127.0.0.1 "$user" "$work/password" >"$work/manifest.json"
  stop_emulator
  for build in AOT JIT; do
    tool=${startup_builds[$build]}
    if [ ! -x "$tool" ]; then
      rows_start+=("$(row "$n" "$build" "not built: $tool (scripts/publish.sh)" "" "" "" "")")
      continue
    fi
    times=() text="" reqs="" hwm=""
    for run in $(seq "$startup_runs"); do
      start_emulator "$work/vms-$n.yaml" https
      curl -k -s -o /dev/null -I -u "$user:$password" "$url/folder/?dcPath=ha-datacenter&dsName=datastore1" || true
      mnt="$work/mnt-start"; mkdir -p "$mnt"
      rm -f "$work/ready.fifo"; mkfifo "$work/ready.fifo"
      log "start-up with $n VMs, $build, run $run"
      t0=$(date +%s.%N)
      "$tool" --skip-cert-verification --user "$user" --password-file "$work/password" --ready-fd 3 \
        "127.0.0.1:$port" "$work/manifest.json" "$mnt" 3>"$work/ready.fifo" 2>>"$work/ours.stderr" &
      daemon_pid=$! daemon_mnt=$mnt
      run_text=$(cat "$work/ready.fifo")
      t1=$(date +%s.%N)
      times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
      [ -n "$run_text" ] && text=$run_text
      if [ "$run" = 1 ]; then
        sleep 2 # let the background VM check finish before counting
        ls -R "$mnt" >/dev/null
      fi
      stop_daemon
      stop_emulator
      if [ "$run" = 1 ]; then
        hwm=$daemon_hwm
        # minus the warm-up HEAD
        reqs=$("$py" -c 'import json,sys; c=json.load(open(sys.argv[1])); print(c["folderRequests"] - 1)' "$work/counters.json")
      fi
    done
    rows_start+=("$(row "$n" "$build" "$(printf '%s\n' "${times[@]}" | median)" "${times[*]}" "${text:-ready}" "$reqs" "$hwm")")
  done
done

# --- the tables -------------------------------------------------------------------------
if [ "$only" != startup ]; then
  ratio() { awk -v a="${seq_mbps["$1"]:-0}" -v b="${seq_mbps["$2"]:-0}" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "n/a" }'; }
  echo "### Sequential read of a ${size_mib} MiB flat disk"
  echo
  row protocol reader "MiB/s" seconds "peak RSS of the reader process (KiB)" "FUSE daemon CPU s/GiB" "emulator CPU s/GiB"
  row --- --- ---: ---: ---: ---: ---:
  printf '%s\n' "${rows_seq[@]}"
  echo
  echo "Ratios to one curl stream (ours dd / peers):"
  echo
  row protocol "ours ÷ curl" "ours ÷ rclone" "ours ÷ httpfs2" "ours ÷ nbdkit+nbdcopy"
  row --- ---: ---: ---: ---:
  for proto in $protocols; do
    row "$proto" "$(ratio "$proto ours: dd bs=1M" "$proto curl (1 stream)")" "$(ratio "$proto ours: dd bs=1M" "$proto rclone: dd bs=1M")" \
      "$(ratio "$proto ours: dd bs=1M" "$proto httpfs2: dd bs=1M")" "$(ratio "$proto ours: dd bs=1M" "$proto nbdkit curl + nbdcopy")"
  done
  echo
  echo "### Random 4 KiB reads ($random_reads at seeded offsets after 500 untimed ones, page cache dropped per read)"
  echo
  row protocol peer IOPS "p50 ms" "p99 ms"
  row --- --- ---: ---: ---:
  printf '%s\n' "${rows_rand[@]}"
  echo
  echo "### 4 parallel readers of different ${par_mib} MiB disks (dd bs=1M each)"
  echo
  row protocol peer "total MiB/s" seconds
  row --- --- ---: ---:
  printf '%s\n' "${rows_par[@]}"
  echo
  echo "### Peak RSS (VmHWM) of each daemon after all its runs (ours: the AOT build unless named; default cache budget 256 MiB)"
  echo
  row protocol peer "VmHWM KiB"
  row --- --- ---:
  printf '%s\n' "${rows_rss[@]}"
  echo
fi
echo "### Start-up of esxi-folder-fuse: exec → ready-fd closed (HTTPS, median of $startup_runs mounts)"
echo
row VMs build "median seconds to ready" "each run (s)" "ready-fd text" "/folder requests (start + background check, first run)" "VmHWM KiB (first run)"
row ---: --- ---: --- --- ---: ---:
printf '%s\n' "${rows_start[@]}"
