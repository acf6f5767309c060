"""The printable end-user certificate: an A4 PDF in English and Chinese with its QR code."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
QR_WIDTH = 70 * mm  # the spec asks for at least 60 mm


def font_file(preferred: str = "") -> str | None:
    """The CJK font file the PDFs embed: `preferred` (the setting BROKER_REGISTRY_CJK_FONT)
    when it exists, else the first of FONT_CANDIDATES installed; None when there is none."""
    for candidate in ([preferred] if preferred else []) + list(FONT_CANDIDATES):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@cache
def cjk_font(preferred: str = "") -> str:
    """The name of the CJK font, registered with ReportLab once: font_file's, or Adobe's
    STSong CID font when there is no file."""
    path = font_file(preferred)
    if path:
        pdfmetrics.registerFont(TTFont("CJK", path, subfontIndex=0))
        return "CJK"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def _styles(font_file: str):
    font = cjk_font(font_file)
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=12)
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=16, leading=20,
                                alignment=TA_CENTER),
        "body": body,
        "label": ParagraphStyle("label", parent=body, textColor=colors.HexColor("#444444"),
                                fontSize=8),
    }


def _p(text, style) -> Paragraph:
    from xml.sax.saxutils import escape

    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _party(party: dict) -> str:
    return f"{party['name']}\n{party['address']}\n{party['country']}"


def _facts(content: dict, certificate, s) -> list[list]:
    end_user = content["end_user"]
    rows = [
        ("Certificate number 证书编号", certificate.number),
        ("Brokering licence 中介许可证", content["licence_number"]),
        ("Issuing authority 签发机关",
         f"{content['authority']['name']} ({content['authority']['country']})"),
        ("Broker 中介人", " · ".join((content["broker"]["name"],
                                     content["broker"]["registration_number"],
                                     content["broker"]["country"]))),
        ("Supplier / exporter 供应商/出口商", _party(content["supplier"])),
        ("Consignee 收货人", "\n\n".join(_party(c) for c in content["consignees"])),
        ("End user 最终用户", _party(end_user) + f"\n({end_user['kind'].replace('_', ' ')})"),
        ("Final destination 最终目的地", content["destination"]),
        ("Transit 过境国", ", ".join(content["transit"]) or "—"),
        ("Valid 有效期", f"{certificate.not_before:%Y-%m-%d} — {certificate.valid_until:%Y-%m-%d}"),
        ("Stated end use 声明的最终用途", content["end_use"]),
    ]
    return [[_p(label, s["label"]), _p(value, s["body"])] for label, value in rows]


def _goods(content: dict, s) -> Table:
    header = ["No. 序号", "Description 说明", "Category 类别", "Quantity 数量", "Value 价值"]
    rows = [[_p(h, s["label"]) for h in header]]
    for g in content["goods"]:
        value = f"{g['value']} {g['currency']}" if g.get("value") else "—"
        rows.append([_p(g["line"], s["body"]), _p(g["description"], s["body"]),
                     _p(g["category"], s["body"]), _p(f"{g['quantity']} {g['unit']}", s["body"]),
                     _p(value, s["body"])])
    table = Table(rows, colWidths=[14 * mm, 76 * mm, 24 * mm, 28 * mm, 30 * mm], repeatRows=1,
                  splitInRow=1)
    table.setStyle(_grid())
    return table


def _grid() -> TableStyle:
    return TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                       ("VALIGN", (0, 0), (-1, -1), "TOP")])


UNDERTAKING = ("The end user undertakes not to re-export, transfer or divert the goods listed "
               "here without the prior written consent of the issuing state. "
               "最终用户承诺，未经签发国事先书面同意，不再出口、转让或转用本证书所列货物。")


def render_pdf(certificate, qr_png: bytes, *, font_file: str = "") -> bytes:
    content, s = certificate.content, _styles(font_file)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                                 topMargin=12 * mm, bottomMargin=12 * mm,
                                 title=f"End-user certificate {certificate.number}",
                                 author=content["authority"]["name"])
    facts = Table(_facts(content, certificate, s), colWidths=[48 * mm, 132 * mm], splitInRow=1)
    facts.setStyle(_grid())
    dvc = ("A delivery verification certificate is required. 需要交付核查证明。"
           if content["dvc_required"] else "")
    story = [
        _p("END-USER CERTIFICATE 最终用户证书", s["title"]),
        _p(certificate.number, s["body"]),
        Spacer(1, 4 * mm), facts, Spacer(1, 4 * mm), _goods(content, s), Spacer(1, 4 * mm),
        _p(UNDERTAKING, s["body"]), _p(dvc, s["body"]), Spacer(1, 4 * mm),
        Image(io.BytesIO(qr_png), width=QR_WIDTH, height=QR_WIDTH),
        _p("Scan to verify with customs. 海关扫码核验。", s["label"]),
    ]
    document.build(story)
    return buffer.getvalue()
