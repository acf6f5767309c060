"""QR images and PDFs, rendered once per certificate and served from the database after."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from certs import qr

from .models import Certificate, Rendering
from .pdf import render_pdf

MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


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
