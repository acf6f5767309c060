"""An offline verifier's folder: the pinned root, the trust list and signed revocation lists.

`sync` fills the folder from a server (a full list the first time, deltas after), `load`
turns it into what `verify` needs. Every revocation document is kept exactly as the server
signed it, so the folder can be checked again at any time. Standard library HTTP only: a
customs system can run this without the rest of the application.
"""

from __future__ import annotations

import email.utils
import json
import math
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.client import HTTPException
from pathlib import Path

from cryptography import x509

from . import pki
from .errors import RevocationListError, TrustListError
from .reasons import UNCHECKED_CLOCK, Reason
from .revocation_list import RevocationState, parse_revocation_list
from .trust_list import TrustStore, parse_trust_list

ROOT, TRUST, STATE = "root.pem", "trust-list.json", "sync.json"
FULL, DELTAS = "revocations-full.cose", "deltas"
# Seconds. The clock compared is the HTTP Date header of the trust list's answer at sync: a
# border post's wrong clock must not make an expired certificate valid.
CLOCK_TOLERANCE = 300
MAX_DELTAS = 50  # beyond this, sync fetches a fresh full list


class SyncError(RuntimeError):
    """The server could not be reached or answered something a verifier cannot use."""


@dataclass
class Kit:
    trust: TrustStore
    revocations: RevocationState | None
    synced_at: float | None
    clock_skew: float | None

    def notices(self, now: float) -> list[Reason]:
        """What the officer should know about the lists held, as warning codes."""
        notices = []
        if self.revocations is None:
            notices.append(Reason("revocation_not_checked"))
        elif self.synced_at is not None:
            notices.append(Reason("revocation_list_age", {
                "seconds": max(0, int(now - self.synced_at)),
                "sequence": self.revocations.sequence}))
        if self.clock_skew is not None and abs(self.clock_skew) > CLOCK_TOLERANCE:
            notices.append(Reason("clock_skew", {"seconds": int(self.clock_skew)}))
        elif self.clock_skew is None and self.synced_at is not None:
            notices.append(Reason("clock_unchecked"))
        return notices

    def notes(self, now: float) -> list[str]:
        return [notice.sentence for notice in self.notices(now)]


def _get(url: str, timeout: float) -> tuple[bytes, float | None]:
    # The URL is the operator's own --server, and sync accepts only http(s) ones.
    request = urllib.request.Request(url, headers={"User-Agent": "broker-registry-verifier"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(256 * 1024 * 1024)
            date = response.headers.get("Date")
    except HTTPException as exc:  # something that is not an HTTP server answers there
        raise SyncError(f"{url} does not answer as an HTTP server does "
                        f"({type(exc).__name__}: {str(exc).strip()})") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise SyncError(f"cannot fetch {url}: {exc}") from None
    return body, _server_time(date)


def _server_time(date: str | None) -> float | None:
    """The server's clock from its Date header; unknown (no clock check) when unreadable."""
    try:
        return email.utils.parsedate_to_datetime(date).timestamp() if date else None
    except (TypeError, ValueError, OverflowError):
        return None


def _root(pem: bytes, where: str) -> x509.Certificate:
    try:
        root = pki.load_certificate(pem)
        is_ca = root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        is_ca = False
    except ValueError:
        raise SyncError(f"{where} is not a PEM or DER certificate; the pinned root is "
                        "unchanged") from None
    if not is_ca:
        raise SyncError(f"{where} is not a CA certificate, so it cannot be the root; the "
                        "pinned root is unchanged")
    return root


def sync(server: str, directory: str | Path, *, root_pem: bytes | None = None,
         timeout: float = 30) -> tuple[str, Kit]:
    """Bring the folder up to date; returns a sentence of what changed and the new kit."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    server = server.rstrip("/")
    if not server.startswith(("http://", "https://")):
        raise SyncError("--server must be an http:// or https:// address")
    _sync_state(folder / STATE)  # a damaged record stops sync before it changes anything
    if root_pem is not None:
        root = _root(root_pem, "the root certificate given")
    elif (folder / ROOT).exists():
        root = _root((folder / ROOT).read_bytes(), str(folder / ROOT))
    else:
        raise SyncError(f"pin the root first: put the authority's root certificate in "
                        f"{folder / ROOT} (from `broker-registry keys export-root`)")
    trust_body, server_time = _get(f"{server}/api/v1/trust-list", timeout)
    # A new root is pinned only once the server's trust list has verified under it: a wrong
    # certificate leaves the root pinned before in place.
    try:
        trust = parse_trust_list(trust_body, root_cert=root)
    except TrustListError as exc:
        unchanged = "; the pinned root is unchanged" if root_pem is not None else ""
        raise SyncError(f"{exc}{unchanged}") from None
    # Everything is fetched and verified before anything in the folder changes: a sync that
    # fails part way leaves the folder as the last good sync left it.
    state, deltas = _held(folder, trust)
    what, full_body = [], None
    if state is None or len(deltas) >= MAX_DELTAS:
        full_body, _ = _get(f"{server}/api/v1/revocations", timeout)
        fresh = _parse_revocations(full_body, trust)
        if not fresh.is_full:
            raise SyncError("the server answered a delta where a full list was asked for")
        what.append(f"full revocation list, sequence {fresh.sequence}")
        state = RevocationState()
        state.apply(fresh)
    # The published full list may be older than the latest change: a delta always follows.
    # Held behind the newest full list, the answer is that full list itself (base 0).
    held = state.sequence
    answer_body, _ = _get(f"{server}/api/v1/revocations?since={held}", timeout)
    answer = _parse_revocations(answer_body, trust)
    try:
        state.apply(answer)  # refuses a delta that does not fit, or an older full list
    except RevocationListError as exc:
        raise SyncError(f"the revocation list does not fit the list held: {exc}") from None
    delta_body = None
    if answer.is_full:
        if answer_body != full_body:
            what.append(f"full revocation list, sequence {answer.sequence}")
        full_body = answer_body
    else:
        delta_body = answer_body
        what.append(f"{len(answer.entries)} change(s), sequence {held} -> {answer.sequence}")
    if server_time is None:
        what.append(UNCHECKED_CLOCK)
    if root_pem is not None:
        pki.write_private_file(folder / ROOT, pki.certificate_pem(root))
    pki.write_private_file(folder / TRUST, trust_body)
    if full_body is not None:
        pki.write_private_file(folder / FULL, full_body)
        for old in deltas:
            old.unlink()
    (folder / DELTAS).mkdir(exist_ok=True)
    if delta_body is not None:
        pki.write_private_file(
            folder / DELTAS / f"{answer.base:012d}-{answer.sequence:012d}.cose", delta_body)
    now = time.time()
    skew = None if server_time is None else now - server_time
    pki.write_private_file(folder / STATE, json.dumps({"server": server, "synced_at": now,
                                                       "clock_skew": skew}).encode())
    return "; ".join(what), load(folder)


def _held(folder: Path, trust: TrustStore) -> tuple[RevocationState | None, list[Path]]:
    """The revocation state the folder holds, if it verifies under this trust list. Lists
    signed under another root (a new root was pinned) or by signers no longer trusted are
    not used: the sync starts again from a full list."""
    deltas = sorted((folder / DELTAS).glob("*.cose")) if (folder / DELTAS).exists() else []
    if not (folder / FULL).exists():
        return None, deltas
    state = RevocationState()
    try:
        for path in [folder / FULL, *deltas]:
            state.apply(parse_revocation_list(path.read_bytes(), trust=trust))
    except (RevocationListError, ValueError, OSError):
        return None, deltas
    return state, deltas


def _parse_revocations(body: bytes, trust: TrustStore):
    try:
        return parse_revocation_list(body, trust=trust)
    except RevocationListError as exc:
        raise SyncError(f"the revocation list does not verify: {exc}") from None


def load(directory: str | Path | None = None, *, root: str | Path | None = None,
         trust_list: str | Path | None = None, revocations: str | Path | None = None) -> Kit:
    """The kit from a synced folder, or from files named one by one."""
    folder = Path(directory) if directory else None
    root_path = Path(root) if root else folder / ROOT
    trust_path = Path(trust_list) if trust_list else folder / TRUST
    root_cert = pki.load_certificate(root_path.read_bytes())
    trust = parse_trust_list(trust_path.read_bytes(), root_cert=root_cert)
    full_path = Path(revocations) if revocations else (folder / FULL if folder else None)
    state = None
    if full_path is not None and full_path.exists():
        state = RevocationState()
        state.apply(parse_revocation_list(full_path.read_bytes(), trust=trust))
        if folder is not None and not revocations and (folder / DELTAS).exists():
            for path in sorted((folder / DELTAS).glob("*.cose")):
                state.apply(parse_revocation_list(path.read_bytes(), trust=trust))
    synced_at, skew = _sync_state(folder / STATE) if folder is not None else (None, None)
    return Kit(trust, state, synced_at, skew)


def _sync_state(path: Path) -> tuple[float | None, float | None]:
    """When the folder was last synced and the clock difference then, as sync wrote them."""
    if not path.exists():
        return None, None
    try:
        meta = json.loads(path.read_bytes())
    except ValueError:  # not JSON, or not UTF-8
        meta = None
    moments = (meta.get("synced_at"), meta.get("clock_skew")) if isinstance(meta, dict) else ()
    if len(moments) != 2 or not all(
            value is None or (isinstance(value, int | float) and not isinstance(value, bool)
                              and math.isfinite(value))
            for value in moments):
        raise SyncError(f"{path} is damaged: delete it and run `broker-registry sync` again")
    return moments
