"""`make run`: the development server and the worker side by side, stopped together.

Both run as children of this process, each in a session of its own, so that Ctrl-C reaches
them once, through here: on SIGINT or SIGTERM both are asked to stop (SIGINT, as Ctrl-C
would) and, after GRACE seconds, killed. If either ends on its own, the other is stopped
too. Each child is also told by the kernel to stop (SIGTERM) if this process dies without
cleaning up, so no child outlives it.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
GRACE = 10.0
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _start(command: list[str]) -> subprocess.Popen:
    return subprocess.Popen(command, start_new_session=True,  # noqa: S603 - our own commands
                            preexec_fn=_die_with_parent)


class _Stop(Exception):
    pass


def _stop(_signum, _frame):
    raise _Stop


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default=os.environ.get("PORT", "5000"))
    args = parser.parse_args()
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    children = {}
    code = 0
    try:
        children["worker"] = _start([str(BIN / "broker-registry"), "worker"])
        children["server"] = _start([str(BIN / "flask"), "--app", "broker_registry", "run",
                                     "--host", args.host, "--port", str(args.port)])
        print(f"server pid {children['server'].pid}, worker pid {children['worker'].pid}; "
              f"Ctrl-C stops both", flush=True)
        while all(child.poll() is None for child in children.values()):
            time.sleep(0.2)
        ended = next(name for name, child in children.items() if child.poll() is not None)
        code = children[ended].returncode or 1
        print(f"the {ended} stopped (exit {children[ended].returncode}); stopping the rest",
              file=sys.stderr, flush=True)
    except _Stop:
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        _end(children.values())
    return code


def _end(children) -> None:
    running = [child for child in children if child.poll() is None]
    for child in running:
        child.send_signal(signal.SIGINT)
    deadline = time.monotonic() + GRACE
    for child in running:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


if __name__ == "__main__":
    sys.exit(main())
