"""HTTP GET and POST to a partner registry: the standard library, short timeouts, a cap on
what is read, and every failure one exception with a sentence saying what went wrong."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.client import HTTPException
from urllib.parse import urlsplit

MAX_BODY = 64 * 1024 * 1024
USER_AGENT = "broker-registry-federation"


class Unreachable(RuntimeError):
    """The partner could not be reached, or answered with an HTTP error."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    etag: str | None


def check_url(url: str) -> str:
    """An http(s) base URL with a host, without a trailing slash; ValueError otherwise."""
    url = (url or "").strip().rstrip("/")
    parts = urlsplit(url)
    parts.port  # noqa: B018 - reading it checks the port
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query \
            or parts.fragment or any(c.isspace() or not c.isprintable() for c in url):
        raise ValueError("not an http:// or https:// address")
    return url


def _open(request: urllib.request.Request, timeout: float) -> Answer:
    try:
        # Only the http(s) URLs an admin confirmed, and the endpoints under them, are asked.
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return Answer(response.status, response.read(MAX_BODY),
                          response.headers.get("ETag"))
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return Answer(304, b"", error.headers.get("ETag"))
        body = error.read(4096)
        raise Unreachable(f"{request.full_url} answered {error.code}"
                          f"{': ' + _detail(body) if body else ''}") from None
    except (HTTPException, urllib.error.URLError, OSError, ValueError) as error:
        raise Unreachable(f"cannot reach {request.full_url}: "
                          f"{getattr(error, 'reason', None) or error}") from None


def _detail(body: bytes) -> str:
    try:
        return str(json.loads(body).get("detail", ""))[:200]
    except (ValueError, AttributeError):
        return body[:200].decode("utf-8", "replace")


def get(url: str, *, etag: str | None = None, timeout: float = 10) -> Answer:
    headers = {"User-Agent": USER_AGENT}
    if etag:
        headers["If-None-Match"] = etag
    return _open(urllib.request.Request(url, headers=headers), timeout)  # noqa: S310


def post(url: str, body: bytes, *, content_type: str, timeout: float = 10) -> Answer:
    request = urllib.request.Request(url, data=body, method="POST",  # noqa: S310
                                     headers={"User-Agent": USER_AGENT,
                                              "Content-Type": content_type})
    return _open(request, timeout)
