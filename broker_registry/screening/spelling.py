"""How two Latin spellings of a name's word relate: the rules, one per linguistic phenomenon.

`canon` folds the spellings that sound alike (Victor/Viktor, Orlov/Orloff, Sergey/Sergei,
Youssef/Yusuf, Schtscherbakow/Shcherbakov) into one key. `vowel_variant` accepts what Arabic
transliteration leaves open (Mohammed/Muhammad, Ahmed/Ahmad, Omar/Umar) and refuses what makes
another name (Hassan/Hussein, Omar/Amir). `one_edit` accepts a letter added, dropped or two
swapped (Tomasz/Tomas), never a letter changed (Jamal/Kamal, Nabil/Nabih). Neither accepts a
feminine form for its masculine (Orlova/Orlov, Aleksandra/Aleksandr, Paola/Paolo).
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz.distance import OSA, Levenshtein

# Applied in order to a lower-case ASCII word.
_CANON = [(re.compile(pattern), replacement) for pattern, replacement in (
    # German and Polish spellings of Slavic sounds: Schtscherbakow, Szczerbakow, Tchaikovsky
    ("tsch", "ch"), ("sch", "sh"), ("szcz", "shch"), ("sz", "sh"), ("cz", "ch"), ("tch", "ch"),
    # one sound, several letters: Philip/Filip, Nordic/Nordik, Qasim/Kasim, Alexander/Aleksandr,
    # Marcel/Marsel, Mikhail/Mihail, Djamal/Dzhamal/Jamal, Zhukov/Jukov, Wiktor/Viktor
    ("ph", "f"), ("ck", "k"), ("q", "k"), ("x", "ks"), (r"c(?=[eiy])", "s"), (r"c(?!h)", "k"),
    ("kh", "h"), ("dzh", "j"), ("dj", "j"), ("zh", "j"), ("w", "v"),
    # vowels: Yelena/Elena, Fyodor/Fedor, Iouri/Yuri, Youssef/Yusuf, Kareem/Karim, Müller/Mueller
    ("^ye", "e"), (r"(?<=[^aeiouy])yo", "e"), ("^iu", "yu"), ("ou", "u"), ("oo", "u"),
    ("ee", "i"), ("ue", "u"), ("oe", "o"),
    # y and a final j are vowels but at the start of a word: Sergey/Sergej/Sergei, Aly/Ali, Yusuf
    (r"(?<=[aeiou])j$", "i"), (r"(?!^)y|^y(?![aeiou])", "i"),
    # endings: Hamzah/Hamza; a final v sounds f (Orlov, Orloff, Orlow)
    ("ah$", "a"), ("v$", "f"),
    # doubled letters: Hassan/Hasan, Sayyid/Sayid
    (r"(.)\1+", r"\1"),
)]
VOWELS = frozenset("aeiou")


@lru_cache(maxsize=65536)
def canon(form: str) -> str:
    for pattern, replacement in _CANON:
        form = pattern.sub(replacement, form)
    return form


_SKELETON_DIGRAPHS = re.compile(r"([stdgc])h")
_SKELETON_DROPPED = re.compile(r"[aeiouyv]|h$")  # vowels, w and y as vowels, ta marbuta


@lru_cache(maxsize=65536)
def skeleton(form: str) -> str:
    """A coarse key of a word's consonants, where Arabic (written without short vowels) and
    the Latin spellings of the same name meet. For finding candidates, never for deciding."""
    key = canon(form)
    key = _SKELETON_DROPPED.sub("", _SKELETON_DIGRAPHS.sub(r"\1", key))
    return re.sub(r"(.)\1+", r"\1", key) or canon(form)


def feminine_pair(a: str, b: str) -> bool:
    """Orlova/Orlov, Kowalska/Kowalski, Paola/Paolo: another person (a wife, a sister)."""
    return a.endswith("a") != b.endswith("a")


def _vowels_alike(x: str, y: str) -> bool:
    # Transliteration hesitates on e (Ahmed/Ahmad, Yusuf/Yousef, Selim/Salim) and on o/u
    # (Omar/Umar, Mohammed/Muhammad); a/i and a/u name other people (Hassan/Hussein).
    return x in VOWELS and y in VOWELS and ("e" in (x, y) or {x, y} == {"o", "u"})


def vowel_variant(a: str, b: str) -> bool:
    """Two canonical spellings that differ only in vowels the way transliterations do."""
    if min(len(a), len(b)) < 4 or feminine_pair(a, b):
        return False
    ops = Levenshtein.editops(a, b)
    if not ops or len(ops) > (2 if min(len(a), len(b)) >= 6 else 1):
        return False
    for op in ops:
        if op.tag == "replace" and not _vowels_alike(a[op.src_pos], b[op.dest_pos]):
            return False
        if op.tag == "delete" and a[op.src_pos] not in VOWELS:
            return False
        if op.tag == "insert" and b[op.dest_pos] not in VOWELS:
            return False
    return True


def one_edit(a: str, b: str) -> bool:
    """A letter added or dropped, or two neighbours swapped, in words of five letters or more;
    never a letter changed for another, which is how different names differ."""
    if min(len(a), len(b)) < 5 or a[0] != b[0] or feminine_pair(a, b):
        return False
    if abs(len(a) - len(b)) == 1:
        return Levenshtein.distance(a, b, score_cutoff=1) == 1
    return len(a) == len(b) and OSA.distance(a, b, score_cutoff=1) == 1 \
        and Levenshtein.distance(a, b) == 2


# -- Arabic script ------------------------------------------------------------------------
# Latin spellings of each letter. Short vowels are not written, so any one may come between
# two letters; a consonant may be doubled (the shadda is not written either).
# fmt: off
_ARABIC_CONSONANTS = {
    "ب": "b", "ت": "t", "ث": "(?:th|t|s)", "ج": "(?:j|g|dj|dzh|zh)", "ح": "h",
    "خ": "(?:kh|h|ch|x)", "د": "d", "ذ": "(?:dh|z|d|th)", "ر": "r", "ز": "z", "س": "s",
    "ش": "(?:sh|ch|sch|s)", "ص": "s", "ض": "(?:d|dh|z)", "ط": "t", "ظ": "(?:z|dh|th)",
    "غ": "(?:gh|g|r)", "ف": "(?:f|ph)", "ق": "(?:q|k|g|c|ck)", "ك": "(?:k|c|ck|ch)",
    "ک": "(?:k|c|ck)", "ل": "l", "م": "m", "ن": "n", "ه": "h", "پ": "p", "چ": "(?:ch|tch)",
    "ژ": "(?:zh|j)", "گ": "g",
}
_ARABIC_VOWEL_LETTERS = {  # long vowels, and w and y at the start of a word
    "و": "(?:w|v|u|o|ou|oo|ow)", "ي": "(?:y|i|ee|ei|ai|ay|ey|e|ie|iy)",
    "ی": "(?:y|i|ee|ei|ai|ay|ey|e|ie|iy)", "ى": "(?:a|y|i|e)", "ا": "(?:a|aa|e)?",
    "آ": "(?:a|aa)", "ة": "(?:a|ah|at|e|eh)?",
}
_ARABIC_INITIAL = {"و": "(?:w|v|ou|o|u)", "ي": "(?:y|j|i)", "ا": "[aeiou]{0,2}"}
_ARABIC_GLOTTAL = frozenset("عءأإئؤ")  # ayn and hamza: a vowel, an apostrophe, or nothing
# fmt: on
_SHORT_VOWEL = "[aeiou]?"


def _arabic_letter(letter: str, first: bool) -> str:
    if first and letter in _ARABIC_INITIAL:
        return _ARABIC_INITIAL[letter]
    if letter in _ARABIC_GLOTTAL:
        return "[aeiou]{0,2}"
    if letter in _ARABIC_VOWEL_LETTERS:
        return _ARABIC_VOWEL_LETTERS[letter]
    if letter in _ARABIC_CONSONANTS:
        return f"{_ARABIC_CONSONANTS[letter]}{{1,2}}"
    return re.escape(anyascii(letter).casefold())


@lru_cache(maxsize=16384)
def arabic_pattern(word: str) -> re.Pattern:
    """The Latin spellings an Arabic word can stand for: محمد -> Mohammed, Muhammad, Mohamed;
    not Mahmoud, whose long u محمود writes."""
    letters = [letter for letter in word if letter.isalpha()]
    pieces = [_arabic_letter(letter, i == 0) for i, letter in enumerate(letters)]
    return re.compile(_SHORT_VOWEL.join(pieces) + _SHORT_VOWEL)
