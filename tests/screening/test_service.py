"""Screening lists in the database: the UN import, authority denials, embargoes, screen()."""

from __future__ import annotations

from importlib import resources

import pytest
from sqlmodel import select

from broker_registry.audit.service import history
from broker_registry.errors import NotFound, ValidationFailed
from broker_registry.screening import national_list, service
from broker_registry.screening.models import DeniedParty, EmbargoEntry
from broker_registry.screening.schemas import EmbargoInput
from broker_registry.screening.service import Subject

SAMPLE = resources.files("broker_registry.screening").joinpath("data/un_sample.xml").read_bytes()


@pytest.fixture
def admin(make_account):
    return make_account("admin")


def parties(db) -> list[tuple[str, str]]:
    return [(p.source, p.reference) for p in db.exec(select(DeniedParty).order_by(DeniedParty.id))]


def test_embargoes_are_seeded_from_the_data_file(db):
    kp = db.get(EmbargoEntry, "KP")
    assert (kp.scope, kp.resolution, kp.since.isoformat()) == \
        ("full", "S/RES/1718 (2006)", "2006-10-14")
    assert db.get(EmbargoEntry, "SO").scope == "non_state_actors"


def test_import_replaces_the_un_entries_only(db, admin):
    assert service.import_un_list(db, actor=admin, data=SAMPLE) == 10
    national_list.list_on_denial(db, actor=admin, reference="LA-000001", licence_id=None,
                                 parties=[("end_user", {"name": "Acme", "country": "GH"})],
                                 grounds="denied")
    assert service.import_un_list(db, actor=admin, data=SAMPLE) == 10
    found = parties(db)
    assert len(found) == 11 and ("authority", "LA-000001/end_user") in found
    assert sum(1 for source, _ in found if source == "un") == 10
    entry = history(db, "denied_list", "un")[-1]
    assert entry.before == {"parties": 10} and entry.after["parties"] == 10


@pytest.mark.parametrize("data, message", [
    (b"not xml at all", "not well-formed"),
    (b"<OTHER_LIST/>", "expected <CONSOLIDATED_LIST>"),
    (b'<!DOCTYPE x [<!ENTITY e "boom">]><CONSOLIDATED_LIST/>', "DTD"),
    (b"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>X</FIRST_NAME></INDIVIDUAL>"
     b"</INDIVIDUALS></CONSOLIDATED_LIST>", "REFERENCE_NUMBER"),
    (b"<CONSOLIDATED_LIST/>", "names no individual"),
])
def test_a_bad_file_changes_nothing(db, admin, data, message):
    service.import_un_list(db, actor=admin, data=SAMPLE)
    db.commit()
    before, audit_before = parties(db), len(history(db, "denied_list", "un"))
    with pytest.raises(ValidationFailed) as raised:
        service.import_un_list(db, actor=admin, data=data)
    db.rollback()
    assert raised.value.errors[0].field == "file" and message in raised.value.errors[0].message
    assert parties(db) == before and len(history(db, "denied_list", "un")) == audit_before


def test_screen_finds_aliases_embargoes_and_nothing_on_a_clean_deal(db, admin):
    service.import_un_list(db, actor=admin, data=SAMPLE)
    clean = service.screen(db, threshold=88, end_user_kind="armed_forces", subjects=[
        Subject("supplier", "IT", "Fabbrica d'Armi Esempio"),
        Subject("end_user", "GH", "Ghana Armed Forces"), Subject("destination", "GH")])
    assert clean == []
    found = service.screen(db, threshold=88, end_user_kind="commercial", subjects=[
        Subject("consignee", "AE", "Blackstone Defence Supplies"),
        Subject("end_user", "KP", "林巧云")])
    assert {(f.rule, f.party_role, f.blocking) for f in found} == {
        ("denied_party", "consignee", False), ("embargo_full", "end_user", True),
        ("denied_party", "end_user", False)}
    chinese = next(f for f in found if f.rule == "denied_party" and f.party_role == "end_user")
    assert chinese.evidence["reference"] == "KPi.901"


def test_the_threshold_is_respected(db, admin):
    service.import_un_list(db, actor=admin, data=SAMPLE)
    near = [Subject("end_user", "GH", "Viktor Orlow")]
    assert service.screen(db, subjects=near, end_user_kind=None, threshold=80)
    assert not service.screen(db, subjects=near, end_user_kind=None, threshold=100)


def test_embargo_edits_are_audited(db, admin):
    service.set_embargo(db, actor=admin, embargo=EmbargoInput(
        country="GH", scope="non_state_actors", resolution="S/RES/9999 (2030)",
        since="2030-01-01", notes="test"))
    service.set_embargo(db, actor=admin, embargo=EmbargoInput(
        country="GH", scope="full", resolution="S/RES/9999 (2030)", since="2030-01-01"))
    service.remove_embargo(db, actor=admin, country="GH", reason="Lifted.")
    assert db.get(EmbargoEntry, "GH") is None
    actions = [(e.action, (e.after or {}).get("scope")) for e in history(db, "embargo", "GH")]
    assert actions == [("screening.embargo_set", "non_state_actors"),
                       ("screening.embargo_set", "full"), ("screening.embargo_removed", None)]
    with pytest.raises(NotFound):
        service.remove_embargo(db, actor=admin, country="GH", reason="again")
