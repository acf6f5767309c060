"""The in-browser verification benchmark once, at the tiny size: it runs in Chromium, gets a
VALID answer against 10,000 revocations, and produces every figure. Not a timed test."""

from __future__ import annotations

import json

import pytest

from bench import verify_browser
from bench.common import scale

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_the_browser_benchmark_produces_its_figures():
    result = verify_browser.run(scale("tiny"))
    assert result["revocation_entries"] == 10_000 and result["payload_chars"] > 900
    assert result["bare_us"]["median_us"] > 0 and result["verify_us"]["median_us"] > 0
    assert result["ratio_median"] > 0 and result["decompression_stream_us"] > 0
    # the page's clock ran in real time: the same interval on both clocks, within the
    # evaluate round trips around it
    assert abs(result["page_clock_ms"] - result["wall_clock_ms"]) < 0.5 * result["wall_clock_ms"]
    rows = verify_browser.rows(json.loads(json.dumps(result)))
    assert [row[0].split(":")[0].split(" /")[0] for row in rows] == [
        "browser verify", "browser decoding alone", "browser inflate", "browser timing clock"]
