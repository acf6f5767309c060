"""QR images and PDFs, rendered once per certificate and served from the database after."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from certs import qr

from .models import Certificate, Rendering
from .pdf import render_pdf

MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
_CACHED = (sa.select(Certificate.id, Certificate.number, Certificate.licence_id, Rendering.body)
           .outerjoin(Rendering, sa.and_(Rendering.certificate_id == Certificate.id,
                                         Rendering.kind == sa.bindparam("kind")))
           .where(Certificate.number == sa.bindparam("number")))


def cached(session: Session, number: str, kind: str):
    """The certificate's id, number and licence_id with its stored rendering (body None
    until rendered), in one query; None when there is no such certificate."""
    return session.execute(_CACHED, {"number": number[:40], "kind": kind}).first()


def _render(session: Session, certificate: Certificate, kind: str) -> bytes:
    if kind == "png":
        return qr.render_png(certificate.qr_payload)
    if kind == "svg":
        return qr.render_svg(certificate.qr_payload)
    return render_pdf(certificate, rendering(session, certificate, "png"))


def rendering(session: Session, certificate: Certificate, kind: str) -> bytes:
    cached = session.get(Rendering, (certificate.id, kind))
    if cached is not None:
        return cached.body
    body = _render(session, certificate, kind)
    try:
        with session.begin_nested():
            session.add(Rendering(certificate_id=certificate.id, kind=kind, body=body))
    except SQLAlchemyError:
        pass  # another worker is rendering or wrote it first: the cache is best effort
    return body
