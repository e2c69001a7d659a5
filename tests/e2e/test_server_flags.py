"""uvicorn's flags, as the run command and deployments pass them (idiaspora.processes).

A websocket frame larger than the server's limit closes the socket (1009) as soon as its header
arrives, instead of being read whole; a normal frame still works. A client cannot claim another
address with X-Forwarded-For unless FORWARDED_ALLOW_IPS names the proxy it comes through.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import time
import uuid
from urllib.parse import urlsplit

import httpx
from websockets.sync.client import connect

from idiaspora.processes import WS_MAX_SIZE
from tests.e2e.conftest import start_platform


def _open_raw_websocket(url: str) -> socket.socket:
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=15)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET /ws/live/?lang=en HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nOrigin: {url}\r\n\r\n"
        ).encode()
    )
    response = b""
    while b"\r\n\r\n" not in response:
        chunk = sock.recv(4096)
        assert chunk, "the server closed the connection during the handshake"
        response += chunk
    assert response.split(b"\r\n")[0].split()[1] == b"101", response
    return sock


def _recv_exactly(sock: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        assert chunk, "connection closed before a whole frame arrived"
        data += chunk
    return data


def test_a_frame_above_the_limit_closes_the_socket_before_it_is_read_whole(platform):
    sock = _open_raw_websocket(platform.url)
    with sock:
        # A text frame that announces 15 MiB (under uvicorn's default 16 MiB limit), masked with
        # a zero key, of which only 4 KiB is ever sent: a server that waits for it all never
        # answers; one that checks the announced length closes at once.
        announced = 15 * 1024 * 1024
        assert announced > WS_MAX_SIZE
        sock.sendall(bytes([0x81, 0x80 | 127]) + struct.pack("!Q", announced) + b"\0\0\0\0")
        sock.sendall(b" " * 4096)
        first, second = _recv_exactly(sock, 2)
        assert first & 0x0F == 0x8, "expected a close frame"
        length = second & 0x7F
        code = struct.unpack("!H", _recv_exactly(sock, length)[:2])[0]
        assert code == 1009  # message too big


def test_a_normal_frame_still_works_and_the_apps_own_limit_still_answers(platform):
    ws_url = platform.url.replace("http://", "ws://") + "/ws/live/?lang=en"
    with connect(ws_url, origin=platform.url) as ws:
        ws.send(json.dumps({"type": "subscribe", "stream": "site"}))
        assert json.loads(ws.recv(timeout=15))["type"] == "subscribed"
        ws.send(json.dumps({"type": "ping", "pad": "x" * 10_000}))  # over the app's 4 KB
        assert json.loads(ws.recv(timeout=15))["code"] == "bad_frame"
        ws.send(json.dumps({"type": "ping"}))
        assert json.loads(ws.recv(timeout=15))["type"] == "pong"


def _client_address_in_access_log(server, forged: str) -> str:
    probe = uuid.uuid4().hex
    response = httpx.get(f"{server.url}/healthz?probe={probe}", headers={"X-Forwarded-For": forged})
    assert response.status_code == 200
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        for line in server.log.read_text().splitlines():
            if probe in line:
                return line.split(" - ")[0].split()[-1].rsplit(":", 1)[0]
        time.sleep(0.1)
    raise AssertionError(f"no access-log line for the request in {server.log}")


def test_a_forged_forwarded_address_from_loopback_is_ignored_by_default(committed_db, tmp_path):
    with start_platform(tmp_path, access_log=True, PYTHONUNBUFFERED="1") as server:
        assert _client_address_in_access_log(server, "203.0.113.9") == "127.0.0.1"


def test_the_forwarded_address_is_believed_from_the_proxy_the_setting_names(committed_db, tmp_path):
    with start_platform(
        tmp_path, access_log=True, PYTHONUNBUFFERED="1", FORWARDED_ALLOW_IPS="127.0.0.1"
    ) as server:
        assert _client_address_in_access_log(server, "203.0.113.9") == "203.0.113.9"
