#!/usr/bin/env bash
# Builds dist/vcf-desktop_<version>_<arch>.deb from the onedir bundle in dist/vcf-desktop (make build).
#   /opt/vcf-desktop/            the bundle
#   /usr/bin/vcf-desktop         -> /opt/vcf-desktop/vcf-desktop
#   /usr/share/applications/vcf-desktop.desktop, /usr/share/icons/hicolor/scalable/apps/vcf-desktop.svg
# Depends come from linux/system-libs.txt (what the bundle takes from the system) plus the font
# configuration. Needs only dpkg-deb (no root, no fakeroot: --root-owner-group).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bundle="${VCF_BUNDLE:-$repo/dist/vcf-desktop}"   # overridable for tests
[ -x "$bundle/vcf-desktop" ] || { echo "build_deb: no bundle in $bundle; run 'make build' first" >&2; exit 1; }

version="$("$here/../version.sh")"
arch="$(dpkg --print-architecture)"
glibc="$(getconf GNU_LIBC_VERSION | awk '{print $2}')"   # the bundle needs at least the build machine's
out="${VCF_DEB_OUT:-$repo/dist/vcf-desktop_${version}_${arch}.deb}"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT

install -d "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
    "$root/usr/share/icons/hicolor/scalable/apps" "$root/usr/share/doc/vcf-desktop"
cp -a "$bundle" "$root/opt/vcf-desktop"
ln -s /opt/vcf-desktop/vcf-desktop "$root/usr/bin/vcf-desktop"
install -m 644 "$here/vcf-desktop.desktop" "$root/usr/share/applications/vcf-desktop.desktop"
install -m 644 "$repo/resources/icons/vcf-desktop.svg" "$root/usr/share/icons/hicolor/scalable/apps/vcf-desktop.svg"
{
    echo "VCF Desktop $version: an offline decision aid for vertebral compression fractures."
    echo "Bundled font: DejaVu Sans (/opt/vcf-desktop/_internal/resources/fonts/LICENSE-DejaVu.txt)."
    echo "Bundled runtime: Qt 6 / PySide6 (LGPLv3), Python, pydantic; see the PyInstaller bundle."
} > "$root/usr/share/doc/vcf-desktop/copyright"
chmod -R u+rwX,go+rX,go-w "$root"

libs="$(grep -v '^#' "$here/system-libs.txt" | awk 'NF && $2 != "libc6" {print $2}' | sort -u | paste -sd, \
    | sed 's/,/, /g; s/|/ | /g')"
cat > "$root/DEBIAN/control" <<CONTROL
Package: vcf-desktop
Version: $version
Section: science
Priority: optional
Architecture: $arch
Maintainer: ${DEB_MAINTAINER:-VCF Desktop maintainers <vcf-desktop@example.org>}
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: libc6 (>= $glibc), $libs, fontconfig-config, fonts-dejavu-core
Suggests: cups-client
Description: offline decision aid for vertebral compression fractures
 VCF Desktop turns a patient's findings for a vertebral compression fracture
 into an evidence-based, printable management plan. It works fully offline:
 a wizard for the findings, and a headless command line (vcf-desktop --help).
 .
 Self-contained build (PyInstaller onedir with Qt 6) installed in /opt/vcf-desktop.
CONTROL

mkdir -p "$(dirname "$out")"
dpkg-deb --root-owner-group -Zxz --build "$root" "$out" > /dev/null
echo "build_deb: $out ($(du -h "$out" | cut -f1))"
sha256sum "$out"
