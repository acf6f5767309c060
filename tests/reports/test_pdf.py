"""The national report's PDF holds every word of the longest free text the registry accepts.

The grounds of a denial are the only free text in the report's tables (countries, categories,
units and screening rules come from reference lists): up to 4,000 characters, which in their
column run longer than an A4 page.
"""

from __future__ import annotations

import re

import pytest

from broker_registry.db.columns import utcnow
from tests.records import decide, submit

from .conftest import pdf_text

YEAR = utcnow().year
LONGEST = 4000  # the API's limit on the grounds of a decision


def _deny(broker_api, regulators, reason: str) -> None:
    assert len(reason) == LONGEST
    licence = submit(broker_api)
    response = decide(regulators[0], licence["id"], "deny", reason)
    assert response.status_code == 200, response.get_json()


def _pdf(page, tmp_path, lang: str) -> str:
    response = page.get(f"/regulator/reports/{YEAR}.pdf?lang={lang}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    return pdf_text(response.data, tmp_path)


def _numbered(template: str, width: int) -> str:
    """Numbered pieces up to the limit, so that a missing piece is named by the test."""
    pieces = [template.format(i) for i in range(1, LONGEST // width + 1)]
    text = "".join(pieces)
    return text + "." * (LONGEST - len(text))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_longest_grounds_are_all_in_the_pdf(broker_api, regulators, regulator_page,
                                                tmp_path, lang):
    reason = _numbered("Ground{:04d} ", 11)
    _deny(broker_api, regulators, reason)
    text = _pdf(regulator_page, tmp_path, lang)
    assert re.findall(r"Ground(\d{4})", text) == [f"{i:04d}" for i in range(1, LONGEST // 11 + 1)]
    assert "Ground0001 Ground0002" in text


def test_grounds_without_a_space_are_broken_across_lines_not_cut(broker_api, regulators,
                                                                 regulator_page, tmp_path):
    _deny(broker_api, regulators, "q" * LONGEST)
    text = _pdf(regulator_page, tmp_path, "en")
    assert text.count("q") >= LONGEST
    assert max(len(line) for line in text.splitlines()) < 200  # wrapped inside its column


def test_the_longest_chinese_grounds_are_all_in_the_pdf(broker_api, regulators,
                                                        regulator_page, tmp_path):
    reason = "全面武器禁运" * (LONGEST // 6) + "止" * (LONGEST % 6)
    _deny(broker_api, regulators, reason)
    text = "".join(_pdf(regulator_page, tmp_path, "zh").split())
    assert text.count("禁运") == LONGEST // 6
    assert "全面武器禁运全面武器禁运" in text


def test_grounds_on_many_lines_keep_their_lines(broker_api, regulators, regulator_page,
                                                tmp_path):
    reason = _numbered("Point {:03d}.\n", 11)
    _deny(broker_api, regulators, reason)
    lines = _pdf(regulator_page, tmp_path, "en").splitlines()
    # Each point ends its own line; the first shares its line with the row's other cells.
    points = [line[-10:] for line in lines if re.search(r"\bPoint \d{3}\.$", line)]
    assert points == [f"Point {i:03d}." for i in range(1, LONGEST // 11 + 1)]
    assert not [line for line in lines if line.count("Point") > 1]
