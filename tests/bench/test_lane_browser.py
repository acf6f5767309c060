"""The lane benchmark once, at the tiny size: the real customs page in Chromium answers every
scan, first on the device then with the registry, and every figure is produced. Not a timed
test."""

from __future__ import annotations

import json

import pytest

from bench import lane_browser
from bench.common import scale

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_the_lane_benchmark_produces_its_figures():
    result = lane_browser.run(scale("tiny"))
    assert result["scans"] == 30 and result["last_result"] == "VALID"
    device, registry = result["device_ms"], result["registry_ms"]
    assert 0 < device["median"] <= device["p95"] and 0 < registry["median"] <= registry["p95"]
    # in real time: the same interval on both clocks, within the round trips around it
    assert abs(result["page_clock_ms"] - result["wall_clock_ms"]) < 0.5 * result["wall_clock_ms"]
    rows = lane_browser.rows(json.loads(json.dumps(result)))
    assert [row[0].split(":")[0] for row in rows] == ["lane", "lane", "lane timing clock"]
