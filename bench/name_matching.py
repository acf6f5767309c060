"""Name matching: recall and false positives on the labelled pairs, and the time to screen one
application's parties against a list the size of the UN Consolidated List. No database.

The pairs (tests/screening/name_pairs.csv) are split once into a development part, which the
rules were written against, and a held-out part, looked at only to check them.
"""

from __future__ import annotations

import csv
import random
import statistics
import time
from pathlib import Path

from broker_registry.screening.alignment import units
from broker_registry.screening.matching import DEFAULT_THRESHOLD, PartyIndex
from broker_registry.screening.names import parse
from broker_registry.screening.unlist import ListedParty

PAIRS = Path(__file__).resolve().parent.parent / "tests" / "screening" / "name_pairs.csv"
RECALL_GOAL, FALSE_POSITIVE_GOAL = 0.95, 0.05
LISTED = 1_000
APPLICATION = ("Viktor P. Orlov", "Nordic Sporting Supplies AB", "Ministry of Defence of Ghana",
               "Mohamed Ali Hasan")  # a supplier, a consignee, an end user, the broker


def load_pairs(path: Path = PAIRS) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def matches(pair: dict) -> bool:
    aliases = tuple(alias for alias in pair["listed_aliases"].split(";") if alias)
    party = ListedParty(reference="X", kind="individual", name=pair["listed_name"],
                        aliases=aliases)
    return bool(PartyIndex([party]).search(pair["query"], DEFAULT_THRESHOLD))


def _figures(pairs: list[dict], found: list[bool]) -> dict:
    variants = [hit for pair, hit in zip(pairs, found, strict=True) if pair["expected"] == "match"]
    innocent = [hit for pair, hit in zip(pairs, found, strict=True)
                if pair["expected"] == "no_match"]
    return {"pairs": len(pairs), "variants": len(variants), "innocent": len(innocent),
            "recall": sum(variants) / len(variants) if variants else 0.0,
            "false_positive_rate": sum(innocent) / len(innocent) if innocent else 0.0}


def evaluate(pairs: list[dict]) -> dict:
    """Recall and false-positive rate on every pair, the development part and the held out."""
    found = [matches(pair) for pair in pairs]
    out = {"all": _figures(pairs, found)}
    for split in ("dev", "holdout"):
        chosen = [(p, f) for p, f in zip(pairs, found, strict=True) if p["split"] == split]
        out[split] = _figures([p for p, _ in chosen], [f for _, f in chosen])
    out["missed"] = [p["query"] + " / " + p["listed_name"] for p, f in zip(pairs, found,
                     strict=True) if p["expected"] == "match" and not f]
    out["false_positives"] = [p["query"] + " / " + p["listed_name"] for p, f in zip(
        pairs, found, strict=True) if p["expected"] == "no_match" and f]
    return out


# -- a list the size of the UN's --------------------------------------------------------
# fmt: off
_GIVEN = (
    "Mohammed", "Ahmad", "Ali", "Hassan", "Omar", "Abdul", "Yusuf", "Ibrahim", "Khalid", "Said",
    "Mustafa", "Abdullah", "Karim", "Tariq", "Jamal", "Viktor", "Sergei", "Dmitri", "Aleksandr",
    "Nikolai", "Yuri", "Ivan", "Pavel", "Oleg", "Amadou", "Moussa", "Ibrahima", "Jean",
    "Pierre", "Joseph", "Emmanuel", "Kim", "Pak", "Ri", "Jong", "Chol", "Song", "Li", "Wang",
    "Chen", "Zhang", "Liu", "Hamid", "Rashid", "Nasser", "Faisal", "Bashir", "Salah", "Anwar",
    "Idris", "Musa", "Issa"
)
_FAMILY = (
    "Haddad", "Mansour", "Qasim", "Al-Masri", "Al-Rashid", "Nasser", "Farouk", "Suleiman",
    "Othman", "Karimov", "Orlov", "Volkov", "Sokolov", "Morozov", "Lebedev", "Kuznetsov",
    "Gromov", "Diallo", "Traore", "Keita", "Balogui", "Mbemba", "Mensah", "Okafor",
    "Dufresne", "Kim", "Pak", "Ri", "Choe", "Han", "Jang", "Ho", "Yun", "Wang", "Chen", "Zhang",
    "Liu", "Nkosi", "Bello", "Hamdan", "Yunus", "Bakr", "Zaidi", "Saleh", "Ahmadi",
    "Hashemi", "Mirza", "Tahir"
)
_FIRM = (
    "Golden", "Delta", "Star", "Crescent", "Northern", "Eastern", "Pacific", "Sahara", "Atlas",
    "Orion", "Falcon", "Eagle", "Phoenix", "Summit", "Horizon", "Zenith", "Meridian", "Crown",
    "Silver", "Iron", "Ocean"
)
_TRADE = (
    "Trading", "Logistics", "Shipping", "General", "Mining", "Import", "Export", "Holdings",
    "Industries", "Maritime", "Services", "Supplies", "Group", "International"
)
_CYRILLIC = {"Viktor": "Виктор", "Sergei": "Сергей", "Dmitri": "Дмитрий", "Orlov": "Орлов",
             "Volkov": "Волков", "Sokolov": "Соколов", "Ivan": "Иван", "Pavel": "Павел"}
_ARABIC = {"Mohammed": "محمد", "Ahmad": "أحمد", "Ali": "علي", "Hassan": "حسن", "Omar": "عمر",
           "Yusuf": "يوسف", "Khalid": "خالد", "Haddad": "حداد", "Mansour": "منصور"}
# fmt: on


def listed_parties(count: int = LISTED, seed: int = 20) -> list[ListedParty]:
    """Invented parties shaped like the UN list's: most are people with a few aliases, some in
    their own script; a quarter are entities."""
    rng = random.Random(seed)
    parties = []
    for i in range(count):
        if i % 4 == 3:
            name = f"{rng.choice(_FIRM)} {rng.choice(_FIRM)} {rng.choice(_TRADE)} LLC"
            aliases = (f"{name.split()[0]} {rng.choice(_TRADE)} Company",)
            parties.append(ListedParty(f"Xe.{i}", "entity", name, aliases))
            continue
        words = [rng.choice(_GIVEN), rng.choice(_GIVEN), rng.choice(_FAMILY)]
        aliases = [f"{words[0]} {words[2]}", f"{words[2]} {words[1]}"][: rng.randint(1, 2)]
        script = {**_CYRILLIC, **_ARABIC}
        original = " ".join(script[w] for w in words) if all(w in script for w in words) \
            else None
        parties.append(ListedParty(f"Xi.{i}", "individual", " ".join(words).upper(),
                                   tuple(aliases), original))
    return parties


def speed(repeat: int) -> dict:
    """Milliseconds to index the list (first in the process, then again with the parsed names
    cached) and to screen one application's names against it; medians."""
    parties = listed_parties()
    parse.cache_clear()
    units.cache_clear()
    started = time.perf_counter()
    index = PartyIndex(parties)
    first_build = (time.perf_counter() - started) * 1000
    builds, screens = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        index = PartyIndex(parties)
        built = time.perf_counter()
        for name in APPLICATION:
            index.search(name)
        screens.append((time.perf_counter() - built) * 1000)
        builds.append((built - started) * 1000)
    return {"listed_parties": len(parties), "listed_names": len(index),
            "application_names": len(APPLICATION), "first_build_ms": first_build,
            "build_ms": statistics.median(builds), "screen_ms": statistics.median(screens)}


def run(scale: dict) -> dict:
    return {**evaluate(load_pairs()), "speed": speed(max(3, scale["rounds"]))}


def rows(result: dict) -> list[tuple[str, str, str]]:
    dev, held, every = result["dev"], result["holdout"], result["all"]
    figures = (f"recall {every['recall']:.3f}, false positives "
               f"{every['false_positive_rate']:.1%} ({every['variants']} variants, "
               f"{every['innocent']} innocent near-names); development {dev['recall']:.3f} / "
               f"{dev['false_positive_rate']:.1%}, held out {held['recall']:.3f} / "
               f"{held['false_positive_rate']:.1%}")
    fast = result["speed"]
    return [("name matching on the labelled pairs", figures,
             f"recall ≥ {RECALL_GOAL}, false positives ≤ {FALSE_POSITIVE_GOAL:.0%}"),
            (f"screening one application ({fast['application_names']} names) against "
             f"{fast['listed_parties']:,} listed parties ({fast['listed_names']:,} names)",
             f"{fast['screen_ms']:.1f} ms, after {fast['build_ms']:.0f} ms to index the list "
             f"({fast['first_build_ms']:.0f} ms the first time in a process)", "none: a figure")]


def main() -> None:
    """`python -m bench.name_matching`: this part alone, as `make bench` prints it."""
    for measure, result, goal in rows(run({"rounds": 9})):
        print(f"| {measure} | {result} | {goal} |")


if __name__ == "__main__":
    main()
