import pytest

from broker_registry.reference.countries import (
    all_countries,
    country_code_from_name,
    country_name,
    is_country,
)


@pytest.mark.parametrize("code", ["FR", "KP", "CN", "NO", "SS"])
def test_official_alpha2_codes_are_countries(code):
    assert is_country(code)


@pytest.mark.parametrize("code", ["ZZ", "fr", "Fr", "FRA", "", " FR", "XX", "EU", None, 250])
def test_anything_else_is_not_a_country(code):
    assert not is_country(code)


def test_country_names_in_english_and_chinese():
    assert country_name("FR") == "France"
    assert country_name("FR", "zh") == "法国"
    assert country_name("FR", "zh-Hans") == "法国"


def test_unknown_code_has_no_name():
    with pytest.raises(KeyError, match="ZZ"):
        country_name("ZZ")


def test_all_countries_sorted_by_name_and_complete():
    countries = all_countries("en")
    assert len(countries) == 249
    names = [name for _, name in countries]
    assert names[0] == "Afghanistan"
    assert countries[1] == ("AX", "Åland Islands")  # sorted as "Aland", not after "Z"
    assert dict(all_countries("zh"))["CN"] == "中国"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Democratic People's Republic of Korea", "KP"),
        ("Iran (Islamic Republic of)", "IR"),
        ("Democratic Republic of the Congo", "CD"),
        ("Republic of Korea", "KR"),
        ("France", "FR"),
        ("Atlantis", None),
        ("", None),
    ],
)
def test_country_code_from_un_style_names(name, code):
    assert country_code_from_name(name) == code
