"""BMI and kidney function as they are typed, on the Patient and Labs steps, before a plan can be made.

The numbers come from the engine's own functions (`engine.scores.bmi`, `engine.kidney`), fed with the
patient and lab findings recorded so far; the panel says which kidney estimate drug decisions use and,
when one cannot be computed, what is missing. Nothing is shown before the protocol has loaded.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGroupBox, QLabel, QSizePolicy, QVBoxLayout, QWidget

from vcf_desktop.gui.draft import CaseDraft
from vcf_desktop.gui.fields import number_text, resolve, set_font, set_text_colour, tr
from vcf_desktop.gui.qt_lazy import set_qt

if TYPE_CHECKING:
    from vcf_desktop.engine import LoadedProtocol

#: A level the kidney estimate never reads: the case model needs one fracture to be a case at all.
_ANY_LEVEL = {"level": "L1"}


def _title(path: str) -> str:
    return tr(resolve(path).title)


class LivePanel(QGroupBox):
    """"Derived as you type": BMI (optional) and kidney function, with the reason when not computable."""

    def __init__(self, draft: CaseDraft, bmi: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Derived as you type"))
        self.draft, self.protocol = draft, None
        self.rows: dict[str, QLabel] = {}
        column = QVBoxLayout(self)
        column.setSpacing(2)
        for key in (["bmi"] if bmi else []) + ["crcl", "egfr", "used"]:
            label = QLabel()
            label.setWordWrap(True)
            set_qt(label, textInteractionFlags="TextSelectableByMouse")
            column.addWidget(label)
            self.rows[key] = label
        set_font(self.rows["used"], bold=True)
        self.note = QLabel(self.tr("Shown once the clinical protocol has loaded."))
        self.note.setWordWrap(True)
        set_text_colour(self.note)
        column.addWidget(self.note)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        for label in self.rows.values():
            label.hide()

    def set_protocol(self, protocol: LoadedProtocol) -> None:
        self.protocol = protocol
        self.note.hide()
        for label in self.rows.values():
            label.show()
        self.refresh()

    def refresh(self) -> None:
        """Recompute from the draft (cheap: a few arithmetic steps)."""
        if self.protocol is None:
            return
        from vcf_desktop.engine.scores import bmi

        get = self.draft.get
        weight, height = get("patient.weight_kg"), get("patient.height_cm")
        if "bmi" in self.rows:
            recorded = get("patient.bmi")
            value = recorded if recorded is not None else bmi(weight, height)
            if value is None:
                missing = [_title(p) for p in ("patient.weight_kg", "patient.height_cm") if get(p) is None]
                text = self.tr("BMI: — (record %1)").replace("%1", self.tr(" and ").join(missing))
            else:
                source = self.tr("recorded") if recorded is not None else self.tr("from weight and height")
                text = self.tr("BMI: %1 kg/m² (%2)").replace("%1", number_text(value, 1)).replace("%2", source)
            self.rows["bmi"].setText(text)
        self._kidney()

    def _kidney(self) -> None:
        get = self.draft.get
        egfr = get("labs.egfr")
        self.rows["egfr"].setText(self.tr("eGFR: %1").replace("%1", (
            number_text(egfr) + " mL/min/1.73 m²") if egfr is not None else self.tr("not recorded")))
        kidney = self._estimate()
        if kidney is None or kidney.crcl is None:
            needs = [_title(p) for p in ("patient.age_years", "patient.sex", "patient.weight_kg",
                                         "labs.creatinine_umol_l") if get(p) is None]
            why = (self.tr("record %1, or a measured clearance").replace("%1", ", ".join(needs)) if needs else
                   self.tr("a recorded value is out of range"))
            self.rows["crcl"].setText(self.tr("Creatinine clearance: — (%1)").replace("%1", why))
        else:
            how = (self.tr("measured") if kidney.crcl_why is not None and
                   kidney.crcl_why.field == "labs.creatinine_clearance_ml_min" else self.tr("Cockcroft-Gault"))
            self.rows["crcl"].setText(self.tr("Creatinine clearance: %1 mL/min (%2)")
                                      .replace("%1", number_text(kidney.crcl, 0)).replace("%2", how))
        if kidney is None or kidney.value is None:
            used = self.tr("Drug limits for the kidneys cannot be checked: neither is known.")
        else:
            name = self.tr("eGFR") if kidney.path == "labs.egfr" else self.tr("creatinine clearance")
            both = kidney.crcl is not None and egfr is not None
            used = (self.tr("Drug decisions use %1 (the lower of the two).") if both else
                    self.tr("Drug decisions use %1.")).replace("%1", name)
        self.rows["used"].setText(used)

    def _estimate(self):  # noqa: ANN202 - engine.kidney.Kidney, imported lazily
        """The engine's kidney estimate from the patient and lab findings so far (None without age and sex,
        or with a value the model rejects)."""
        from pydantic import ValidationError

        from vcf_desktop.domain.case import Case
        from vcf_desktop.engine.kidney import kidney_function

        data = self.draft.data()
        if not isinstance(data.get("patient"), dict) or not {"age_years", "sex"} <= data["patient"].keys():
            return None
        try:
            case = Case.model_validate_json(json.dumps({
                "format": "vcf-case", "format_version": 2, "patient": data["patient"],
                "labs": data.get("labs", {}), "fractures": [_ANY_LEVEL]}))
        except ValidationError:
            return None
        assert self.protocol is not None
        return kidney_function(case, self.protocol.data.thresholds.crcl_adjusted_weight)
