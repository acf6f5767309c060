"""The audit log read as history: each entry's subject by its name or reference rather than
its internal id, and its change as a list of fields going from before to after."""

from __future__ import annotations

import re
from typing import Any

from sqlmodel import Session, select

from ..accounts.models import Account
from ..brokers.models import Broker
from ..licences.models import Licence
from ..validation import whole_number


def subject_names(session: Session, items: list[dict]) -> dict[tuple[str, str], str]:
    """(subject_type, subject_id) -> what a reader calls it: a broker's name and number, a
    licence's number or reference, an account's name; certificates are named by number."""
    wanted: dict[str, set[int]] = {}
    for item in items:
        number = whole_number(str(item["subject_id"]), digits=9)
        if number is not None:
            wanted.setdefault(item["subject_type"], set()).add(number)
    names: dict[tuple[str, str], str] = {}
    if wanted.get("broker"):
        for broker in session.exec(select(Broker).where(Broker.id.in_(wanted["broker"]))):
            names[("broker", str(broker.id))] = " ".join(
                filter(None, [broker.legal_name, broker.registration_number]))
    if wanted.get("licence"):
        for licence in session.exec(select(Licence).where(Licence.id.in_(wanted["licence"]))):
            names[("licence", str(licence.id))] = licence.licence_number or licence.reference
    if wanted.get("account"):
        for account in session.exec(select(Account).where(Account.id.in_(wanted["account"]))):
            names[("account", str(account.id))] = account.display_name
    return names


_MOMENT = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})[0-9:.]*(Z|\+00:00)$")


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_shown(v)}" for k, v in value.items())
    moment = _MOMENT.match(str(value))
    return f"{moment[1]} {moment[2]} UTC" if moment else str(value)


def changes(before: dict | None, after: dict | None) -> list[tuple[str, str, str]]:
    """(field, before, after) for each field the entry changed, in the order recorded."""
    before, after = before or {}, after or {}
    keys = [*before, *(key for key in after if key not in before)]
    return [(key, _shown(before.get(key)), _shown(after.get(key))) for key in keys
            if before.get(key) != after.get(key)]
