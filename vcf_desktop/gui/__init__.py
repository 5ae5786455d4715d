"""PySide6 views: thin widgets bound to the case draft; anything clinical comes from the engine's plan.

Two import-time facts about this stack (PySide6 6.12.0, Python 3.11) live here, because every GUI
module is imported through this package:

1. PySide6 is imported here, before anything can import pydantic: the FIRST import of PySide6 (which
   installs shiboken's import hook) must not fall between two `from pydantic import ...` lines, or
   pydantic's lazy imports break (the hook inspects pydantic's module `__getattr__` and triggers a
   circular import: "cannot import name 'import_string' from partially initialized module").
   PySide6 first and pydantic later is safe, and so are later PySide6 submodules (QtSvg,
   QtPrintSupport) after pydantic (both checked). The GUI relies on this order: pydantic, the models
   and the engine load only after the first paint (`gui.app`), so this package must not import them.
2. PySide6 6.12.0 drops one reference to `None` on every call of a method that returns nothing, and
   one to `True` on every signal emission (measured: 1000 x `QLabel.setText` -> None's reference
   count -1000). On Python 3.11, where None and True are ordinary reference-counted objects, a
   session aborts with "Fatal Python error: none_dealloc" after a few thousand such calls. Python
   3.12 made these singletons immortal; `pin_singletons` gives them the same protection here.
"""

import ctypes
import sys

import PySide6.QtCore  # noqa: F401  (must precede pydantic; see 1 above)

#: Added to the reference counts of None, True and False: more than any session can leak.
SINGLETON_PIN = 1 << 48


def pin_singletons() -> None:
    """Make None, True and False effectively immortal on Python < 3.12 (see 2 above); idempotent."""
    if sys.version_info >= (3, 12):
        return
    for obj in (None, True, False):
        refcount = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt, the first field of every object
        if refcount.value < SINGLETON_PIN:
            refcount.value += SINGLETON_PIN


pin_singletons()
