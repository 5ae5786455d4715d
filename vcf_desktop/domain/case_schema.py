"""The case JSON Schema shipped as `resources/schema/case.schema.json`, read without pydantic.

The file is generated from the case model (`vcf_desktop.gui.schema_file`); the GUI's editors and the fast
case check read it so that neither waits for pydantic and the models to import.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from vcf_desktop.resources import resource_path

SCHEMA_FILE = "schema/case.schema.json"


@functools.cache
def case_schema() -> dict[str, Any]:
    """The shipped case schema (read once, about half a millisecond)."""
    return json.loads(resource_path(SCHEMA_FILE).read_text(encoding="utf-8"))
