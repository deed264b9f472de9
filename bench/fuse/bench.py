#!/usr/bin/env python3
"""Measures the FUSE layer for bench/fuse/bench.sh (see there). Prints one row per configuration:
sequential and 4-reader MB/s (median of the runs, 10^6 bytes/s), the ratio to tmpfs, and the
daemon's CPU seconds (user+system) per GiB read."""
import argparse
import os
import statistics
import subprocess
import sys
import time

GIB = 1 << 30
TICKS = os.sysconf("SC_CLK_TCK")


def write_expected(path, size):
    # byte i = (i*31 + 7) mod 251: the pattern repeats every 251 bytes, so a block of 251*4096
    # bytes tiles the file seamlessly.
    period = bytes(((i * 31) + 7) % 251 for i in range(251))
    block = period * 4096
    with open(path, "wb") as f:
        left = size
        while left > 0:
            n = min(left, len(block))
            f.write(block[:n])
            left -= n


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def dd(path, skip_gib=0, count_gib=None):
    args = ["dd", f"if={path}", "of=/dev/null", "bs=1M", "status=none"]
    if skip_gib:
        args.append(f"skip={skip_gib * 1024}")
    if count_gib is not None:
        args.append(f"count={count_gib * 1024}")
    return subprocess.Popen(args)


def timed(procs):
    start = time.monotonic()
    for p in procs:
        if p.wait() != 0:
            sys.exit(f"dd failed: {p.args}")
    return time.monotonic() - start


def measure(path, size_gib, runs, pid=None):
    size = size_gib * GIB
    seq, par, cpu_seq = [], [], []
    timed([dd(path, count_gib=1)])  # warm-up: first touches of guest memory are slow
    for _ in range(runs):
        c0 = cpu_seconds(pid) if pid else 0
        seq.append(size / timed([dd(path)]) / 1e6)
        cpu_seq.append(((cpu_seconds(pid) - c0) if pid else 0) / size_gib)
    if size_gib >= 4:
        for _ in range(runs):
            par.append(size / timed([dd(path, skip_gib=i * (size_gib // 4), count_gib=size_gib // 4) for i in range(4)]) / 1e6)
    return statistics.median(seq), (statistics.median(par) if par else float("nan")), statistics.median(cpu_seq)


def start_host(host, mnt, size, cache, readahead_kb):
    os.makedirs(mnt, exist_ok=True)
    p = subprocess.Popen(["dotnet", host, mnt, "--size", str(size), "--cache", cache, "--readahead-kb", str(readahead_kb)],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = p.stdout.readline().strip()
    if not line.startswith("ready"):
        p.kill()
        sys.exit(f"host did not start: {line!r}")
    return p, line


def stop_host(p):
    p.terminate()
    try:
        p.wait(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--size-gib", type=int, default=4)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    size = a.size_gib * GIB

    expected = os.path.join(a.work, "tmpfs", "disk-flat.vmdk")
    write_expected(expected, size)
    rows = [("tmpfs (limit)",) + measure(expected, a.size_gib, a.runs)]
    configs = [("fuse direct-io", "direct", 0), ("fuse page cache ra16M", "page", 16384), ("fuse page cache ra128K (kernel default)", "page", 128)]
    negotiated = None
    for name, cache, ra in configs:
        mnt = os.path.join(a.work, f"mnt-{cache}-{ra}")
        p, line = start_host(a.host, mnt, size, cache, ra)
        negotiated = negotiated or line
        try:
            path = os.path.join(mnt, "vm", "disk-flat.vmdk")
            if cache == "direct":
                same = subprocess.run(["cmp", path, expected]).returncode == 0
                print(f"content check (cmp of {a.size_gib} GiB through the mount): {'identical' if same else 'DIFFERENT'}")
            rows.append((name,) + measure(path, a.size_gib, a.runs, p.pid))
        finally:
            stop_host(p)

    print(negotiated)
    base_seq, base_par = rows[0][1], rows[0][2]
    print(f"{'config':42} {'seq MB/s':>9} {'vs tmpfs':>8} {'par4 MB/s':>10} {'vs tmpfs':>8} {'daemon CPU-s/GiB':>17}")
    for name, s, p_, c in rows:
        cpu = "-" if name.startswith("tmpfs") else f"{c:.2f}"
        print(f"{name:42} {s:9.0f} {s / base_seq:8.0%} {p_:10.0f} {p_ / base_par:8.0%} {cpu:>17}")


if __name__ == "__main__":
    main()
