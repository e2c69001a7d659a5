"""The README's "Using the API" examples work: each curl command is sent to the API as written
(its address and headers), and answers as the README says."""

from __future__ import annotations

import itertools
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"


def curl_commands() -> list[list[str]]:
    text = README.read_text()
    section = text.split("## Using the API", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [shlex.split(line) for line in block.splitlines() if line.startswith("curl ")]


def test_every_curl_example_of_the_readme_answers_as_documented(client):
    commands = curl_commands()
    assert len(commands) >= 10
    for words in commands:
        url = next(word for word in words if word.startswith("http://"))
        headers = {}
        parts = urlsplit(url)
        address = f"{parts.path}?{parts.query}"
        for flag, value in itertools.pairwise(words):
            if flag == "-H":
                name, _, header = value.partition(": ")
                # The ETag of the last answer to the same address, as a polling client keeps it.
                etag = client.get(address)["ETag"]
                header = header.replace('"<the ETag of the last answer>"', etag)
                headers[f"HTTP_{name.upper().replace('-', '_')}"] = header
        response = client.get(address, **headers)
        if "If-None-Match" in " ".join(words):
            assert response.status_code == 304, url
        elif "banana" in url:
            assert response.status_code == 400
            assert response.json()["errors"][0]["name"] == "type"
        else:
            assert response.status_code == 200, (url, response.content[:300])
            assert response.json()["results"], url
