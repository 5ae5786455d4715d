"""The app's protocol governance: the banner for an unapproved or overdue protocol, Settings' local protocol,
the plan_record written on save, and what a newer protocol changes shown when a case is opened."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from test_gui_main_support import answers, data_dir, make_window, menu_action  # noqa: F401

from vcf_desktop.domain.casefile import read_case, save_case
from vcf_desktop.engine import evaluate, load_protocol
from vcf_desktop.engine.recheck import plan_record
from vcf_desktop.gui import governance
from vcf_desktop.gui.app import Options, _chosen_protocol
from vcf_desktop.gui.main_window import MainWindow
from vcf_desktop.resources import resource_path

SHIPPED_TEXT = resource_path("protocol/vcf-protocol.toml").read_text(encoding="utf-8")
EXAMPLES = Path(__file__).parent / "examples"
CAUDA = EXAMPLES / "l2-fracture-cauda-equina.json"
TYPICAL = EXAMPLES / "typical-l2-wedge.json"


def local_protocol_file(tmp_path: Path, *, review_date: str | None = None, name: str = "local.toml") -> Path:
    """An edited protocol "1.9.0" (neurological deficits -> conservative care), optionally with a review date."""
    text = re.sub(r'version = "[^"]+"', 'version = "1.9.0"', SHIPPED_TEXT, count=1)
    text = re.sub(r'value = "emergency_referral"', 'value = "conservative"', text, count=1)
    if review_date:
        text = re.sub(r"review_date = \S+", f"review_date = {review_date}", text, count=1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def banner_text(window: MainWindow) -> str:
    return window.protocol_banner.text() if window.protocol_banner is not None else ""


def test_the_approved_protocol_shows_no_banner(make_window):
    window = make_window()
    assert banner_text(window) == ""


def test_an_unapproved_protocol_is_shown_above_everything_with_its_full_sha256(make_window, tmp_path):
    window = make_window()
    assert window.use_protocol(local_protocol_file(tmp_path))
    assert f"UNAPPROVED PROTOCOL · sha256 {window.protocol.sha256}" in banner_text(window)
    assert window.protocol_banner.isVisibleTo(window)
    assert window.wizard.plan_page.view._protocol is window.protocol  # the plan view uses the new protocol
    assert window.use_protocol(None)
    assert banner_text(window) == "" and window.protocol.approved


def test_the_plan_view_says_unapproved_with_the_full_sha256(qtbot, tmp_path):
    from vcf_desktop.gui.plan_view import PlanView

    local = load_protocol(local_protocol_file(tmp_path))
    view = PlanView(local)
    qtbot.addWidget(view)
    view.show()
    case = read_case(TYPICAL)
    view.show_plan(evaluate(case, local), case)
    qtbot.waitUntil(lambda: "UNAPPROVED" in view.text())
    assert f"UNAPPROVED PROTOCOL · sha256 {local.sha256}" in view.text()


def test_a_protocol_past_its_review_date_still_runs_and_says_so(make_window, tmp_path):
    window = make_window()
    assert window.use_protocol(local_protocol_file(tmp_path, review_date="2001-01-01"))
    assert "PROTOCOL DUE FOR REVIEW · review date 2001-01-01 has passed" in banner_text(window)


def test_the_review_date_is_judged_against_the_gui_clock(make_window, protocol, monkeypatch):
    """The banner reads the GUI's one "today" (gui.clock), not the system date."""
    from datetime import timedelta

    from vcf_desktop.gui import clock

    monkeypatch.setattr(clock, "today", lambda: protocol.review_date)
    assert banner_text(make_window()) == ""  # due only after the review date
    monkeypatch.setattr(clock, "today", lambda: protocol.review_date + timedelta(days=1))
    assert f"PROTOCOL DUE FOR REVIEW · review date {protocol.review_date} has passed" in banner_text(make_window())


def test_settings_remember_the_local_protocol_and_the_app_starts_with_it(make_window, tmp_path, answers):
    local = local_protocol_file(tmp_path)
    window = make_window()
    assert governance.local_protocol() is None
    assert window.use_protocol(local)
    assert governance.local_protocol() == local
    assert _chosen_protocol(Options()).path == local
    assert _chosen_protocol(Options(protocol=None)).approved is False
    window.use_protocol(None)
    assert governance.local_protocol() is None and _chosen_protocol(Options()).approved


def test_a_broken_local_protocol_is_refused_and_the_one_in_use_kept(make_window, tmp_path, answers):
    window = make_window()
    before = window.protocol
    broken = tmp_path / "broken.toml"
    broken.write_text("[protocol]\n", encoding="utf-8")
    assert not window.use_protocol(broken)
    assert window.protocol is before and governance.local_protocol() is None
    assert answers["shown"][-1][0] == "Protocol not changed" and str(broken) in answers["shown"][-1][1]


def test_a_local_protocol_gone_since_it_was_chosen_falls_back_to_the_approved_one(data_dir, tmp_path, answers):
    governance.set_local_protocol(tmp_path / "gone.toml")
    protocol = _chosen_protocol(Options())
    assert protocol.approved
    assert answers["shown"][-1][0] == "Local protocol not used"


def test_settings_dialog_offers_the_approved_protocol_or_a_local_file(qtbot, protocol, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

    dialog = governance.SettingsDialog(None, protocol)
    qtbot.addWidget(dialog)
    assert dialog.shipped.isChecked() and dialog.chosen() is None and protocol.sha256 in dialog.shipped.text()
    dialog.local.setChecked(True)
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    chosen = tmp_path / "mine.toml"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(chosen), "")))
    dialog._choose()
    assert dialog.chosen() == chosen
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_saving_records_what_the_plan_says(make_window, tmp_path):
    window = make_window()
    assert window.open_path(CAUDA)
    target = tmp_path / "saved.vcfcase.json"
    assert window._save_to(target)
    saved = read_case(target)
    expected = plan_record(evaluate(read_case(CAUDA), window.protocol))
    # the same plan, made a moment apart: everything but the time of generation agrees
    assert saved.plan_record.model_dump(exclude={"generated_at"}) == expected.model_dump(exclude={"generated_at"})
    assert saved.plan_record.generated_at <= expected.generated_at
    assert saved.plan_record.pathway == "emergency_referral"


def test_opening_a_case_planned_under_another_protocol_shows_what_changed_first(make_window, tmp_path):
    older = load_protocol(local_protocol_file(tmp_path))
    case = read_case(CAUDA)
    recorded = tmp_path / "recorded.vcfcase.json"
    save_case(case.model_copy(update={"plan_record": plan_record(evaluate(case, older, today=date(2026, 11, 24)))}),
              recorded)
    window = make_window()
    assert window.open_path(recorded)
    box = window.plan_changes
    assert box is not None and box.isVisible()
    assert "1.9.0" in box.text() and older.sha256 in box.text() and window.protocol.sha256 in box.text()
    assert "pathway: conservative → emergency referral" in box.informativeText()
    box.close()


def test_a_case_recorded_under_the_protocol_in_use_opens_without_a_message(make_window, tmp_path, protocol):
    case = read_case(CAUDA)
    recorded = tmp_path / "same.vcfcase.json"
    save_case(case.model_copy(update={"plan_record": plan_record(evaluate(case, protocol))}), recorded)
    window = make_window()
    assert window.open_path(recorded)
    assert window.plan_changes is None


def test_a_case_opened_before_the_protocol_loads_is_checked_when_it_does(qtbot, data_dir, answers, tmp_path,
                                                                         protocol):
    older = load_protocol(local_protocol_file(tmp_path))
    case = read_case(CAUDA)
    recorded = tmp_path / "early.vcfcase.json"
    save_case(case.model_copy(update={"plan_record": plan_record(evaluate(case, older))}), recorded)
    window = MainWindow(None)
    qtbot.addWidget(window)
    assert window.open_path(recorded) and window.plan_changes is None
    window.set_protocol(protocol)
    assert window.plan_changes is not None and window.plan_changes.isVisible()
    window.plan_changes.close()


def test_settings_is_in_the_file_menu(make_window, monkeypatch, tmp_path):
    local = local_protocol_file(tmp_path)
    monkeypatch.setattr(governance.SettingsDialog, "exec", lambda self: self.local.setChecked(True) or
                        self.path.setText(str(local)) or 1)
    window = make_window()
    menu_action(window, "Settings…").trigger()
    assert window.protocol.path == local and not window.protocol.approved
