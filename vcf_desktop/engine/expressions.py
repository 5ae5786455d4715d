"""Rule conditions: a tiny whitelisted boolean grammar over named facts, checked at protocol load.

Grammar: fact names, `true`, `and`, `or`, `not` and parentheses, nothing else (no calls,
attributes, comparisons or literals), parsed with `ast` in eval mode and never executed.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection
from dataclasses import dataclass


ALWAYS = "true"


class ConditionError(ValueError):
    """A condition that is not in the grammar or names an unknown fact."""


@dataclass(frozen=True)
class Condition:
    """A parsed condition; `evaluate` returns its truth and the facts that made it so."""

    source: str
    tree: ast.expr

    @property
    def names(self) -> frozenset[str]:
        return frozenset(n.id for n in ast.walk(self.tree) if isinstance(n, ast.Name) and n.id != ALWAYS)

    def evaluate(self, truth: Callable[[str], bool]) -> tuple[bool, list[tuple[str, bool]]]:
        """Truth of the condition and the (fact, value) pairs that decided it, in source order."""
        return _eval(self.tree, truth)


def _eval(node: ast.expr, truth: Callable[[str], bool]) -> tuple[bool, list[tuple[str, bool]]]:
    if isinstance(node, ast.Name):
        if node.id == ALWAYS:
            return True, []
        value = truth(node.id)
        return value, [(node.id, value)]
    if isinstance(node, ast.UnaryOp):
        value, why = _eval(node.operand, truth)
        return not value, why
    assert isinstance(node, ast.BoolOp)
    parts = [_eval(v, truth) for v in node.values]
    if isinstance(node.op, ast.And):
        value = all(p[0] for p in parts)
        deciding = parts if value else [p for p in parts if not p[0]]
    else:
        value = any(p[0] for p in parts)
        deciding = [p for p in parts if p[0]] if value else parts
    return value, [w for p in deciding for w in p[1]]


def _check(node: ast.AST, known: Collection[str], source: str) -> None:
    if isinstance(node, ast.Name):
        if node.id != ALWAYS and node.id not in known:
            raise ConditionError(f"unknown fact {node.id!r} in condition {source!r}")
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        _check(node.operand, known, source)
        return
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            _check(value, known, source)
        return
    raise ConditionError(
        f"{type(node).__name__} is not allowed in condition {source!r}: use fact names, true, and, or, not")


def compile_condition(source: str, known: Collection[str]) -> Condition:
    """Parse `source`, rejecting anything outside the grammar or any name not in `known`."""
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError as exc:
        raise ConditionError(f"condition {source!r} is not valid: {exc.msg}") from None
    _check(tree, known, source)
    return Condition(source=source.strip(), tree=tree)
