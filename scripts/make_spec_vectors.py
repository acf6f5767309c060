"""Write docs/spec/vectors/: the test vectors of the EUC1 specification (docs/spec/euc-qr.md).

    .venv/bin/python scripts/make_spec_vectors.py [--out DIR]

Everything comes from certs/ with keys derived from fixed labels, fixed times and
deterministic ECDSA, so a second run writes the same bytes (tests/spec checks it). The
expected answers are written by hand in scripts/spec_vectors/, not computed by our verifier.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from spec_vectors import authority, cases, lists, malformed  # noqa: E402

from certs import pki  # noqa: E402

OUT = ROOT / "docs" / "spec" / "vectors"
ABOUT = ("Test vectors of the EUC1 specification (euc-qr.md). Check each vector's payload at "
         "its time `at` (epoch seconds), trusting the root in `root` (pinned out of band), with "
         "the trust list it names and its revocation lists applied in order; the answer must be "
         "`expected`: the result, the reason code with its parameters (every parameter but "
         "`detail`), the warnings, the certificate number shown (null: no content shown) and "
         "the cti hash. `online`, where present, is what an online verifier answers instead. "
         "`list_vectors`: apply `held` in order, then `list`: it must be accepted or refused.")


def build(out: Path) -> int:
    made_roots = authority.roots()
    dscs = authority.signers(made_roots)
    made = cases.certificates(dscs)
    root_cert = made_roots["root"][1]
    vectors = [*cases.results(made, dscs), *cases.times(made, dscs),
               *cases.signers(made, dscs), *cases.identity(made, dscs),
               *malformed.text(made), *malformed.compression(made),
               *malformed.envelopes(made, dscs), *malformed.encoding(dscs),
               *malformed.schema(dscs)]
    history, bad = lists.history(dscs, made), lists.refused(dscs, made)
    if out.exists():
        shutil.rmtree(out)
    (out / "lists").mkdir(parents=True)
    (out / "root.der").write_bytes(pki.certificate_der(root_cert))
    for name, before in (("trust-list.json", False), ("trust-list-before-revocation.json", True)):
        document = authority.trust_list(root_cert, dscs, before_revocation=before)
        (out / name).write_bytes(json.dumps(document, separators=(",", ":")).encode())
    for name, body in [*history.items(), *((n, b) for n, (b, _) in bad.items())]:
        (out / "lists" / f"{name}.cose").write_bytes(body)
    index = _index(dscs, vectors, bad)
    (out / "index.json").write_text(json.dumps(index, indent=1, ensure_ascii=False) + "\n",
                                    encoding="utf-8")
    return len(vectors)


def _index(dscs, vectors, bad) -> dict:
    return {
        "format": 1,
        "about": ABOUT,
        "specification": "../euc-qr.md",
        "authority": {"code": authority.AUTHORITY.code, "name": authority.AUTHORITY.name,
                      "country": authority.AUTHORITY.country},
        "root": "root.der",
        "trust_lists": {"current": "trust-list.json",
                        "before-revocation": "trust-list-before-revocation.json"},
        "revocation_lists": {"full-3": "lists/full-3.cose", "delta-3-5": "lists/delta-3-5.cose",
                             "full-5": "lists/full-5.cose"},
        "signers": {label: {"kid": dsc.kid.hex(), "about": authority.DSCS[label][2]}
                    for label, dsc in dscs.items()},
        "list_vectors": _list_vectors(bad),
        "vectors": [_vector(vector) for vector in vectors],
    }


def _list_vectors(bad) -> list[dict]:
    def case(name, held, listed, expected, about):
        return {"name": name, "description": about, "held": held,
                "list": f"lists/{listed}.cose", "expected": expected}

    good = [case("full-3", [], "full-3", "accepted", "The full list of sequence 3."),
            case("delta-on-its-base", ["full-3"], "delta-3-5", "accepted",
                 "The delta from 3 to 5 on the full list of 3."),
            case("full-5", [], "full-5", "accepted", "The full list of sequence 5."),
            case("full-in-answer-to-since", ["full-3", "delta-3-5"], "full-5", "accepted",
                 "A full list where a delta was asked for: it replaces what is held."),
            case("older-full-list", ["full-5"], "full-3", "refused",
                 "A full list older than the one held (a replay)."),
            case("delta-on-another-base", ["full-5"], "delta-3-5", "refused",
                 "A delta whose base is not the sequence held.")]
    return good + [case(name, [], name, "refused", f"Breaks a rule: {rule}.")
                   for name, (_, rule) in bad.items()]


def _vector(vector: cases.Vector) -> dict:
    shown = vector.label is not None
    made = {
        "name": vector.name, "description": vector.description, "payload": vector.payload,
        "at": authority.epoch(vector.at), "at_utc": vector.at, "trust_list": vector.trust,
        "revocation_lists": list(vector.revocations),
        "expected": {
            "result": vector.result, "reason_code": vector.code,
            "reason_params": vector.params, "warnings": list(vector.warnings),
            "content_number": f"EUC-XX-2026-{vector.number:06d}" if shown else None,
            "cti_hash": cases.cti_hash(vector.label).hex() if shown else None,
        },
    }
    if vector.online is not None:
        made["online"] = vector.online
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="the folder to write (replaced)")
    args = parser.parse_args()
    count = build(args.out)
    print(f"wrote {count} vectors into {args.out}")


if __name__ == "__main__":
    main()
