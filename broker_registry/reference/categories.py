"""Goods categories a brokering licence may name (GET /api/v1/categories)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Category:
    code: str
    name_en: str
    name_zh: str

    def name(self, locale: str = "en") -> str:
        return self.name_zh if locale.lower().startswith("zh") else self.name_en


def _load() -> tuple[Category, ...]:
    text = resources.files(__package__).joinpath("data/categories.json").read_text("utf-8")
    return tuple(Category(**entry) for entry in json.loads(text)["categories"])


CATEGORIES: tuple[Category, ...] = _load()
_BY_CODE = {category.code: category for category in CATEGORIES}


def is_category(code: object) -> bool:
    return isinstance(code, str) and code in _BY_CODE


def get_category(code: str) -> Category:
    try:
        return _BY_CODE[code]
    except KeyError:
        raise KeyError(f"unknown goods category: {code!r}") from None


def category_name(code: str, locale: str = "en") -> str:
    return get_category(code).name(locale)
