"""Matching names against listed parties, across scripts, word orders and spelling variants.

Every listed name, alias and original-script name is parsed once (names.py) and indexed by the
keys of its words: their canonical spelling and their consonant skeleton. A name screened
against the index is compared word by word (alignment.py) only with the entries that share a
key with one of its words, or that a C-speed pass of rapidfuzz finds one letter away.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .alignment import Unit, align, explain, score, units
from .names import Token, normalise, parse
from .unlist import ListedParty

__all__ = ["DEFAULT_THRESHOLD", "Match", "PartyIndex", "match_name", "normalise"]

DEFAULT_THRESHOLD = 88

Via = Literal["name", "alias", "original_script"]


@dataclass(frozen=True)
class Match:
    party: ListedParty
    matched_name: str  # the list's own spelling that matched, for the finding's evidence
    score: float  # 0-100
    via: Via
    explanation: dict = field(default_factory=dict, compare=False)  # see alignment.explain


@dataclass(frozen=True, eq=False)
class _Entry:
    party: ListedParty
    name: str
    via: Via
    tokens: tuple[Token, ...]
    units: tuple[Unit, ...]


def _names(party: ListedParty) -> Iterable[tuple[str, Via]]:
    yield party.name, "name"
    for alias in party.aliases:
        yield alias, "alias"
    if party.original_script_name:
        yield party.original_script_name, "original_script"


def _searchable(unit: Unit) -> bool:
    return unit.strong and not unit.initial


class PartyIndex:
    """Listed parties with every name parsed and keyed once, ready to search many times."""

    def __init__(self, parties: Iterable[ListedParty]):
        self._entries: list[_Entry] = []
        by_key: dict[str, set[int]] = defaultdict(set)
        for party in parties:
            for name, via in _names(party):
                tokens = parse(name)
                if not tokens:
                    continue
                entry = _Entry(party, name, via, tokens, units(tokens))
                for unit in filter(_searchable, entry.units):
                    for key in unit.keys:
                        by_key[key].add(len(self._entries))
                self._entries.append(entry)
        self._by_key = dict(by_key)
        # canonical spellings of five letters or more, for the one-letter-away pass
        self._long_canons = sorted(key[2:] for key in self._by_key
                                   if key.startswith("c:") and len(key) >= 7)

    def __len__(self) -> int:
        return len(self._entries)

    def _candidates(self, query: tuple[Unit, ...]) -> set[int]:
        found: set[int] = set()
        for unit in filter(_searchable, query):
            for key in unit.keys:
                found |= self._by_key.get(key, set())
            for canon in unit.canons:
                if len(canon) < 5:
                    continue
                near = process.extract(canon, self._long_canons, scorer=Levenshtein.distance,
                                       score_cutoff=1, limit=None)
                for other, _, _ in near:
                    found |= self._by_key[f"c:{other}"]
        return found

    def search(self, query: str, threshold: float = DEFAULT_THRESHOLD) -> list[Match]:
        """Parties whose name, alias or original-script name scores at least threshold."""
        tokens = parse(query)
        if not tokens or not self._entries:
            return []
        query_units = units(tokens)
        best: dict[str, Match] = {}
        relations: dict = {}
        for i in sorted(self._candidates(query_units)):
            entry = self._entries[i]
            scored = score(tokens, entry.tokens, align(query_units, entry.units, relations))
            if scored.score < threshold or scored.score <= 0:
                continue
            known = best.get(entry.party.reference)
            if known is None or scored.score > known.score:
                best[entry.party.reference] = Match(
                    entry.party, entry.name, scored.score, entry.via,
                    explain(scored, entry.tokens, name=entry.name, via=entry.via))
        return sorted(best.values(), key=lambda m: (-m.score, m.party.reference))


def match_name(
    query: str, parties: Sequence[ListedParty] | PartyIndex, threshold: float = DEFAULT_THRESHOLD
) -> list[Match]:
    """One-off search; build a PartyIndex once instead when screening many names."""
    index = parties if isinstance(parties, PartyIndex) else PartyIndex(parties)
    return index.search(query, threshold)
