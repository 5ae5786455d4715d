#!/usr/bin/env bash
# Smoke checks of a frozen VCF Desktop onedir bundle (Linux), offscreen, no network, no install.
#   build_scripts/smoke.sh [BUNDLE_DIR]        default: dist/vcf-desktop
# Fails (non-zero) on: a missing Qt plugin, data file or font in the bundle; a bundled binary that
# needs a library that is neither bundled nor expected from the system (linux/system-libs.txt); a
# dangling symlink; a failing `selftest`, `--version` or `--exit-after-show`; a plan PDF without
# the case id in its text or without embedded DejaVu fonts; Qt plugin-loading errors on stderr.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
bundle="$(cd "${1:-$repo/dist/vcf-desktop}" && pwd)"
bin="$bundle/vcf-desktop"
internal="$bundle/_internal"
export QT_QPA_PLATFORM=offscreen
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fail() { echo "smoke: FAIL: $*" >&2; exit 1; }
ok() { echo "smoke: ok: $*"; }

[ -x "$bin" ] || fail "no executable $bin"
for tool in readelf pdftotext pdffonts; do
    command -v "$tool" > /dev/null || fail "needs $tool (binutils, poppler-utils: make sysdeps build-sysdeps)"
done

# 1. Files the app needs at run time.
plugins="$internal/PySide6/Qt/plugins"
for f in platforms/libqoffscreen.so platforms/libqxcb.so imageformats/libqsvg.so \
         iconengines/libqsvgicon.so printsupport/libcupsprintersupport.so; do
    [ -f "$plugins/$f" ] || fail "Qt plugin missing: $f"
done
ok "Qt plugins (offscreen, xcb, svg, svg icons, print support)"
for f in protocol/vcf-protocol.toml cases/typical-l2-wedge.vcfcase.json \
         fonts/DejaVuSans.ttf fonts/DejaVuSans-Bold.ttf; do
    [ -f "$internal/resources/$f" ] || fail "resource missing: resources/$f"
done
# Every file of the checked-in resources/ tree (icons included) must be in the bundle.
(cd "$repo/resources" && find . -type f) | while read -r f; do
    [ -f "$internal/resources/$f" ] || fail "resource not bundled: resources/${f#./}"
done
ls "$internal"/resources/icons/*.svg > /dev/null 2>&1 || fail "no SVG icon in resources/icons"
ok "resources (protocol, demo case, fonts, icons) complete"

dangling="$(find "$bundle" -xtype l)"
[ -z "$dangling" ] || fail "dangling symlinks: $dangling"

# 2. Library closure: each NEEDED entry of each bundled ELF file is bundled or a known system library.
allowed="$(grep -v '^#' "$here/linux/system-libs.txt" | awk 'NF {print $1}')"
bundled="$(find "$internal" \( -type f -o -type l \) -printf '%f\n' | sort -u)"
missing="$(find "$bundle" -type f \( -name '*.so*' -o -name vcf-desktop \) -print0 \
    | xargs -0 -n 50 readelf -d 2>/dev/null | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | sort -u \
    | grep -vxF -f <(printf '%s\n%s\n' "$bundled" "$allowed") || true)"
[ -z "$missing" ] || fail "libraries neither bundled nor in linux/system-libs.txt: $missing"
ok "shared-library closure"

# 3. The program itself. Qt reports plugin trouble on stderr, not in the exit code.
run() {  # run NAME CMD...: exit code 0 and no plugin errors on stderr
    local name="$1"; shift
    local rc=0
    "$@" > "$work/$name.out" 2> "$work/$name.err" || rc=$?
    [ "$rc" = 0 ] || { cat "$work/$name.out" "$work/$name.err" >&2; fail "$name exited $rc"; }
    if grep -E "qt\.qpa\.plugin|Cannot load library|Fontconfig error|Could not (find|load) the Qt platform" "$work/$name.err"; then
        fail "$name: Qt plugin or font errors on stderr"
    fi
    ok "$name"
}
version="$("$here/version.sh")"
run version "$bin" --version
grep -qF "$version" "$work/version.out" || fail "--version does not print $version: $(cat "$work/version.out")"
run selftest "$bin" selftest
run exit-after-show "$bin" --exit-after-show
demo="$internal/resources/cases/typical-l2-wedge.vcfcase.json"
# With a case file the window also loads the protocol, opens the case and shows its plan, then exits.
run exit-after-show-with-case "$bin" --exit-after-show "$demo"

# 4. A real plan PDF from the bundled demo case: its text and its fonts.
case_id="$(sed -n 's/.*"case_id": *"\([^"]*\)".*/\1/p' "$demo" | head -n 1)"
[ -n "$case_id" ] || fail "demo case has no case_id"
run plan-pdf "$bin" plan "$demo" --format pdf -o "$work/plan.pdf"
pdftotext "$work/plan.pdf" "$work/plan.txt"
grep -qF "$case_id" "$work/plan.txt" || fail "plan PDF text lacks the case id $case_id"
pdffonts "$work/plan.pdf" | awk '/DejaVuSans/ && $(NF-4) == "yes" {found=1} END {exit !found}' \
    || { pdffonts "$work/plan.pdf" >&2; fail "plan PDF has no embedded DejaVu font"; }
ok "plan PDF: case id '$case_id' in its text, DejaVu embedded"

# 5. The headless JSON plan of the demo case, on the path without pydantic (plain case records, compiled protocol).
run plan-json "$bin" plan "$demo" --format json -o "$work/plan.json"
grep -qF '"format": "vcf-plan"' "$work/plan.json" && grep -qF "\"case_id\": \"$case_id\"" "$work/plan.json" \
    || { cat "$work/plan.json" >&2; fail "plan --format json did not write the demo's plan file"; }

# 6. A batch in two worker processes (the frozen program has no multiprocessing runtime hook, see the spec).
mkdir -p "$work/batch-in"
cp "$demo" "$work/batch-in/a.json"
cp "$demo" "$work/batch-in/b.json"
run plan-batch-jobs "$bin" plan "$work/batch-in" --out-dir "$work/batch-out" --jobs 2
for name in a b; do
    grep -qF '"format": "vcf-plan"' "$work/batch-out/$name.plan.json" || fail "plan --jobs 2 did not write $name.plan.json"
done

# 7. A real X11 window under Xvfb, when Xvfb is there (make sysdeps installs it).
if command -v xvfb-run > /dev/null; then
    run exit-after-show-xcb env QT_QPA_PLATFORM=xcb \
        xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" "$bin" --exit-after-show
fi
echo "smoke: all checks passed for $bundle"
