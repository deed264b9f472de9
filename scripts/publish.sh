#!/usr/bin/env bash
# Builds one self-contained executable: esxi-folder-fuse, or with --listvms esxi-listvms.
#   scripts/publish.sh [--jit] [--listvms] [OUTDIR]     (OUTDIR defaults to dist/)
# Default: NativeAOT (needs a C toolchain, clang or gcc, and zlib1g-dev to link the system zlib). --jit: a self-contained
# single-file build with the JIT instead, for machines without the native toolchain; its
# assemblies are precompiled (ReadyToRun), so start-up does not wait for the JIT to compile our
# code and Serilog/Polly first.
# Prints the path of the executable on its last line.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mode=aot
project=EsxiFuse
program=esxi-folder-fuse
while [[ "${1:-}" == --* ]]; do
    case "$1" in
        --jit) mode=jit ;;
        --listvms) project=EsxiListing program=esxi-listvms ;;
        *) echo "publish.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
out=$(mkdir -p "${1:-$root/dist}" && cd "${1:-$root/dist}" && pwd)
stage="$out/.publish-$program-$mode"
rm -rf "$stage"
if [[ $mode == aot ]]; then
    # UseSystemZlib: link Debian's libz.so instead of a private zlib copy (a package must not
    # embed a library the system has; lintian's embedded-library). The link step does not see
    # a changed link option, so its last output goes: the executable is always linked anew.
    # No build servers: nothing keeps running after the script, and time(1) sees all the work.
    rm -f "$root/src/$project/bin/Release/net10.0/linux-x64/native/$program"
    dotnet publish "$root/src/$project/$project.csproj" -c Release -r linux-x64 \
        -p:PublishAot=true -p:UseSystemZlib=true --disable-build-servers -o "$stage" >&2
else
    dotnet publish "$root/src/$project/$project.csproj" -c Release -r linux-x64 \
        --self-contained -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true \
        -p:PublishReadyToRun=true \
        -o "$stage" >&2
fi
install -m 0755 "$stage/$program" "$out/$program"
rm -rf "$stage"
echo "$out/$program"
