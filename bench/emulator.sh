# Sourced by the bench scripts: starts esxi-emulator in the background and reads its ready line.
# Needs $emulator (the program), $work (a private folder) and $py (/usr/bin/python3).
# emulator_up ARGS... → sets emu_pid, url (no trailing /), port, user, password and writes
# $work/password; the emulator writes its counters to $work/counters.json when it stops.
emulator_up() {
  rm -f "$work/emulator.ready" "$work/counters.json"
  # Tiered compilation off: the emulator stands in for a host whose speed does not change during
  # a run. With it on, the emulator's request path is recompiled for thousands of requests, so the
  # peer measured first meets a slower host than the ones after it (random 4 KiB reads: the first
  # of three runs 40-50 % slower than the third, on the same peer).
  DOTNET_TieredCompilation=0 "$emulator" "$@" --counters-file "$work/counters.json" >"$work/emulator.ready" 2>>"$work/emulator.log" &
  emu_pid=$!
  for _ in $(seq 300); do [ -s "$work/emulator.ready" ] && break; sleep 0.1; done
  local ready; ready=$(head -n1 "$work/emulator.ready")
  field() { "$py" -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$ready" "$1"; }
  url=$(field url); user=$(field user); password=$(field password)
  url=${url%/}; port=${url##*:}
  (umask 077; printf %s "$password" >"$work/password")
}
