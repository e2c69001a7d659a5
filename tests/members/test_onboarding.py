"""The profile set-up after sign-up: offered once to new members, step by step, skippable."""

from __future__ import annotations

import re

import pytest

from django.core import mail
from django.test import Client

from community.members.models import Onboarding, Profile
from core.models import User
from core.topics import get_concept
from tests.factories import PASSWORD, UserFactory, accept_current_policies

from .conftest import make_member

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-long enough passphrase 42"


def sign_up_and_verify(lang: str, email: str) -> User:
    """Sign up and confirm the address as a visitor does (the worker's half runs at once)."""
    visitor = Client()
    response = visitor.post(
        f"/{lang}/accounts/signup/",
        {
            "email": email,
            "name": "Awa",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "accept_policies": "on",
        },
    )
    assert response.status_code == 302
    link = re.search(rf"/{lang}/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    assert visitor.post(link).status_code == 302
    return User.objects.get(email=email)


def log_in(client: Client, lang: str, email: str, password: str) -> str:
    """Log in through the form; where the member is sent next."""
    response = client.post(f"/{lang}/accounts/login/", {"login": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response.headers["Location"]


@pytest.fixture
def newcomer():
    """A member who has just signed up and verified their address, then signed in."""
    user = sign_up_and_verify("en", "newcomer@onboarding.example")
    client = Client()
    assert log_in(client, "en", user.email, NEW_PASSWORD) == "/en/me/welcome/1/"
    client.user = user
    return client


def profile_of(user) -> Profile:
    return Profile.objects.get(user=user)


def test_a_new_member_is_sent_to_the_first_step_after_their_first_log_in_in_their_language():
    user = sign_up_and_verify("fr", "nouvelle@onboarding.example")
    assert profile_of(user).onboarding == Onboarding.PENDING
    client = Client()
    assert log_in(client, "fr", user.email, NEW_PASSWORD) == "/fr/me/welcome/1/"
    page = client.get("/fr/me/welcome/1/").content.decode()
    assert '<html lang="fr"' in page
    assert 'aria-current="step"' in page
    assert "<legend><h2>" in page


def test_a_log_in_that_asked_for_a_page_goes_there(client):
    user = sign_up_and_verify("en", "direct@onboarding.example")
    response = client.post(
        "/en/accounts/login/?next=/en/members/",
        {"login": user.email, "password": NEW_PASSWORD},
    )
    assert response.headers["Location"] == "/en/members/"
    assert profile_of(user).onboarding == Onboarding.PENDING  # offered at the next log-in


def test_each_step_saves_and_the_set_up_resumes_where_the_member_left_it(newcomer):
    page = newcomer.get("/en/me/welcome/1/").content.decode()
    assert "Step 1 of 4" in page
    response = newcomer.post(
        "/en/me/welcome/1/",
        {"display_name": "Awa Diop", "headline": "Nurse", "headline_visibility": "members"},
    )
    assert response.headers["Location"] == "/en/me/welcome/2/"
    profile = profile_of(newcomer.user)
    assert (profile.display_name, profile.headline) == ("Awa Diop", "Nurse")
    assert profile.headline_visibility == "members"
    assert profile.onboarding_step == 2

    response = newcomer.post(
        "/en/me/welcome/2/",
        {
            "countries_of_origin": ["SN"],
            "countries_of_origin_visibility": "members",
            "country_of_residence": "IT",
            "country_of_residence_visibility": "private",
            "city": "",
            "city_visibility": "members",
        },
    )
    assert response.headers["Location"] == "/en/me/welcome/3/"
    assert "Step 3 of 4" in newcomer.get("/en/me/welcome/3/").content.decode()

    # Signed out half-way: the next log-in resumes at step 3, with what was saved kept.
    again = Client()
    assert log_in(again, "en", newcomer.user.email, NEW_PASSWORD) == "/en/me/welcome/3/"
    response = again.post(
        "/en/me/welcome/3/",
        {
            "skills_text": "nursing, first aid",
            "skills_visibility": "public",
            "language_1": "fr",
            "level_1": "native",
            "language_2": "wo",
            "level_2": "fluent",
            "languages_visibility": "public",
            "sectors": ["health"],
            "sectors_visibility": "public",
            "topics": [get_concept("health").in_language("en").id],
            "topics_visibility": "members",
        },
    )
    assert response.headers["Location"] == "/en/me/welcome/4/"
    profile = profile_of(newcomer.user)
    assert profile.sectors == ["health"] and profile.topics_visibility == "members"
    assert [topic.slug for topic in profile.topics.all()] == ["health"]
    page = again.get("/en/me/welcome/4/").content.decode()
    assert "Step 4 of 4" in page
    assert "<dt>Only me</dt><dd>Time zone</dd>" in page  # the safe defaults, explained
    response = again.post("/en/me/welcome/4/", {"in_directory": "on"})
    assert response.headers["Location"] == "/en/me/"

    profile = profile_of(newcomer.user)
    assert profile.onboarding == Onboarding.FINISHED
    assert [c.code for c in profile.countries_of_origin] == ["SN"]
    assert profile.country_of_residence.code == "IT"
    assert profile.country_of_residence_visibility == "private"
    assert sorted(profile.skills.names()) == ["first aid", "nursing"]
    assert profile.languages == [
        {"code": "fr", "level": "native"},
        {"code": "wo", "level": "fluent"},
    ]
    assert profile.in_directory and not profile.protected
    assert profile.display_name == "Awa Diop" and profile.headline == "Nurse"
    assert "Your profile is set up. Welcome!" in again.get("/en/me/").content.decode()

    # Never shown again: not at log-in, not by its address.
    assert log_in(Client(), "en", newcomer.user.email, NEW_PASSWORD) == "/en/"
    assert again.get("/en/me/welcome/2/").headers["Location"] == "/en/me/"
    assert again.get("/en/me/welcome/").headers["Location"] == "/en/me/"


def test_a_step_leaves_the_fields_of_the_other_steps_as_they_were(newcomer):
    profile = profile_of(newcomer.user)
    profile.languages = [{"code": "ar", "level": "native"}]
    profile.links = ["https://example.org/awa"]
    profile.country_of_residence = "DE"
    profile.save()
    profile.skills.set(["midwifery"])
    newcomer.post(
        "/en/me/welcome/1/",
        {"display_name": "Awa", "headline": "Midwife", "headline_visibility": "public"},
    )
    profile = profile_of(newcomer.user)
    assert profile.headline == "Midwife"
    assert profile.languages == [{"code": "ar", "level": "native"}]
    assert profile.links == ["https://example.org/awa"]
    assert profile.country_of_residence.code == "DE"
    assert list(profile.skills.names()) == ["midwifery"]


def test_bad_input_keeps_what_was_typed_and_says_what_to_fix_in_the_members_language():
    user = sign_up_and_verify("fr", "erreur@onboarding.example")
    client = Client()
    log_in(client, "fr", user.email, NEW_PASSWORD)
    response = client.post(
        "/fr/me/welcome/1/",
        {
            "display_name": "Awa Diop",
            "headline": "<script>alert(1)</script>Infirmière",
            "headline_visibility": "public",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Seul du texte brut est accepté ici : retirez les balises HTML." in page
    assert 'value="Awa Diop"' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Infirmière" in page
    assert "<script>alert(1)" not in page
    profile = profile_of(user)
    assert (profile.display_name, profile.headline, profile.onboarding_step) == ("", "", 1)


def test_skip_for_now_returns_to_the_dashboard_and_the_set_up_is_never_offered_again(newcomer):
    response = newcomer.post("/en/me/welcome/2/", {"skip": "1", "city": "<b>ignored</b>"})
    assert response.headers["Location"] == "/en/me/"
    profile = profile_of(newcomer.user)
    assert profile.onboarding == Onboarding.SKIPPED and profile.city == ""
    page = newcomer.get("/en/me/").content.decode()
    assert "You can complete your profile at any time" in page
    assert "Continue setting up your profile" not in page
    assert log_in(Client(), "en", newcomer.user.email, NEW_PASSWORD) == "/en/"
    assert newcomer.get("/en/me/welcome/1/").headers["Location"] == "/en/me/"


def test_the_dashboard_offers_to_continue_an_unfinished_set_up(newcomer):
    newcomer.post(
        "/en/me/welcome/1/",
        {"display_name": "Awa", "headline": "Nurse", "headline_visibility": "public"},
    )
    page = newcomer.get("/en/me/").content.decode()
    assert '<a href="/en/me/welcome/2/">Continue setting up your profile</a>' in page


def test_an_existing_member_is_not_sent_to_the_set_up():
    demo = User.objects.get(email="member@example.org")
    demo.set_password(PASSWORD)
    demo.save()
    assert log_in(Client(), "en", demo.email, PASSWORD) == "/en/"
    user = UserFactory()  # an account made otherwise than by signing up (admin, import)
    accept_current_policies(user)
    assert log_in(Client(), "es", user.email, PASSWORD) == "/es/"
    client = Client()
    client.force_login(user)
    assert client.get("/es/me/welcome/1/").headers["Location"] == "/es/me/"


def test_anonymous_visitors_are_sent_to_log_in_from_a_step():
    response = Client().get("/en/me/welcome/1/")
    assert response.headers["Location"].startswith("/en/accounts/login/")


def test_an_unknown_step_is_not_found(newcomer):
    assert newcomer.get("/en/me/welcome/9/").status_code == 404


def test_existing_members_profiles_were_not_offered_the_set_up():
    _user, profile = make_member()
    assert profile.onboarding == Onboarding.NONE
