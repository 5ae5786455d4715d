#!/usr/bin/env bash
# Checks dist/vcf-desktop_<version>_<arch>.deb WITHOUT installing it (CI must not change the machine):
# metadata (dpkg-deb --info), file list (--contents), then unpacks it with `dpkg-deb -x` into a
# scratch folder and runs the full frozen smoke checks (smoke.sh) on /opt/vcf-desktop from there.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
version="$("$here/../version.sh")"
deb="$repo/dist/vcf-desktop_${version}_$(dpkg --print-architecture).deb"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
fail() { echo "check_deb: FAIL: $*" >&2; exit 1; }

[ -f "$deb" ] || fail "no $deb; run 'make deb' first"
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = vcf-desktop ] || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] || fail "Version '$(field Version)' is not the app's $version"
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] || fail "Architecture '$(field Architecture)'"
depends="$(field Depends | tr ',' '\n' | awk '{print $1}')"
for dep in libc6 libgl1 libegl1 libxcb1 libcups2 fontconfig-config fonts-dejavu-core; do
    grep -qx "$dep" <<< "$depends" || fail "Depends lacks $dep: $(field Depends)"
done
dpkg-deb --info "$deb" > /dev/null
echo "check_deb: ok: control (vcf-desktop $version, Depends: $(field Depends))"

dpkg-deb --contents "$deb" > "$scratch/contents"
for path in ./opt/vcf-desktop/vcf-desktop ./usr/share/applications/vcf-desktop.desktop \
            ./usr/share/icons/hicolor/scalable/apps/vcf-desktop.svg \
            ./opt/vcf-desktop/_internal/resources/protocol/vcf-protocol.toml; do
    grep -qE " $path( |$)" "$scratch/contents" || fail "package lacks $path"
done
grep -qF "./usr/bin/vcf-desktop -> /opt/vcf-desktop/vcf-desktop" "$scratch/contents" \
    || fail "no /usr/bin/vcf-desktop symlink to /opt/vcf-desktop/vcf-desktop"
owners="$(awk '{print $2}' "$scratch/contents" | sort -u)"
[ "$owners" = root/root ] || fail "files not owned by root/root: $owners"
echo "check_deb: ok: contents (/opt/vcf-desktop, /usr/bin symlink, .desktop entry, hicolor icon)"

dpkg-deb -x "$deb" "$scratch/root"
desktop="$scratch/root/usr/share/applications/vcf-desktop.desktop"
grep -qx "Exec=vcf-desktop %f" "$desktop" && grep -qx "Icon=vcf-desktop" "$desktop" || fail "bad .desktop entry"
if command -v desktop-file-validate > /dev/null; then desktop-file-validate "$desktop"; fi
"$here/../smoke.sh" "$scratch/root/opt/vcf-desktop"
echo "check_deb: all checks passed for $deb"
