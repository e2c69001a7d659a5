"""The OpenAPI description is complete enough to generate a client from: every read operation
has a summary, its parameters typed, its success body described and its problem answers."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

OURS = (
    "/api/v1/resources/",
    "/api/v1/handbook/chapters/",
    "/api/v1/topics/",
    "/api/v1/countries/",
    "/api/v1/organisations/",
    "/api/v1/opportunities/",
    "/api/v1/forums/",
    "/api/v1/threads/",
    "/api/v1/members/",
    "/api/v1/events/",
    "/api/v1/courses/",
)


def test_every_operation_is_described_with_its_problems(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    paths = {path: item for path, item in schema["paths"].items() if path.startswith(OURS)}
    assert len(paths) == 24  # 22 to read, closing an opportunity, members' resource proposals
    writes = {(p, m) for p, item in paths.items() for m in item if m in {"post", "patch"}}
    assert writes == {
        ("/api/v1/opportunities/", "post"),
        ("/api/v1/opportunities/{id}/", "patch"),
        ("/api/v1/opportunities/{id}/close/", "post"),
        ("/api/v1/resources/submissions/", "post"),
    }
    for path, method in writes:
        responses = paths[path][method]["responses"]
        assert set(responses) >= {"400", "401", "403", "406", "415", "429"}, (path, method)
        if "{" in path:
            assert "404" in responses, (path, method)
        for status, response in responses.items():
            if status.startswith("2"):
                assert "$ref" in str(response["content"]["application/json"]), (path, method)
                continue
            assert set(response["content"]) == {"application/problem+json"}, (path, status)
            problem = response["content"]["application/problem+json"]
            assert problem["schema"]["$ref"].endswith("/Problem"), (path, method, status)
            assert response["description"], (path, method, status)
    for path, item in paths.items():
        if "get" not in item:
            continue
        operation = item["get"]
        assert operation["summary"] and operation["operationId"], path
        assert "read-only endpoint" not in operation.get("description", ""), path
        assert "$ref" in str(operation["responses"]["200"]["content"]["application/json"]), path
        for status in ("400", "406", "429"):
            problem = operation["responses"][status]["content"]["application/problem+json"]
            assert problem["schema"]["$ref"].endswith("/Problem"), (path, status)
        if "{" in path:
            assert "404" in operation["responses"], path
        names = {parameter["name"] for parameter in operation.get("parameters", [])}
        assert {"lang", "If-None-Match"} <= names, path
        for parameter in operation.get("parameters", []):
            assert parameter["schema"].get("type") or parameter["schema"].get("enum"), (
                path,
                parameter,
            )
        assert set(item) <= {"get", "parameters", "post", "patch"}, path
