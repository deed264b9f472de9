#!/usr/bin/env bash
# Builds the Debian package, one command:  scripts/package-deb.sh [OUTDIR]   (default dist/)
# Prints the path of the .deb on its last line.
#
# esxi-import-tools_<version>_amd64.deb holds both programs as NativeAOT executables at the
# paths the Proxmox VE storage plugin (ESXiPlugin.pm) runs:
#   /usr/libexec/pve-esxi-import-tools/esxi-folder-fuse   the mount tool
#   /usr/libexec/pve-esxi-import-tools/listvms.py         esxi-listvms (takes listvms.py's arguments)
# and provides, conflicts with and replaces pve-esxi-import-tools, so it takes that package's
# place (README "Debian package"). The version is Directory.Build.props' <Version>, the one the
# programs print for --version; packaging/deb/changelog must start with it.
#
# Needs dpkg-dev (dpkg-shlibdeps) and the NativeAOT toolchain (scripts/install-deps.sh).
# ESXI_PACKAGE_SKIP_PUBLISH=DIR takes the two executables from DIR instead of publishing
# (for trying packaging changes quickly; CI always publishes).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-$root/dist}" && cd "${1:-$root/dist}" && pwd)
package=esxi-import-tools
libexec=usr/libexec/pve-esxi-import-tools
doc=usr/share/doc/$package

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props")
[ -n "$version" ] || { echo "package-deb: no <Version> in Directory.Build.props" >&2; exit 1; }
changelog_version=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' "$root/packaging/deb/changelog")
if [ "$changelog_version" != "$version" ]; then
  echo "package-deb: packaging/deb/changelog starts with $changelog_version, Directory.Build.props says $version" >&2
  exit 1
fi

work=$(mktemp -d /tmp/esxi-package.XXXXXX)
trap 'rm -rf "$work"' EXIT
tree=$work/tree

if [ -n "${ESXI_PACKAGE_SKIP_PUBLISH:-}" ]; then
  bin=$ESXI_PACKAGE_SKIP_PUBLISH
else
  bin=$work/bin
  "$root/scripts/publish.sh" "$bin" >/dev/null
  "$root/scripts/publish.sh" --listvms "$bin" >/dev/null
fi

install -d -m 0755 "$tree/DEBIAN" "$tree/$libexec" "$tree/$doc"
install -m 0755 "$bin/esxi-folder-fuse" "$tree/$libexec/esxi-folder-fuse"
install -m 0755 "$bin/esxi-listvms" "$tree/$libexec/listvms.py"
install -m 0644 "$root/packaging/deb/copyright" "$tree/$doc/copyright"
gzip -9n <"$root/packaging/deb/changelog" >"$tree/$doc/changelog.gz"

# The .NET runtime's own third-party notices (zlib-ng and more are linked into both programs),
# from the ILCompiler runtime package the publish restored (the newest one when the project's
# restore no longer names it, after a plain build).
cache=${NUGET_PACKAGES:-$HOME/.nuget/packages}/runtime.linux-x64.microsoft.dotnet.ilcompiler
ilc=$(sed -n 's:.*"runtime.linux-x64.Microsoft.DotNet.ILCompiler/\([^"]*\)".*:\1:p' "$root/src/EsxiFuse/obj/project.assets.json" | head -n1)
[ -n "$ilc" ] || ilc=$(ls "$cache" 2>/dev/null | sort -V | tail -n1)
notices=$cache/$ilc/THIRD-PARTY-NOTICES.TXT
[ -n "$ilc" ] && [ -f "$notices" ] || { echo "package-deb: .NET third-party notices not found ($notices)" >&2; exit 1; }
gzip -9n <"$notices" >"$tree/$doc/THIRD-PARTY-NOTICES.TXT.gz"

# Depends: what the executables link (dpkg-shlibdeps), plus what they load or run at run time:
# OpenSSL (dlopen'ed by .NET for TLS; libssl3t64 since trixie) and fusermount3 (fuse3).
mkdir -p "$work/debian"
printf 'Source: %s\n\nPackage: %s\nArchitecture: amd64\n' "$package" "$package" >"$work/debian/control"
shlibs=$(cd "$work" && dpkg-shlibdeps -O -e"$tree/$libexec/esxi-folder-fuse" -e"$tree/$libexec/listvms.py" 2>/dev/null \
  | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "package-deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

installed_size=$(du -sk --exclude=DEBIAN "$tree" | cut -f1)
cat >"$tree/DEBIAN/control" <<EOF
Package: $package
Version: $version
Architecture: amd64
Maintainer: esxi-import maintainers <maintainers@esxi-import.example>
Installed-Size: $installed_size
Depends: $shlibs, fuse3, libssl3t64 | libssl3
Provides: pve-esxi-import-tools (= $version)
Conflicts: pve-esxi-import-tools
Replaces: pve-esxi-import-tools
Section: admin
Priority: optional
Description: ESXi import tools for Proxmox VE (esxi-import implementation)
 A drop-in for pve-esxi-import-tools: the FUSE file system that serves the
 datastores of an ESXi host over its /folder HTTP API (esxi-folder-fuse) and
 the listing of the host's VMs as the JSON manifest (installed as listvms.py),
 at the paths the Proxmox VE ESXi storage plugin runs them from.
 .
 Both are self-contained NativeAOT executables; Python and pyVmomi are not
 needed.
EOF
(cd "$tree" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$tree/DEBIAN/md5sums"
chmod 0644 "$tree/DEBIAN/control" "$tree/DEBIAN/md5sums"

# Reproducible: every file dated by the changelog entry.
epoch=$(date -d "$(sed -n 's/^ -- .*  \(.*\)$/\1/p' "$root/packaging/deb/changelog" | head -n1)" +%s)
find "$tree" -exec touch -h -d "@$epoch" {} +
deb=$out/${package}_${version}_amd64.deb
SOURCE_DATE_EPOCH=$epoch dpkg-deb --root-owner-group -Zxz --build "$tree" "$deb" >/dev/null
echo "$deb"
