""""Unanswered yes/no → No": the user's own statement, like a "none of the above" box, that the yes/no
questions of a step still unanswered are "no" ("no other red flags").

Only questions of the current step that apply to this patient and hold no answer are marked (never one whose
"no" states a finding, such as an old fracture: the model marks those `bulk_no=False`); an answer is
never changed, and nothing is marked without the command (an unrecorded finding stays not recorded). The
same command undoes it: questions it marked that still say "no" and that the user has not touched since go
back to not recorded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from vcf_desktop.gui import applicability
from vcf_desktop.gui.draft import CaseDraft

if TYPE_CHECKING:
    from vcf_desktop.gui.pages.base import StepPage


class RemainingNo(QObject):
    """Marks a step's unanswered yes/no questions "no", and takes back what it marked."""

    def __init__(self, draft: CaseDraft, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.draft = draft
        self._marked: list[str] = []  # paths this command set to "no", untouched by the user since
        self._busy = False
        draft.changed.connect(self._forget_touched)

    def unanswered(self, page: StepPage) -> list[str]:
        """Paths of the step's yes/no questions that apply to this patient and are not answered (list rows,
        which record nothing until the user fills them, and questions whose "no" is a finding of its own, such
        as "New fracture", are left alone)."""
        rows = tuple(box.path + "[" for box in page.lists)
        return [e.path for e in page.editors if e.spec.kind == "bool" and e.spec.bulk_no and not e.path.startswith(rows)
                and e.value() is None and e.error() is None and applicability.applies(self.draft, e.path)]

    def undoable(self, page: StepPage) -> list[str]:
        """Paths on the step that this command marked "no" and that still say so."""
        shown = {e.path for e in page.editors}
        return [p for p in self._marked if p in shown and self.draft.get(p) is False]

    def run(self, page: StepPage) -> tuple[str, list[str]]:
        """Mark the unanswered questions "no" ("marked", their paths), or else undo ("undone", the paths)."""
        paths, value = self.unanswered(page), False
        action = "marked"
        if not paths:
            paths, value, action = self.undoable(page), None, "undone"
        self._busy = True
        done: list[str] = []
        try:
            for path in paths:  # an earlier "no" may make a later question not apply: it is then left alone
                if value is None or applicability.applies(self.draft, path):
                    self.draft.set(path, value)
                    done.append(path)
        finally:
            self._busy = False
        paths = done
        self._marked = [p for p in self._marked if p not in paths] + (paths if value is False else [])
        return action, paths

    def _forget_touched(self, changed: str) -> None:
        """A question the user has answered or cleared is theirs; a list re-ordered or a new case drops all
        that lies inside it (its paths now mean other items)."""
        if not self._busy:
            self._marked = [p for p in self._marked if changed and p != changed
                            and not p.startswith((changed + "[", changed + "."))]
