"""A Python client generated from the live OpenAPI schema (openapi-python-client) works: it
calls three endpoints and parses their answers into its own typed models."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from community.opportunities.listing import listed

pytestmark = pytest.mark.django_db


def test_a_client_generated_from_the_schema_calls_three_endpoints(wsgi_app, tmp_path):
    transport = httpx.WSGITransport(app=wsgi_app)
    schema = tmp_path / "schema.json"
    with httpx.Client(transport=transport, base_url="http://testserver") as plain:
        schema.write_bytes(plain.get("/api/v1/schema/?format=json").content)
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [bin_dir / "openapi-python-client", "generate", "--path", schema, "--meta", "none",
         "--output-path", tmp_path / "hub_client"],
        check=True, capture_output=True, timeout=120,
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"},
    )  # fmt: skip
    sys.path.insert(0, str(tmp_path))
    try:
        client_module = importlib.import_module("hub_client")
        resources_list = importlib.import_module("hub_client.api.library.resources_list")
        topics_retrieve = importlib.import_module("hub_client.api.vocabularies.topics_retrieve")
        opportunity = importlib.import_module("hub_client.api.opportunities.opportunities_retrieve")
        languages = importlib.import_module("hub_client.models.resources_list_lang")
        client = client_module.Client(
            base_url="http://testserver",
            httpx_args={"transport": transport},
        )
        page = resources_list.sync(client=client, page_size=3, lang=languages.ResourcesListLang.FR)
        assert len(page.results) == 3 and page.next_
        assert all(item.title and item.url for item in page.results)
        topic = topics_retrieve.sync(client=client, slug="remittances")
        assert topic.slug == "remittances" and topic.labels["fr"]
        open_one = listed().order_by("pk").first()
        found = opportunity.sync(client=client, id=open_one.pk)
        assert found.id == open_one.pk and found.title == open_one.title
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name.startswith("hub_client")]:
            del sys.modules[name]
