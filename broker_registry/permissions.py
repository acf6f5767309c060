"""Roles and the permissions they carry: who may do what, in one table.

Permissions are named once, as "scope:resource:action" strings, and every role's grant is
written down once, in ROLE_PERMISSIONS. Routes are denied by default: a view is reachable only
through `requires(...)` or an explicit `public` (web/auth.py), which read this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    BROKER = "broker"
    REGULATOR = "regulator"
    CUSTOMS = "customs"
    ADMIN = "admin"


class Permission(StrEnum):
    SELF_READ = "accounts:self:read"
    TOKENS_MANAGE = "accounts:tokens:manage"
    USERS_MANAGE = "admin:users:manage"
    BROKER_APPLY = "brokers:registration:apply"
    BROKER_READ = "brokers:registration:read"
    BROKER_READ_ANY = "brokers:registration:read-any"
    BROKER_DECIDE = "brokers:registration:decide"
    BROKER_SANCTION = "brokers:registration:sanction"
    AUDIT_READ = "audit:log:read"
    LICENCE_APPLY = "licences:application:apply"
    LICENCE_READ = "licences:licence:read"
    LICENCE_READ_ANY = "licences:licence:read-any"
    LICENCE_DECIDE = "licences:licence:decide"
    LICENCE_SANCTION = "licences:licence:sanction"
    SCREENING_MANAGE = "screening:lists:manage"
    CERTIFICATE_ISSUE = "certificates:certificate:issue"
    CERTIFICATE_READ = "certificates:certificate:read"
    CERTIFICATE_READ_ANY = "certificates:certificate:read-any"
    CERTIFICATE_DOWNLOAD = "certificates:certificate:download"
    CERTIFICATE_REVOKE = "certificates:certificate:revoke"
    VERIFY = "customs:certificate:verify"
    SHIPMENT_RECORD = "customs:shipment:record"
    DELIVERY_RECORD = "customs:delivery:record"
    TRACE = "customs:marking:trace"
    REPORTS_READ = "reports:national:read"
    FEDERATION_MANAGE = "federation:authority:manage"


P = Permission
_EVERYONE = {P.SELF_READ, P.TOKENS_MANAGE}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.BROKER: frozenset(_EVERYONE | {
        P.BROKER_APPLY, P.BROKER_READ, P.LICENCE_APPLY, P.LICENCE_READ,
        P.CERTIFICATE_READ, P.CERTIFICATE_DOWNLOAD,
    }),
    Role.REGULATOR: frozenset(_EVERYONE | {
        P.BROKER_READ, P.BROKER_READ_ANY, P.BROKER_DECIDE, P.BROKER_SANCTION, P.AUDIT_READ,
        P.LICENCE_READ, P.LICENCE_READ_ANY, P.LICENCE_DECIDE, P.LICENCE_SANCTION,
        P.CERTIFICATE_ISSUE, P.CERTIFICATE_READ, P.CERTIFICATE_READ_ANY,
        P.CERTIFICATE_DOWNLOAD, P.CERTIFICATE_REVOKE, P.VERIFY, P.TRACE, P.REPORTS_READ,
    }),
    Role.CUSTOMS: frozenset(_EVERYONE | {
        P.CERTIFICATE_READ, P.CERTIFICATE_READ_ANY, P.VERIFY, P.SHIPMENT_RECORD,
        P.DELIVERY_RECORD, P.TRACE,
    }),
    Role.ADMIN: frozenset(_EVERYONE | {P.USERS_MANAGE, P.AUDIT_READ, P.SCREENING_MANAGE,
                                       P.REPORTS_READ, P.FEDERATION_MANAGE}),
}


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is asking, as far as permission and ownership checks need to know: the account's
    id and role, without loading the account."""

    id: int
    role: str


def has_permission(role: str | None, permission: Permission) -> bool:
    if role is None:
        return False
    return permission in ROLE_PERMISSIONS.get(Role(role), frozenset())
