"""Static files under versioned URLs, cached for a year.

A customs officer on a slow line would otherwise ask again for every script and style sheet
on every page (Flask serves them `no-cache`): with the file's own hash in its URL, the browser
keeps it until a new version brings a new URL.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG

from flask import Flask, request
from werkzeug.security import safe_join

YEAR = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    folder = Path(app.static_folder)

    @app.url_defaults
    def add_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values:
            version = file_version(folder, values.get("filename", ""))
            if version:
                values["v"] = version

    served = app.get_send_file_max_age

    def max_age(filename: str | None) -> int | None:
        # Only the version this worker holds: during a rolling deploy an old worker asked for
        # a new version must not let the old file be kept a year under the new URL.
        asked = request.args.get("v")
        held = (asked is not None and filename is not None
                and asked == file_version(folder, filename))
        return YEAR if held else served(filename)

    app.get_send_file_max_age = max_age


def file_version(folder: Path, filename: str) -> str | None:
    """The hash of a regular file inside the folder; None for anything else (the name comes
    from a request too: `..` or a device must never be read)."""
    joined = safe_join(str(folder), filename)
    if joined is None:
        return None
    path = Path(joined)
    try:
        stat = path.stat()
    except (OSError, ValueError):
        return None
    if not S_ISREG(stat.st_mode):
        return None
    return _digest(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _digest(path: Path, mtime_ns: int, size: int) -> str:
    """The file's hash, read once per version of the file (its time and size are the key)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
