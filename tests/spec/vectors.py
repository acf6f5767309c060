"""The published test vectors (docs/spec/vectors/), read as a stranger's verifier reads them."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from certs import pki
from certs.revocation_list import RevocationState, parse_revocation_list
from certs.trust_list import parse_trust_list

FOLDER = Path(__file__).resolve().parents[2] / "docs" / "spec" / "vectors"


@cache
def index(folder: Path = FOLDER) -> dict:
    return json.loads((folder / "index.json").read_text(encoding="utf-8"))


def vectors() -> list[dict]:
    return index()["vectors"]


def root(folder: Path = FOLDER):
    return pki.load_certificate((folder / index(folder)["root"]).read_bytes())


def trust(name: str, folder: Path = FOLDER):
    path = folder / index(folder)["trust_lists"][name]
    return parse_trust_list(path.read_bytes(), root_cert=root(folder))


def list_path(name: str, folder: Path = FOLDER) -> Path:
    return folder / index(folder)["revocation_lists"].get(name, name)


def state(names, trust_store, folder: Path = FOLDER) -> RevocationState | None:
    """The revocation state after applying the named lists in order (None: no list)."""
    if not names:
        return None
    held = RevocationState()
    for name in names:
        held.apply(parse_revocation_list(list_path(name, folder).read_bytes(),
                                         trust=trust_store))
    return held


def answer(verification) -> dict:
    """A verification in the vectors' terms, to compare with `expected`."""
    params = {k: v for k, v in verification.params.items() if k != "detail"}
    content = verification.content
    return {"result": str(verification.result), "reason_code": verification.code,
            "reason_params": params,
            "warnings": [notice.as_json() for notice in verification.notices],
            "content_number": None if content is None else content["number"],
            "cti_hash": None if content is None else verification.cti_hash.hex()}
