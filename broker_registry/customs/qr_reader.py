"""QR codes read from pictures in child processes, each picture under a hard deadline.

A crafted picture of a few kilobytes (finder-like squares every few pixels) keeps a QR decoder
searching for seconds or minutes, and a decoder's C++ loop cannot be interrupted from Python:
a thread would run on after its request gave up. So the decoding runs in a child process,
killed when the deadline passes, and replaced.

Children are started with "spawn", a fresh interpreter: no copy of a gunicorn worker's
threads, locks, sockets or database connections. They are started when first needed (the
customs page starts one as it opens), kept between pictures, one picture at a time each, and
shared by every app in the process. Only bytes cross the pipe: nothing a child sends is
unpickled. A child runs at a lower priority than the web workers, so that while it searches,
the genuine verifications beside it keep their share of the CPU.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from multiprocessing.connection import Connection

from .picture import Outcome, decode

STARTUP_SECONDS = 60.0  # importing PIL and the decoder, on a loaded machine
KEEP = 2  # idle children kept per process; more are started while requests need them
NICENESS = 10


def serve(connection: Connection) -> None:
    """The child: answer each picture sent with an outcome line and the code's text."""
    os.nice(NICENESS)
    connection.send_bytes(b"ready")
    while True:
        try:
            data = connection.recv_bytes()
        except (EOFError, OSError):  # the worker went away
            return
        outcome, text = decode(data)
        connection.send_bytes(f"{outcome}\n{text}".encode("utf-8", errors="replace"))


class ReaderFailed(RuntimeError):
    """A child did not start: the deployment is broken, not the picture."""


class _Child:
    def __init__(self, context):
        self.connection, theirs = context.Pipe()
        self.process = context.Process(target=serve, args=(theirs,), daemon=True,
                                       name="qr-reader")
        self.process.start()
        theirs.close()
        self.ready = False

    def wait_until_ready(self) -> None:
        if self.ready:
            return
        try:
            if self.connection.poll(STARTUP_SECONDS) and \
                    self.connection.recv_bytes() == b"ready":
                self.ready = True
                return
        except (EOFError, OSError):
            pass
        self.stop()
        raise ReaderFailed(f"the QR reader process did not start within {STARTUP_SECONDS} s "
                           f"(exit code {self.process.exitcode})")

    def answer(self, deadline: float) -> bytes | None:
        """The child's answer to the picture sent, or None when the deadline passed first."""
        if not self.connection.poll(deadline):
            return None
        return self.connection.recv_bytes()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.connection.close()


class _Pool:
    def __init__(self):
        self._context = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._idle: list[_Child] = []
        self._pid = os.getpid()

    def _forked(self) -> None:
        # A gunicorn worker forked from a master that held children: those are the master's,
        # to neither use nor stop here.
        if os.getpid() != self._pid:
            self._idle, self._pid, self._lock = [], os.getpid(), threading.Lock()

    def warm(self) -> None:
        """Start a child now, if none is idle, so that the next picture need not wait."""
        self._forked()
        with self._lock:
            if not self._idle:
                self._idle.append(_Child(self._context))

    def _take(self) -> _Child:
        self._forked()
        with self._lock:
            child = self._idle.pop() if self._idle else None
        return child if child is not None else _Child(self._context)

    def _give_back(self, child: _Child) -> None:
        with self._lock:
            if len(self._idle) < KEEP:
                self._idle.append(child)
                return
        child.stop()

    def _sent(self, data: bytes) -> _Child:
        """A ready child the picture was sent to; one that died while idle is replaced."""
        for _ in range(KEEP + 1):  # every idle child may have died, then a fresh one
            child = self._take()
            child.wait_until_ready()
            try:
                child.connection.send_bytes(data)
                return child
            except OSError:
                child.stop()
        raise ReaderFailed("the QR reader processes die before they are asked anything")

    def read(self, data: bytes, deadline: float) -> tuple[Outcome, str]:
        child = self._sent(data)
        try:
            answer = child.answer(deadline)
        except (EOFError, OSError):  # the decoder crashed on this picture
            answer = b""
        if not answer:
            child.stop()
            self.warm()  # the next customs officer's picture finds a child ready
            return (Outcome.TIMED_OUT if answer is None else Outcome.UNREADABLE), ""
        self._give_back(child)
        outcome, _, text = answer.decode("utf-8").partition("\n")
        return Outcome(outcome), text

    def children(self) -> list[int]:
        """The process ids of the idle children (for tests and operators)."""
        with self._lock:
            return [child.process.pid for child in self._idle]


_POOL = _Pool()


class QrReader:
    """What an app reads pictures with: the process's children, under this app's deadline."""

    def __init__(self, deadline: float):
        self.deadline = deadline

    def read(self, data: bytes) -> tuple[Outcome, str]:
        return _POOL.read(data, self.deadline)

    @staticmethod
    def warm() -> None:
        _POOL.warm()

    @staticmethod
    def children() -> list[int]:
        return _POOL.children()
