"""Plain records: a validated model's fields as attributes, for the headless hot path without pydantic.

A `Record` holds data that is already known to be valid (a case the fast checker accepted, the compiled
protocol verified by its pinned sha256). It reads like the pydantic model it mirrors (attributes, iteration
as `(name, value)` pairs, `model_copy(update=...)`); parity tests prove the values are the model's.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any, TypeVar

R = TypeVar("R", bound="Record")


class Record:
    """Named fields as attributes, in the model's field order."""

    def __init__(self, **fields: Any) -> None:
        self.__dict__.update(fields)

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        return iter(self.__dict__.items())

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # mutable, like the models

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self)})"

    def model_copy(self: R, *, update: dict[str, Any] | None = None) -> R:
        """A shallow copy with some fields replaced (the pydantic method of the same name)."""
        new = copy.copy(self)
        new.__dict__.update(update or {})
        return new
