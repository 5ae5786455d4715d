"""Which questions apply to this patient, so the wizard asks only those (pregnancy is not asked of a
74-year-old). A question is always shown while it holds a value, so nothing recorded is ever hidden.

The age is the protocol's `menopause_age` threshold (at or over it, a woman with `premenopausal`
unrecorded is treated as postmenopausal); until the protocol has loaded, the questions are asked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from vcf_desktop.gui.draft import CaseDraft

if TYPE_CHECKING:
    from vcf_desktop.engine import LoadedProtocol

#: The protocol's menopause age (None until a protocol has loaded).
_menopause_age: float | None = None


def use_protocol(protocol: LoadedProtocol) -> None:
    """Take the menopause age from the protocol in use."""
    global _menopause_age  # noqa: PLW0603 - one protocol drives the questions of every window
    _menopause_age = protocol.thresholds.menopause_age.value


def is_woman(draft: CaseDraft) -> bool:
    return draft.get("patient.sex") == "female"


def child_bearing(draft: CaseDraft) -> bool:
    """A woman who may be pregnant or breastfeeding: not recorded postmenopausal, and either recorded
    premenopausal or under the contract's menopause age (or age not recorded yet)."""
    if not is_woman(draft) or draft.get("patient.premenopausal") is False:
        return False
    age = draft.get("patient.age_years")
    return (draft.get("patient.premenopausal") is True or not isinstance(age, int) or _menopause_age is None
            or age < _menopause_age)


def mri_done(draft: CaseDraft) -> bool:
    return "mri" in (draft.get("imaging.modalities") or [])


#: Field name (the last part of its path) -> when the question applies.
RULES: dict[str, Callable[[CaseDraft], bool]] = {
    "patient.premenopausal": is_woman,
    "patient.lactating": child_bearing,
    "history.pregnant": child_bearing,
    "history.pregnancy_weeks": lambda d: d.get("history.pregnant") is True,
    "fractures[].mri_edema": mri_done,
}


def rule_key(path: str) -> str:
    """"fractures[2].mri_edema" -> "fractures[].mri_edema" (the rule's key)."""
    head, dot, name = path.rpartition(".")
    return (head.split("[")[0] + "[]" if "[" in head else head) + dot + name


def applies(draft: CaseDraft, path: str) -> bool:
    """Whether the question at `path` is asked: it applies, or it holds a value."""
    rule = RULES.get(rule_key(path))
    return rule is None or rule(draft) or draft.get(path) is not None


def depends_on(changed: str) -> bool:
    """Whether a change at `changed` ("" = everything) can change which questions apply."""
    return changed in ("", "patient.sex", "patient.age_years", "patient.premenopausal", "history.pregnant",
                       "imaging.modalities") or changed.startswith("fractures")
