"""Production settings really serve: collected, hashed and compressed static files, secure headers.

A missing static file only shows in production (the manifest storage then fails every page),
so this collects the static files and serves the site with the production settings.
"""

from __future__ import annotations

import http.client
import re
import subprocess
import sys
from urllib.parse import urlsplit

import httpx

from tests.conftest import ROOT
from tests.e2e.conftest import start_platform

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "idiaspora.settings.production",
    "SECRET_KEY": "production-like-secret-for-the-test-" + "x" * 30,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",  # the test talks plain HTTP on loopback
}


def test_production_serves_pages_with_collected_static_files(tmp_path, django_db_setup):
    static_root = tmp_path / "static"
    with start_platform(tmp_path, STATIC_ROOT=str(static_root), **PRODUCTION) as server:
        collect = subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput"],
            cwd=ROOT, env=server.env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert collect.returncode == 0, collect.stderr
        # The server started before collection: WhiteNoise reads files at start, so restart.
    with start_platform(tmp_path, STATIC_ROOT=str(static_root), **PRODUCTION) as server:
        # As behind the TLS-terminating proxy the README describes.
        page = httpx.get(f"{server.url}/en/", headers={"X-Forwarded-Proto": "https"})
        assert page.status_code == 200
        assert "max-age=31536000" in page.headers["Strict-Transport-Security"]
        stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page.text).group(1)
        css = httpx.get(f"{server.url}{stylesheet}", headers={"Accept-Encoding": "gzip"})
        assert css.status_code == 200
        assert css.headers["content-encoding"] == "gzip"
        assert "immutable" in css.headers["cache-control"]
        script = re.search(r'src="(/static/js/site\.[0-9a-f]{12}\.js)"', page.text)
        assert script and httpx.get(f"{server.url}{script.group(1)}").status_code == 200
        _assert_404s_link_only_to_this_site(server.url)


def _assert_404s_link_only_to_this_site(url: str) -> None:
    # Sent byte for byte (an HTTP client would read `//evil.example/` as a host); the server
    # decodes %2F, so the last one reaches Django as `///evil.example/`.
    address = urlsplit(url)
    for path in ("//evil.example/", "/\\evil.example/", "/%2F%2Fevil.example/"):
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        page = response.read().decode()
        connection.close()
        assert response.status == 404, path
        switcher = page.split('class="languages"', 1)[1].split("</nav>", 1)[0]
        links = re.findall(r'href="([^"]*)"', switcher)
        assert len(links) == 4, path
        for link in links:
            assert link.startswith("/") and not link.startswith(("//", "/\\")), (path, link)
