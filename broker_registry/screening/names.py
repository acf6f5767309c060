"""A name as screening reads it: words in lower-case Latin letters, whatever script it came in.

Each word keeps what it was written as (for the explanation a regulator reads) beside its Latin
spellings: one for most words, several for a Chinese character with several readings (单 is
Dan, Chan or Shan) and their Wade-Giles forms. Arabic is written without its short vowels, so
an Arabic word also carries a pattern of the Latin spellings it can stand for (محمد:
Mohammed, Muhammad, Mohamed ...). Particles and words many names share (al, bin, van, arms,
trading) are weak: they neither prove nor disprove a match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from anyascii import anyascii

from .spelling import arabic_pattern, canon

Script = Literal["latin", "cyrillic", "arabic", "han", "other"]

# Legal forms say nothing about who the party is, and differ between a company's filings
# ("LLC", "ООО" -> "ooo", "FZE"). Words like "trading" or "arms" stay: they tell firms apart.
# fmt: off
NOISE_WORDS = frozenset({
    "llc", "ltd", "limited", "inc", "incorporated", "corp", "corporation", "co", "company",
    "gmbh", "mbh", "ag", "kg", "sa", "sarl", "sas", "srl", "spa", "bv", "nv", "ab", "oy", "as",
    "asa", "aps", "plc", "llp", "lp", "pte", "pvt", "jsc", "ojsc", "cjsc", "pjsc", "ooo",
    "oao", "zao", "fze", "fzco", "fzc", "wll", "sdn", "bhd", "the", "and",
})

# Words of a name that mark descent, origin or a compound (Arabic, Dutch, German, Romance),
# and words shared by many unrelated firms: two names sharing only these are not near.
PARTICLES = frozenset({
    "al", "el", "ul", "bin", "ibn", "ben", "bint", "abu", "abd", "ould", "ag",
    "van", "von", "der", "den", "ter", "de", "del", "della", "di", "da", "du", "la", "le",
    "dos", "das", "of", "for",
})
GENERIC_WORDS = frozenset({
    "arms", "trading", "trade", "general", "import", "imports", "export", "exports", "group",
    "international", "holding", "holdings", "industries", "industrial", "services", "supplies",
    "supply", "logistics", "shipping", "maritime", "defence", "defense", "security",
    "military", "equipment", "enterprise", "enterprises",
})
# fmt: on
# The Arabic article assimilates to a "sun letter": ar-Rashid, as-Sayed, ad-Din.
_SUN_ARTICLES = frozenset({"ad", "an", "ar", "as", "ash", "at", "ath", "az"})
# Arabic particles written in Arabic script, as their Latin counterparts spell them.
_ARABIC_PARTICLES = {"ال": "al", "بن": "bin", "ابن": "ibn", "بنت": "bint", "أبو": "abu",
                     "ابو": "abu", "عبد": "abd"}

_WORD = re.compile(r"[^\W_]+(?:['’`ʻʼ][^\W_]+)*(-?)")
_APOSTROPHES = re.compile(r"['’`ʻʼ]")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# Abd al-Karim written as one word: Abdulkarim, Abdelaziz, Abdurrahman, Abdikarim, Abdullah.
_ABD = re.compile(r"abd([aeiou]?)(l?)(.*)")
_KEEP_ON_CYRILLIC = {"\u0306", "\u0308"}  # й and ё are letters of their own


@dataclass(frozen=True, eq=False)
class Token:
    written: str  # as the name writes it: "P.", "Виктор", "张"
    forms: tuple[str, ...]  # lower-case ASCII spellings, the usual one first
    script: Script
    weak: bool = False

    @property
    def canons(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(canon(form) for form in self.forms))

    @property
    def pattern(self) -> re.Pattern | None:
        return arabic_pattern(self.written) if self.script == "arabic" else None

    @property
    def initial(self) -> bool:
        return self.script in ("latin", "cyrillic", "other") and len(self.forms[0]) == 1


def script_of(char: str) -> Script:
    name = unicodedata.name(char, "")
    if name.startswith("CJK"):
        return "han"
    for script in ("LATIN", "CYRILLIC", "ARABIC"):
        if name.startswith(script):
            return script.lower()  # type: ignore[return-value]
    return "latin" if char.isascii() else "other"


def _plain(text: str) -> str:
    """NFKC (full-width letters), then accents, stress marks and Arabic vowel signs dropped."""
    kept: list[str] = []
    for char in unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text)):
        mark = unicodedata.combining(char)
        if not mark or (char in _KEEP_ON_CYRILLIC and kept and script_of(kept[-1]) == "cyrillic"):
            kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def _ascii(text: str) -> str:
    return _NOT_ALNUM.sub("", _APOSTROPHES.sub("", anyascii(text).casefold()))


@lru_cache(maxsize=8192)
def _han_forms(char: str) -> tuple[str, ...]:
    from pypinyin import Style, pinyin

    forms = []
    for style in (Style.NORMAL, Style.WADEGILES):
        for reading in pinyin(char, style=style, heteronym=True, errors="ignore")[:1]:
            forms += [_ascii(form.replace("v", "u")) for form in reading]
    forms.append(_ascii(char))  # a character pypinyin does not know
    return tuple(dict.fromkeys(form for form in forms if form))


def _arabic_tokens(word: str) -> list[Token]:
    if word in _ARABIC_PARTICLES:
        return [Token(word, (_ARABIC_PARTICLES[word],), "arabic", weak=True)]
    tokens = []
    for prefix in ("عبد", "ال"):  # عبدالكريم, الرشيد: the compound and the article
        if word.startswith(prefix) and len(word) > len(prefix) + 1:
            tokens.append(Token(prefix, (_ARABIC_PARTICLES[prefix],), "arabic", weak=True))
            word = word[len(prefix):]
    form = _ascii(word)
    return [*tokens, Token(word, (form,), "arabic")] if form else tokens


def _alphabetic_tokens(word: str, script: Script) -> list[Token]:
    form = _ascii(word)
    if not form:
        return []
    found = _ABD.fullmatch(form)
    if found and (len(found[3]) >= 3 or (found[2] and not found[3])):
        rest = found[3]
        head = word[: len(word) - len(rest)] if script == "latin" and rest else word
        tail = word[len(word) - len(rest):] if script == "latin" else word
        return [Token(head, ("abd",), script, weak=True)] + (
            [Token(tail, (rest,), script)] if rest else [])
    return [Token(word, (form,), script, weak=form in PARTICLES or form in GENERIC_WORDS)]


def _word_tokens(word: str) -> list[Token]:
    if any(script_of(char) == "han" for char in word):  # each character a syllable:
        return [token for part in _han_split(word) for token in _word_tokens(part)] \
            if len(word) > 1 else _han_token(word)  # 张伟 is Zhang Wei
    letters = [char for char in word if char.isalpha()]
    script = script_of(letters[0]) if letters else "latin"
    if script == "arabic":
        return _arabic_tokens(word)
    return _alphabetic_tokens(word, script)


def _han_split(word: str) -> list[str]:
    parts = [""]
    for char in word:
        if script_of(char) == "han":
            parts += [char, ""]
        else:
            parts[-1] += char
    return [part for part in parts if part]


def _han_token(char: str) -> list[Token]:
    forms = _han_forms(char)
    return [Token(char, forms, "han")] if forms else []


def _words(text: str) -> list[str]:
    """The words of a text; a legal-form word hyphened to the next is a prefix of it
    (Co-operative is no company)."""
    words: list[str] = []
    prefix = ""
    for found in _WORD.finditer(text):
        word = prefix + found.group().rstrip("-")
        prefix = word if found[1] and _ascii(word) in NOISE_WORDS else ""
        if not prefix:
            words.append(word)
    return words + ([prefix] if prefix else [])


@lru_cache(maxsize=16384)
def parse(name: str) -> tuple[Token, ...]:
    """The words of a name as tokens, legal forms left out (unless the name is nothing else)."""
    every: list[Token] = []
    meaningful: list[Token] = []
    for word in _words(_plain(name)):
        for token in _word_tokens(word):
            every.append(token)
            if token.forms[0] not in NOISE_WORDS:
                meaningful.append(token)
    tokens = meaningful or every
    tokens = _sun_articles(tokens)
    if all(token.weak for token in tokens):  # "General Trading": its words are all it has
        tokens = [Token(t.written, t.forms, t.script) for t in tokens]
    return tuple(tokens)


def _sun_articles(tokens: list[Token]) -> list[Token]:
    out = list(tokens)
    for i, (token, after) in enumerate(zip(tokens, tokens[1:], strict=False)):
        form = token.forms[0]
        if form in _SUN_ARTICLES and after.forms[0].startswith(form[1:]):
            out[i] = Token(token.written, token.forms, token.script, weak=True)
    return out


def normalise(name: str) -> str:
    """Lower-case ASCII words of a name, without punctuation or legal-form words."""
    return " ".join(token.forms[0] for token in parse(name))
