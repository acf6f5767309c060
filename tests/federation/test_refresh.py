"""The worker's refresh of a partner's lists: stored only once verified under the partner's
root; an unreachable partner, or a list signed by the wrong key, changes nothing held and
shows the partner stale since the first failure."""

from __future__ import annotations

from sqlmodel import select

from broker_registry.federation import service
from broker_registry.federation.models import ForeignAuthority
from broker_registry.federation.refresh import refresh, refresh_all
from tests.certs.federated import issuer


def _add(db, partner):
    candidate = service.candidate(code="PP-NCA", name="P", base_url=partner.url,
                                  root=partner.issuer.root_der)
    service.add(db, actor=None, proposed=candidate, confirmed_fingerprint=candidate.fingerprint,
                home_code="XX-NCA")
    db.commit()


def _row(db) -> ForeignAuthority:
    db.expire_all()
    return db.exec(select(ForeignAuthority)).one()


def _held(row) -> tuple:
    return (row.trust_list, row.trust_list_etag, row.revocations_full, row.revocations_deltas)


def test_lists_are_stored_once_verified_and_refusals_change_nothing(app, db, partner):
    _add(db, partner)
    with app.app_context():
        [outcome] = refresh_all(db)
    assert outcome.ok, outcome.what
    row = _row(db)
    assert row.stale_since is None and row.refreshed_at is not None and row.last_error is None
    assert row.trust_list == partner.issuer.trust_list()
    held = _held(row)
    assert "/api/v1/revocations?since=1" in partner.asked
    with app.app_context():
        assert refresh(db, "PP-NCA").what == "unchanged"
    assert _held(_row(db)) == held

    # a revocation list signed by another authority's key: refused, nothing changes
    partner.routes["/api/v1/revocations"] = (
        200, partner.issuer.revocations(sequence=2, signed_by=issuer("ZZ-NCA")),
        "application/cose")
    with app.app_context():
        outcome = refresh(db, "PP-NCA")
    assert not outcome.ok and "refused" in outcome.what
    row = _row(db)
    assert _held(row) == held
    stale_since = row.stale_since
    assert stale_since is not None and "refused" in row.last_error

    # a trust list under another root: refused; the stale mark keeps its first moment
    partner.routes["/api/v1/trust-list"] = (200, issuer("PP-NCA").trust_list(),
                                            "application/json")
    with app.app_context():
        outcome = refresh(db, "PP-NCA")
    assert not outcome.ok and "does not verify under PP-NCA's root" in outcome.what
    assert _held(_row(db)) == held and _row(db).stale_since == stale_since

    # unreachable: the same
    partner.stop()
    with app.app_context():
        outcome = refresh(db, "PP-NCA")
    assert not outcome.ok and "cannot reach" in outcome.what
    assert _held(_row(db)) == held and _row(db).stale_since == stale_since


def test_a_genuine_list_again_clears_the_stale_mark(app, db, partner):
    _add(db, partner)
    partner.routes["/api/v1/trust-list"] = (500, b"{}", "application/json")
    with app.app_context():
        assert not refresh(db, "PP-NCA").ok
    assert _row(db).stale_since is not None and _row(db).trust_list is None
    partner.serve_genuine()
    with app.app_context():
        assert refresh(db, "PP-NCA").ok
    assert _row(db).stale_since is None and _row(db).trust_list is not None
