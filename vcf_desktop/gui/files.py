"""Where the desktop app keeps its own files: recent-files list, draft autosave and crash recovery.

`VCF_DESKTOP_DATA_DIR` overrides both folders (tests, portable installs): the autosave goes to
`$VCF_DESKTOP_DATA_DIR/autosave/`, the settings to `$VCF_DESKTOP_DATA_DIR/config/`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from vcf_desktop.gui.draft import CaseDraft

APP_NAME = "vcf-desktop"
ENV_DATA_DIR = "VCF_DESKTOP_DATA_DIR"
MAX_RECENT = 8
AUTOSAVE_DELAY_MS = 2000
AUTOSAVE_INTERVAL_MS = 60_000


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


def autosave_path() -> Path:
    return data_dir() / "autosave" / "current.vcfdraft.json"


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


class Autosave(QObject):
    """Writes the draft to the autosave file 2 s after each change and every minute while unsaved.

    The file exists only while there is work that is not in a saved case file: `discard()` removes it
    after a successful save or a clean exit, so an autosave found at start-up means the last session
    ended without either (a crash, a kill, a power cut).
    """

    failed = Signal(str)  # why the last write failed (the draft itself is untouched)

    def __init__(self, draft: CaseDraft, path: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path or autosave_path()
        self._draft = draft
        self._debounce = QTimer(self, singleShot=True, interval=AUTOSAVE_DELAY_MS)
        self._debounce.timeout.connect(self.save_now)
        self._periodic = QTimer(self, interval=AUTOSAVE_INTERVAL_MS)
        self._periodic.timeout.connect(self.save_now)
        self._periodic.start()
        draft.changed.connect(self._changed)

    def _changed(self, _path: str = "") -> None:
        self._debounce.start()

    def save_now(self) -> bool:
        """Write the draft now if it has unsaved changes; False (and `failed` emitted) if the disk refused."""
        self._debounce.stop()
        if not self._draft.dirty:
            return True
        from vcf_desktop.domain.safe_write import write_text

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_text(self.path, self._draft.to_json() + "\n", private=True)
        except OSError as exc:
            self.failed.emit(f"{self.path}: {exc.strerror or exc}")
            return False
        return True

    def discard(self) -> None:
        """The work is safe elsewhere (saved, or deliberately discarded): remove the autosave."""
        self._debounce.stop()
        try:
            self.path.unlink(missing_ok=True)
        except OSError:
            pass  # at worst the next start offers work that was in fact saved


def pending_recovery(path: Path | None = None) -> str | None:
    """The text of an autosave left by a session that did not end cleanly, or None."""
    path = path or autosave_path()
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def set_aside(path: Path | None = None) -> Path | None:
    """Keep a declined autosave as `previous.vcfdraft.json` instead of deleting it (one level of undo)."""
    path = path or autosave_path()
    if not path.exists():
        return None
    target = path.with_name("previous.vcfdraft.json")
    os.replace(path, target)
    return target
