"""Qt's namespace without its start-up cost: `Qt` resolved on first use, and `set_qt` for enum properties.

PySide6 builds every enum of Qt's namespace (about 90, some 18 ms here) the first time anything
touches `PySide6.QtCore.Qt`, even `from PySide6.QtCore import Qt`. The modules on the way to the
first screen import `Qt` from here instead, so only code that runs pays, after the first paint; the
widgets of the first screen set enum-valued properties by their key names with `set_qt`, through
Qt's property system, which builds no Python enum. tests/test_gui_startup.py guards this.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from PySide6.QtCore import Qt
else:
    class _LazyQt:
        """Stands for `PySide6.QtCore.Qt`; the real namespace is looked up on the first attribute."""

        def __getattr__(self, name: str) -> Any:
            from PySide6.QtCore import Qt as real

            return getattr(real, name)

    Qt = _LazyQt()

__all__ = ["Qt", "set_qt"]


def set_qt(widget: QObject, **properties: str) -> None:
    """Set enum-valued Qt properties by key names: `set_qt(label, alignment="AlignRight|AlignTop")`."""
    for name, keys in properties.items():
        if not widget.setProperty(name, keys):
            raise ValueError(f"{type(widget).__name__} has no property {name} taking {keys!r}")
