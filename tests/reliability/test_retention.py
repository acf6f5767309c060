"""Records are kept at least ten years (Arms Trade Treaty, art. 12): nothing in the app deletes
a broker registration, licence, certificate, shipment or audit entry, and refused, denied and
revoked records stay readable."""

from __future__ import annotations

import ast
from pathlib import Path

import click
from sqlmodel import SQLModel

import broker_registry
import broker_registry.metadata  # noqa: F401 - every table in the metadata
from tests.records import decide, issue, issue_certificate, submit

PACKAGE = Path(broker_registry.__file__).parent
PROTECTED_TABLES = {"brokers", "licences", "licence_lines", "certificates", "certificate_lines",
                    "shipments", "markings", "deliveries", "audit_log", "revocation_entries"}
PROTECTED_MODELS = {"Broker", "Licence", "LicenceLine", "Certificate", "CertificateLine",
                    "Shipment", "Marking", "Delivery", "AuditEntry", "RevocationEntry"}
# Every session.delete(...) in the app, reviewed: (module, function) -> what it deletes.
REVIEWED_DELETES = {
    ("screening/service.py", "remove_embargo"): "an embargo entry (the removal is audited)",
    ("licences/screening.py", "rescreen"): "a screening finding the new screening replaced",
    ("screening/national_list.py", "remove_entry"):
        "a national denied-parties entry (the removal is audited with the whole entry)",
}


def _sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path.relative_to(PACKAGE).as_posix(), ast.parse(path.read_text())


def _deletes(tree):
    """(enclosing function, call) for every delete the module makes, however spelled."""
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else \
                    getattr(node.func, "id", "")
                if name in {"delete", "truncate"}:
                    yield function.name, node
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value.upper()
                if "DELETE FROM" in text or "TRUNCATE" in text or "DROP TABLE" in text:
                    yield function.name, node


def test_no_code_deletes_a_kept_record():
    found = []
    for module, tree in _sources():
        for function, node in _deletes(tree):
            if isinstance(node, ast.Constant):
                found.append(f"{module}:{node.lineno} SQL in {function}")
                continue
            args = [ast.unparse(a) for a in node.args]
            is_statement = isinstance(node.func, ast.Attribute) and \
                ast.unparse(node.func.value) in {"sa", "sqlalchemy"} or \
                isinstance(node.func, ast.Name)
            if is_statement:  # sa.delete(Model): the model is named
                if any(a.split(".")[0] in PROTECTED_MODELS for a in args):
                    found.append(f"{module}:{node.lineno} deletes {args}")
            elif (module, function) not in REVIEWED_DELETES:
                found.append(f"{module}:{node.lineno} session.delete in {function} (review it)")
    assert found == []


def test_no_foreign_key_cascades_a_delete_into_kept_records():
    for table in SQLModel.metadata.sorted_tables:
        if table.name not in PROTECTED_TABLES:
            continue
        for key in table.foreign_keys:
            assert (key.ondelete or "").upper() not in {"CASCADE", "SET NULL"}, \
                f"{table.name}.{key.parent.name} ON DELETE {key.ondelete}"


def test_no_route_or_command_deletes(app):
    for rule in app.url_map.iter_rules():
        assert "DELETE" not in rule.methods, rule.rule
        assert not any(word in rule.rule for word in ("/delete", "/purge", "/erase")), rule.rule

    def walk(command, path=""):
        yield f"{path} {command.name}".strip()
        if isinstance(command, click.Group):
            for sub in command.commands.values():
                yield from walk(sub, f"{path} {command.name}")

    names = [name for command in app.cli.commands.values() for name in walk(command)]
    assert not [n for n in names if any(w in n for w in ("delete", "purge", "prune", "erase"))]


def test_refused_denied_and_revoked_records_stay_readable(api_as, broker_api, regulators, keys,
                                                         register_broker, db):
    first = regulators[0]
    # A refused registration.
    refused_owner, refused = register_broker(status="submitted")
    assert first.post(f"/api/v1/brokers/{refused.id}/decision",
                      json={"decision": "refuse", "reason": "false declaration"}).status_code == 200
    # A revoked licence with a revoked certificate, and a denied application.
    licence = issue(broker_api, regulators)
    certificate = issue_certificate(first, licence["id"])
    denied = submit(broker_api)
    assert decide(first, denied["id"], "deny", "end user doubtful").status_code == 200
    assert first.post(f"/api/v1/licences/{licence['id']}/revoke",
                      json={"reason": "diversion"}).status_code == 200

    owner = api_as(refused_owner)
    assert owner.get(f"/api/v1/brokers/{refused.id}").get_json()["status"] == "refused"
    assert first.get(f"/api/v1/brokers/{refused.id}").get_json()["status"] == "refused"
    assert first.get("/api/v1/brokers?status=refused").get_json()["items"]
    for who in (broker_api, first):
        assert who.get(f"/api/v1/licences/{denied['id']}").get_json()["status"] == "denied"
        revoked = who.get(f"/api/v1/licences/{licence['id']}").get_json()
        assert revoked["status"] == "revoked" and revoked["history"]
        kept = who.get(f"/api/v1/certificates/{certificate['number']}").get_json()
        assert kept["status"] == "revoked" and kept["qr_payload"] == certificate["qr_payload"]
    assert {i["id"] for i in first.get("/api/v1/licences?status=denied").get_json()["items"]} \
        >= {denied["id"]}
    assert {i["id"] for i in first.get("/api/v1/licences?status=revoked").get_json()["items"]} \
        >= {licence["id"]}
