"""The protocol as plain data: what the engine runs on, made from data the schema has already accepted.

`plain_protocol` turns the schema's JSON-ready output (`protocol_model.validate_protocol`, or the compiled
artefact, which is that output verified by its pinned sha256) into attribute records without pydantic, so
that a headless plan never builds a model class. tests/test_protocol_data.py proves the records equal the
models field by field.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from vcf_desktop.domain.record import Record

_COMPLEMENT = {"<": ">=", "<=": ">", ">": "<=", ">=": "<"}


class ThresholdRule:  # no annotations here: pydantic would take them as fields of the model
    """What a threshold does with its `value`, `op`, `unit`, `rule` and `boundary` (shared by the schema's
    `Threshold` model and the plain `Threshold`)."""

    def holds(self, x: float) -> bool:
        return {"<": x < self.value, "<=": x <= self.value, ">": x > self.value, ">=": x >= self.value}[self.op]

    def on_boundary(self, x: float) -> bool:
        return self.boundary and x == self.value

    def describe(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.op} {self.value:g}{unit} ({self.rule})"

    def describe_complement(self) -> str:
        """The side a value that does not meet the threshold lies on, stated positively."""
        unit = f" {self.unit}" if self.unit else ""
        return f"{_COMPLEMENT[self.op]} {self.value:g}{unit} (rule: {self.rule})"


class Threshold(Record, ThresholdRule):
    """A decision threshold: `input <op> value`, in the rule's own wording."""


def plain_protocol(data: dict[str, Any]) -> Record:
    """Records for validated protocol data (every field present, as the schema dumps it)."""
    meta = data["protocol"]
    return Record(
        protocol=Record(**{**meta, "review_date": date.fromisoformat(meta["review_date"])}),
        patient_handout=Record(**data["patient_handout"]),
        thresholds=Record(**{name: Threshold(**t) for name, t in data["thresholds"].items()}),
        points=Record(**data["points"]),
        definitions=[Record(**d) for d in data["definitions"]],
        rules=[Record(**r) for r in data["rules"]],
        missing=[Record(**m) for m in data["missing"]],
        references={key: Record(**r) for key, r in data["references"].items()},
    )
