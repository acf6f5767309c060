import pytest

from broker_registry.reference.categories import (
    CATEGORIES,
    category_name,
    get_category,
    is_category,
)

EXPECTED_CODES = [f"SALW-{n}" for n in range(1, 14)] + ["AMMO", "PARTS", "ACC"]


def test_codes_are_exactly_the_agreed_ones_in_order():
    assert [c.code for c in CATEGORIES] == EXPECTED_CODES


def test_every_category_has_an_english_and_a_chinese_name():
    for category in CATEGORIES:
        assert category.name_en.strip()
        assert any("\u4e00" <= ch <= "\u9fff" for ch in category.name_zh)


def test_names_by_locale():
    assert category_name("SALW-3") == "Assault rifles"
    assert category_name("SALW-3", "zh") == "突击步枪"
    assert category_name("SALW-12", "zh_CN") == "便携式防空系统"
    assert get_category("AMMO").name_en == "Ammunition"


def test_unknown_category():
    assert is_category("PARTS") and not is_category("SALW-14") and not is_category(None)
    with pytest.raises(KeyError, match="SALW-14"):
        category_name("SALW-14")


def test_categories_are_immutable():
    with pytest.raises(AttributeError):
        CATEGORIES[0].code = "X"
