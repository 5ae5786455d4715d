"""The one writer for every file the program writes (case files, plans, reports, PDFs, autosaves, settings).

`write_bytes(target, data)` / `write_text(target, text)`:
1. refuse a target that is not a regular file (folder, FIFO, device, symbolic link), is read-only, or is
   one of the files named in `protect` (the input case: `plan case.json -o case.json`, also through a
   symbolic link, a hard link or another spelling of the path);
2. create a temporary file in the target's folder exclusively (O_CREAT|O_EXCL|O_NOFOLLOW, random name),
   write, flush and fsync it;
3. read it back and verify it (the bytes are compared; `verify` may check more, e.g. `pdf_check.check_pdf`);
4. rename it over the target and fsync the folder.
On any failure the old target is untouched, the temporary file is removed and `WriteError` (an OSError)
says why in words; `TargetRefused` (a WriteError) when the target itself is not acceptable.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
import time
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

TEMP_SUFFIX = ".tmp"
STALE_AFTER_S = 60  # a temporary file this old, or whose writer has gone, is left over from a crash
_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)-[0-9a-f]{16}\.tmp$")
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_UNSAFE_IN_NAMES = re.compile(r"[\\/:*?\"<>|]+")
MAX_STEM = 64


class WriteError(OSError):
    """A file could not be written; the message names the file and the reason, the old file is untouched."""


class TargetRefused(WriteError):
    """The target is not a file that may be replaced (not a regular file, read-only, or the input itself)."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_target(target: str | os.PathLike[str], protect: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """The target as a Path if it may be (re)written; TargetRefused saying why otherwise."""
    path = Path(target)
    if not path.name or path.name in (".", ".."):
        raise TargetRefused(f"cannot write {path}: not a file name")
    if not path.parent.is_dir():
        raise TargetRefused(f"cannot write {path}: the folder {path.parent} does not exist")
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise TargetRefused(f"cannot write {path}: {exc.strerror or exc}") from None
    if stat.S_ISLNK(info.st_mode):
        raise TargetRefused(f"cannot write {path}: it is a symbolic link; name the file it points to instead")
    if not stat.S_ISREG(info.st_mode):
        raise TargetRefused(f"cannot write {path}: it is {_kind(info.st_mode)}, not a regular file")
    if not info.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise TargetRefused(f"cannot write {path}: it is read-only")
    for other in protect:
        try:
            same = os.path.samefile(path, other)
        except OSError:
            continue
        if same:
            raise TargetRefused(f"cannot write {path}: it is the input file {other}; choose another name")
    return path


def _pid_alive(pid: int) -> bool:
    if os.name != "posix":
        return True  # age alone decides elsewhere
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def sweep_temps(folder: str | os.PathLike[str], name: str | None = None) -> list[Path]:
    """Remove temporary files this writer left in `folder` (for the target `name`, or all) whose writer has
    gone or that are older than STALE_AFTER_S; returns what was removed. Never raises."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = _TEMP.match(entry.name)
        if match is None or (name is not None and match["name"] != name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode) and not stat.S_ISLNK(info.st_mode):
                continue
            mine = int(match["pid"]) == os.getpid()
            if (not mine and not _pid_alive(int(match["pid"]))) or now - info.st_mtime > STALE_AFTER_S:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _temp_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(8)}{TEMP_SUFFIX}")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(28, "No space left on device")
        view = view[written:]


def _read_back(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _keep_mode(fd: int, path: Path) -> None:
    """A replaced file keeps its permissions."""
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        return
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_bytes(target: str | os.PathLike[str], data: bytes, *, verify: Callable[[bytes], None] | None = None,
                protect: Iterable[str | os.PathLike[str]] = (), private: bool = False, deferred: bool = False) -> Path:
    """Replace `target` with `data`, verified on disk first; returns the target. `verify(read_back)` raises
    (any exception) to reject what was written. `private`: a new file is readable by the owner only.
    `deferred` (many files in one run): no temp-file sweep and no fsync here; the caller sweeps each folder
    once before and calls `sync_folders` at the end."""
    path = check_target(target, protect)
    if not deferred:
        sweep_temps(path.parent, path.name)
    tmp = _temp_name(path)
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_BINARY | _O_CLOEXEC
    try:
        fd = os.open(tmp, flags, 0o600 if private else 0o666)
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        try:
            _write_all(fd, data)
            if not deferred:
                os.fsync(fd)
            back = _read_back(fd)
            if back != data:
                raise WriteError(f"cannot write {path}: the file read back differs from what was written")
            if verify is not None:
                verify(back)
            _keep_mode(fd, path)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except WriteError:
        _remove(tmp)
        raise
    except OSError as exc:
        _remove(tmp)
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None
    except Exception as exc:
        _remove(tmp)
        raise WriteError(f"cannot write {path}: the written file did not verify ({exc})") from None
    except BaseException:
        _remove(tmp)
        raise
    if not deferred:
        _fsync_dir(path.parent)
    return path


def sync_folders(folders: Iterable[Path]) -> None:
    """Make the files written into `folders` with `deferred=True` durable: one system-wide sync where there is
    one, else an fsync of each file in them; then each folder."""
    folders = set(folders)
    if hasattr(os, "sync"):
        os.sync()
    else:
        for folder in folders:
            for entry in os.scandir(folder):
                if entry.is_file(follow_symlinks=False):
                    fd = os.open(entry.path, os.O_RDWR | _O_BINARY)
                    try:
                        os.fsync(fd)
                    finally:
                        os.close(fd)
    for folder in folders:
        _fsync_dir(folder)


def _remove(tmp: Path) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


def write_text(target: str | os.PathLike[str], text: str, *, protect: Iterable[str | os.PathLike[str]] = (),
               private: bool = False, deferred: bool = False) -> Path:
    """Replace `target` with UTF-8 `text` (newlines as given), read back and compared before the rename."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise WriteError(f"cannot write {target}: the text cannot be stored as UTF-8 ({exc.reason})") from None
    return write_bytes(target, data, verify=lambda back: back.decode("utf-8"), protect=protect, private=private,
                       deferred=deferred)


def safe_stem(text: str | None, fallback: str) -> str:
    """A file-name stem from user text (e.g. a case id): no folders, no `..`, no control, format or
    bidirectional characters, at most MAX_STEM characters; `fallback` when nothing is left."""
    kept = "".join(ch for ch in (text or "") if unicodedata.category(ch)[0] not in "CZ" or ch == " ")
    kept = _UNSAFE_IN_NAMES.sub("-", kept).strip(" .-")
    kept = re.sub(r"\.{2,}", ".", kept)[:MAX_STEM].strip(" .-")
    return kept or fallback
