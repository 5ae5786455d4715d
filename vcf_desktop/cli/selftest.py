"""`vcf-desktop selftest`: the whole chain on the built-in demo case, headless; used on the packaged executable."""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

DEMO_CASE = "cases/typical-l2-wedge.vcfcase.json"
MIN_PDF_BYTES = 10_000


class CheckFailed(Exception):
    """A selftest check found something wrong."""


def _expect(ok: bool, what: str) -> None:
    if not ok:
        raise CheckFailed(what)


class _Selftest:
    """Each `check_*` method returns a short detail for the OK line or raises."""

    def __init__(self, folder: Path, args: argparse.Namespace) -> None:
        self.folder = folder
        self.args = args
        self.state: dict[str, Any] = {}

    def check_protocol(self) -> str:
        from vcf_desktop.cli.commands import load_chosen_protocol, standing

        p = self.state["protocol"] = load_chosen_protocol(self.args)
        return f"{p.id} {p.version} sha256 {p.sha256}, {standing(p, date.today())}"

    def check_demo_case(self) -> str:
        from vcf_desktop.domain.casefile import read_case
        from vcf_desktop.resources import resource_path

        case = self.state["case"] = read_case(resource_path(DEMO_CASE))
        return f"{case.case_id}, {len(case.fractures)} fracture(s)"

    def check_invalid_case_refused(self) -> str:
        from vcf_desktop.domain.casefile import CaseFileError, loads_case

        data = json.loads(self.state["case"].to_json())
        data["patient"]["age_years"] = 130
        try:
            loads_case(json.dumps(data))
        except CaseFileError as exc:
            _expect(any(m.startswith("patient.age_years: 130") for m in exc.messages), f"unclear: {exc.messages}")
            return exc.messages[0]
        raise CheckFailed("age 130 was accepted")

    def check_engine(self) -> str:
        from vcf_desktop.engine import evaluate

        start = time.perf_counter()
        plan = self.state["plan"] = evaluate(self.state["case"], self.state["protocol"], today=date.today())
        ms = (time.perf_counter() - start) * 1000
        _expect(bool(plan.items), "the plan has no items")
        return f"pathway {plan.pathway}, {len(plan.items)} items, {ms:.1f} ms"

    def check_deterministic(self) -> str:
        from vcf_desktop.engine import evaluate

        again = evaluate(self.state["case"], self.state["protocol"], today=date.today())
        keep = {"generated_at"}
        _expect(again.model_dump(exclude=keep) == self.state["plan"].model_dump(exclude=keep), "two runs differ")
        return "same plan twice"

    def check_plan_file(self) -> str:
        from vcf_desktop.domain.plan import Plan

        text = self.state["plan"].to_json()
        _expect(Plan.model_validate_json(text) == self.state["plan"], "the plan file does not read back the same")
        from vcf_desktop.domain.safe_write import write_text

        write_text(self.folder / "plan.json", text)
        return f"{len(text)} bytes, reads back equal"

    def _report(self, render_name: str, audience: str) -> str:
        from vcf_desktop import report

        render: Callable[..., str] = getattr(report, render_name)
        s = self.state
        text = render(s["plan"], s["case"], s["protocol"], audience)
        _expect(s["case"].case_id in text, f"the case id {s['case'].case_id} is not in the report")
        return f"{len(text)} characters"

    def check_text_clinician(self) -> str:
        return self._report("render_text", "clinician")

    def check_text_patient(self) -> str:
        return self._report("render_text", "patient")

    def check_html(self) -> str:
        return self._report("render_html", "clinician")

    def check_pdf(self) -> str:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from vcf_desktop.report.pdf import write_pdf

        s, path = self.state, self.folder / "plan.pdf"
        write_pdf(s["plan"], s["case"], s["protocol"], path, "clinician")
        _expect(path.is_file(), "no PDF was written")
        data = path.read_bytes()
        _expect(data.startswith(b"%PDF"), "the file is not a PDF")
        _expect(len(data) >= MIN_PDF_BYTES, f"the PDF is only {len(data)} bytes")
        _expect(b"/FontFile" in data, "no font is embedded (the text would print as boxes)")
        return f"{len(data)} bytes, fonts embedded"


def run_selftest(args: argparse.Namespace) -> int:
    """Run every check in order and print one OK/FAIL line each; 0 when all pass. A failed check does not stop
    the later ones; those that need its result fail with "needs ... from an earlier check"."""
    failures = 0
    with tempfile.TemporaryDirectory(prefix="vcf-selftest-") as folder:
        test = _Selftest(Path(folder), args)
        for name in [n for n in vars(_Selftest) if n.startswith("check_")]:
            label = name.removeprefix("check_").replace("_", " ")
            try:
                detail = getattr(test, name)()
            except Exception as exc:  # noqa: BLE001 - a selftest reports every failure and goes on
                failures += 1
                reason = (str(exc) if isinstance(exc, CheckFailed)
                          else f"needs {exc} from an earlier check" if isinstance(exc, KeyError)
                          else f"{type(exc).__name__}: {exc}")
                print(f"FAIL {label}: {reason}", flush=True)
            else:
                print(f"OK   {label}: {detail}", flush=True)
    print(f"selftest: {'all checks passed' if not failures else f'{failures} check(s) failed'}")
    return 0 if not failures else 1
