import json
from datetime import date

import pytest

from broker_registry.reference.embargoes import (
    Scope,
    embargo_for,
    load_embargoes,
    validate_embargoes,
)

GOOD = {"country": "KP", "scope": "full", "resolution": "S/RES/1718 (2006)", "since": "2006-10-14"}


def test_shipped_file_validates():
    embargoes = load_embargoes()
    assert len(embargoes) >= 10
    kp = embargo_for("KP", embargoes)
    assert kp.scope is Scope.FULL and kp.blocks_approval
    assert kp.since == date(2006, 10, 14) and kp.resolution == "S/RES/1718 (2006)"


def test_partial_embargoes_do_not_block():
    embargoes = load_embargoes()
    assert embargo_for("CF", embargoes).scope is Scope.NON_STATE_ACTORS
    assert not embargo_for("SO", embargoes).blocks_approval


def test_lifted_or_expired_embargoes_are_absent():
    embargoes = load_embargoes()
    for country in ("ER", "ML", "CI", "LR", "FR"):
        assert embargo_for(country, embargoes) is None


def test_shipped_file_says_it_is_a_sample_and_not_legal_advice():
    from importlib import resources

    text = resources.files("broker_registry.reference").joinpath("data/embargoes.json").read_text()
    notes = json.loads(text)["notes"]
    assert "SAMPLE" in notes and "not legal advice" in notes


def test_bare_list_is_accepted():
    assert validate_embargoes([GOOD])[0].country == "KP"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"country": "ZZ"}, r"embargoes\[0\]\.country: 'ZZ' is not an ISO 3166-1"),
        ({"country": "kp"}, r"country: 'kp'"),
        ({"scope": "partial"}, r"embargoes\[0\]\.scope: 'partial' is not one of"),
        ({"since": "14/10/2006"}, r"embargoes\[0\]\.since: '14/10/2006' is not a YYYY-MM-DD"),
        ({"since": "2006-02-30"}, r"since: '2006-02-30'"),
        ({"resolution": "1718"}, r"resolution: '1718' is not like"),
        ({"country": None}, r"country: missing"),
        ({"extra": 1}, r"unknown field\(s\) \['extra'\]"),
        ({"notes": 3}, r"notes: must be a string"),
    ],
)
def test_bad_entry_names_the_problem(change, message):
    with pytest.raises(ValueError, match=message):
        validate_embargoes({"embargoes": [{**GOOD, **change}]})


@pytest.mark.parametrize("obj", [{}, "x", {"embargoes": {}}, None])
def test_bad_shape(obj):
    with pytest.raises(ValueError, match="expected a list"):
        validate_embargoes(obj)


def test_duplicate_country_rejected():
    with pytest.raises(ValueError, match=r"embargoes\[1\]\.country: KP is listed twice"):
        validate_embargoes([GOOD, GOOD])


def test_load_from_path(tmp_path):
    path = tmp_path / "e.json"
    path.write_text(json.dumps({"embargoes": [GOOD]}))
    assert load_embargoes(path)[0].scope is Scope.FULL
    path.write_text("{not json")
    with pytest.raises(ValueError, match="not JSON"):
        load_embargoes(path)
    path.write_text(json.dumps([{**GOOD, "scope": "total"}]))
    with pytest.raises(ValueError, match="scope: 'total'"):
        load_embargoes(path)
