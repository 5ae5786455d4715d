"""The case JSON Schema shipped as `resources/schema/case.schema.json`, for start-up without pydantic.

The schema is generated from the case model (`Case.model_json_schema()`), where every title, unit and
range is written once; the editors read it from this file so that the first screen does not wait for
pydantic and the models to import. `tests/test_gui_fields.py` fails when the file is out of date.

Regenerate:  .venv/bin/python -m vcf_desktop.gui.schema_file
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from vcf_desktop.domain.case_schema import SCHEMA_FILE, case_schema
from vcf_desktop.resources import resource_path

__all__ = ["SCHEMA_FILE", "case_schema", "generated_text", "main"]


def generated_text() -> str:
    """The file's text as the current case model generates it (imports the model)."""
    from vcf_desktop.domain.case import Case

    return json.dumps(Case.model_json_schema(), indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the schema file next to the other resources: `python -m vcf_desktop.gui.schema_file [PATH]`."""
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else resource_path(SCHEMA_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    from vcf_desktop.domain.safe_write import write_text

    write_text(path, generated_text())
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
