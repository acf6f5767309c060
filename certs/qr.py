"""The QR symbol: alphanumeric mode, error correction Q, quiet zone of 4 modules, version <= 30."""

import io
from itertools import groupby

import qrcode
from qrcode.constants import ERROR_CORRECT_Q
from qrcode.exceptions import DataOverflowError
from qrcode.util import MODE_ALPHA_NUM, QRData

from .errors import PayloadTooLarge, QrEncodingError

MAX_VERSION = 30  # 137 modules: still readable printed 60 mm wide
BORDER = 4
_TOO_BIG = 41  # what qr_version answers when not even version 40 holds the text


def qr_version(text: str) -> int:
    """The smallest QR version holding text at level Q in alphanumeric mode (41: none does)."""
    qr = _qr(text)
    try:
        return qr.best_fit()
    except DataOverflowError:
        return _TOO_BIG
    except ValueError as exc:
        # qrcode 8.2 sets version 41 before it can raise DataOverflowError, and the version's
        # own check refuses it first: "Invalid version (was 41, expected 1 to 40)".
        if "was 41" not in str(exc):
            raise
        return _TOO_BIG


def check_fits(text: str) -> int:
    """The version text needs; PayloadTooLarge when that is beyond MAX_VERSION."""
    version = qr_version(text)
    if version > MAX_VERSION:
        needed = "more than 40" if version == _TOO_BIG else str(version)
        raise PayloadTooLarge(
            f"the certificate needs QR version {needed} at error correction level Q, "
            f"above the printable maximum of {MAX_VERSION}: split the certificate into several "
            "or shorten its free text (addresses, descriptions, end use)"
        )
    return version


def render_png(text: str, *, box_size: int = 8) -> bytes:
    out = io.BytesIO()
    _make(text, box_size=box_size).make_image().save(out, format="PNG")
    return out.getvalue()


def render_svg(text: str, *, box_size: int = 10) -> bytes:
    """The symbol as one SVG path of horizontal runs, each a stroke one module wide.

    Each run is a relative move from the end of the one before and a horizontal line, so
    most cost six bytes ("m2 0h3"): about 22 KB for a realistic certificate, against 123 KB
    from qrcode's path image (a square per dark module), for a phone on a poor connection.
    """
    matrix = _make(text, box_size=box_size).get_matrix()  # the quiet zone included
    size = len(matrix)
    commands, x_at, y_at = [], 0, 0  # the pen starts at the origin, stroked along y + 0.5
    for y, row in enumerate(matrix):
        x = 0
        for dark, group in groupby(row):
            length = sum(1 for _ in group)
            if dark:
                commands.append(f"m{x - x_at} {y - y_at}h{length}")
                x_at, y_at = x + length, y
            x += length
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size * box_size}" '
        f'height="{size * box_size}" viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path stroke="#000" stroke-width="1" d="M0 .5{"".join(commands)}"/></svg>'
    ).encode("ascii")


def _qr(text: str, box_size: int = 10) -> qrcode.QRCode:
    # QRData with an explicit mode: the whole text, prefix included, must be one alphanumeric
    # segment; qrcode's own optimiser could split it into several segments.
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=BORDER, box_size=box_size)
    try:
        qr.add_data(QRData(text.encode("ascii"), mode=MODE_ALPHA_NUM))
    except (UnicodeEncodeError, ValueError) as exc:
        raise QrEncodingError("QR text must be in the QR alphanumeric character set") from exc
    return qr


def _make(text: str, *, box_size: int) -> qrcode.QRCode:
    check_fits(text)
    qr = _qr(text, box_size)
    try:
        qr.make(fit=True)
    except ValueError as exc:
        if "glog" not in str(exc):
            raise
        # qrcode 8.2 fails on an all-zero Reed-Solomon block (upstream issue #330).
        raise QrEncodingError(
            "the QR library could not encode this text (qrcode issue #330, a run of zero "
            "codewords); re-issue the certificate, which changes its identifier and signature"
        ) from exc
    return qr
