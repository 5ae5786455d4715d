"""The protocol engine: loads protocol data and turns a case into a plan. Pure; no Qt, no I/O in evaluate."""

from vcf_desktop.engine.evaluate import evaluate
from vcf_desktop.engine.protocol import LoadedProtocol, ProtocolError, load_protocol

__all__ = ["LoadedProtocol", "ProtocolError", "evaluate", "load_protocol"]
