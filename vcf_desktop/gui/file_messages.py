"""A case file's problems as the user reads them: fields named by their labels on screen, and files that
are not case files at all (a PDF, an image, a word-processor file) named for what they are."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from vcf_desktop.gui.fields import resolve, tr

#: A case path inside a message: "patient.age_years", "fractures[1].level", "bone_health.prior_therapies[0].agent".
_PATH = re.compile(r"\b[a-z_][a-z0-9_]*(?:\[\d+\])?(?:\.[a-z_][a-z0-9_]*(?:\[\d+\])?)+\b")
#: File signatures of things people open by mistake: first bytes -> what it is.
_NOT_CASE_FILES = {b"%PDF": "a PDF document (perhaps a printed or exported plan)", b"PK\x03\x04":
                   "a ZIP archive or an office document", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image",
                   b"\xd0\xcf\x11\xe0": "an old-style office document"}


#: Keys about the document as a whole, named as they are (there is no field on screen for them).
_DOCUMENT_KEYS = ("format", "format_version")
#: A top-level field named at the start of a message ("case_id: …").
_LEADING_KEY = re.compile(r"^[a-z_][a-z0-9_]*(?=:)")
#: What one item of a list is called.
_ITEM = {"fractures": "fracture", "prior_therapies": "earlier drug"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("FileMessages", text)


def label_of(path: str) -> str:
    """"patient.age_years" -> "Age (Patient)"; "fractures[1].level" -> "Level (fracture 2)"; the path
    itself when it is not a field."""
    try:
        title = tr(resolve(path).title)
    except (KeyError, ValueError, TypeError):
        return path
    parts = path.split(".")
    if len(parts) == 1:
        return path if path in _DOCUMENT_KEYS else title
    container = parts[-2]
    index = re.fullmatch(r"([a-z_][a-z0-9_]*)\[(\d+)\]", container)
    if index:
        where = f"{_tr(_ITEM.get(index.group(1), index.group(1)))} {int(index.group(2)) + 1}"
    else:
        where = _tr(container.replace("_", " ").capitalize())
    return f"{title} ({where})"


def readable_problems(path: Path, problems: list[str]) -> list[str]:
    """`problems` with field paths replaced by their labels; for a file that is plainly something else
    than a case file, one message that says what it is."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        head = b""
    for signature, what in _NOT_CASE_FILES.items():
        if head.startswith(signature):
            return [_tr("This is %1, not a case file. Open the case file (.vcfcase.json) saved with the case.")
                    .replace("%1", _tr(what))]
    def relabel(problem: str) -> str:
        problem = _PATH.sub(lambda m: label_of(m.group(0)), problem)
        return _LEADING_KEY.sub(lambda m: label_of(m.group(0)), problem)

    return [relabel(problem) for problem in problems]
