"""An offline verifier's folder with partners: beside the home authority's lists (offline.py),
the partner list the home registry signed, and under `partners/<code>/` each partner's own
lists, synced from the partner under the root the signed list names."""

from __future__ import annotations

import re
from pathlib import Path

from . import pki
from .federation import FederationError, Held, parse_partner_list
from .offline import Kit, SyncError, _get, load, sync

PARTNERS, PARTNER_LIST = "partners", "partners.cose"
_SAFE = re.compile(r"[A-Za-z0-9_.-]{1,40}")


def sync_partners(server: str, folder: str | Path, home: Kit, *,
                  timeout: float = 30) -> list[str]:
    """Sync every partner the home registry trusts; one sentence per partner. A partner that
    cannot be synced keeps the lists it had (its sentence says why)."""
    folder = Path(folder)
    body, _ = _get(f"{server.rstrip('/')}/api/v1/federation/partners", timeout)
    try:
        partners = parse_partner_list(body, trust=home.trust)
    except FederationError as exc:
        raise SyncError(str(exc)) from None
    pki.write_private_file(folder / PARTNER_LIST, body)
    said = []
    for partner in partners:
        if not _SAFE.fullmatch(partner.code):
            said.append(f"partner {partner.code!r} skipped: not a usable code")
            continue
        root_pem = pki.certificate_pem(pki.load_certificate(partner.root_der))
        try:
            what, _kit = sync(partner.base_url, folder / PARTNERS / partner.code,
                              root_pem=root_pem, timeout=timeout)
            said.append(f"partner {partner.code}: {what}")
        except SyncError as exc:
            said.append(f"partner {partner.code} not synced: {exc}")
    return said


def load_all(folder: str | Path, home: Kit) -> dict[str, tuple[Held, Kit]]:
    """Every authority of the folder by code: the home one and each synced partner named in
    the home registry's signed partner list (a partner since removed is not used)."""
    folder = Path(folder)
    found = {}
    if home.trust.authority is not None:
        found[home.trust.authority.code] = (Held(home.trust, home.revocations), home)
    listed = folder / PARTNER_LIST
    if not listed.exists():
        return found
    for partner in parse_partner_list(listed.read_bytes(), trust=home.trust):
        where = folder / PARTNERS / partner.code
        if not _SAFE.fullmatch(partner.code) or not (where / "trust-list.json").exists():
            continue
        kit = load(where)
        if pki.certificate_der(pki.load_certificate((where / "root.pem").read_bytes())) \
                != partner.root_der:
            continue  # pinned under another root than the one the list names now
        found[partner.code] = (Held(kit.trust, kit.revocations), kit)
    return found
