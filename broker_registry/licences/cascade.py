"""How a broker's suspension or revocation reaches its licences (filled in with the licences)."""

from __future__ import annotations


def follow_broker(session, *, actor, broker, action: str, reason: str) -> None:
    return None
