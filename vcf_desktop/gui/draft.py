"""The case being edited: a case-file-shaped dict with change signals (the wizard's only model).

Validation imports the case model (pydantic) on first use, never at import: the first screen is painted
before pydantic loads (see `vcf_desktop.gui.app`).
"""

from __future__ import annotations

import copy
import json
import re
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from vcf_desktop.domain.vocab import CASE_FORMAT_VERSION
from vcf_desktop.gui import clock

if TYPE_CHECKING:
    from pydantic import ValidationError

    from vcf_desktop.domain.case import Case

_TOKEN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")

Key = str | int


def parse_path(path: str) -> list[Key]:
    """"fractures[1].level" -> ["fractures", 1, "level"]."""
    keys: list[Key] = []
    for part in path.split("."):
        tokens = _TOKEN.findall(part)
        if not tokens or "".join(n or f"[{i}]" for n, i in tokens) != part:
            raise ValueError(f"not a case path: {path!r}")
        keys.extend(name if name else int(index) for name, index in tokens)
    return keys


def _pruned(value: Any) -> Any:
    """`value` without empty objects (an object with nothing recorded is not a finding)."""
    if isinstance(value, dict):
        out = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v != {} and not (isinstance(v, list) and v and v == [{}] * len(v))}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def _blank_case() -> dict[str, Any]:
    return {"format": "vcf-case", "format_version": CASE_FORMAT_VERSION, "assessment_date": clock.today().isoformat()}


class CaseDraft(QObject):
    """A partial or complete case file; `None` (absent key) always means *not recorded*.

    With `defer_messages=True` (the main window at start-up) `errors()` reports nothing until
    `start_messages()`, so that showing the first screen does not import the model; `case()` always
    validates.
    """

    changed = Signal(str)
    messages_started = Signal()  # `errors()` is live from now on (after a deferred start)

    def __init__(self, data: dict[str, Any] | None = None, parent: QObject | None = None, *,
                 defer_messages: bool = False) -> None:
        super().__init__(parent)
        self._data: dict[str, Any] = copy.deepcopy(data) if data is not None else _blank_case()
        self._validated: tuple[Case | None, ValidationError | None] | None = None  # until the next change
        self._errors: dict[str, str] | None = None  # field_errors of _validated, until the next change
        self._messages_deferred = defer_messages
        self._saved = self.to_json()

    # ---- reading ---------------------------------------------------------------------------
    def get(self, path: str) -> Any:
        node: Any = self._data
        for key in parse_path(path):
            if isinstance(key, int):
                if not isinstance(node, list) or key >= len(node):
                    return None
            elif not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return copy.deepcopy(node)

    def length(self, path: str) -> int:
        """Number of items of the list at `path` (0 when not recorded)."""
        value = self.get(path)
        return len(value) if isinstance(value, list) else 0

    def data(self) -> dict[str, Any]:
        """A copy of the whole draft dict."""
        return copy.deepcopy(self._data)

    # ---- writing ---------------------------------------------------------------------------
    def set(self, path: str, value: Any) -> None:
        """Record `value` at `path`; `None` takes it back to not recorded. Emits `changed(path)`."""
        keys = parse_path(path)
        if value is None:
            parent = self._container(keys[:-1], create=False)
            last = keys[-1]
            if isinstance(parent, dict) and last in parent:
                del parent[last]
            elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
                parent[last] = {}
            else:
                return
        else:
            parent = self._container(keys[:-1], create=True, next_key=keys[-1])
            last = keys[-1]
            if isinstance(last, int):
                while len(parent) <= last:
                    parent.append({})
            elif last in parent and parent[last] == value and type(parent[last]) is type(value):
                return
            parent[last] = copy.deepcopy(value)
        self._changed(path)

    def insert(self, path: str, index: int, item: dict[str, Any] | None = None) -> None:
        """Insert an object into the list at `path` (created when absent)."""
        items = self._container(parse_path(path), create=True, next_key=0)
        items.insert(index, copy.deepcopy(item) if item else {})
        self._changed(path)

    def remove(self, path: str, index: int) -> None:
        items = self._container(parse_path(path), create=False)
        if isinstance(items, list) and 0 <= index < len(items):
            del items[index]
            self._changed(path)

    def move(self, path: str, source: int, target: int) -> None:
        items = self._container(parse_path(path), create=False)
        if isinstance(items, list) and 0 <= source < len(items) and 0 <= target < len(items) and source != target:
            items.insert(target, items.pop(source))
            self._changed(path)

    def load(self, case: Case) -> None:
        """Replace everything with `case`; emits `changed("")`."""
        self.replace(json.loads(case.to_json()))

    def replace(self, data: dict[str, Any]) -> None:
        """Replace everything with a (possibly partial) case-file dict; emits `changed("")`."""
        self._data = copy.deepcopy(data)
        self._changed("")

    def _changed(self, path: str) -> None:
        self._validated = self._errors = None
        self.changed.emit(path)

    def _container(self, keys: list[Key], create: bool, next_key: Key = "") -> Any:
        node: Any = self._data
        for i, key in enumerate(keys):
            following = keys[i + 1] if i + 1 < len(keys) else next_key
            empty: Any = [] if isinstance(following, int) else {}
            if isinstance(key, int):
                if not isinstance(node, list):
                    return None
                if key >= len(node):
                    if not create:
                        return None
                    node.extend({} for _ in range(key + 1 - len(node)))
            elif not isinstance(node, dict):
                return None
            elif key not in node or node[key] is None:
                if not create:
                    return None
                node[key] = empty
            node = node[key]
        return node

    # ---- validation ------------------------------------------------------------------------
    def _validate(self) -> tuple[Case | None, ValidationError | None]:
        if self._validated is None:
            from pydantic import ValidationError

            from vcf_desktop.domain.case import Case

            try:
                self._validated = Case.model_validate_json(json.dumps(self._data)), None
            except ValidationError as exc:
                self._validated = None, exc
        return self._validated

    def case(self) -> Case | None:
        """The validated Case, or None while a required field is missing or a value is invalid."""
        return self._validate()[0]

    def errors(self) -> dict[str, str]:
        """Field path -> message for every problem, required-but-missing fields included ({} while the
        messages are deferred)."""
        if self._messages_deferred:
            return {}
        if self._errors is None:
            error = self._validate()[1]
            if error is None:
                self._errors = {}
            else:
                from vcf_desktop.domain.errors import field_errors

                self._errors = field_errors(error)
        return dict(self._errors)

    @property
    def messages_deferred(self) -> bool:
        return self._messages_deferred

    def start_messages(self) -> None:
        """End a deferred start: `errors()` reports from now on; emits `messages_started` once."""
        if self._messages_deferred:
            self._messages_deferred = False
            self.messages_started.emit()

    # ---- files -----------------------------------------------------------------------------
    def to_json(self) -> str:
        """Case-file JSON of what is recorded (partial drafts too)."""
        return json.dumps(_pruned(self._data), indent=2, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> CaseDraft:
        """A draft from case-file JSON, complete or partial (autosave recovery); ValueError if not an object."""
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("a case file is a JSON object")  # noqa: TRY004 - one error type for any unreadable text
        return cls(data)

    @property
    def dirty(self) -> bool:
        return self.to_json() != self._saved

    def mark_saved(self) -> None:
        self._saved = self.to_json()
