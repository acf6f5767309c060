"""Pairing the words of two names, scoring the pairing, and saying why it matched.

Words pair whatever their order (Orlov Viktor, Wei Zhang); a word may pair with two written as
one (Qiaoyun, Qiao Yun). A word present on one side only is omitted (a patronymic, a middle
name) and costs little; a word on each side that pairs with nothing is a conflict (Viktor
Orlov is not Viktor Ivanov) and costs a lot. The explanation is codes with parameters, so
each language renders it from its own table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property, lru_cache
from itertools import product

from .names import Script, Token
from .spelling import one_edit, skeleton, vowel_variant


class How(StrEnum):
    EXACT = "exact"  # the same word
    TRANSLITERATED = "transliterated"  # the same word in another script
    PHONETIC = "phonetic"  # spelt differently, sounds the same (Victor, Viktor)
    SPELLING = "spelling"  # a letter added, dropped or swapped (Tomasz, Tomas)
    INITIAL = "initial"  # an initial for the name (P., Petrovich)
    OMITTED = "omitted"  # on one side only: a middle name, a patronymic
    DIFFERENT = "different"  # a word on each side that pairs with nothing (below 88 only)


QUALITY = {"exact": 1.0, "phonetic": 0.96, "arabic": 0.94, "vowels": 0.93, "spelling": 0.9,
           "initial": 0.9}
WEAK_WEIGHT = 0.25  # a particle or generic word counts a quarter of a name's word
OMITTED_COST = 3  # points per word present on one side only
CONFLICT_COST = 30  # points per word on each side that pairs with nothing
THIN_EVIDENCE_COST = 25  # one word in common, where a name has more to compare
_MOST_JOINED_FORMS = 12


@dataclass(frozen=True, eq=False)
class Unit:
    """One word of a name, or two neighbours read as one (Qiao Yun as Qiaoyun)."""

    positions: tuple[int, ...]
    written: str
    forms: tuple[str, ...]
    canons: tuple[str, ...]
    script: Script
    pattern: re.Pattern | None
    initial: bool
    strong: bool

    @cached_property
    def key(self) -> tuple:
        """What relate() reads of a word: two words with the same key relate alike."""
        return (self.forms, self.script, self.pattern, self.initial, len(self.positions) > 1)

    @cached_property
    def keys(self) -> frozenset[str]:
        """What an index finds the word by: its canonical spellings, its consonant skeletons."""
        return frozenset({f"c:{c}" for c in self.canons} | {f"s:{skeleton(f)}" for f in self.forms})


@lru_cache(maxsize=16384)  # names.parse is cached too: a listed name is worked out once
def units(tokens: tuple[Token, ...]) -> tuple[Unit, ...]:
    singles = [Unit((i,), t.written, t.forms, t.canons, t.script, t.pattern, t.initial,
                    not t.weak) for i, t in enumerate(tokens)]
    pairs = []
    for i, (a, b) in enumerate(zip(tokens, tokens[1:], strict=False)):
        if a.initial or b.initial or "arabic" in (a.script, b.script):
            continue
        forms = tuple(dict.fromkeys(x + y for x, y in product(a.forms, b.forms)))
        forms = forms[:_MOST_JOINED_FORMS]
        joined = Token(f"{a.written} {b.written}", forms, a.script if a.script != "latin"
                       else b.script)
        pairs.append(Unit((i, i + 1), joined.written, forms, joined.canons, joined.script,
                          None, False, not (a.weak and b.weak)))
    return tuple(singles + pairs)


def _initial(a: Unit, b: Unit) -> tuple[How, float] | None:
    if a.initial and b.initial:
        return (How.EXACT, QUALITY["exact"]) if a.forms[0] == b.forms[0] else None
    letter, full = (a, b) if a.initial else (b, a)
    if full.script in ("han", "arabic") or len(full.positions) > 1:
        return None
    if any(form.startswith(letter.forms[0]) for form in full.forms):
        return How.INITIAL, QUALITY["initial"]
    return None


def _arabic(a: Unit, b: Unit) -> bool:
    for arabic, latin in ((a, b), (b, a)):
        if arabic.pattern is not None and latin.script != "arabic":
            return any(arabic.pattern.fullmatch(form) for form in latin.forms)
    return False


def relate(a: Unit, b: Unit) -> tuple[How, float] | None:
    """How two words are the same word, and how sure that is (0-1); None if they are not."""
    if a.initial or b.initial:
        return _initial(a, b)
    if not set(a.forms).isdisjoint(b.forms):
        how, quality = How.EXACT, QUALITY["exact"]
    elif not set(a.canons).isdisjoint(b.canons):
        how, quality = How.PHONETIC, QUALITY["phonetic"]
    elif _arabic(a, b):
        how, quality = How.PHONETIC, QUALITY["arabic"]
    elif any(vowel_variant(x, y) for x in a.canons for y in b.canons):
        how, quality = How.PHONETIC, QUALITY["vowels"]
    elif any(one_edit(x, y) for x in a.canons for y in b.canons):
        how, quality = How.SPELLING, QUALITY["spelling"]
    else:
        return None
    if a.script != b.script and how in (How.EXACT, How.PHONETIC):
        how = How.TRANSLITERATED
    return how, quality


@dataclass(frozen=True)
class Pair:
    query: Unit
    listed: Unit
    how: How
    quality: float

    @property
    def strong(self) -> bool:
        return self.query.strong and self.listed.strong


def align(query: tuple[Unit, ...], listed: tuple[Unit, ...],
          known: dict | None = None) -> list[Pair]:
    """The best pairing of words, greedily: surest first, then the one covering most words.
    `known` keeps relations already worked out, for aligning one query with many names."""
    known = {} if known is None else known
    candidates = []
    for qu, lu in product(query, listed):
        if len(qu.positions) > 1 and len(lu.positions) > 1:
            continue
        memo = (qu.key, lu.key)
        related = known[memo] if memo in known else known.setdefault(memo, relate(qu, lu))
        if related:
            candidates.append(Pair(qu, lu, *related))
    candidates.sort(key=lambda p: (-p.quality, -len(p.query.positions) - len(p.listed.positions),
                                   not p.strong))
    used_query: set[int] = set()
    used_listed: set[int] = set()
    chosen = []
    for pair in candidates:
        if used_query.isdisjoint(pair.query.positions) and \
                used_listed.isdisjoint(pair.listed.positions):
            chosen.append(pair)
            used_query.update(pair.query.positions)
            used_listed.update(pair.listed.positions)
    return chosen


@dataclass(frozen=True)
class Scored:
    score: float  # 0-100
    pairs: list[Pair]
    left_query: list[Token]  # strong words that paired with nothing
    left_listed: list[Token]


def _weak_left(tokens: tuple[Token, ...], paired: set[int]) -> int:
    return sum(1 for i, t in enumerate(tokens) if i not in paired and t.weak)


def score(query: tuple[Token, ...], listed: tuple[Token, ...], pairs: list[Pair]) -> Scored:
    if not pairs:
        return Scored(0.0, pairs, [], [])
    weights = [1.0 if pair.strong else WEAK_WEIGHT for pair in pairs]
    base = 100 * sum(w * p.quality for w, p in zip(weights, pairs, strict=True)) / sum(weights)
    paired_query = {i for pair in pairs for i in pair.query.positions}
    paired_listed = {i for pair in pairs for i in pair.listed.positions}
    left_query = [t for i, t in enumerate(query) if i not in paired_query and not t.weak]
    left_listed = [t for i, t in enumerate(listed) if i not in paired_listed and not t.weak]
    conflicts = min(len(left_query), len(left_listed))
    omitted = len(left_query) + len(left_listed) - 2 * conflicts
    # Arms Trading against Defence Supplies: weak words, but different ones
    weak_conflicts = min(_weak_left(query, paired_query), _weak_left(listed, paired_listed))
    evidence = sum(1 for pair in pairs if pair.strong and pair.how != How.INITIAL)
    single_words = sum(not t.weak for t in query) == sum(not t.weak for t in listed) == 1
    thin = evidence == 0 or (len(pairs) < 2 and not single_words)
    points = base - OMITTED_COST * omitted - CONFLICT_COST * conflicts \
        - CONFLICT_COST * WEAK_WEIGHT * weak_conflicts - (THIN_EVIDENCE_COST if thin else 0)
    return Scored(max(0.0, min(100.0, points)), pairs, left_query, left_listed)


def explain(scored: Scored, listed: tuple[Token, ...], *, name: str, via: str) -> dict:
    """Why a name matched: which listed name, how each word paired (in the listed name's
    order), what was left out, whether the order differs, and the score."""
    words: list[tuple[int, dict]] = []
    for pair in scored.pairs:
        params: dict = {"query": pair.query.written, "listed": pair.listed.written}
        if pair.how == How.TRANSLITERATED:
            script = pair.query.script if pair.query.script != "latin" else pair.listed.script
            params["script"] = script
        if len(pair.query.positions) + len(pair.listed.positions) > 2:
            params["joined"] = True
        words.append((pair.listed.positions[0], {"code": pair.how.value, "params": params}))
    different = list(zip(scored.left_query, scored.left_listed, strict=False))
    for query, token in different:
        words.append((listed.index(token), {"code": How.DIFFERENT.value, "params": {
            "query": query.written, "listed": token.written}}))
    for token in scored.left_listed[len(different):]:
        words.append((listed.index(token), {"code": How.OMITTED.value,
                                            "params": {"listed": token.written}}))
    words.sort(key=lambda item: item[0])
    words += [(len(listed), {"code": How.OMITTED.value, "params": {"query": token.written}})
              for token in scored.left_query[len(different):]]
    by_query = sorted(scored.pairs, key=lambda p: p.query.positions[0])
    listed_order = [p.listed.positions[0] for p in by_query]
    return {"code": "name_match",
            "params": {"name": name, "via": via, "score": round(scored.score, 1),
                       "reordered": listed_order != sorted(listed_order)},
            "words": [word for _, word in words]}
