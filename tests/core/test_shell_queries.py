"""What every signed-in page costs before its own content: at most four SQL queries.

Members are never served from the page cache, so the shell (session, user, the policy check,
the menu, the footer, the user bar, and the furniture later issues add: unread counts, time
zone, roles) is paid on every page they open. A page here renders nothing of its own but extends
the site's base template, so whatever it queries is the shell's cost.
"""

from __future__ import annotations

import pytest

from django.conf.urls.i18n import i18n_patterns
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import path

from idiaspora import urls as site_urls
from tests.factories import UserFactory, accept_current_policies, force_login_with_second_factor

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

SHELL_QUERY_LIMIT = 4
SHELL = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Shell{% endblock %}'
    "{% block content %}<p>Nothing of its own.</p>{% endblock %}"
)


def shell_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(SHELL.render({}, request))


urlpatterns = [*i18n_patterns(path("shell/", shell_page)), *site_urls.urlpatterns]


def shell_queries(client, url: str = "/en/shell/") -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode(), [q["sql"] for q in captured.captured_queries]


def listing(queries: list[str]) -> str:
    return "\n".join(f"{n}. {sql[:300]}" for n, sql in enumerate(queries, 1))


# Wagtail's user bar, shown to staff only, reads the editor's admin profile twice.
@pytest.mark.parametrize(
    ("role", "limit"), [("Member", SHELL_QUERY_LIMIT), ("Editor", SHELL_QUERY_LIMIT + 2)]
)
def test_the_signed_in_shell_costs_at_most_four_queries(client, role, limit):
    user = UserFactory(first_name="Zainab", role=role)
    accept_current_policies(user)
    client.force_login(user)
    shell_queries(client)  # the first view after signing in may record what it checked
    page, queries = shell_queries(client)
    assert "Signed in as Zainab" in page and "Nothing of its own." in page
    assert "Privacy notice" in page and "Operated by" in page  # the footer is all there
    assert len(queries) <= limit, (
        f"The signed-in shell took {len(queries)} queries for a {role} (at most {limit}):\n"
        + listing(queries)
    )


def test_a_new_policy_version_is_still_asked_for_after_the_session_remembered_the_old(client):
    from knowledge.models import PolicyPage

    user = UserFactory()
    accept_current_policies(user)
    client.force_login(user)
    shell_queries(client)
    terms = PolicyPage.objects.get(kind="terms", locale__language_code="en")
    terms.version += 1
    terms.save_revision().publish()
    response = client.get("/en/shell/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/en/accounts/policies/")
    accept_current_policies(user)
    assert client.get("/en/shell/").status_code == 200


def test_a_change_of_operator_shows_in_the_footer_at_once(client):
    from wagtail.models import Site

    from knowledge.models import SiteSettings

    user = UserFactory()
    accept_current_policies(user)
    client.force_login(user)
    shell_queries(client)
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.organisation_name = "Ministry of Diaspora Affairs"
    site_settings.save()
    page, _queries = shell_queries(client)
    assert "Operated by Ministry of Diaspora Affairs" in page


def test_permissions_from_the_user_and_their_groups_are_read_in_one_query(
    django_assert_num_queries,
):
    from django.contrib.auth.models import Permission

    from core.models import User

    user = UserFactory(role="Editor")
    user.user_permissions.add(Permission.objects.get(codename="view_policyacceptance"))
    user = User.objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        assert user.has_perm("core.view_policyacceptance")  # granted to the user
        assert user.has_perm("wagtailadmin.access_admin")  # through the Editor group
        assert not user.has_perm("core.delete_user")
    user.groups.clear()
    user = User.objects.get(pk=user.pk)  # the next request: nothing is remembered across
    assert not user.has_perm("wagtailadmin.access_admin")
    assert user.has_perm("core.view_policyacceptance")


def test_admin_access_given_or_taken_away_shows_at_the_next_page(client):
    # The permissions are read with the user's row on each request, never kept beyond it.
    from django.contrib.auth.models import Group

    user = UserFactory(role="Member")
    accept_current_policies(user)
    # A session that gave its second factor: without it, admin access is held back
    # (`core.privilege`), whatever the groups say.
    force_login_with_second_factor(client, user)
    shell_queries(client)
    page, queries = shell_queries(client)
    assert "wagtail-userbar" not in page and len(queries) <= SHELL_QUERY_LIMIT - 1
    editors = Group.objects.get(name="Editor")
    user.groups.add(editors)
    assert "wagtail-userbar" in shell_queries(client)[0]
    user.groups.remove(editors)
    assert "wagtail-userbar" not in shell_queries(client)[0]


def test_the_signed_in_user_is_read_afresh_on_every_page(client):
    # The user's query is compiled once per process (`core.compiled_queries`); their row is not.
    user = UserFactory(first_name="Zainab", role="Member")
    accept_current_policies(user)
    client.force_login(user)
    assert "Signed in as Zainab" in shell_queries(client)[0]
    type(user).objects.filter(pk=user.pk).update(first_name="Zaynab")
    assert "Signed in as Zaynab" in shell_queries(client)[0]
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    page, _queries = shell_queries(client)
    assert "Signed in as" not in page and "Log in" in page


def test_the_signed_in_users_query_stays_compiled_with_every_declared_column(client):
    # `core.compiled_queries` keeps it only when its values are the user's id alone: a column
    # declared with values of its own would silently bring back compiling on every request.
    from core import permissions_backend
    from core.registries import signed_in_user_columns

    assert len(signed_in_user_columns)  # the members app declares the reader's time zone
    user = UserFactory(role="Member")
    accept_current_policies(user)
    client.force_login(user)
    permissions_backend._compiled.clear()
    shell_queries(client)
    assert permissions_backend._compiled._plans
    assert all(permissions_backend._compiled._plans.values())
