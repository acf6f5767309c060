"""A partner registry as seen from outside: a loopback HTTP server answering its metadata,
trust list and revocation list with whatever bytes a test puts in `routes`."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from certs.federation import METADATA_PATH, build_metadata
from tests.certs.federated import Issuer


class Partner:
    def __init__(self, issuer: Issuer):
        self.issuer = issuer
        self.routes: dict[str, tuple[int, bytes, str]] = {}
        self.asked: list[str] = []
        partner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the standard library's name
                partner.asked.append(self.path)
                status, body, kind = partner.routes.get(self.path.split("?")[0],
                                                        (404, b"{}", "application/json"))
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True,
                                       kwargs={"poll_interval": 0.02})
        self.thread.start()
        self.serve_genuine()

    def serve_genuine(self) -> None:
        metadata = build_metadata(code=self.issuer.code, name=f"Authority {self.issuer.code}",
                                  country=self.issuer.code[:2], root_der=self.issuer.root_der,
                                  base_url=self.url)
        self.routes.update({
            METADATA_PATH: (200, json.dumps(metadata).encode(), "application/json"),
            "/api/v1/trust-list": (200, self.issuer.trust_list(), "application/json"),
            "/api/v1/revocations": (200, self.issuer.revocations(), "application/cose"),
        })

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
