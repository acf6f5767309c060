"""Where a page may send the browser back to: only a path on this site, never another host.

An open redirect after sign-in or a language choice is a phishing tool, and a `next` that
cannot be parsed or is absurdly long is no place to go back to either.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import request

MAX_LENGTH = 2000  # what any browser keeps of a URL; longer is not a page of ours


def same_site_path(target: str | None, *, drop: tuple[str, ...] = ()) -> str | None:
    """`target`'s path and query when it is a page of this site, without the `drop` query
    parameters; None when it is not."""
    if not target or len(target) > MAX_LENGTH:
        return None
    try:
        parts = urlsplit(target)
    except ValueError:  # "http://[::1", an unclosed IPv6 host
        return None
    if (parts.scheme or parts.netloc) and parts.netloc != request.host:
        return None
    path = parts.path
    if not path.startswith("/") or path.startswith(("//", "/\\")):
        return None
    if any(ord(char) < 0x20 or char == "\x7f" for char in target):
        return None
    query = urlencode([(key, value) for key, value in parse_qsl(parts.query) if key not in drop])
    return path + ("?" + query if query else "")
