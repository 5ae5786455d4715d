"""The approved protocol: the release pins the shipped file's sha256; a changed shipped file is refused, a
protocol named deliberately runs and every output says "unapproved protocol" with its full sha256."""

from __future__ import annotations

import hashlib
import json
import re
import sys
import unicodedata
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from vcf_desktop.domain.casefile import read_case
from vcf_desktop.engine import evaluate, load_protocol
from vcf_desktop.engine import protocol as protocol_module
from vcf_desktop.engine.protocol import ENV_RUN_CHANGED_SHIPPED, UnapprovedProtocolError
from vcf_desktop.engine.protocol_model import Protocol
from vcf_desktop.report import render_html, render_text
from vcf_desktop.resources import resource_path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = resource_path("protocol/vcf-protocol.toml")
TEXT = SHIPPED.read_text(encoding="utf-8")
CASE = Path(__file__).parent / "examples" / "typical-l2-wedge.json"
REVIEW_DATE = Protocol.model_validate(__import__("tomllib").loads(TEXT)).protocol.review_date

#: Edits a hospital or an intruder might make: a threshold, a rule's value (the emergency pathway becomes
#: conservative care), a deleted rule, the review date. Regular expressions, so that they survive edits elsewhere.
EDITS = {
    "threshold": (r"(\[thresholds\.genant_grade_2\]\nvalue = )[0-9.]+", r"\g<1>35.0"),
    "rule value": (r'value = "emergency_referral"', 'value = "conservative"'),
    "review date": (r"review_date = \S+", "review_date = 2001-01-01"),
    "deleted rule": (r'\[\[rules\]\]\n(?:(?!\[\[)[^\n]*\n)*?kind = "item"\n(?:(?!\[\[)[^\n]*\n)*', ""),
}


def _edited(name: str) -> str:
    pattern, new = EDITS[name]
    edited = re.sub(pattern, new, TEXT, count=1)
    assert edited != TEXT, f"the edit {name!r} no longer applies to the shipped protocol"
    return edited


ALL_EDITS = list(EDITS)


def test_the_pin_is_the_shipped_protocols_sha256() -> None:
    """Fails when the protocol (or the case model's schema) changed without re-pinning.

    Fix: PYTHONPATH=$PWD .venv/bin/python build_scripts/regenerate.py  (and commit what it wrote)."""
    sys.path.insert(0, str(ROOT / "build_scripts"))
    try:
        import regenerate
    finally:
        sys.path.remove(str(ROOT / "build_scripts"))
    stale = [str(path.relative_to(ROOT)) for path, _ in regenerate.stale()]
    assert not stale, (f"stale generated files {stale}: "
                       "run `PYTHONPATH=$PWD .venv/bin/python build_scripts/regenerate.py`")
    assert protocol_module.approved_sha256() == hashlib.sha256(SHIPPED.read_bytes()).hexdigest()


@pytest.fixture(autouse=True)
def pinned_to_the_current_file(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test but the pin's own tests the mechanism, whatever the pin: a stale pin fails one test."""
    if request.node.name != "test_the_pin_is_the_shipped_protocols_sha256":
        sha = hashlib.sha256(SHIPPED.read_bytes()).hexdigest()
        monkeypatch.setattr(protocol_module, "approved_sha256", lambda: sha)


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Replace the shipped protocol file by `text` (refusal switched back on, as in a release)."""
    monkeypatch.delenv(ENV_RUN_CHANGED_SHIPPED, raising=False)

    def install(text: str) -> Path:
        path = tmp_path / "installed" / "vcf-protocol.toml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        monkeypatch.setattr(protocol_module, "shipped_protocol_path", lambda: path)
        return path
    return install


def test_the_unchanged_shipped_protocol_loads_approved(shipped) -> None:
    shipped(TEXT)
    p = load_protocol()
    assert p.approved and p.sha256 == protocol_module.approved_sha256()


@pytest.mark.parametrize("edit", ALL_EDITS)
def test_an_edited_shipped_protocol_is_refused_saying_what_to_do(shipped, edit: str) -> None:
    path = shipped(_edited(edit))
    with pytest.raises(UnapprovedProtocolError) as err:
        load_protocol()
    message = str(err.value)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    for fragment in (str(path), sha, protocol_module.approved_sha256(), "Reinstall", "--protocol FILE",
                     "unapproved protocol"):
        assert fragment in message


@pytest.mark.parametrize("edit", ALL_EDITS)
def test_an_edited_protocol_named_deliberately_runs_and_every_output_is_marked(tmp_path: Path, edit: str) -> None:
    path = tmp_path / "local.toml"
    path.write_text(_edited(edit), encoding="utf-8")
    p = load_protocol(path)
    assert not p.approved and p.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    case = read_case(CASE)
    plan = evaluate(case, p, today=date(2026, 11, 24))
    assert json.loads(plan.to_json())["protocol"]["approved"] is False
    for audience in ("clinician", "patient"):
        for text in (render_text(plan, case, p, audience), render_html(plan, case, p, audience, diagram=False)):
            assert f"UNAPPROVED PROTOCOL · sha256 {p.sha256}" in text


def test_the_shipped_protocol_named_explicitly_is_approved(tmp_path: Path) -> None:
    copy = tmp_path / "copy.toml"
    copy.write_bytes(SHIPPED.read_bytes())
    plan = evaluate(read_case(CASE), load_protocol(copy), today=date(2026, 11, 24))
    assert plan.protocol.approved and not plan.protocol.review_due


@pytest.mark.parametrize(("day", "due"), [(REVIEW_DATE, False), (date.fromordinal(REVIEW_DATE.toordinal() + 1), True)])
def test_due_for_review_the_day_after_the_review_date(protocol, day: date, due: bool) -> None:
    case = read_case(CASE)
    plan = evaluate(case, protocol, now=datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc))
    assert plan.protocol.review_due is due and plan.protocol.review_date == REVIEW_DATE
    text = render_text(plan, case, protocol)
    assert ("PROTOCOL DUE FOR REVIEW" in text) is due
    assert "UNAPPROVED" not in text


@pytest.mark.parametrize("detail", ["summary", "full"])
def test_every_clinician_output_prints_the_full_sha256_and_no_warning_when_approved(protocol, detail: str) -> None:
    case = read_case(CASE)
    plan = evaluate(case, protocol, today=date(2026, 11, 24))
    for text in (render_text(plan, case, protocol, detail=detail),
                 render_html(plan, case, protocol, detail=detail, diagram=False)):
        assert protocol.sha256 in text and "UNAPPROVED" not in text and "DUE FOR REVIEW" not in text


@pytest.mark.parametrize("audience", ["clinician", "patient"])
def test_every_pdf_page_says_unapproved_and_due_for_review(tmp_path: Path, audience: str) -> None:
    import io

    from pypdf import PdfReader

    from vcf_desktop.report.pdf import render_pdf_bytes

    path = tmp_path / "local.toml"
    path.write_text(_edited("review date"), encoding="utf-8")
    p = load_protocol(path)
    case = read_case(CASE)
    plan = evaluate(case, p, today=date(2026, 11, 24))
    data = render_pdf_bytes(plan, case, p, audience, "full")
    pages = [" ".join(unicodedata.normalize("NFKC", page.extract_text()).split())  # "ff" may print as a ligature
             for page in PdfReader(io.BytesIO(data)).pages]
    assert pages
    for text in pages:
        assert f"UNAPPROVED PROTOCOL · sha256 {p.sha256}" in text
        assert "PROTOCOL DUE FOR REVIEW · review date 2001-01-01 has passed" in text


def test_the_full_sha256_on_every_pdf_page_is_copied_as_printed(tmp_path: Path) -> None:
    """No ligature in the header and footer: a sha256 with "ff" extracts as the same 64 characters."""
    import io

    from pypdf import PdfReader

    from vcf_desktop.report.pdf import render_pdf_bytes

    path = tmp_path / "local.toml"
    for n in range(200):
        path.write_text(_edited("threshold") + f"# {n}\n", encoding="utf-8")
        if "ff" in hashlib.sha256(path.read_bytes()).hexdigest():
            break
    p = load_protocol(path)
    assert "ff" in p.sha256
    case = read_case(CASE)
    data = render_pdf_bytes(evaluate(case, p, today=date(2026, 11, 24)), case, p, "clinician", "full")
    for page in PdfReader(io.BytesIO(data)).pages:
        assert p.sha256 in "".join(page.extract_text().split())
