import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broker_registry.screening.matching import (
    DEFAULT_THRESHOLD,
    PartyIndex,
    match_name,
    normalise,
)
from broker_registry.screening.unlist import ListedParty, load_sample_list


@pytest.fixture(scope="module")
def index():
    return PartyIndex(load_sample_list())


def references(matches):
    return [m.party.reference for m in matches]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Blackstone Arms Trading LLC", "blackstone arms trading"),
        ("  O'Brien & Sons, Ltd. ", "obrien sons"),
        ("Виктор Орлов", "viktor orlov"),
        ("ООО Север-Транс", "sever trans"),
        ("林巧云", "lin qiao yun"),
        ("ＢＬＡＣＫＳＴＯＮＥ", "blackstone"),  # full-width letters, NFKC
        ("Société Générale d'Armement SA", "societe generale darmement"),
        ("The Company", "the company"),  # only noise words: kept rather than emptied
        ("!!!", ""),
    ],
)
def test_normalise(name, expected):
    assert normalise(name) == expected


@pytest.mark.parametrize(
    "query", ["Виктор Орлов", "Viktor Orlov", "Victor Orlov", "VIKTOR P. ORLOV"]
)
def test_cyrillic_alias_party_is_found(index, query):
    assert references(index.search(query)) == ["CDi.901"]


def test_arabic_alias_matches(index):
    [match] = index.search("نجمة الصحراء للاستيراد والتصدير")
    assert match.party.reference == "LYe.901" and match.via == "alias" and match.score == 100


def test_chinese_original_script_matches(index):
    [match] = index.search("林巧云")
    assert match.party.reference == "KPi.901" and match.score == 100


def test_pinyin_with_other_spacing_or_order_matches(index):
    for query in ("Lin Qiaoyun", "Qiaoyun Lin", "Lin Qiao Yun"):
        assert references(index.search(query)) == ["KPi.901"]


def test_arabic_original_script_is_reported_as_such(index):
    [match] = index.search("يوسف عبد الكريم ميرين")
    assert match.via == "original_script" and match.party.reference == "SOi.901"


def test_misspelt_company_matches_with_evidence(index):
    [match] = index.search("Blackston Arms Trading")
    assert match.party.reference == "SSe.901"
    assert match.matched_name == "BLACKSTONE ARMS TRADING LLC" and match.via == "name"
    assert DEFAULT_THRESHOLD <= match.score < 100


def test_alias_match_reports_the_alias(index):
    [match] = index.search("Blackstone Defense Supplies Ltd")
    assert match.via == "alias" and match.matched_name == "Blackstone Defence Supplies"


@pytest.mark.parametrize(
    "query",
    [
        "Nordic Sporting Supplies AB",
        "Ministry of Defence of Norway",
        "Arms Trading LLC",  # shares only generic words with a listed company
        "Smith Arms Trading",
        "General Trading Company",
        "Viktor Ivanov",
        "Lin Wei",
        "Orlov",
    ],
)
def test_clean_names_do_not_match(index, query):
    assert index.search(query) == []


def test_one_match_per_party_sorted_by_score(index):
    matches = index.search("Orlov Viktor", threshold=50)
    assert len(references(matches)) == len(set(references(matches)))
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_match_name_convenience():
    party = ListedParty(reference="Xe.1", kind="entity", name="Acme Munitions GmbH")
    assert references(match_name("ACME MUNITIONS", [party])) == ["Xe.1"]
    assert match_name("ACME MUNITIONS", []) == []


def test_lower_threshold_finds_more(index):
    assert len(index.search("Blackwood Arms", threshold=60)) >= len(index.search("Blackwood Arms"))


@pytest.mark.slow  # seconds: make test runs it, make check does not
def test_large_index_is_fast():
    parties = [
        ListedParty(
            reference=f"Xi.{i}",
            kind="individual",
            name=f"Person{i} Family{i % 997}",
            aliases=(f"Alias{i}",),
        )
        for i in range(5000)
    ]
    index = PartyIndex(parties)
    start = time.perf_counter()
    for _ in range(10):
        index.search("Nordic Sporting Supplies AB")
    assert time.perf_counter() - start < 2.0


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalise_never_raises_and_is_idempotent(text):
    once = normalise(text)
    assert normalise(once) == once
    assert once == once.strip() and once.isascii()


@settings(max_examples=300, deadline=None)
@given(query=st.text(), threshold=st.floats(min_value=0, max_value=100))
def test_search_never_raises(index, query, threshold):
    for match in index.search(query, threshold):
        assert threshold <= match.score <= 100
