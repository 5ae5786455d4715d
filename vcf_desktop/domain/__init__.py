"""Pure data models of the case file and the plan file (no Qt, no I/O beyond JSON text)."""

from vcf_desktop.domain.case import Case, Fracture
from vcf_desktop.domain.plan import Plan

__all__ = ["Case", "Fracture", "Plan"]
