"""The e2e harness itself: a server that cannot bind its port is noticed, not impersonated.

`start_platform` picks a free port and then starts uvicorn on it; another process can take the
port in between. Its health check would then be answered by that other process, and every test
on this worker would talk to a server with another database (seen: sign-ins refused as wrong
passwords). The harness must notice and start again on another port.
"""

from __future__ import annotations

import http.server
import threading

import httpx

from tests.e2e import conftest


class _Impostor(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"not the platform")

    def log_message(self, *args) -> None:
        pass


def test_a_port_taken_before_the_server_binds_it_is_given_up_for_another(
    django_db_setup, tmp_path, monkeypatch
):
    impostor = http.server.HTTPServer(("127.0.0.1", 0), _Impostor)
    threading.Thread(target=impostor.serve_forever, daemon=True).start()
    taken = impostor.server_address[1]
    ports = iter([taken])
    real_free_port = conftest.free_port
    monkeypatch.setattr(conftest, "free_port", lambda: next(ports, None) or real_free_port())
    try:
        with conftest.start_platform(tmp_path) as server:
            assert not server.url.endswith(f":{taken}")
            assert "not the platform" not in httpx.get(f"{server.url}/healthz").text
    finally:
        impostor.shutdown()
