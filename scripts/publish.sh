#!/usr/bin/env bash
# Builds one self-contained esxi-folder-fuse executable.
#   scripts/publish.sh [--jit] [OUTDIR]     (OUTDIR defaults to dist/)
# Default: NativeAOT (needs clang and zlib1g-dev). --jit: a self-contained single-file build
# with the JIT instead, for machines without the native toolchain; its assemblies are
# precompiled (ReadyToRun), so start-up does not wait for the JIT to compile our code and
# Serilog/Polly first.
# Prints the path of the executable on its last line.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mode=aot
if [[ "${1:-}" == "--jit" ]]; then
    mode=jit
    shift
fi
out=$(mkdir -p "${1:-$root/dist}" && cd "${1:-$root/dist}" && pwd)
stage="$out/.publish-$mode"
rm -rf "$stage"
if [[ $mode == aot ]]; then
    dotnet publish "$root/src/EsxiFuse/EsxiFuse.csproj" -c Release -r linux-x64 \
        -p:PublishAot=true -o "$stage" >&2
else
    dotnet publish "$root/src/EsxiFuse/EsxiFuse.csproj" -c Release -r linux-x64 \
        --self-contained -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true \
        -p:PublishReadyToRun=true \
        -o "$stage" >&2
fi
install -m 0755 "$stage/esxi-folder-fuse" "$out/esxi-folder-fuse"
rm -rf "$stage"
echo "$out/esxi-folder-fuse"
