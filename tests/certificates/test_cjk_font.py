"""The certificate PDF needs its CJK font: production refuses to start without it, naming the
package; development warns loudly; a PDF drawn with the fallback font is never kept or cached;
`make install` says how to install the font."""

from __future__ import annotations

import dataclasses
import logging
import subprocess
import sys

import pytest
from sqlmodel import select

from broker_registry import create_app
from broker_registry.certificates import fonts, pdf
from broker_registry.certificates.models import Rendering
from broker_registry.settings import ConfigurationError, settings_from_env
from tests.test_settings import PROD


@pytest.fixture
def no_font(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "FONT_CANDIDATES", ())
    return str(tmp_path / "missing-cjk.ttc")


def test_production_refuses_to_start_without_the_font(tmp_path, no_font):
    env = {**PROD, "BROKER_REGISTRY_DATA": str(tmp_path), "BROKER_REGISTRY_CJK_FONT": no_font}
    with pytest.raises(ConfigurationError, match="fonts-wqy-microhei") as refused:
        create_app(settings_from_env(env))
    assert "BROKER_REGISTRY_CJK_FONT" in str(refused.value) and no_font in str(refused.value)


def test_development_warns_loudly(caplog, no_font):
    settings = dataclasses.replace(settings_from_env({}), cjk_font=no_font)
    with caplog.at_level(logging.WARNING):
        fonts.check_cjk_font(settings)
    [warning] = [r for r in caplog.records if "fonts-wqy-microhei" in r.getMessage()]
    assert warning.levelno >= logging.WARNING and "apt-get install" in warning.getMessage()


def test_with_the_font_there_is_nothing_to_say(caplog):
    if pdf.font_file("") is None:
        pytest.skip("fonts-wqy-microhei is not installed here")
    with caplog.at_level(logging.WARNING):
        fonts.check_cjk_font(settings_from_env({}))
    assert caplog.records == []


def test_a_pdf_drawn_with_the_fallback_font_is_never_kept(app, db, certificate, regulators,
                                                         no_font):
    app.config["SETTINGS"] = dataclasses.replace(app.config["SETTINGS"], cjk_font=no_font)
    url = f"/api/v1/certificates/{certificate['number']}/certificate.pdf"
    for _ in range(2):
        response = regulators[0].get(url)
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
        assert response.headers["Cache-Control"] == "no-store"
    kinds = [r.kind for r in db.exec(select(Rendering))]
    assert "pdf" not in kinds


def test_a_pdf_with_its_font_is_kept(app, db, certificate, regulators):
    if pdf.font_file("") is None:
        pytest.skip("fonts-wqy-microhei is not installed here")
    url = f"/api/v1/certificates/{certificate['number']}/certificate.pdf"
    assert regulators[0].get(url).headers["Cache-Control"].startswith("private")
    assert "pdf" in [r.kind for r in db.exec(select(Rendering))]


def test_make_install_says_how_to_install_the_font(tmp_path):
    missing = str(tmp_path / "none.ttc")
    # The files to look for instead of the installed ones, since this machine may have them.
    said = subprocess.run([sys.executable, "-m", "broker_registry.certificates.fonts", missing],
                          capture_output=True, text=True, check=False)
    assert said.returncode == 0
    assert "sudo apt-get install fonts-wqy-microhei" in said.stdout + said.stderr
    with open("Makefile") as makefile:
        assert "broker_registry.certificates.fonts" in makefile.read()
