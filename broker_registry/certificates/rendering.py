"""QR images and PDFs, rendered once per certificate and served from the database after."""

from __future__ import annotations

from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from certs import qr

from ..db.held import Held
from .fonts import uses_fallback
from .models import Certificate, Rendering
from .pdf import render_pdf

MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
_CACHED = (sa.select(Certificate.id, Certificate.number, Certificate.licence_id, Rendering.body)
           .outerjoin(Rendering, sa.and_(Rendering.certificate_id == Certificate.id,
                                         Rendering.kind == sa.bindparam("kind")))
           .where(Certificate.number == sa.bindparam("number")))


class Stored(NamedTuple):
    id: int
    number: str
    licence_id: int
    body: bytes | None  # None until rendered


def cached(executor, number: str, kind: str) -> Stored | None:
    """The certificate's id, number and licence_id with its stored rendering, in one query;
    None when there is no such certificate. executor is a session or a Core connection."""
    row = executor.execute(_CACHED, {"number": number[:40], "kind": kind}).first()
    return None if row is None else Stored(*row)


class HeldRenderings:
    """Stored renderings held in this worker's memory, least recently used out first, up to a
    byte budget. A rendering never changes once stored (it draws a payload signed once), so a
    held copy is never stale; who may read it is still checked on every request."""

    def __init__(self, budget: int = 16 * 1024 * 1024):
        self._held: Held[Stored] = Held(budget=budget, weight=lambda found: len(found.body))

    @property
    def size(self) -> int:
        """The bytes held."""
        return self._held.weight

    def get(self, executor, number: str, kind: str) -> Stored | None:
        key = (number[:40], kind)
        found = self._held.get(key)
        if found is None:
            stamp = self._held.stamp()
            found = cached(executor, number, kind)
            if found is not None and found.body is not None:
                self._held.put(key, found, stamp)
        return found


def _render(session: Session, certificate: Certificate, kind: str, font_file: str) -> bytes:
    if kind == "png":
        return qr.render_png(certificate.qr_payload)
    if kind == "svg":
        return qr.render_svg(certificate.qr_payload)
    return render_pdf(certificate, rendering(session, certificate, "png"), font_file=font_file)


def rendering(session: Session, certificate: Certificate, kind: str, *,
              font_file: str = "") -> bytes:
    """The stored rendering, made and stored first when there is none. font_file: the CJK
    font a PDF embeds (the setting BROKER_REGISTRY_CJK_FONT; empty, an installed one)."""
    cached = session.get(Rendering, (certificate.id, kind))
    if cached is not None:
        return cached.body
    body = _render(session, certificate, kind, font_file)
    if kind == "pdf" and uses_fallback(font_file):
        return body  # drawn without its CJK font: served this once, never kept
    try:
        with session.begin_nested():
            session.add(Rendering(certificate_id=certificate.id, kind=kind, body=body))
    except SQLAlchemyError:
        pass  # another worker is rendering or wrote it first: the cache is best effort
    return body
