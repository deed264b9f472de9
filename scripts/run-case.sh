#!/usr/bin/env bash
# Runs ONE golden case (spec/cases/<id>) by hand: starts the emulator with the case's scenario and
# faults, prepares the machine as the case says, launches esxi-folder-fuse through the C#
# PluginLauncher and the Perl harness (both plugin variants) — or runs esxi-listvms — and prints
# what the user would have seen: the plugin's message, stderr, the ready-fd bytes, the syslog
# records, the exit code. Differences from the expected files are shown by the test output.
#
#   scripts/run-case.sh <id>             build, run, print
#   ACCEPT=1 scripts/run-case.sh <id>    also (re)write the expected files from this run
#   NO_BUILD=1 scripts/run-case.sh <id>  skip the build
set -uo pipefail
cd "$(dirname "$0")/.."
id=${1:?usage: scripts/run-case.sh <case-id>   (ids: ls spec/cases)}
if [ ! -f "spec/cases/$id/case.yaml" ]; then
  echo "run-case: no case spec/cases/$id/case.yaml" >&2
  exit 2
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ -z "${NO_BUILD:-}" ]; then
  dotnet build tests/integration/IntegrationTests.csproj -nologo -v:q >/dev/null || exit 1
fi
report=$(mktemp)
trap 'rm -f "$report"' EXIT
GOLDEN_CASE=$id GOLDEN_REPORT=$report dotnet test tests/integration/IntegrationTests.csproj --no-build -nologo \
  --filter "FullyQualifiedName~Golden" --logger "console;verbosity=minimal" >"$report.test" 2>&1
status=$?
cat "$report"
if [ "$status" -ne 0 ]; then
  grep -v '^\s*at ' "$report.test"
fi
rm -f "$report.test"
exit "$status"
