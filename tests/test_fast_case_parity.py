"""The fast case check agrees with the models: `loads_case(text, plain=True)` gives what `plain=False` gives.

For every generated case: the same acceptance or refusal, the same messages, and for an accepted case the
same values down to the Python type (a float stays a float, a date a date). Seeded for CI; set
VCF_PARITY_SEED to try other cases (the seed is printed on failure).
"""

from __future__ import annotations

import json
import os
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from case_generator import mutated_cases, valid_cases
from vcf_desktop.domain.case import Case
from vcf_desktop.domain.casefile import CaseFileError, loads_case
from vcf_desktop.domain.fast_case import CaseRecord
from vcf_desktop.domain.record import Record

SEED = int(os.environ.get("VCF_PARITY_SEED", "20261127"))
VALID, MUTATED = 10_000, 20_000


def _as_dicts(value: Any) -> Any:
    """Records as dicts (in field order), like a model dump."""
    if isinstance(value, Record):
        return {key: _as_dicts(item) for key, item in value}
    return [_as_dicts(item) for item in value] if type(value) is list else value


def _difference(record: Any, dumped: Any, path: str = "case") -> str | None:
    """Where a record first differs from a model dump (fields, their order, values, Python types), or None."""
    if isinstance(record, Record):
        pairs = list(record)
        if type(dumped) is not dict or [key for key, _ in pairs] != list(dumped):
            return f"{path}: {record!r} against {dumped!r}"
    elif type(record) is list:
        pairs = list(enumerate(record))
        if type(dumped) is not list or len(record) != len(dumped):
            return f"{path}: {record!r} against {dumped!r}"
    elif type(record) is not type(dumped) or repr(record) != repr(dumped):  # repr: -0.0 is not 0.0
        return f"{path}: {record!r} ({type(record).__name__}) against {dumped!r} ({type(dumped).__name__})"
    else:
        return None
    return next(filter(None, (_difference(item, dumped[key], f"{path}[{key!r}]") for key, item in pairs)), None)


def _outcome(text: str, *, plain: bool) -> tuple[str, Any]:
    try:
        return "read", loads_case(text, plain=plain)
    except CaseFileError as exc:
        return "refused", exc.messages


def _parity(cases: list[str | dict[str, Any]], seed: int) -> tuple[int, int]:
    """Check every case; (how many the models accept, how many of those the fast check took)."""
    accepted = fast = 0
    for i, case in enumerate(cases):
        text = case if isinstance(case, str) else json.dumps(case)
        where = f"seed {seed} (VCF_PARITY_SEED), case #{i}: {text[:3000]}"
        (verdict, model), (plain_verdict, plain) = _outcome(text, plain=False), _outcome(text, plain=True)
        assert plain_verdict == verdict, where
        if verdict == "refused":
            assert plain == model, where
            continue
        accepted += 1
        assert isinstance(model, Case), where
        if isinstance(plain, CaseRecord):
            fast += 1
            dumped = model.model_dump()
            # repr tells 1 from 1.0 and True, -0.0 from 0.0, a date from a string, and shows the field order
            if repr(_as_dicts(plain)) != repr(dumped):
                raise AssertionError(f"{_difference(plain, dumped)} in {where}")
        else:
            assert plain == model, where
    return accepted, fast


def test_valid_generated_cases_read_the_same_and_mostly_fast() -> None:
    accepted, fast = _parity(valid_cases(VALID, SEED), SEED)
    assert accepted == VALID, f"seed {SEED}: the generator made cases the models refuse"
    assert fast / accepted > 0.9, f"seed {SEED}: the fast check took only {fast / accepted:.1%} of valid cases"
    print(f"fast check took {fast} of {accepted} valid cases ({fast / accepted:.1%})")


def test_mutated_generated_cases_read_or_are_refused_the_same() -> None:
    accepted, fast = _parity(mutated_cases(MUTATED, SEED + 1), SEED + 1)
    assert accepted < MUTATED // 2, f"seed {SEED + 1}: most mutations should make a case invalid"
    print(f"{MUTATED - accepted} of {MUTATED} mutated cases refused; fast check took {fast} of {accepted} read")


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_parity_holds_for_any_seed(seed: int) -> None:
    _parity([*valid_cases(3, seed), *mutated_cases(10, seed)], seed)
