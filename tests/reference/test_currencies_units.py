import pytest

from broker_registry.reference.currencies import currency_name, is_currency, minor_units
from broker_registry.reference.units import UNITS, Unit, is_unit, unit_label


def test_currencies():
    assert is_currency("EUR") and is_currency("CNY")
    assert not is_currency("eur") and not is_currency("ZZZ") and not is_currency("EU")
    # ISO 4217 codes, but no money a deal is priced in
    assert not any(is_currency(code) for code in ("XXX", "XTS", "XAU", "XPT", "XBA"))
    assert is_currency("XOF") and is_currency("XDR")
    assert currency_name("USD") == "US Dollar"


@pytest.mark.parametrize(("code", "digits"), [("EUR", 2), ("JPY", 0), ("KWD", 3), ("CLF", 4)])
def test_minor_units(code, digits):
    assert minor_units(code) == digits


def test_unknown_currency_has_no_minor_units():
    with pytest.raises(KeyError):
        minor_units("ZZZ")


def test_units_have_english_and_chinese_labels():
    assert "round" in UNITS and is_unit("piece") and not is_unit("litre")
    for unit in Unit:
        assert unit_label(unit, "en") and unit_label(unit, "zh") != unit_label(unit, "en")
    assert unit_label("round", "zh") == "发"
