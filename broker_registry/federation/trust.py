"""What this registry holds of each foreign authority, as certs/ needs it to verify: the
trust store (its signers chained to the root the admin confirmed) and the revocation state,
rebuilt from the stored, signed lists, per worker, only when an authority changes."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import sqlalchemy as sa

from certs import pki
from certs.errors import RevocationListError, TrustListError
from certs.federation import Held
from certs.revocation_list import RevocationState, parse_revocation_list
from certs.trust_list import TrustStore, parse_trust_list

from ..db.held import Versioned
from .models import AuthorityStatus, ForeignAuthority

_VERSION = sa.select(sa.func.count(ForeignAuthority.id), sa.func.max(ForeignAuthority.updated_at))


def trust_of(row: ForeignAuthority) -> TrustStore:
    """The authority's stored trust list under its confirmed root (empty before the first
    refresh); TrustListError if it no longer verifies."""
    if row.trust_list is None:
        return TrustStore(())
    return parse_trust_list(row.trust_list, root_cert=pki.load_certificate(row.root_der))


def state_of(full: bytes | None, deltas: list[str], trust: TrustStore) -> RevocationState | None:
    """The revocation state of the stored full list and deltas; None when none is held or
    they no longer verify (the next refresh starts again from a full list)."""
    if full is None:
        return None
    state = RevocationState()
    try:
        state.apply(parse_revocation_list(full, trust=trust))
        for delta in deltas or []:
            state.apply(parse_revocation_list(base64.b64decode(delta), trust=trust))
    except (RevocationListError, ValueError):
        return None
    return state


@dataclass(frozen=True)
class Partner:
    code: str
    name: str
    held: Held
    stale_since: object = None


class ForeignTrust(Versioned[sa.Connection, dict[str, Partner]]):
    """Every active foreign authority's Held, by its code: the authorities' version read
    again at most once every `ttl` seconds, the stores rebuilt only when one of them changed
    (added, suspended, refreshed)."""

    def __init__(self, ttl: float = 1.0):
        super().__init__(lambda reader: tuple(reader.execute(_VERSION).one()), _build, ttl=ttl)

    partners = Versioned.value


def _build(reader: sa.Connection) -> dict[str, Partner]:
    partners = {}
    for row in _rows(reader):
        try:
            trust = trust_of(row)
        except (TrustListError, ValueError):
            trust = TrustStore(())
        state = state_of(row.revocations_full, row.revocations_deltas, trust)
        partners[row.code] = Partner(row.code, row.name, Held(trust, state), row.stale_since)
    return partners


def _rows(reader: sa.Connection) -> list[ForeignAuthority]:
    columns = ForeignAuthority.__table__.columns
    return [ForeignAuthority(**dict(zip(columns.keys(), values, strict=True)))
            for values in reader.execute(sa.select(*columns).where(
                columns.status == AuthorityStatus.ACTIVE))]
