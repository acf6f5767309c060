"""The hash chain: how an entry's content is hashed, and how a run of entries is checked."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .reasons import agrees

GENESIS = "0" * 64


def canonical_content(entry: Any) -> bytes:
    content = {
        "seq": entry.seq,
        "at": _iso(entry.at),
        "actor_id": entry.actor_id,
        "actor": entry.actor,
        "action": entry.action,
        "subject_type": entry.subject_type,
        "subject_id": entry.subject_id,
        "reason": entry.reason,
        "before": entry.before,
        "after": entry.after,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str).encode("utf-8")


def _iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(prev_hash: str, entry: Any) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical_content(entry)).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    seq: int | None
    entry_id: int | None
    message: str

    def __str__(self) -> str:
        return f"entry seq={self.seq} id={self.entry_id}: {self.message}"


def check_chain(entries: Iterable[Any], expected_last_seq: int) -> list[ChainProblem]:
    """Find every edited, deleted, inserted or reordered entry in `entries` (ordered by id)."""
    problems: list[ChainProblem] = []
    prev_hash, expected_seq = GENESIS, 1
    for entry in entries:
        if entry.seq != expected_seq:
            what = "missing (deleted)" if entry.seq > expected_seq else "out of order"
            problems.append(ChainProblem(entry.seq, entry.id,
                                         f"expected seq {expected_seq}: entries {what}"))
        if entry.prev_hash != prev_hash:
            problems.append(ChainProblem(entry.seq, entry.id,
                                         "does not link to the entry before it"))
        if entry_hash(entry.prev_hash, entry) != entry.hash:
            problems.append(ChainProblem(entry.seq, entry.id,
                                         "content was edited after it was written"))
        elif not agrees(entry.reason, getattr(entry, "reason_code", None),
                        getattr(entry, "reason_params", None)):
            problems.append(ChainProblem(entry.seq, entry.id,
                                         "its reason code does not say its reason"))
        prev_hash, expected_seq = entry.hash, entry.seq + 1
    if expected_seq - 1 != expected_last_seq:
        problems.append(ChainProblem(expected_last_seq, None,
                                     f"the log ends at seq {expected_seq - 1} but "
                                     f"{expected_last_seq} entries were written: "
                                     "entries at the end were deleted"))
    return problems
