"""Where the desktop app keeps its own files: recent-files list, draft autosave and crash recovery.

`VCF_DESKTOP_DATA_DIR` overrides both folders (tests, portable installs): the autosave goes to
`$VCF_DESKTOP_DATA_DIR/autosave/`, the settings to `$VCF_DESKTOP_DATA_DIR/config/`.

Drafts: every window autosaves to its own `draft-<id>.vcfdraft.json`, guarded by `draft-<id>.lock`
(a QLockFile held while the window lives). At start, a draft whose lock can be taken belongs to a
window that ended without saving or closing (a crash, a kill, a power cut) and is offered back with
its case id, time and file name; a draft whose lock is held belongs to a live window and is left alone.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLockFile, QObject, QTimer, Signal

from vcf_desktop.gui.draft import CaseDraft

APP_NAME = "vcf-desktop"
ENV_DATA_DIR = "VCF_DESKTOP_DATA_DIR"
MAX_RECENT = 8
AUTOSAVE_DELAY_MS = 400  # from the first unsaved change; later changes never push it back
RETRY_MS = 5000  # after a failed autosave
DRAFT_FORMAT = "vcf-draft"
DRAFT_SUFFIX = ".vcfdraft.json"
LEGACY_DRAFT = "current" + DRAFT_SUFFIX  # the single autosave of earlier versions
SET_ASIDE = "previous" + DRAFT_SUFFIX  # a declined or unreadable draft (one level of undo)


def data_dir() -> Path:
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override) / "config"
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


def autosave_dir() -> Path:
    return data_dir() / "autosave"


class RecentFiles:
    """The most recently opened or saved case files, newest first, kept as JSON in the config folder."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / "recent-files.json"

    def paths(self) -> list[Path]:
        try:
            items = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        if not isinstance(items, list):
            return []
        return [Path(p) for p in items if isinstance(p, str)][:MAX_RECENT]

    def add(self, path: Path) -> None:
        path = Path(path).resolve()
        self._store([path] + [p for p in self.paths() if p != path])

    def remove(self, path: Path) -> None:
        self._store([p for p in self.paths() if p != Path(path)])

    def clear(self) -> None:
        self._store([])

    def _store(self, paths: list[Path]) -> None:
        from vcf_desktop.domain.safe_write import write_text

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_text(self.path, json.dumps([str(p) for p in paths[:MAX_RECENT]], indent=1))
        except OSError:
            pass  # a read-only profile loses the recent list, never the case


def _lock_path(draft: Path) -> Path:
    return draft.with_name(draft.name.removesuffix(DRAFT_SUFFIX) + ".lock")


def _lock(draft: Path) -> QLockFile:
    """The lock of a draft file; only a live process's lock counts (no age limit)."""
    lock = QLockFile(str(_lock_path(draft)))
    lock.setStaleLockTime(0)
    return lock


@dataclass
class OrphanDraft:
    """A draft left by a window that is gone; its lock is held (`lock`) while it is being offered."""

    path: Path
    lock: QLockFile
    data: dict[str, Any] | None = None  # the case-file dict; None when unreadable
    problem: str = ""
    saved_at: datetime | None = None
    file: Path | None = None  # the case file the draft belongs to

    @property
    def case_id(self) -> str | None:
        value = (self.data or {}).get("case_id")
        return value if isinstance(value, str) else None

    def remove(self) -> None:
        """The draft has been taken over or discarded: delete it and its lock."""
        try:
            self.path.unlink(missing_ok=True)
        except OSError:
            pass
        self.release()

    def set_aside(self) -> Path | None:
        """Keep it as `previous.vcfdraft.json` instead of deleting it (one level of undo)."""
        target = self.path.with_name(SET_ASIDE)
        try:
            os.replace(self.path, target)
        except OSError:
            target = None
        self.release()
        return target

    def release(self) -> None:
        self.lock.unlock()


def _read_draft(path: Path, lock: QLockFile) -> OrphanDraft:
    orphan = OrphanDraft(path, lock)
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(obj, dict):
            raise ValueError("a draft is a JSON object")  # noqa: TRY004 - one error type for unreadable drafts
        if obj.get("format") == DRAFT_FORMAT:
            orphan.data = obj["case"] if isinstance(obj.get("case"), dict) else {}
            orphan.saved_at = datetime.fromisoformat(obj["saved_at"]) if obj.get("saved_at") else None
            orphan.file = Path(obj["file"]) if isinstance(obj.get("file"), str) else None
        else:  # an earlier version's autosave: the case itself
            orphan.data = obj
            orphan.saved_at = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        orphan.data, orphan.problem = None, str(exc)
    return orphan


def orphan_drafts(folder: Path | None = None) -> list[OrphanDraft]:
    """Drafts of windows that are gone, newest first, each locked for the caller; stale temporary files
    of the autosave folder are removed first. Drafts of live windows are never returned."""
    from vcf_desktop.domain.safe_write import sweep_temps

    folder = folder or autosave_dir()
    sweep_temps(folder)
    found = []
    try:
        candidates = sorted(p for p in folder.glob("*" + DRAFT_SUFFIX)
                            if p.name.startswith("draft-") or p.name == LEGACY_DRAFT)
    except OSError:
        return []
    for path in candidates:
        lock = _lock(path)
        if lock.tryLock(0):
            found.append(_read_draft(path, lock))
    for stale in folder.glob("draft-*.lock"):  # locks of windows that are gone and left no draft
        draft = stale.with_name(stale.name.removesuffix(".lock") + DRAFT_SUFFIX)
        if not draft.exists():
            lock = _lock(draft)
            if lock.tryLock(0):
                lock.unlock()
    newest = datetime.max.replace(tzinfo=timezone.utc)
    return sorted(found, key=lambda o: o.saved_at or newest, reverse=True)


class Autosave(QObject):
    """Writes this window's draft to its own file at most AUTOSAVE_DELAY_MS after any change, however fast
    the typing (the delay runs from the first unsaved change and is never restarted).

    The file exists only while there is work that is not in a saved case file: `discard()` removes it
    after a successful save, `release()` at a clean exit, so a draft found at start-up whose lock is
    free means its window ended without either.
    """

    failed = Signal(str)  # why the last write failed (the draft itself is untouched)

    def __init__(self, draft: CaseDraft, folder: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = folder or autosave_dir()
        self.path = self.folder / f"draft-{os.urandom(16).hex()}{DRAFT_SUFFIX}"  # (uuid costs 3 ms at start)
        self.file_path: Path | None = None  # the case file this draft belongs to, recorded in the draft
        self.ok = True  # False while the last autosave failed
        self._draft = draft
        self._lock = _lock(self.path)
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.save_now)
        draft.changed.connect(self._changed)

    def _changed(self, _path: str = "") -> None:
        if not self._timer.isActive():
            self._timer.start(AUTOSAVE_DELAY_MS)

    def pending(self) -> bool:
        """A write is scheduled."""
        return self._timer.isActive()

    def save_now(self) -> bool:
        """Write the draft now if it has unsaved changes (remove it if it has none); False (and `failed`
        emitted, a retry scheduled) if the disk refused."""
        self._timer.stop()
        if not self._draft.dirty:
            self.discard()
            return True
        from vcf_desktop.domain.safe_write import write_text

        record = {"format": DRAFT_FORMAT, "format_version": 1,
                  "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                  "file": str(self.file_path) if self.file_path else None, "case": self._draft.data()}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if not self._lock.isLocked() and not self._lock.tryLock(0):
                raise OSError(f"cannot lock {self._lock.fileName()}")
            write_text(self.path, json.dumps(record, indent=1, ensure_ascii=False) + "\n", private=True)
        except OSError as exc:
            self.ok = False
            self._timer.start(RETRY_MS)
            self.failed.emit(f"{exc.strerror or exc}")
            return False
        self.ok = True
        return True

    def discard(self) -> None:
        """The work is safe elsewhere (saved, or deliberately discarded): remove this window's draft."""
        self._timer.stop()
        self.ok = True
        try:
            self.path.unlink(missing_ok=True)
        except OSError:
            pass  # at worst the next start offers work that was in fact saved

    def release(self) -> None:
        """A clean exit: the draft and its lock go."""
        self.discard()
        if self._lock.isLocked():
            self._lock.unlock()
