"""Every message the code and templates can show is in the Chinese catalogue, translated."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = (ROOT / "broker_registry" / "i18n" / "translations" / "zh" / "LC_MESSAGES"
             / "messages.po")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "_l": None,
            "lazy_gettext": None, "pgettext": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _extracted() -> dict[str, str]:
    """msgid -> where it was found, exactly as `make translations` extracts (babel.cfg)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        # a plural message is kept in the catalogue under its singular
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def _forms(text: str | tuple[str, ...]) -> tuple[str, ...]:
    """Every form of a msgid or msgstr: one, or a plural's several."""
    return text if isinstance(text, tuple) else (text,)


def _catalogue():
    with CATALOGUE.open("rb") as source:
        return read_po(source, locale="zh")


def test_extraction_finds_the_code_and_the_templates():
    found = _extracted()
    assert len(found) > 400
    places = {where.split(":")[0].split("/")[0] for where in found.values()}
    assert {"broker_registry", "templates"} <= places


def test_every_message_has_a_chinese_translation():
    catalogue = _catalogue()
    missing = [f"{where}: {msgid!r}" for msgid, where in sorted(_extracted().items())
               if msgid not in catalogue or not all(_forms(catalogue[msgid].string))
               or catalogue[msgid].fuzzy]
    assert missing == [], "run `make translations` and translate:\n" + "\n".join(missing)


def test_translations_keep_every_placeholder_and_are_chinese():
    catalogue = _catalogue()
    assert not catalogue.fuzzy, "the catalogue header is marked fuzzy: it would not compile"
    wrong = []
    for message in catalogue:
        if not message.id or not any(_forms(message.string)):
            continue
        for msgid in _forms(message.id):
            for msgstr in _forms(message.string):
                if set(PLACEHOLDER.findall(msgid)) != set(PLACEHOLDER.findall(msgstr)):
                    wrong.append(f"placeholders differ: {msgid!r}")
                words = re.search(r"[A-Za-z]{3,}", PLACEHOLDER.sub("", msgid))
                if words and msgid not in {"PDF", "CSV (Excel)"} \
                        and not re.search(r"[\u4e00-\u9fff]", msgstr):
                    wrong.append(f"no Chinese in the translation of {msgid!r}")
    assert wrong == []


def test_the_terms_follow_the_un_report():
    """The Chinese text of A/CONF.192/BMS/2008/3 names brokers 中介商 and their licences
    中介交易许可证; a page must not drift to other words for the same thing."""
    catalogue = _catalogue()
    translations = {m.id: m.string for m in catalogue if m.id}
    assert translations["broker"] == "中介商"
    assert translations["Apply for a brokering licence"] == "申请中介交易许可证"
    assert "最终用户证书" in translations["Verify an end-user certificate"]
    assert translations["awaiting countersignature"] == "待会签"
    assert translations["revoked"] == "已吊销" and translations["suspended"] == "已暂停"
    assert translations["Denied parties"] == "拒绝方名单"
    assert translations["Transit countries"] == "过境国"
    drift = [m.id for m in catalogue if m.id and ("经纪" in m.string or "执照" in m.string)]
    assert drift == []
