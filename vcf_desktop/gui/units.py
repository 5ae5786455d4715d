"""The units labs report, for the lab fields whose contract unit is one of several in use.

The case file always holds the contract's unit (the field's own unit, e.g. `vitamin_d_ng_ml`); the
wizard converts what is typed in another unit on entry and shows the converted value. The factors are
facts of chemistry:

- 25(OH)D: 1 ng/mL = 2.496 nmol/L (molar mass 400.6 g/mol; the contract rounds it to 2.5);
- calcium: 1 mmol/L = 4.008 mg/dL (40.08 g/mol);
- creatinine: 1 mg/dL = 88.42 µmol/L (113.12 g/mol);
- haemoglobin: 1 g/dL = 10 g/L.

`typical` is the span of values labs commonly report in each unit. It is used only to suspect a wrong
unit (a value far outside it that fits the other unit well), never for a clinical decision.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QLocale


@dataclass(frozen=True)
class LabUnits:
    """One lab field: its contract unit first, then the others, each with its factor to the contract
    unit (value in that unit x factor = value in the contract unit), decimals and typical span."""

    units: tuple[str, ...]
    factors: tuple[float, ...]
    decimals: tuple[int, ...]
    typical: tuple[tuple[float, float], ...]
    conventional: str  # the unit of laboratories that report in conventional (not SI) units

    @property
    def contract(self) -> str:
        return self.units[0]

    def to_contract(self, value: float, unit: str) -> float:
        """`value` in `unit`, in the contract unit, rounded to the contract unit's decimals."""
        return round(value * self.factors[self.units.index(unit)], self.decimals[0])

    def from_contract(self, value: float, unit: str) -> float:
        """A contract-unit value in `unit`, rounded to that unit's decimals."""
        i = self.units.index(unit)
        return round(value / self.factors[i], self.decimals[i])

    def suspect(self, value: float, unit: str) -> tuple[str, str] | None:
        """("high" | "low", the likelier unit) when the number lies outside what labs report in `unit`
        but inside what they report in another unit; else None."""
        low, high = self.typical[self.units.index(unit)]
        if low <= value <= high:
            return None
        for other, (other_low, other_high) in zip(self.units, self.typical, strict=True):
            if other != unit and other_low <= value <= other_high:
                return ("high" if value > high else "low"), other
        return None


#: Field path -> its units. Typical spans: 25(OH)D 4-50 ng/mL; calcium 1.5-3.5 mmol/L; creatinine
#: 30-900 µmol/L; haemoglobin 50-200 g/L (and the same spans in the other unit).
LABS: dict[str, LabUnits] = {
    "labs.vitamin_d_ng_ml": LabUnits(("ng/mL", "nmol/L"), (1.0, 1 / 2.496), (1, 0), ((4, 50), (10, 125)), "ng/mL"),
    "labs.calcium_mmol_l": LabUnits(("mmol/L", "mg/dL"), (1.0, 1 / 4.008), (2, 1), ((1.5, 3.5), (6.0, 14.0)),
                                    "mg/dL"),
    "labs.creatinine_umol_l": LabUnits(("µmol/L", "mg/dL"), (1.0, 88.42), (0, 2), ((30, 900), (0.3, 10.0)),
                                       "mg/dL"),
    "labs.haemoglobin_g_l": LabUnits(("g/L", "g/dL"), (1.0, 10.0), (0, 1), ((50, 200), (5.0, 20.0)), "g/dL"),
}

#: Countries whose laboratories report in conventional units (mg/dL, ng/mL, g/dL).
CONVENTIONAL_COUNTRIES = {QLocale.Country.UnitedStates, QLocale.Country.Liberia, QLocale.Country.Myanmar}

SETTINGS_GROUP = "units"


def locale_unit(path: str, locale: QLocale | None = None) -> str:
    """The unit a laboratory in the user's country most likely reports (before the user chose one)."""
    lab = LABS[path]
    if (locale or QLocale()).territory() in CONVENTIONAL_COUNTRIES:
        return lab.conventional
    return next(unit for unit in lab.units if unit != lab.conventional)


def default_unit(path: str) -> str:
    """The unit last chosen for this field (kept in the settings), else the locale's."""
    from vcf_desktop.gui.geometry import settings

    unit = settings().value(f"{SETTINGS_GROUP}/{path}")
    return unit if isinstance(unit, str) and unit in LABS[path].units else locale_unit(path)


def remember_unit(path: str, unit: str) -> None:
    """Make `unit` this field's default from now on."""
    from vcf_desktop.gui.geometry import settings

    store = settings()
    store.setValue(f"{SETTINGS_GROUP}/{path}", unit)
    store.sync()
