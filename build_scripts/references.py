"""Regenerate the protocol's `[references]` from the clinical evidence base (evidence.md).

    python build_scripts/references.py PATH/TO/evidence.md [resources/protocol/vcf-protocol.toml]

Every rule row of evidence.md (`| ID | ... | Tag / source | ... |`) becomes `[references.ID]`: its
title is the rule and its detail (shortened), its source the row's tag/source column as written
(primary identifiers first, with the per-claim [V]/[S]/[M] tags kept inline), and its verification
the first tag of that column. Rows that record that no source was found are left out. Everything after the references marker in the protocol is replaced.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

MARKER = "# Generated from evidence.md"
ROW_ID = re.compile(r"^[A-Z]+-\d+[a-z]?$")
TAG = re.compile(r"\[([VSM])\]")
TITLE_CHARS = 300


#: The evidence file's own curation notes ("v2: blog source removed"): history of the file, not a citation.
CURATION_NOTES = (
    re.compile(r"\.?\s*v2: [^.;()]*\bremoved\b"),
    re.compile(r"\.?\s*v2: re-sourced to PMID/DOI \(v1 locations replaced, see change log\)"),
    re.compile(r"\s*\(the v1 source was [^)]*\bremoved\)"),
    re.compile(r";\s*v1 [^;)]*\bremoved(?=\))"),
)


def _clean(cell: str) -> str:
    """Markdown emphasis and curation notes removed; EU register annex file names (anx_NNNNNN) as words."""
    text = re.sub(r"\banx_(\d+)", r"annex \1", cell.replace("**", "").replace("`", ""))
    for note in CURATION_NOTES:
        text = note.sub("", text)
    return " ".join(text.split())


def _short(text: str) -> str:
    if len(text) <= TITLE_CHARS:
        return text
    return text[:TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _toml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def references(evidence: str) -> dict[str, tuple[str, str, str]]:
    """{id: (title, source, verification)} for every rule row, in file order."""
    out: dict[str, tuple[str, str, str]] = {}
    source_col = None
    for line in evidence.splitlines():
        if not line.startswith("|"):
            source_col = None if not line.strip() else source_col
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] == "ID":
            source_col = next((i for i, c in enumerate(cells) if "source" in c.lower()), None)
            continue
        if source_col is None or not ROW_ID.match(cells[0]) or len(cells) <= source_col:
            continue
        name = _clean(cells[1]).removeprefix("New in v2. ").removeprefix("*New in v2.* ")
        detail = " — ".join(c for c in map(_clean, cells[2:source_col]) if c not in ("", "—"))
        title = _short(f"{name}: {detail}" if detail else name)
        source = _clean(cells[source_col])
        if source in ("", "—"):
            continue  # a row recording that no source was found (e.g. FAIL-4) is not a reference
        tag = TAG.search(source) or TAG.search(line)
        out[cells[0]] = (title, source, tag.group(1) if tag else "M")
    return out


def render(refs: dict[str, tuple[str, str, str]]) -> str:
    blocks = [f"[references.{rid}]\ntitle = {_toml(t)}\nsource = {_toml(s)}\nverification = \"{v}\"\n"
              for rid, (t, s, v) in refs.items()]
    return (f"{MARKER} v2: every rule id with its tag (V verified, S secondary, M unverified); regenerate with\n"
            "# build_scripts/references.py, never edit by hand.\n\n" + "\n".join(blocks))


def main(argv: list[str]) -> int:
    evidence = Path(argv[1]).read_text(encoding="utf-8")
    protocol = Path(argv[2] if len(argv) > 2 else "resources/protocol/vcf-protocol.toml")
    text = protocol.read_text(encoding="utf-8")
    head = text[:text.index(MARKER)]
    protocol.write_text(head + render(references(evidence)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
