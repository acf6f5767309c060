"""What a worker holds in memory of what the database holds: the one primitive of every
per-worker cache (the trust store, the revocation list's heads and JSON, stored renderings,
the active signer's key).

A `Held` keeps values by key. A value is fresh for `ttl` seconds after it was read and while
its `Generation` stands where it stood when the read began: a change made in this process
bumps the generation, so this worker drops what it held at once; the other workers (other
processes) share only the database, and see the change when their `ttl` runs out and they
read again. A `budget` bounds what is held (each value weighs `weight(value)`, 1 unless told),
least recently used out first. None is never held: it is what a miss answers.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, NamedTuple, TypeVar

T = TypeVar("T")


class Generation:
    """A counter that every change of some records bumps, in the process that makes it."""

    def __init__(self):
        self._lock = threading.Lock()
        self.value = 0

    def bump(self) -> None:
        with self._lock:
            self.value += 1


_NEVER = Generation()  # for what no change reaches: nothing bumps it


class Stamp(NamedTuple):
    """When a read began: take it before reading, so a change during the read wins."""

    at: float
    generation: int


class _Entry(NamedTuple):
    value: object
    stamp: Stamp
    weight: int


class Held(Generic[T]):
    def __init__(self, *, ttl: float = math.inf, generation: Generation | None = None,
                 budget: int = 1, weight: Callable[[T], int] = lambda value: 1,
                 clock: Callable[[], float] = time.monotonic):
        self.ttl, self.budget, self.weight = ttl, budget, 0  # weight: of all held
        self.generation = generation or _NEVER
        self._weigh, self._clock = weight, clock
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._lock = threading.Lock()  # guards the entries
        self._making = threading.Lock()  # one `fetch(..., alone=True)` makes at a time

    def stamp(self) -> Stamp:
        return Stamp(self._clock(), self.generation.value)

    def _fresh(self, stamp: Stamp) -> bool:
        return stamp.generation == self.generation.value \
            and self._clock() - stamp.at < self.ttl

    def get(self, key: Hashable = None) -> T | None:
        """The value held for `key` while it is fresh, else None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or not self._fresh(entry.stamp):
                return None
            if len(self._entries) > 1:
                self._entries.move_to_end(key)
            return entry.value

    def __contains__(self, key: Hashable) -> bool:
        return self.get(key) is not None

    def __iter__(self):
        """The keys held, fresh or not, least recently used first."""
        with self._lock:
            return iter(list(self._entries))

    def put(self, key: Hashable, value: T | None, stamp: Stamp) -> None:
        """Hold `value`, read since `stamp`; one larger than the whole budget is not held."""
        weight = 0 if value is None else self._weigh(value)
        if value is None or weight > self.budget:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            self.weight -= 0 if old is None else old.weight
            self._entries[key] = _Entry(value, stamp, weight)
            self.weight += weight
            while self.weight > self.budget:
                _, dropped = self._entries.popitem(last=False)
                self.weight -= dropped.weight

    def fetch(self, key: Hashable, read: Callable[[], T], *, alone: bool = False) -> T:
        """The value held for `key`, or read, held and answered. `alone`: readers wait for
        one read in progress rather than start their own (for a costly one)."""
        value = self.get(key)
        if value is not None:
            return value
        if not alone:
            stamp = self.stamp()
            value = read()
            self.put(key, value, stamp)
            return value
        with self._making:
            value = self.get(key)
            if value is None:
                stamp = self.stamp()
                value = read()
                self.put(key, value, stamp)
            return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.weight = 0


R = TypeVar("R")


class Versioned(Generic[R, T]):
    """One value built from many rows, rebuilt only when their version changes: `version`
    (a cheap query: a count and a latest update time) is asked again at most once every `ttl`
    seconds or when `generation` moves, and `build` (the costly part) runs once per version,
    alone. Both are given the same reader."""

    def __init__(self, version: Callable[[R], Hashable], build: Callable[[R], T], *,
                 ttl: float = 1.0, generation: Generation | None = None):
        self._ask, self._build = version, build
        self._version: Held[Hashable] = Held(ttl=ttl, generation=generation)
        self._built: Held[T] = Held()  # the value of the latest version

    @property
    def ttl(self) -> float:
        return self._version.ttl

    @ttl.setter
    def ttl(self, seconds: float) -> None:
        self._version.ttl = seconds

    def invalidate(self) -> None:
        """Ask the version again at the next read (a change this process made)."""
        self._version.clear()

    def fresh(self) -> bool:
        return self._version.get() is not None

    def value(self, reader: R) -> T:
        version = self._version.fetch(None, lambda: self._ask(reader))
        return self._built.fetch(version, lambda: self._build(reader), alone=True)
