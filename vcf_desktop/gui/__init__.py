"""PySide6 views: thin widgets bound to the case draft; anything clinical comes from the engine's plan.

An import-time fact about this stack lives here, because every GUI module is imported through this
package: PySide6 is imported here, before anything can import pydantic. The FIRST import of PySide6
(which installs shiboken's import hook) must not fall between two `from pydantic import ...` lines, or
pydantic's lazy imports break (the hook inspects pydantic's module `__getattr__` and triggers a
circular import: "cannot import name 'import_string' from partially initialized module"). PySide6
first and pydantic later is safe, and so are later PySide6 submodules (QtSvg, QtPrintSupport) after
pydantic (both checked). The GUI relies on this order: pydantic, the models and the engine load only
after the first paint (`gui.app`), so this package must not import them.

PySide6 is pinned to 6.11.3: 6.12.0 drops a reference to `None` on every void method call and to
`True` on every signal emission, which aborts Python 3.11 ("none_dealloc") within minutes of use
(`tests/test_gui_fields.py` checks the pinned version does not leak).
"""

import PySide6.QtCore  # noqa: F401  (must precede pydantic; see above)
