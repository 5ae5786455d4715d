"""Spine diagram: valid SVG, all 17 levels, a distinct mark for every fracture, index highlighted."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from test_report_support import DEMO, MULTI, load_case

from vcf_desktop.domain import vocab as v
from vcf_desktop.domain.case import Case, Fracture
from vcf_desktop.report import spine_svg
from vcf_desktop.report.diagram import STYLES, VIEW_H, VIEW_W

SVG = "{http://www.w3.org/2000/svg}"


def _marks(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return {el.get("id").removeprefix("fracture-"): el for el in root.iter() if
            (el.get("id") or "").startswith("fracture-")}


def _case(fractures: list[dict]) -> Case:
    base = load_case(DEMO)
    return base.model_copy(update={"fractures": [Fracture.model_validate(f) for f in fractures]})


def _anterior_posterior(path: str) -> tuple[float, float]:
    """Heights of the left (anterior) and right (posterior) sides of a body path M a L b L c L d Z."""
    (x0, y0), (_, y1), (_, y2), (_, y3) = [tuple(map(float, p)) for p in re.findall(r"([\d.]+),([\d.]+)", path)]
    return y3 - y0, y2 - y1


@pytest.mark.parametrize("name", [DEMO, *MULTI])
def test_every_fracture_is_marked_and_the_index_stands_out(name: str) -> None:
    case = load_case(name)
    marks = _marks(spine_svg(case))
    assert set(marks) == {f.level for f in case.fractures}
    index = marks.pop(case.fractures[0].level)
    assert index.get("class") == "fracture index" and index.get("fill") == STYLES["index"].fill
    for f in case.fractures[1:]:
        kind = {True: "new", False: "old", None: "unrecorded"}[f.new]
        assert marks[f.level].get("class") == f"fracture {kind}"
        assert marks[f.level].get("fill") != index.get("fill")


def test_multi_fracture_kinds_are_told_apart() -> None:
    case = _case([{"level": "T7", "new": True}, {"level": "T10", "new": False}, {"level": "L1", "new": True},
                  {"level": "L4"}])
    svg = spine_svg(case)
    marks = _marks(svg)
    fills = {lvl: (el.get("fill"), el.get("stroke-dasharray")) for lvl, el in marks.items()}
    assert len(set(fills.values())) == 4  # index, new, old (hatched), not recorded (dashed)
    assert fills["T10"][0] == "url(#vcf-hatch)" and 'id="vcf-hatch"' in svg
    assert fills["L4"][1] is not None
    labels = {el.text for el in ET.fromstring(svg).iter(f"{SVG}text")}
    assert {"index", "old", "new", "new?"} <= labels


def test_all_levels_are_labelled_and_inside_the_view() -> None:
    svg = spine_svg(load_case(DEMO), width=200, height=400)
    root = ET.fromstring(svg)
    assert (root.get("width"), root.get("height")) == ("200", "400")
    labels = [el.text for el in root.iter(f"{SVG}text")]
    assert all(level in labels for level in v.LEVELS)
    numbers = [float(x) for el in root.iter(f"{SVG}path") for x in re.findall(r"[\d.]+", el.get("d", ""))]
    assert numbers and 0 <= min(numbers) and max(numbers) <= max(VIEW_W, VIEW_H)


@pytest.mark.parametrize("level", v.LEVELS)
def test_an_index_fracture_at_any_level(level: str) -> None:
    marks = _marks(spine_svg(_case([{"level": level, "new": True, "height_loss_pct": 30}])))
    assert list(marks) == [level]


def test_seventeen_fractures() -> None:
    fractures = [{"level": lvl, "new": i % 3 == 0 or None, "height_loss_pct": 5 * i} for i, lvl in enumerate(v.LEVELS)]
    marks = _marks(spine_svg(_case(fractures)))
    assert list(marks) == list(v.LEVELS)
    assert [m.get("class") for m in marks.values()].count("fracture index") == 1


@pytest.mark.parametrize(("loss", "ratio"),
                         [(None, 1.0), (0, 1.0), (40, 0.6), (75, 0.25), (80, 0.2), (85, 0.2), (100, 0.2)])
def test_wedge_follows_height_loss(loss: float | None, ratio: float) -> None:
    marks = _marks(spine_svg(_case([{"level": "L2", "height_loss_pct": loss}])))
    anterior, posterior = _anterior_posterior(marks["L2"].get("d"))
    assert anterior / posterior == pytest.approx(ratio, abs=0.01)
