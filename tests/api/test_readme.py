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


def submission_commands() -> list[list[str]]:
    """The README's curl commands for members' resource proposals, continuation lines joined."""
    text = README.read_text()
    section = text.split("## Using the API", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    block = next(block for block in blocks if "/resources/submissions/" in block)
    words = shlex.split(block.replace("\\\n", " "))  # quoted JSON may span lines
    commands: list[list[str]] = []
    for word in words:
        if word == "curl":
            commands.append([])
        commands[-1].append(word)
    return commands


def test_the_readme_proposal_examples_propose_and_list(client):
    from django.core.cache import cache
    from django.test import Client

    from core.api_tokens import create_token
    from knowledge.models import ResourceSubmission
    from tests.factories import UserFactory

    cache.clear()  # the proposal allowance
    member = UserFactory(role="Member")
    _row, token = create_token(member, "readme", "write")
    commands = submission_commands()
    assert len(commands) == 2 and commands[0][:3] == ["curl", "-X", "POST"]
    answers = []
    for words in commands:
        url = next(word for word in words if word.startswith("http://"))
        headers, body = {}, None
        for flag, value in itertools.pairwise(words):
            if flag == "-H":
                name, _, header = value.partition(": ")
                headers[f"HTTP_{name.upper().replace('-', '_')}"] = header.replace("$TOKEN", token)
            elif flag == "-d":
                body = value
        content_type = headers.pop("HTTP_CONTENT_TYPE", None)
        if "POST" in words:
            response = Client().post(urlsplit(url).path, body, content_type, **headers)
        else:
            response = Client().get(urlsplit(url).path, **headers)
        answers.append(response)
    assert answers[0].status_code == 201, answers[0].content[:500]
    proposal = ResourceSubmission.objects.get(member=member)
    assert answers[0].json()["id"] == proposal.pk
    assert answers[1].status_code == 200
    assert [item["id"] for item in answers[1].json()["results"]] == [proposal.pk]
    cache.clear()
