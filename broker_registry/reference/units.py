"""Units in which a goods line's quantity is counted."""

from __future__ import annotations

from enum import StrEnum


class Unit(StrEnum):
    PIECE = "piece"  # weapons, launchers, parts: counted one by one
    ROUND = "round"  # ammunition: counted by cartridge or projectile
    SET = "set"  # kits and accessories sold together
    KG = "kg"  # propellant and loose components, weighed rather than counted


_LABELS = {
    Unit.PIECE: ("piece", "件"),
    Unit.ROUND: ("round", "发"),
    Unit.SET: ("set", "套"),
    Unit.KG: ("kg", "千克"),
}

UNITS: tuple[Unit, ...] = tuple(Unit)


def is_unit(value: object) -> bool:
    return isinstance(value, str) and value in Unit._value2member_map_


def unit_label(unit: str, locale: str = "en") -> str:
    english, chinese = _LABELS[Unit(unit)]
    return chinese if locale.lower().startswith("zh") else english
