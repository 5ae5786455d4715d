"""Reading and writing case files: every way a file can be wrong gets a message that says where and why.

`read_case` and `loads_case` raise `CaseFileError` (a list of readable messages) and nothing else for bad
input. With `plain=True` they return a `CaseRecord` when the fast check (`domain.fast_case`) finds the case
certainly valid, and load pydantic and the models only otherwise (the headless plan path). `save_case` goes
through `safe_write`: the old file stays whole until the new one is verified on disk.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal, overload

from vcf_desktop.domain.case_schema import case_schema
from vcf_desktop.domain.fast_case import CaseRecord, fast_case

if TYPE_CHECKING:
    from vcf_desktop.domain.case import Case

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_INT_DIGITS = 30  # no field holds more; longer integers get a message before any conversion
_CHUNK = 64 * 1024
_BOM = "\ufeff"
_PARTIAL_TOKEN = re.compile(r"[\w.+-]*")  # what is left when a file stops inside a number, true/false/null
_TOO_LARGE = (f"too large: more than {MAX_BYTES // 1024 // 1024} MiB; a case file is a few kB "
              "(is this the right file?)")
_FORMAT: str = case_schema()["properties"]["format"]["const"]  # the model's, through its generated schema
_VERSIONS: tuple[int, ...] = tuple(case_schema()["properties"]["format_version"]["enum"])
_VERSION = max(_VERSIONS)


class CaseFileError(ValueError):
    """A case file or text that cannot be read as a case; `messages` has one line per problem."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = list(messages)


class _Object(dict[str, Any]):
    """A JSON object that remembers keys given more than once."""

    repeated: list[str]


def _pairs(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object(pairs)
    obj.repeated = []
    if len(obj) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen and key not in obj.repeated:
                obj.repeated.append(key)
            seen.add(key)
    return obj


class _HugeInt(str):
    """The digits of an integer too long for any field (kept as text: Python refuses to convert the longest)."""


def _parse_int(digits: str) -> int | _HugeInt:
    return _HugeInt(digits) if len(digits.lstrip("-")) > MAX_INT_DIGITS else int(digits)


def _walk(root: Any) -> Iterator[tuple[str, Any, int]]:
    """Every JSON value with its contract path and nesting depth."""
    stack: list[tuple[str, Any, int]] = [("", root, 1)]
    while stack:
        path, node, depth = stack.pop()
        yield path, node, depth
        if isinstance(node, dict):
            stack += [(f"{path}.{k}" if path else k, v, depth + 1) for k, v in node.items()]
        elif isinstance(node, list):
            stack += [(f"{path}[{i}]", v, depth + 1) for i, v in enumerate(node)]


def _visible(text: str) -> str:
    from vcf_desktop.domain.errors import visible  # noqa: PLC0415 - error path only, keeps start-up lean

    return visible(text)


def _unusual(root: Any) -> bool:
    """Whether anything is nested too deeply, too long an integer or a key repeated (one quick walk, level by
    level; the walks that say where run only then)."""
    level, depth = [root], 1
    while level:
        if depth > MAX_DEPTH:
            return True
        below: list[Any] = []
        for node in level:
            kind = type(node)
            if kind is _Object:
                if node.repeated:
                    return True
                below += node.values()
            elif kind is list:
                below += node
            elif kind is _HugeInt:
                return True
        level, depth = below, depth + 1
    return False


def _too_deep(root: Any) -> str | None:
    for path, _, depth in _walk(root):
        if depth > MAX_DEPTH:
            return f"{_visible(path)}: nested more than {MAX_DEPTH} levels deep; a case file has at most 3 levels"
    return None


def _huge_ints(root: Any) -> list[str]:
    """Integers longer than any field allows: one message each, naming the field and what it allows."""
    from vcf_desktop.domain.errors import describe_allowed  # noqa: PLC0415 - error path only

    out = []
    for path, node, _ in _walk(root):
        if isinstance(node, _HugeInt):
            allowed = describe_allowed(path)
            out.append(f"{_visible(path)}: a number with {len(node.lstrip('-'))} digits — far too large"
                       + (f"; allowed: {allowed}" if allowed else ""))
    return sorted(out)


def _repeated_keys(root: Any) -> list[str]:
    """Keys given twice in one object: JSON readers silently keep the last, so this is refused."""
    return sorted(f"{_visible(path + '.' if path else '')}{_visible(key)}: given more than once; each key may "
                  "appear only once" for path, node, _ in _walk(root) if isinstance(node, _Object)
                  for key in node.repeated)


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    return {list: "an array [...]", str: "a string", int: "a number", float: "a number"}.get(type(value), "a value")


def _show(value: Any) -> str:
    from vcf_desktop.domain.errors import format_value  # noqa: PLC0415 - error path only, keeps start-up lean

    return format_value(value)


def _format_problems(obj: dict[str, Any]) -> list[str]:
    """`format` and `format_version`, checked first: a plan file or a newer file gets one clear message."""
    fmt, version = obj.get("format"), obj.get("format_version")
    if "format" not in obj:
        return [f'format: missing — not a VCF Desktop case file; expected "format": "{_FORMAT}"']
    if fmt != _FORMAT:
        what = "a plan file, not a case file" if fmt == "vcf-plan" else "not a VCF Desktop case file"
        return [f'format: {_show(fmt)} — {what}; expected "{_FORMAT}"']
    if "format_version" not in obj:
        return [f"format_version: missing — expected {_VERSION}"]
    if isinstance(version, int) and not isinstance(version, bool) and version > _VERSION:
        return [(f"format_version: {version} — this case file was written by a newer version of VCF Desktop; "
                f"this version reads format_version {_VERSION}: update VCF Desktop to open it")]
    if version not in _VERSIONS or isinstance(version, bool) or not isinstance(version, int):
        return [(f"format_version: {_show(version)} — not a supported version; "
                f"expected {' or '.join(map(str, _VERSIONS))} (a JSON integer)")]
    return []


def _json_error(text: str, exc: json.JSONDecodeError) -> str:
    reason = exc.msg[:1].lower() + exc.msg[1:]
    rest = text[exc.pos:].strip()
    if _PARTIAL_TOKEN.fullmatch(rest) or exc.msg.startswith("Unterminated string"):
        reason += "; the text ends too early (truncated?)"
    return f"not valid JSON at line {exc.lineno}, column {exc.colno}: {reason}"


@overload
def loads_case(text: str, *, plain: Literal[False] = False) -> Case: ...
@overload
def loads_case(text: str, *, plain: bool) -> Case | CaseRecord: ...


def loads_case(text: str, *, plain: bool = False) -> Case | CaseRecord:
    """A Case from case-file JSON text (plain: a CaseRecord when certainly valid), or CaseFileError naming every
    problem."""
    text = text.removeprefix(_BOM)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise CaseFileError([_TOO_LARGE])
    if not text.strip():
        raise CaseFileError(["empty: there is no JSON in it"])
    try:
        obj = json.loads(text, object_pairs_hook=_pairs, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise CaseFileError([_json_error(text, exc)]) from None
    except RecursionError:
        raise CaseFileError([f"nested too deeply to read; a case file has at most {MAX_DEPTH} levels"]) from None
    if not isinstance(obj, dict):
        raise CaseFileError([f"the top level must be a JSON object {{...}} holding the case, not {_json_kind(obj)}"])
    unusual = _unusual(obj)
    early = _too_deep(obj) if unusual else None
    if early:
        raise CaseFileError([early])
    huge = _huge_ints(obj) if unusual else []
    if huge:
        raise CaseFileError(huge)
    wrong_format = _format_problems(obj)
    if wrong_format:
        raise CaseFileError(wrong_format)
    problems = _repeated_keys(obj) if unusual else []
    if plain and not problems:
        record = fast_case(obj)
        if record is not None:
            return record
    return _validated(text, problems)


def _validated(text: str, problems: list[str]) -> Case:
    """The models' Case, or CaseFileError with `problems` and the models' messages."""
    from pydantic import ValidationError  # noqa: PLC0415 - pydantic and the models stay off the fast path

    from vcf_desktop.domain.case import Case  # noqa: PLC0415

    try:
        case = Case.model_validate_json(text)
    except ValidationError as exc:
        from vcf_desktop.domain.errors import messages  # noqa: PLC0415 - error path only

        raise CaseFileError(problems + messages(exc)) from None
    if problems:
        raise CaseFileError(problems)
    return case


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CaseFileError([
            (f"not UTF-8 text: byte 0x{data[exc.start]:02X} at offset {exc.start} (line {line}) is not valid "
            "UTF-8; save the file as UTF-8")]) from None


def _read_limited(stream: BinaryIO) -> str:
    """At most MAX_BYTES + 1 bytes, read in pieces: an endless stream stops at the limit."""
    data = bytearray()
    while len(data) <= MAX_BYTES:
        chunk = stream.read(min(_CHUNK, MAX_BYTES + 1 - len(data)))
        if not chunk:
            break
        data += chunk
    if len(data) > MAX_BYTES:
        raise CaseFileError([_TOO_LARGE])
    return _decode(bytes(data))


@overload
def read_case_stream(stream: BinaryIO, *, plain: Literal[False] = False) -> Case: ...
@overload
def read_case_stream(stream: BinaryIO, *, plain: bool) -> Case | CaseRecord: ...


def read_case_stream(stream: BinaryIO, *, plain: bool = False) -> Case | CaseRecord:
    """A Case from a binary stream (standard input), the size limit applied while reading (plain: see loads_case)."""
    try:
        return loads_case(_read_limited(stream), plain=plain)
    except OSError as exc:
        raise CaseFileError([f"cannot be read: {exc.strerror or exc}"]) from None


def _open_regular(path: Path) -> BinaryIO:
    """Open a regular file for reading; a FIFO, device or socket is refused without blocking on it."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(mode):
            kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else
                    "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
            raise CaseFileError([f"is {kind}, not a case file; save the case to a file and open that"])
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


@overload
def read_case(path: str | os.PathLike[str], *, plain: Literal[False] = False) -> Case: ...
@overload
def read_case(path: str | os.PathLike[str], *, plain: bool) -> Case | CaseRecord: ...


def read_case(path: str | os.PathLike[str], *, plain: bool = False) -> Case | CaseRecord:
    """A Case from a case file, or CaseFileError naming every problem (the file name is not in the messages);
    plain: see loads_case."""
    try:
        with _open_regular(Path(path)) as f:
            text = _read_limited(f)
    except FileNotFoundError:
        raise CaseFileError(["no such file"]) from None
    except IsADirectoryError:
        raise CaseFileError(["is a folder, not a case file"]) from None
    except PermissionError:
        raise CaseFileError(["cannot be read: permission denied"]) from None
    except OSError as exc:
        raise CaseFileError([f"cannot be read: {exc.strerror or exc}"]) from None
    return loads_case(text, plain=plain)


def save_case(case: Case, path: str | os.PathLike[str], protect: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """Save a case file through the safe writer (verified, atomic); not-recorded findings are left out."""
    from vcf_desktop.domain.safe_write import write_text  # noqa: PLC0415 - only when saving

    return write_text(path, case.to_json() + "\n", protect=protect)
