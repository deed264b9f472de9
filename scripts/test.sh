#!/usr/bin/env bash
# Runs every test of the project with coverage, then the coverage gate. This is the README's
# test command and what CI runs (.ci/run). Exit code 0 only when every test passed and the
# gate held.
#
#   scripts/test.sh              all tests + gate
#   FILTER='FullyQualifiedName~Vmx' scripts/test.sh    a subset (the gate is skipped)
set -euo pipefail
cd "$(dirname "$0")/.."

# Coverage gate of src/ (merged over all test projects). Raise these as coverage grows.
MIN_LINE=${MIN_LINE:-90}
MIN_BRANCH=${MIN_BRANCH:-80}

scripts/install-deps.sh
# The vcsim peer of the integration tests, built from Debian's govmomi; cached, so a second run costs seconds.
tests/peers/vcsim/build.sh >/dev/null

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
results=TestResults
rm -rf "$results" coverage
dotnet tool restore >/dev/null
dotnet build EsxiImport.slnx -c Debug -warnaserror -nologo -v:q
# Style is part of the gate: the code must be as `dotnet format` leaves it (.editorconfig).
dotnet format EsxiImport.slnx --verify-no-changes --no-restore --verbosity quiet \
  || { echo "error: dotnet format would change files; run: dotnet format EsxiImport.slnx" >&2; exit 1; }

filter_args=()
[ -n "${FILTER:-}" ] && filter_args=(--filter "$FILTER")

status=0
for project in tests/architecture/ArchitectureTests.csproj tests/unit/UnitTests.csproj tests/property/PropertyTests.csproj tests/integration/IntegrationTests.csproj; do
  echo "== $project"
  dotnet test "$project" --no-build -nologo \
    --settings coverage.runsettings --collect "XPlat Code Coverage" \
    --results-directory "$results" --logger "console;verbosity=minimal" \
    "${filter_args[@]}" || status=1
done

# The Debian package: built as a release would be (NativeAOT, scripts/package-deb.sh), then
# installed into a temporary root and run list → mount → checksum → unmount against the
# emulator (tests/package/deb-test.sh). Not for a FILTER subset.
if [ -z "${FILTER:-}" ]; then
  echo "== Debian package"
  package_start=$SECONDS
  if deb=$(scripts/package-deb.sh "$results/deb" | tail -n1) \
    && tests/package/deb-test.sh "$deb" src/EsxiEmulator/bin/Debug/net10.0/esxi-emulator; then
    echo "== Debian package: built and tested in $((SECONDS - package_start)) s"
  else
    status=1
  fi
fi

reports=$(find "$results" -name coverage.cobertura.xml | paste -sd ';' -)
if [ -n "$reports" ]; then
  dotnet tool run reportgenerator -- "-reports:$reports" -targetdir:coverage \
    "-reporttypes:JsonSummary;TextSummary;Cobertura" -verbosity:Warning >/dev/null
  sed -n '1,12p' coverage/Summary.txt
fi

if [ "$status" -ne 0 ]; then
  echo "error: tests failed" >&2
  exit "$status"
fi
if [ -z "${FILTER:-}" ]; then
  scripts/coverage-gate.py coverage/Summary.json "$MIN_LINE" "$MIN_BRANCH"
fi
