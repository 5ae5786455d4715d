"""Pure data models of the case file (`domain.case`) and the plan file (`domain.plan`), and their
vocabularies (`domain.vocab`, importable without pydantic). No Qt, no I/O beyond JSON text."""
