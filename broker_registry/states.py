"""State machines: each domain declares what can happen to its records as one table, and every
change of a record's status goes through it.

A row says: from these statuses, this action leads to that status, is written to the audit
log as that action, and is said in a sentence with that past tense ("the licence was
suspended"). A domain reads the row (`check`), sets the status it names and writes the audit
entry it names, in one place; a refusal is a Conflict that names the status and what it allows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .errors import Conflict
from .i18n.labels import STATUSES, label


@dataclass(frozen=True)
class Transition:
    allowed_from: frozenset[str]
    action: str
    to: str
    audit: str  # the audit action (audit.models.AuditAction) the change is recorded as
    past: object  # the past tense, a lazy string: "suspended", "asked for more information"
    refused_as: object | None = None  # how a refusal names it, when not by its past tense


def row(allowed_from: Iterable[str], action: str, to: str, audit: str, past: object,
        refused_as: object | None = None) -> Transition:
    """One line of a table, in the order it reads: from, action, to, audit action, past tense."""
    return Transition(frozenset(allowed_from), action, to, audit, past, refused_as)


# refusal(status=..., done=..., allowed=...) -> the message of the Conflict, each value
# already in the reader's language
Refusal = Callable[..., object]


class Machine:
    """The transitions of one kind of record, by action."""

    def __init__(self, rows: Iterable[Transition], refusal: Refusal):
        self.transitions: dict[str, Transition] = {}
        for transition in rows:
            if transition.action in self.transitions:
                raise ValueError(f"two rows for {transition.action!r}")
            self.transitions[transition.action] = transition
        self.refusal = refusal

    def __getitem__(self, action: str) -> Transition:
        return self.transitions[action]

    def __iter__(self):
        return iter(self.transitions.values())

    def allows(self, current: str, action: str) -> bool:
        return current in self.transitions[action].allowed_from

    def past(self, action: str) -> object:
        return self.transitions[action].past

    def check(self, current: str, action: str) -> Transition:
        """The row of `action` when the record's `current` status allows it; else Conflict."""
        transition = self.transitions[action]
        if current not in transition.allowed_from:
            raise Conflict(self.refusal(
                status=label(STATUSES, current),
                done=transition.refused_as or transition.past,
                allowed=", ".join(label(STATUSES, s) for s in sorted(transition.allowed_from)),
                current=str(current)))
        return transition
