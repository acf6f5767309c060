"""Fuzzy matching of names against listed parties, across scripts and spelling variants.

Names are reduced to lower-case ASCII (so Cyrillic, Arabic and Chinese spellings meet their
Latin forms), then scored with rapidfuzz. The index normalises every listed name once, so one
application can be screened against thousands of parties in C-speed passes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from anyascii import anyascii
from rapidfuzz import fuzz, process

from .unlist import ListedParty

DEFAULT_THRESHOLD = 88

Via = Literal["name", "alias", "original_script"]

# Legal forms say nothing about who the party is, and differ between a company's filings
# ("LLC", "ООО" -> "ooo", "FZE"). Words like "trading" or "arms" stay: they tell firms apart.
# fmt: off
NOISE_WORDS = frozenset({
    "llc", "ltd", "limited", "inc", "incorporated", "corp", "corporation", "co", "company",
    "gmbh", "mbh", "ag", "kg", "sa", "sarl", "sas", "srl", "spa", "bv", "nv", "ab", "oy", "as",
    "asa", "aps", "plc", "llp", "lp", "pte", "pvt", "jsc", "ojsc", "cjsc", "pjsc", "ooo",
    "oao", "zao", "fze", "fzco", "fzc", "wll", "sdn", "bhd", "the", "and",
})
# fmt: on

_APOSTROPHES = re.compile(r"['’`ʻʼ]")  # joined, so O'Brien and OBrien agree
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_IDEOGRAPHIC_START = 0x2E80  # CJK, kana, hangul: each character is a syllable of its own


def _transliterate(text: str) -> str:
    # anyascii runs Chinese syllables together ("LinQiaoYun"); spacing them keeps tokens.
    return "".join(
        f" {anyascii(char)} " if ord(char) >= _IDEOGRAPHIC_START else anyascii(char)
        for char in text
    )


def normalise(name: str) -> str:
    """Lower-case ASCII words of a name, without punctuation or legal-form words."""
    text = _transliterate(unicodedata.normalize("NFKC", name)).casefold()
    words = _NOT_WORD.sub(" ", _APOSTROPHES.sub("", text)).split()
    meaningful = [word for word in words if word not in NOISE_WORDS]
    # A name made only of noise words ("The Company") is still a name.
    return " ".join(meaningful or words)


@dataclass(frozen=True)
class Match:
    party: ListedParty
    matched_name: str  # the list's own spelling that matched, for the finding's evidence
    score: float  # 0-100
    via: Via


@dataclass(frozen=True)
class _Entry:
    party: ListedParty
    name: str
    via: Via
    normalised: str

    @property
    def tokens(self) -> frozenset[str]:
        return frozenset(self.normalised.split())


def _entries(party: ListedParty) -> Iterable[tuple[str, Via]]:
    yield party.name, "name"
    for alias in party.aliases:
        yield alias, "alias"
    if party.original_script_name:
        yield party.original_script_name, "original_script"


# Words shared by many unrelated firms and names. Two names sharing only these ("Arms
# Trading") are not a near match, however the rest of them compares.
# fmt: off
GENERIC_WORDS = frozenset({
    "arms", "trading", "trade", "general", "import", "export", "group", "international",
    "holding", "holdings", "industries", "industrial", "services", "supplies", "supply",
    "logistics", "shipping", "maritime", "defence", "defense", "security", "military",
    "equipment", "enterprise", "enterprises", "of", "for", "al", "el", "bin", "ibn", "abu",
    "abd",
})
# fmt: on


def _subset_match_allowed(query_tokens: frozenset[str], entry_tokens: frozenset[str]) -> bool:
    """Whether a token-set score may count: it reaches 100 whenever one name is inside the other,
    so it needs two shared words, one of them distinctive (Viktor Orlov in Viktor Petrovich Orlov).
    """
    common = query_tokens & entry_tokens
    return len(common) >= 2 and bool(common - GENERIC_WORDS)


class PartyIndex:
    """Listed parties with every name normalised once, ready to search many times."""

    def __init__(self, parties: Iterable[ListedParty]):
        self._entries: list[_Entry] = []
        for party in parties:
            for name, via in _entries(party):
                normalised = normalise(name)
                if normalised:
                    self._entries.append(_Entry(party, name, via, normalised))
        self._spaced = [entry.normalised for entry in self._entries]
        self._joined = [entry.normalised.replace(" ", "") for entry in self._entries]

    def __len__(self) -> int:
        return len(self._entries)

    def _scores(self, query: str, threshold: float) -> dict[int, float]:
        """Best score per entry over three views of the names, each a C-speed pass."""
        tokens = frozenset(query.split())
        passes = (
            (query, self._spaced, fuzz.token_sort_ratio),  # word order differs
            (query.replace(" ", ""), self._joined, fuzz.ratio),  # spacing differs (Chinese)
            (query, self._spaced, fuzz.token_set_ratio),  # one name holds the other
        )
        scores: dict[int, float] = {}
        for text, choices, scorer in passes:
            hits = process.extract(text, choices, scorer=scorer, score_cutoff=threshold, limit=None)
            for _, score, i in hits:
                subset_only = scorer is fuzz.token_set_ratio
                if subset_only and not _subset_match_allowed(tokens, self._entries[i].tokens):
                    continue
                # rapidfuzz treats a vanishingly small cutoff as zero; keep the promise exactly
                if score >= threshold:
                    scores[i] = max(score, scores.get(i, 0.0))
        return scores

    def search(self, query: str, threshold: float = DEFAULT_THRESHOLD) -> list[Match]:
        """Parties whose name, alias or original-script name scores at least threshold."""
        normalised = normalise(query)
        if not normalised or not self._entries:
            return []
        best: dict[str, Match] = {}
        for i, score in sorted(self._scores(normalised, threshold).items()):
            entry = self._entries[i]
            known = best.get(entry.party.reference)
            if known is None or score > known.score:
                best[entry.party.reference] = Match(entry.party, entry.name, score, entry.via)
        return sorted(best.values(), key=lambda m: (-m.score, m.party.reference))


def match_name(
    query: str, parties: Sequence[ListedParty] | PartyIndex, threshold: float = DEFAULT_THRESHOLD
) -> list[Match]:
    """One-off search; build a PartyIndex once instead when screening many names."""
    index = parties if isinstance(parties, PartyIndex) else PartyIndex(parties)
    return index.search(query, threshold)
