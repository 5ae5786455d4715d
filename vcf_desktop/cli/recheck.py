"""`recheck CASE_OR_DIR...`: re-plan saved cases under the current protocol and list what their plan_record
says differently. Exit 3 when a plan changed, else 2 when a case was invalid, else 0.

Each case is re-planned for the day its recorded plan was made (the case's assessment_date wins, as
always), so that what is listed comes from the protocol and the program, not from the calendar.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from vcf_desktop.cli.commands import case_paths, counted, load_chosen_protocol, standing
from vcf_desktop.cli.entry import PROG, UsageError
from vcf_desktop.domain.casefile import CaseFileError, read_case
from vcf_desktop.engine.protocol import LoadedProtocol

CHANGED, UNCHANGED, NO_RECORD, INVALID = "changed", "unchanged", "no_plan_record", "invalid"
STATUS_TEXT = {CHANGED: "CHANGED", UNCHANGED: "unchanged", NO_RECORD: "no plan record (saved without a plan: "
               "nothing to compare; open and save it to record one)", INVALID: "invalid"}


def _one(path: Path, protocol: LoadedProtocol) -> dict[str, Any]:
    from vcf_desktop.engine import evaluate
    from vcf_desktop.engine.recheck import changes

    entry: dict[str, Any] = {"file": str(path)}
    try:
        case = read_case(path)
    except CaseFileError as exc:
        return entry | {"status": INVALID, "problems": exc.messages}
    entry["case_id"] = case.case_id
    record = case.plan_record
    if record is None:
        return entry | {"status": NO_RECORD}
    plan = evaluate(case, protocol, today=record.generated_at.date())
    found = changes(record, plan)
    return entry | {"status": CHANGED if found else UNCHANGED, "recorded_protocol": record.protocol.model_dump(),
                    "changes": [c.as_json() for c in found], "described": [c.describe() for c in found]}


def recheck(args: argparse.Namespace) -> int:
    paths = case_paths(args.cases)
    if not paths:
        raise UsageError([f"{PROG} recheck: no case files in {', '.join(args.cases)}"])
    protocol = load_chosen_protocol(args)
    today = date.today()
    results = [_one(path, protocol) for path in paths]
    summary = {status: sum(r["status"] == status for r in results) for status in STATUS_TEXT}
    if args.format == "json":
        current = {"id": protocol.id, "version": protocol.version, "sha256": protocol.sha256,
                   "approved": protocol.approved, "review_date": protocol.review_date.isoformat(),
                   "review_due": protocol.review_due(today)}
        cases = [{k: v for k, v in r.items() if k != "described"} for r in results]
        print(json.dumps({"format": "vcf-recheck", "protocol": current, "cases": cases, "summary": summary},
                         indent=2, ensure_ascii=False))
    else:
        _print_text(results, summary, protocol, today)
    return 3 if summary[CHANGED] else 2 if summary[INVALID] else 0


def _print_text(results: list[dict[str, Any]], summary: dict[str, int], protocol: LoadedProtocol, today: date) -> None:
    print(f"Re-checked under protocol {protocol.id} {protocol.version} (sha256 {protocol.sha256}, "
          f"{standing(protocol, today)})")
    for r in results:
        line = f"{r['file']}: {STATUS_TEXT[r['status']]}"
        if "recorded_protocol" in r:
            was = r["recorded_protocol"]
            same = was["sha256"] == protocol.sha256
            line += (f" (planned under {was['id']} {was['version']}, sha256 {was['sha256']}"
                     f"{', the same protocol' if same else f'; now {protocol.id} {protocol.version}'})")
        print(line)
        for text in r.get("described", []):
            print(f"  {text}")
        for problem in r.get("problems", []):
            print(f"  {problem}")
    print(f"{counted(len(results), 'case')}: {summary[CHANGED]} changed, {summary[UNCHANGED]} unchanged, "
          f"{summary[NO_RECORD]} without a plan record, {summary[INVALID]} invalid")
