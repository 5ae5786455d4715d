#!/usr/bin/env bash
# macOS only: builds "dist/VCF Desktop.app" (PyInstaller BUNDLE via the spec's --app-bundle switch),
# smoke-tests it offscreen, optionally signs and notarizes it, and wraps it in
# dist/vcf-desktop-<version>-macos-<arch>.dmg with hdiutil.
#   build_scripts/macos/build_app.sh
# Optional environment: PYINSTALLER (default: .venv/bin/pyinstaller, else pyinstaller on PATH),
#   CODESIGN_IDENTITY ("Developer ID Application: ..."), NOTARY_PROFILE (a `xcrun notarytool
#   store-credentials` keychain profile). Without them the app is only ad-hoc signed (PyInstaller's
#   default) and Gatekeeper will warn on other Macs.
set -euo pipefail
[ "$(uname -s)" = Darwin ] || { echo "build_app.sh: macOS only" >&2; exit 1; }

repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
pyinstaller="${PYINSTALLER:-$( [ -x .venv/bin/pyinstaller ] && echo .venv/bin/pyinstaller || echo pyinstaller )}"
version="$(build_scripts/version.sh)"
app="dist/VCF Desktop.app"
dmg="dist/vcf-desktop-$version-macos-$(uname -m).dmg"

"$pyinstaller" --noconfirm --clean build_scripts/vcf-desktop.spec -- --app-bundle
QT_QPA_PLATFORM=offscreen "$app/Contents/MacOS/vcf-desktop" selftest
QT_QPA_PLATFORM=offscreen "$app/Contents/MacOS/vcf-desktop" --exit-after-show

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
    codesign --force --deep --options runtime --timestamp --sign "$CODESIGN_IDENTITY" "$app"
    codesign --verify --deep --strict --verbose=2 "$app"
fi

staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
hdiutil create -volname "VCF Desktop $version" -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$dmg"

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
    codesign --force --timestamp --sign "$CODESIGN_IDENTITY" "$dmg"
    if [ -n "${NOTARY_PROFILE:-}" ]; then
        xcrun notarytool submit "$dmg" --keychain-profile "$NOTARY_PROFILE" --wait
        xcrun stapler staple "$dmg"
    fi
fi
shasum -a 256 "$dmg"
