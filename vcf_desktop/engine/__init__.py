"""The protocol engine: loads protocol data and turns a case into a plan. Pure; no Qt, no I/O in evaluate."""

from typing import Any

from vcf_desktop.engine.evaluate import evaluate
from vcf_desktop.engine.protocol import LoadedProtocol, ProtocolError, load_protocol

__all__ = ["LoadedProtocol", "ProtocolError", "evaluate", "load_protocol", "protocol_summary"]


def __getattr__(name: str) -> Any:
    """`protocol_summary` is imported on first use: the plan path does not need it."""
    if name == "protocol_summary":
        from vcf_desktop.engine.summary import protocol_summary

        return protocol_summary
    raise AttributeError(name)
