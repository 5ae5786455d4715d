"""The sagittal spine diagram of `report.diagram`, redrawn whenever a fracture changes."""

from __future__ import annotations

import json

from pydantic import ValidationError
from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import QSizePolicy, QWidget

from vcf_desktop.domain.case import Case, Fracture
from vcf_desktop.gui.draft import CaseDraft
from vcf_desktop.report.diagram import VIEW_H, VIEW_W, spine_svg


def fractures_case(draft: CaseDraft) -> Case:
    """A Case holding only the draft's fractures, for drawing.

    A fracture with an invalid finding is drawn by its level alone; one without a valid level ends
    the list, so no other fracture is ever drawn in the index's place.
    """
    fractures: list[Fracture] = []
    for item in draft.get("fractures") or []:
        try:
            fractures.append(Fracture.model_validate_json(json.dumps(item)))
        except ValidationError:
            try:
                fractures.append(Fracture.model_validate_json(json.dumps({"level": item.get("level")})))
            except ValidationError:
                break
    return Case.model_construct(fractures=fractures)


class SpineWidget(QSvgWidget):
    """Shows `spine_svg` of the draft's fractures: index highlighted, new and old told apart."""

    def __init__(self, draft: CaseDraft, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft = draft
        self.svg = ""
        self.setAccessibleName(self.tr("Spine diagram"))
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(150, 260)
        draft.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, path: str) -> None:
        if not path or path.startswith("fractures"):
            self.refresh()

    def refresh(self) -> None:
        case = fractures_case(self.draft)
        self.svg = spine_svg(case)
        self.load(QByteArray(self.svg.encode("utf-8")))
        self.renderer().setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        levels = ", ".join(f.level for f in case.fractures) or self.tr("none recorded")
        self.setAccessibleDescription(self.tr("Fractured levels: %1").replace("%1", levels))
        self.setToolTip(self.accessibleDescription())

    def sizeHint(self) -> QSize:
        return QSize(int(VIEW_W), int(VIEW_H))
