"""The registries community features declare into: reportable models, report reasons, dashboard."""

from __future__ import annotations

import pytest

from django.contrib.auth.models import AnonymousUser, Group
from django.test import RequestFactory
from django.utils import translation
from django.utils.html import format_html

from core.registries import (
    DashboardPanel,
    LoginRedirect,
    ReportableModel,
    ReportReason,
    ReportReasons,
    dashboard_panels,
    dashboard_panels_for,
    login_redirects,
    report_reasons,
    reportable_for,
    reportable_models,
)


def _reportable(**overrides) -> ReportableModel:
    declaration = {
        "model": "core.User",
        "author": lambda user: user,
        "url": lambda user: None,
        "hide": lambda user, moderator: None,
        "restore": lambda user, moderator: None,
        "is_hidden": lambda user: not user.is_active,
        "show": lambda request, user: format_html("<p>{}</p>", user.email),
    }
    return ReportableModel(**{**declaration, **overrides})


@pytest.fixture
def declared_user_reports():
    declaration = reportable_models.register("core.User", _reportable())
    yield declaration
    reportable_models.unregister("core.User")


def test_the_shared_reasons_are_the_six_the_community_agreed_with_other_last():
    assert [key for key, _label in report_reasons.choices()] == [
        "spam",
        "scam",
        "impersonation",
        "harassment",
        "off_topic",
        "other",
    ]
    with translation.override("en"):
        assert dict(report_reasons.choices())["scam"] == "Scam or fraud"


def test_an_app_extends_the_reasons_but_cannot_replace_one():
    reasons = ReportReasons(list(report_reasons))
    reasons.add(ReportReason("doxxing", "Shares someone's private information", 60))
    assert [key for key, _ in reasons.choices()][-2:] == ["doxxing", "other"]
    with pytest.raises(ValueError, match="spam"):
        reasons.add(ReportReason("spam", "Advertising"))
    assert reasons["spam"].label == "Spam"
    assert not hasattr(reasons, "remove") and not hasattr(reasons, "unregister")
    # The shared list itself was not touched by this private copy.
    assert "doxxing" not in report_reasons


def test_a_second_declaration_for_the_same_model_is_refused(declared_user_reports):
    with pytest.raises(ValueError, match=r"core\.User"):
        reportable_models.register("core.User", _reportable())


def test_a_reportable_model_needs_a_label_and_one_way_to_be_shown():
    with pytest.raises(ValueError, match=r"app_label\.ModelName"):
        _reportable(model="User")
    with pytest.raises(ValueError, match="show or template"):
        _reportable(show=None)
    with pytest.raises(ValueError, match="show or template"):
        _reportable(template="core/anything.html")


@pytest.mark.django_db
def test_moderation_finds_how_to_show_a_reported_object_from_the_object_itself(
    declared_user_reports, django_user_model
):
    user = django_user_model(email="reported@example.net")
    declaration = reportable_for(user)
    assert declaration is declared_user_reports
    assert declaration.model_class is django_user_model
    assert declaration.render(None, user) == "<p>reported@example.net</p>"
    assert reportable_for(Group(name="Not reportable")) is None


def test_a_template_declaration_renders_the_object_with_its_context(tmp_path, settings):
    (tmp_path / "reported.html").write_text("{{ object }} in {{ place }}")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    declaration = _reportable(
        show=None,
        template="reported.html",
        template_context=lambda request, obj: {"place": "the directory"},
    )
    assert declaration.render(None, "A profile") == "A profile in the directory"


@pytest.fixture
def declared_panels():
    panels = [
        DashboardPanel("later", "Later", lambda request: format_html("<p>{}</p>", "Second"), 20),
        DashboardPanel("first", "First", lambda request: format_html("<p>{}</p>", "First"), 10),
        DashboardPanel("empty", "Nothing yet", lambda request: None, 5),
        DashboardPanel(
            "staff",
            "Staff only",
            lambda request: format_html("<p>{}</p>", "Staff"),
            1,
            is_visible=lambda user: user.is_staff,
        ),
    ]
    for panel in panels:
        dashboard_panels.register(panel.key, panel)
    yield
    for panel in panels:
        dashboard_panels.unregister(panel.key)


def test_the_dashboard_shows_panels_in_order_leaving_out_empty_and_invisible_ones(
    declared_panels,
):
    request = RequestFactory().get("/me/")
    request.user = AnonymousUser()
    shown = dashboard_panels_for(request)
    assert [(panel.key, str(html)) for panel, html in shown] == [
        ("first", "<p>First</p>"),
        ("later", "<p>Second</p>"),
    ]


def test_a_second_dashboard_panel_with_the_same_key_is_refused(declared_panels):
    with pytest.raises(ValueError, match="first"):
        dashboard_panels.register("first", DashboardPanel("first", "Another", lambda request: None))


@pytest.fixture
def declared_redirects():
    keys: list[str] = []

    def declare(redirect: LoginRedirect) -> None:
        login_redirects.register(redirect.key, redirect)
        keys.append(redirect.key)

    yield declare
    for key in keys:
        login_redirects.unregister(key)


@pytest.mark.django_db
def test_after_log_in_the_first_declared_destination_that_answers_wins(declared_redirects):
    from django.test import Client

    from tests.factories import PASSWORD, UserFactory, accept_current_policies

    user = UserFactory(email="redirected@example.net")
    accept_current_policies(user)

    def log_in(path: str = "/fr/accounts/login/") -> str:
        response = Client().post(path, {"login": user.email, "password": PASSWORD})
        return response.headers["Location"]

    assert log_in() == "/fr/"  # nothing declared for this member: the usual destination
    declared_redirects(LoginRedirect("silent", lambda request: None, order=1))
    declared_redirects(LoginRedirect("later", lambda request: "/fr/later/", order=20))
    declared_redirects(
        LoginRedirect("first", lambda request: f"/fr/first/{request.user.pk}/", order=10)
    )
    assert log_in() == f"/fr/first/{user.pk}/"
    # A log-in that asked for a page of its own goes there.
    assert log_in("/fr/accounts/login/?next=/fr/members/") == "/fr/members/"
