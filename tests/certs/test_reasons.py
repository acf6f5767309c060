"""Reason codes: every one belongs to one result and has its English sentence, and the
sentences are those verifiers wrote before the codes, word for word."""

from certs.reasons import ENGLISH, MALFORMED_CODES, RESULT_CODES, WARNING_CODES, Reason
from certs.verify import Result


def test_every_code_belongs_to_one_result_and_has_a_sentence():
    codes = [code for result in RESULT_CODES.values() for code in result]
    assert len(codes) == len(set(codes))
    assert set(RESULT_CODES) == {str(result) for result in Result}
    assert set(ENGLISH) == set(codes) | set(WARNING_CODES)


def test_the_sentences_are_those_of_before_word_for_word():
    said = [
        (Reason("valid"),
         "Signature good, signer trusted, within its validity, not revoked."),
        (Reason("revoked", {"at": 1_780_000_000, "revocation_reason": 1}),
         "The certificate was revoked on 2026-05-28 20:26 UTC (licence revoked)."),
        (Reason("suspended", {"at": 1_780_000_000, "revocation_reason": 99, "note": "Inquiry"}),
         "The certificate was suspended on 2026-05-28 20:26 UTC (code 99): Inquiry"),
        (Reason("expired", {"exp": 1_780_000_000}),
         "The certificate expired on 2026-05-28 20:26 UTC."),
        (Reason("signer_unknown", {"kid": "0011223344556677"}),
         "The signer 0011223344556677 is not on the trust list signed by the pinned root."),
        (Reason("signer_revoked", {"kid": "0011223344556677"}),
         "Its signing key 0011223344556677 has been revoked; nothing it signed is valid."),
        (Reason("base45_invalid", {"detail": "Base45 text has an impossible length"}),
         "Not a readable EUC1 certificate: Base45 text has an impossible length."),
        (Reason("valid_unrecorded"),
         "Signature good, signer trusted, within its validity, not revoked. (This registry has "
         "no record of it: ask the issuing authority.)"),
        (Reason("revocation_list_stale", {"seconds": 2 * 86_400}),
         "The revocation list is stale: its update was due 2 days ago."),
        (Reason("clock_skew", {"seconds": -420}),
         "This machine's clock differed from the server's by -420 s at the last sync: fix the "
         "clock, expiry checks depend on it."),
    ]
    assert [(reason, reason.sentence) for reason, _ in said] == said


def test_every_code_certs_raises_or_answers_is_in_the_table():
    """A code written anywhere in certs/ (a Reason, a MalformedError) is one of the table's:
    a typo would otherwise reach verifiers as a code no specification names."""
    import ast
    from pathlib import Path

    known = set(ENGLISH)
    used = {}
    for path in (Path(__file__).resolve().parents[2] / "certs").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            position = {"Reason": 0, "MalformedError": 1, "bad": 0}.get(name)
            if position is not None and len(node.args) > position \
                    and isinstance(node.args[position], ast.Constant):
                used[node.args[position].value] = path.name
    assert {code: where for code, where in used.items() if code not in known} == {}
    assert set(MALFORMED_CODES) <= set(used)  # every MALFORMED code is raised somewhere
