"""/healthz tells load balancers whether the platform can reach its database."""

import time

import pytest

from django.db import connections

from core import views


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_is_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_is_unreachable(client, committed_db, monkeypatch):
    connection = connections["default"]
    real_name = connection.settings_dict["NAME"]
    connection.close()
    connection.close_pool()
    connection.settings_dict["NAME"] = "no_such_database_here"
    # Pages wait the pool's full timeout for a connection; the check answers well before it.
    assert views.HEALTH_PATIENCE < connection.settings_dict["OPTIONS"]["pool"]["timeout"]
    monkeypatch.setattr(views, "HEALTH_PATIENCE", 0.5)
    try:
        started = time.monotonic()
        response = client.get("/healthz")
        waited = time.monotonic() - started
    finally:
        connection.close()
        connection.close_pool()
        connection.settings_dict["NAME"] = real_name
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert waited < 5
