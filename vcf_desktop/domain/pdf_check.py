"""Read a PDF back just far enough to know it is whole: header, cross-reference table, trailer, `%%EOF` and
the page count. No PDF library: the headless path stays light (`safe_write` uses this as its PDF verifier).
"""

from __future__ import annotations

import re

_HEADER = re.compile(rb"%PDF-\d\.\d")
_TAIL = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_XREF_SECTION = re.compile(rb"(\d+) (\d+)\s*\r?\n")
_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])\s{1,2}")
_REF = rb"\s+(\d+)\s+(\d+)\s+R"
_LEAF_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
TAIL_BYTES = 1024


class PdfCheckError(ValueError):
    """The bytes are not a complete PDF (or not the one expected)."""


def _objects(data: bytes, start: int) -> tuple[dict[int, int], bytes]:
    """Object number -> offset from the classic cross-reference table at `start`, and the trailer text."""
    if not data.startswith(b"xref", start):
        raise PdfCheckError("startxref does not point to a cross-reference table")
    pos, offsets = start + 4, {}
    while True:
        while pos < len(data) and data[pos:pos + 1].isspace():
            pos += 1
        section = _XREF_SECTION.match(data, pos)
        if section is None:
            break
        first, count = int(section[1]), int(section[2])
        pos = section.end()
        for number in range(first, first + count):
            entry = _XREF_ENTRY.match(data, pos)
            if entry is None:
                raise PdfCheckError(f"cross-reference entry {number} is damaged")
            if entry[3] == b"n":
                offsets[number] = int(entry[1])
            pos = entry.end()
    if not data.startswith(b"trailer", pos):
        raise PdfCheckError("no trailer after the cross-reference table")
    return offsets, data[pos:]


def _object(data: bytes, offsets: dict[int, int], number: int) -> bytes:
    offset = offsets.get(number)
    if offset is None or not re.match(rb"\s*%d\s+\d+\s+obj\b" % number, data[offset:offset + 40]):
        raise PdfCheckError(f"object {number} is not where the cross-reference table says")
    end = data.find(b"endobj", offset)
    if end < 0:
        raise PdfCheckError(f"object {number} has no end")
    return data[offset:end]


def page_count(data: bytes) -> int:
    """The page count of a complete PDF; PdfCheckError naming what is missing or damaged otherwise."""
    if not _HEADER.match(data):
        raise PdfCheckError("no PDF header")
    tail = _TAIL.search(data[-TAIL_BYTES:])
    if tail is None:
        raise PdfCheckError("no startxref and %%EOF at the end (truncated?)")
    start = int(tail[1])
    if start >= len(data):
        raise PdfCheckError("startxref points past the end of the file (truncated?)")
    offsets, trailer = _objects(data, start)
    for number in offsets:
        _object(data, offsets, number)
    root = re.search(rb"/Root" + _REF, trailer)
    if root is None:
        raise PdfCheckError("the trailer names no document catalog")
    pages_ref = re.search(rb"/Pages" + _REF, _object(data, offsets, int(root[1])))
    if pages_ref is None:
        raise PdfCheckError("the document catalog names no page tree")
    count = re.search(rb"/Count\s+(\d+)", _object(data, offsets, int(pages_ref[1])))
    if count is None:
        raise PdfCheckError("the page tree has no page count")
    leaves = sum(1 for n in offsets if _LEAF_PAGE.search(_object(data, offsets, n)))
    if leaves != int(count[1]):
        raise PdfCheckError(f"the page tree counts {int(count[1])} pages but {leaves} are present")
    return leaves


def check_pdf(data: bytes, pages: int | None = None) -> None:
    """Raise PdfCheckError unless `data` is a complete PDF with `pages` pages (any number when None)."""
    found = page_count(data)
    if found == 0 or (pages is not None and found != pages):
        raise PdfCheckError(f"it has {found} pages, expected {pages if pages is not None else 'at least 1'}")
