"""A failure after the state changed and before the commit leaves nothing half done.

The database is made to fail at the last moment of a decision, a sanction, a revocation and a
shipment, in two ways: the audit record raises after the service changed the rows, or the
commit itself raises. Afterwards every status, quantity, audit entry and revocation list entry
is as it was, the answer is a clean 500 problem, and the same request then succeeds once.
"""

from __future__ import annotations

import sys

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from broker_registry.audit import service as audit
from broker_registry.web import problems
from tests.records import application
from tests.reliability.world import build


class Injected(RuntimeError):
    """The database failing at the worst moment."""


def _state(app, world) -> dict:
    with app.app_context():
        from broker_registry import db

        connection = db.session().connection()
        count = lambda table: connection.execute(  # noqa: E731
            sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
        state = {table: count(table) for table in
                 ("audit_log", "revocation_entries", "shipments", "markings", "licences",
                  "certificates")}
        state["counters"] = dict(connection.execute(
            sa.text("SELECT name, value FROM counters")).all())
        state["statuses"] = sorted(connection.execute(sa.text(
            "SELECT 'licence', id, status FROM licences UNION ALL "
            "SELECT 'certificate', id, status FROM certificates UNION ALL "
            "SELECT 'broker', id, status FROM brokers")).all())
        state["shipped"] = sorted(connection.execute(sa.text(
            "SELECT certificate_id, line_no, shipped FROM certificate_lines")).all())
        db.session().rollback()
    return state


def _arm(app, how: str):
    """Make the database fail; returns what undoes it."""
    patch = pytest.MonkeyPatch()
    if how == "audit":
        real = audit.record

        def failing_record(session, **kwargs):
            real(session, **kwargs)  # the row is written, then the database fails
            raise Injected("the database went away after the audit entry")

        for module in list(sys.modules.values()):
            if module and module.__name__.startswith("broker_registry.") and \
                    module is not audit and getattr(module, "record", None) is real:
                patch.setattr(module, "record", failing_record)
        return patch.undo

    def fail(session):
        raise Injected("the commit failed")

    factory = app.extensions["db"].session_factory
    event.listen(factory, "before_commit", fail)
    return lambda: event.remove(factory, "before_commit", fail)


@pytest.fixture
def failing_app(isolated_app):
    # The production answer to an unexpected error, not the test client's re-raise.
    isolated_app.register_error_handler(Exception, problems.unexpected_error_response)
    isolated_app.config["PROPAGATE_EXCEPTIONS"] = False
    return isolated_app


@pytest.mark.parametrize("how", ["audit", "commit"])
def test_nothing_is_left_half_done(failing_app, how):
    app = failing_app
    world = build(app, certificates=2, quantity=50)
    client = app.test_client()
    pending = client.post("/api/v1/licences", json=application(world.broker_id),
                          headers=world.headers("owner")).get_json()
    number, other = world.numbers
    actions = [
        ("shipment", "officer", f"/api/v1/certificates/{other}/shipments",
         {"border_post": "Aflao", "lines": [{"line": 1, "quantity": 7,
                                             "markings": ["AT-1", "AT-2"]}]},
         {"Idempotency-Key": "atomic-1"}),
        ("certificate revocation", "r1", f"/api/v1/certificates/{number}/revoke",
         {"reason": "stolen"}, {}),
        ("licence decision", "r1", f"/api/v1/licences/{pending['id']}/decision",
         {"decision": "approve", "reason": "ok"}, {}),
        ("broker suspension (cascades)", "r1", f"/api/v1/brokers/{world.broker_id}/suspend",
         {"reason": "investigation"}, {}),
    ]
    for name, who, path, body, extra in actions:
        before = _state(app, world)
        disarm = _arm(app, how)
        try:
            response = client.post(path, json=body, headers={**world.headers(who), **extra})
        finally:
            disarm()
        assert response.status_code in (500, 503), (name, response.status_code)
        assert response.content_type == "application/problem+json", name
        assert response.get_json()["status"] == response.status_code
        assert "Injected" not in response.get_data(as_text=True)  # no internals in the answer
        assert _state(app, world) == before, f"{name} left a partial change ({how})"
        # The same request, retried once the database is back, succeeds exactly once.
        retried = client.post(path, json=body, headers={**world.headers(who), **extra})
        assert retried.status_code in (200, 201), (name, retried.get_json())
        after = _state(app, world)
        assert after["audit_log"] > before["audit_log"], name
    with app.app_context():
        from broker_registry import db

        assert audit.verify(db.session()) == []
    # The shipment retried under its key counted once.
    final = client.get(f"/api/v1/certificates/{other}", headers=world.headers("officer"))
    assert final.get_json()["remaining"][0]["shipped"] == 7
