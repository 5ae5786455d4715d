"""A protocol whose conditions nest too deeply is refused with a message naming the place, never RecursionError."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_protocol_loading import STABILITY_WHEN, TEXT, _set_when, refuses

from vcf_desktop.engine.expressions import MAX_NESTING


@pytest.mark.parametrize("condition", [
    "not " * 5000 + "neuro_deficit",
    "not " * MAX_NESTING + "neuro_deficit",
    "(neuro_deficit and (" * 70 + "neuro_deficit" + "))" * 70,
])
def test_a_deeply_nested_rule_condition_names_the_rule(tmp_path: Path, condition: str) -> None:
    message = refuses(tmp_path, _set_when(STABILITY_WHEN, "stability.unstable", condition),
                      "rule stability.unstable", f"nests more than {MAX_NESTING} levels deep")
    assert len(message) < 2000  # the condition is shortened in the message


def test_the_deepest_allowed_condition_loads(tmp_path: Path) -> None:
    from test_protocol_loading import write

    from vcf_desktop.engine import load_protocol

    condition = "not " * (MAX_NESTING - 1) + "neuro_deficit"
    load_protocol(write(tmp_path, _set_when(STABILITY_WHEN, "stability.unstable", condition)))


def test_a_long_chain_of_definitions_names_the_first_too_deep(tmp_path: Path) -> None:
    chain = "".join(f'\n[[definitions]]\nname = "chain_{i}"\nwhen = "{f"chain_{i - 1}" if i else "neuro_deficit"}'
                    f' or neuro_deficit"\ndescription = "link {i}"\n' for i in range(2000))
    text = _set_when(STABILITY_WHEN, "stability.unstable", "chain_1999") + chain
    assert TEXT.count("[[definitions]]") >= 1
    message = refuses(tmp_path, text, f"definition chain_{MAX_NESTING // 2}: nests more than")
    assert "RecursionError" not in message
    assert message.count("nests more than") == 1  # reported where it starts, not for every link after it
