"""/healthz tells load balancers whether the platform can reach its database."""

import pytest

from django.db import connections


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_is_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_is_unreachable(client, committed_db):
    connection = connections["default"]
    real_name = connection.settings_dict["NAME"]
    connection.close()
    connection.close_pool()
    connection.settings_dict["NAME"] = "no_such_database_here"
    pool_options = connection.settings_dict["OPTIONS"]["pool"]
    patience = pool_options["timeout"]
    pool_options["timeout"] = 1
    try:
        response = client.get("/healthz")
    finally:
        pool_options["timeout"] = patience
        connection.close()
        connection.close_pool()
        connection.settings_dict["NAME"] = real_name
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
