"""Loading the protocol: thresholds, score points, rules, texts and references, as data.

The protocol file (`resources/protocol/vcf-protocol.toml`) is checked by its schema
(`engine/protocol_model.py`) when it is parsed; the engine runs on the plain data the schema accepted
(`engine/protocol_data.py`). The file is hashed (sha256 of its bytes) and never executed.

Approval: the release pins the shipped file's sha256 (`engine/approved.py`, written by
`build_scripts/regenerate.py`). The shipped protocol loads only when its hash matches the pin, from its
compiled form when that is verified too (`engine/compiled.py`); a protocol named explicitly
(`--protocol FILE`, the app's settings) always loads, and `approved` says whether its hash is the pinned
one (every output then marks it "unapproved protocol"). Nothing here imports pydantic unless a TOML file
must be parsed.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from vcf_desktop.domain.record import Record
from vcf_desktop.engine.expressions import Condition, Form, compile_condition, condition_from_form
from vcf_desktop.engine.facts import FACTS
from vcf_desktop.engine.protocol_data import plain_protocol
from vcf_desktop.resources import resource_path

DEFAULT_PROTOCOL = "protocol/vcf-protocol.toml"
#: Development only (the test suite sets it): a changed shipped protocol runs, marked unapproved, as if named
#: with --protocol, instead of being refused, so that a stale pin fails one test (test_protocol_approval.py).
ENV_RUN_CHANGED_SHIPPED = "VCF_DESKTOP_RUN_CHANGED_SHIPPED_PROTOCOL"


class ProtocolError(ValueError):
    """The protocol data cannot be loaded; the message names every problem."""


class UnapprovedProtocolError(ProtocolError):
    """The shipped protocol file is not the one this release approves (its sha256 differs from the pin)."""


@dataclass(frozen=True)
class LoadedProtocol:
    """A validated protocol with its provenance (path and sha256 of the file's bytes).

    `approved`: the sha256 is the one this release pins (see `approved_sha256`).
    """

    data: Record  # plain records of the data the schema accepted (engine/protocol_data.py)
    sha256: str
    path: Path
    forms: dict[str, Form] | None = None  # its conditions already compiled (the compiled artefact carries them)

    @property
    def approved(self) -> bool:
        return self.sha256 == approved_sha256()

    @property
    def review_date(self) -> date:
        return self.data.protocol.review_date

    def review_due(self, day: date) -> bool:
        """The protocol is past its review date on `day` (it still runs; every output says so)."""
        return day > self.review_date

    def ref(self, day: date) -> Record:
        """What a plan made on `day` says about this protocol (the plan's `protocol`, fields in its order)."""
        return Record(id=self.id, version=self.version, sha256=self.sha256, approved=self.approved,
                      review_date=self.review_date, review_due=self.review_due(day))

    @property
    def id(self) -> str:
        return self.data.protocol.id

    @property
    def version(self) -> str:
        return self.data.protocol.version

    @property
    def thresholds(self) -> Any:
        return self.data.thresholds

    @property
    def references(self) -> dict[str, Any]:
        return self.data.references

    @cached_property
    def known_names(self) -> frozenset[str]:
        return frozenset(FACTS) | {d.name for d in self.data.definitions}

    @cached_property
    def conditions(self) -> dict[str, Condition]:
        """Every definition's, rule's and missing entry's condition, compiled once, keyed by its text."""
        texts = sorted({d.when for d in self.data.definitions} | {r.when for r in self.data.rules}
                       | {m.when for m in self.data.missing})
        if self.forms is not None and set(self.forms) == set(texts):
            return {t: condition_from_form(t, self.forms[t]) for t in texts}
        return {t: compile_condition(t, self.known_names) for t in texts}


def validated_data(raw: bytes, path: Path) -> dict[str, Any]:
    """Protocol TOML bytes checked by the schema, as JSON-ready data; ProtocolError naming every problem."""
    import tomllib  # noqa: PLC0415 - the shipped protocol usually loads from its compiled form

    from vcf_desktop.engine.protocol_model import validate_protocol  # noqa: PLC0415 - pydantic only when parsing

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProtocolError(f"{path}: not valid UTF-8 TOML: {exc}") from None
    return validate_protocol(data, path)


def parse_protocol(raw: bytes, path: Path) -> LoadedProtocol:
    """Validate protocol bytes; raises ProtocolError naming every problem."""
    return LoadedProtocol(data=plain_protocol(validated_data(raw, path)), sha256=hashlib.sha256(raw).hexdigest(),
                          path=path)


def approved_sha256() -> str:
    """The sha256 of the protocol this release approves (generated by build_scripts/regenerate.py)."""
    from vcf_desktop.engine.approved import APPROVED_PROTOCOL_SHA256

    return APPROVED_PROTOCOL_SHA256


def approved_compiled_sha256() -> str:
    """The sha256 of the compiled protocol artefact made from the approved protocol ("" before it exists)."""
    from vcf_desktop.engine import approved

    return getattr(approved, "APPROVED_COMPILED_SHA256", "")


def shipped_protocol_path() -> Path:
    return resource_path(DEFAULT_PROTOCOL)


def load_protocol(path: Path | None = None) -> LoadedProtocol:
    """Load and validate a protocol: the named file (run deliberately, approved or not), or by default the
    shipped one, which must be the approved one (UnapprovedProtocolError saying what to do otherwise)."""
    chosen = path or shipped_protocol_path()
    try:
        raw = chosen.read_bytes()
    except OSError as exc:
        raise ProtocolError(f"cannot read protocol {chosen}: {exc.strerror}") from None
    if path is None:
        sha256 = hashlib.sha256(raw).hexdigest()
        if os.environ.get(ENV_RUN_CHANGED_SHIPPED) != "1" and sha256 != approved_sha256():
            raise UnapprovedProtocolError(unapproved_message(chosen, sha256))
        from vcf_desktop.engine.compiled import load_compiled  # noqa: PLC0415 - it imports this module

        compiled = load_compiled(sha256, approved_compiled_sha256())
        if compiled is not None:  # verified: the same data and conditions without parsing the TOML again
            data, forms = compiled
            return LoadedProtocol(data=plain_protocol(data), sha256=sha256, path=chosen, forms=forms)
    return parse_protocol(raw, chosen)


def unapproved_message(path: Path, sha256: str) -> str:
    return (f"the protocol file {path} is not the protocol approved for this release: its sha256 is {sha256}, "
            f"the release approves {approved_sha256()}. The file was changed after the release was built, so it is "
            "not used. Reinstall VCF Desktop to restore the approved protocol; or, to run a local protocol "
            "deliberately, name it with --protocol FILE (or choose it in the app's Settings): every output is then "
            "marked \"unapproved protocol\" with its sha256. (Developers who edited the protocol: run "
            "build_scripts/regenerate.py.)")
