"""ISO 4217 currencies, for goods values on licence applications."""

from __future__ import annotations

import re

import pycountry

_ALPHA3 = re.compile(r"[A-Z]{3}")

# pycountry does not carry ISO 4217 minor units; these are the active currencies whose
# minor unit is not 2 (ISO 4217 table A.1). Funds and metals codes (XAU, XDR...) have none.
_MINOR_UNITS = {
    **dict.fromkeys(("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG"), 0),
    **dict.fromkeys(("RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"), 0),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    "CLF": 4,
    "UYW": 4,
}


# ISO 4217 codes that are no money a deal is priced in: no currency at all, the testing code,
# precious metals, and the European bond-market units.
_NOT_MONEY = frozenset({"XXX", "XTS", "XAU", "XAG", "XPT", "XPD", "XBA", "XBB", "XBC", "XBD"})


def is_currency(code: object) -> bool:
    """True for an ISO 4217 alphabetic code of money, written in upper case."""
    if not isinstance(code, str) or not _ALPHA3.fullmatch(code) or code in _NOT_MONEY:
        return False
    return pycountry.currencies.get(alpha_3=code) is not None


def currency_name(code: str) -> str:
    if not is_currency(code):
        raise KeyError(f"not an ISO 4217 currency code: {code!r}")
    return pycountry.currencies.get(alpha_3=code).name


def minor_units(code: str) -> int:
    """Digits after the decimal point (2 for EUR, 0 for JPY, 3 for KWD)."""
    if not is_currency(code):
        raise KeyError(f"not an ISO 4217 currency code: {code!r}")
    return _MINOR_UNITS.get(code, 2)
