"""ISO 3166-1 alpha-2 countries, with English and translated names from pycountry."""

from __future__ import annotations

import gettext
import re
from functools import cache

import pycountry
from anyascii import anyascii

_ALPHA2 = re.compile(r"[A-Z]{2}")

# The UN Consolidated List writes countries the UN Secretariat's way; these differ from the
# ISO short names that pycountry can look up.
_UN_STYLE_NAMES = {
    "democratic republic of the congo": "CD",
    "republic of korea": "KR",
    "republic of moldova": "MD",
    "united states": "US",
    "united states of america": "US",
    "state of palestine": "PS",
    "turkey": "TR",
    "netherlands (kingdom of the)": "NL",
}


def is_country(code: object) -> bool:
    """True for an official ISO 3166-1 alpha-2 code, written in upper case."""
    if not isinstance(code, str) or not _ALPHA2.fullmatch(code):
        return False
    return pycountry.countries.get(alpha_2=code) is not None


def _country(code: str):
    if not is_country(code):
        raise KeyError(f"not an ISO 3166-1 alpha-2 country code: {code!r}")
    return pycountry.countries.get(alpha_2=code)


def _gettext_language(locale: str) -> str | None:
    """The pycountry catalogue for a locale; None means English, the catalogues' source."""
    lang = locale.replace("-", "_").split("_")[0].lower()
    if lang in ("", "en"):
        return None
    # Every Chinese locale we serve shows Simplified Chinese.
    return "zh_CN" if lang == "zh" else lang


@cache
def _translator(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def country_name(code: str, locale: str = "en") -> str:
    """The ISO short name of a country, translated when pycountry ships a catalogue."""
    english = _country(code).name
    language = _gettext_language(locale)
    return english if language is None else _translator(language).gettext(english)


@cache
def all_countries(locale: str = "en") -> tuple[tuple[str, str], ...]:
    """Every (code, name), sorted by name; transliterated keys keep Å and 中 in sensible order."""
    pairs = [(c.alpha_2, country_name(c.alpha_2, locale)) for c in pycountry.countries]
    return tuple(sorted(pairs, key=lambda pair: (anyascii(pair[1]).casefold(), pair[0])))


def _iso_style(name: str) -> str:
    """'Iran (Islamic Republic of)' -> 'Iran, Islamic Republic of', as ISO writes it."""
    match = re.fullmatch(r"(.+?)\s*\((.+)\)", name)
    return f"{match[1]}, {match[2]}" if match else name


def country_code_from_name(name: str) -> str | None:
    """The alpha-2 code for a country name as lists write it, or None if unknown."""
    cleaned = " ".join(name.split())
    if not cleaned:
        return None
    if cleaned.casefold() in _UN_STYLE_NAMES:
        return _UN_STYLE_NAMES[cleaned.casefold()]
    for candidate in (cleaned, _iso_style(cleaned)):
        try:
            return pycountry.countries.lookup(candidate).alpha_2
        except LookupError:
            continue
    return None
