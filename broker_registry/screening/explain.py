"""Why a name matched a listed party, in the reader's language.

A finding keeps the explanation as codes with parameters (alignment.explain); this module is
the one table that turns each code into a sentence. Flask-free: the strings are lazy and are
translated when a page renders them.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..i18n.labels import label

WORDS = {
    "exact": _l("“%(query)s” and “%(listed)s”: the same word"),
    "transliterated": _l("“%(query)s” and “%(listed)s”: the same word, one written in "
                         "%(script)s"),
    "phonetic": _l("“%(query)s” and “%(listed)s”: spelt differently, sounding the same"),
    "spelling": _l("“%(query)s” and “%(listed)s”: a letter added, dropped or swapped"),
    "initial": _l("“%(query)s” and “%(listed)s”: an initial for the name"),
    "different": _l("“%(query)s” and “%(listed)s”: different words"),
}
OMITTED_LISTED = _l("“%(listed)s” is only in the listed name (a middle name or patronymic "
                    "left out)")
OMITTED_QUERY = _l("“%(query)s” is only in the screened name")
JOINED = _l("%(sentence)s, written as one word on one side and two on the other")
REORDERED = _l("The words come in another order.")
HEADER = _l("Matched the listed %(via)s “%(name)s”, scoring %(score)s out of 100:")
SCRIPTS = {"cyrillic": _l("Cyrillic"), "arabic": _l("Arabic script"),
           "han": _l("Chinese characters"), "latin": _l("Latin letters"),
           "other": _l("another script")}
VIA = {"name": _l("name"), "alias": _l("alias"), "original_script": _l("original-script name")}


def _word(word: dict) -> str:
    code, params = word.get("code"), dict(word.get("params") or {})
    params.setdefault("query", "")
    params.setdefault("listed", "")
    if code == "omitted":
        return str(OMITTED_LISTED % params if params["listed"] else OMITTED_QUERY % params)
    if code not in WORDS:
        return str(code)
    params["script"] = label(SCRIPTS, params.get("script"))
    sentence = str(WORDS[code] % params)
    return str(JOINED % {"sentence": sentence}) if params.get("joined") else sentence


def sentences(explanation: dict | None) -> list[str]:
    """The heading, then one sentence per word, then the word order if it differs."""
    if not explanation or explanation.get("code") != "name_match":
        return []
    params = explanation.get("params") or {}
    lines = [str(HEADER % {"via": label(VIA, params.get("via")), "name": params.get("name", ""),
                           "score": params.get("score", "")})]
    lines += [_word(word) for word in explanation.get("words") or []]
    if params.get("reordered"):
        lines.append(str(REORDERED))
    return lines
