"""Password guessing is slowed down, but nobody can keep a member out of their own account.

Someone who knows a member's address can fail passwords from as many client addresses as they
like: the member still gets in with a code sent to their mailbox (and with their password once
the wait is over). Members who share a carrier's address do not lock each other out. The clock
of core.login_throttle is replaced, so the tests check the decisions, never wait for them.
"""

from __future__ import annotations

import re
from itertools import pairwise

import pyotp
import pytest

from django.core import mail

from tests.factories import UserFactory, accept_current_policies

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
REQUEST_CODE = "/en/accounts/login/code/"
CONFIRM_CODE = "/en/accounts/login/code/confirm/"
PASSWORD = "correct horse battery"


class Clock:
    def __init__(self) -> None:
        self.moment = 1_900_000_000.0

    def __call__(self) -> float:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += seconds


LONGEST_WAIT = 15 * 60  # what README promises; core.login_throttle.MAX_DELAY_SECONDS
FREE_TRIES = 5


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock()
    try:
        from core import login_throttle
    except ImportError:  # without the slow-down there is no clock to replace
        return fake
    monkeypatch.setattr(login_throttle, "now", fake)
    return fake


@pytest.fixture
def member():
    user = UserFactory(email="owner@lockout.example")
    accept_current_policies(user)
    return user


def attempt(client, password: str, ip: str, email: str = "owner@lockout.example"):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip)


def logged_in_as(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def log_in_by_code(client, email: str, ip: str):
    mail.outbox.clear()
    asked = client.post(REQUEST_CODE, {"email": email}, REMOTE_ADDR=ip)
    assert asked.status_code == 302, asked.content.decode()[-2000:]
    code = re.search(r"^\s*([A-Z0-9-]{6,})\s*$", mail.outbox[-1].body, re.M).group(1)
    return client.post(CONFIRM_CODE, {"code": code}, REMOTE_ADDR=ip)


def test_failures_from_rotating_addresses_never_keep_the_owner_out(client, member, clock):
    for number in range(40):
        attempt(client, f"guess {number}", ip=f"198.51.100.{number + 1}")

    blocked = attempt(client, PASSWORD, ip="203.0.113.7")
    page = blocked.content.decode()
    assert not logged_in_as(client, member)
    assert "Too many failed attempts" in page
    assert "Send me a sign-in code" in page  # the message and the button it points to
    assert f'href="{REQUEST_CODE}' in page

    response = log_in_by_code(client, "owner@lockout.example", ip="203.0.113.7")
    assert response.status_code == 302
    assert logged_in_as(client, member)


def test_the_owners_password_works_again_once_the_wait_is_over(client, member, clock):
    for number in range(40):
        attempt(client, f"guess {number}", ip=f"198.51.100.{number + 1}")
    clock.advance(LONGEST_WAIT)
    response = attempt(client, PASSWORD, ip="203.0.113.7")
    assert response.status_code == 302
    assert logged_in_as(client, member)


def test_guessing_an_account_is_slowed_down_more_with_each_failure(client, member, clock):
    from core.login_throttle import FREE_FAILURES, MAX_DELAY_SECONDS, delay_after

    assert (FREE_FAILURES, MAX_DELAY_SECONDS) == (FREE_TRIES, LONGEST_WAIT)  # as README says

    waits = [delay_after(n) for n in range(FREE_FAILURES + 12)]
    assert waits[:FREE_FAILURES] == [0] * FREE_FAILURES
    growing = waits[FREE_FAILURES:]
    assert growing[0] > 0
    assert all(later == min(2 * earlier, MAX_DELAY_SECONDS) for earlier, later in pairwise(growing))
    assert growing[-1] == MAX_DELAY_SECONDS >= 10 * 60  # a few guesses an hour at most

    ips = (f"192.0.2.{n}" for n in range(1, 200))
    for _ in range(FREE_FAILURES):  # free attempts, one after the other
        assert "Too many" not in attempt(client, "guess", next(ips)).content.decode()
    for failures in range(FREE_FAILURES, FREE_FAILURES + 4):
        wait = delay_after(failures)
        clock.advance(wait - 1)
        too_soon = attempt(client, PASSWORD, next(ips))  # refused without trying the password
        assert "Too many failed attempts" in too_soon.content.decode()
        assert not logged_in_as(client, member)
        clock.advance(1)
        considered = attempt(client, "guess", next(ips))  # now the guess is checked (and wrong)
        assert "Too many" not in considered.content.decode()


def test_members_typing_wrong_passwords_on_one_shared_address_do_not_block_each_other(
    client, clock
):
    carrier = "100.64.0.1"
    members = [UserFactory(email=f"member{n}@carrier.example") for n in range(8)]
    for user in members:
        for typo in range(3):
            attempt(client, f"typo {typo}", carrier, email=user.email)
    another = UserFactory(email="another@carrier.example")
    accept_current_policies(another)
    response = attempt(client, PASSWORD, carrier, email=another.email)
    assert response.status_code == 302
    assert logged_in_as(client, another)


def test_one_client_guessing_one_account_is_stopped_even_after_the_accounts_wait(
    client, member, clock
):
    for number in range(5):
        attempt(client, f"guess {number}", ip="198.51.100.66")
    clock.advance(LONGEST_WAIT)
    refused = attempt(client, PASSWORD, ip="198.51.100.66")
    assert "Too many failed attempts" in refused.content.decode()
    assert not logged_in_as(client, member)


def test_a_successful_log_in_forgives_earlier_failures(client, member, clock):
    for number in range(FREE_TRIES - 1):
        attempt(client, f"typo {number}", ip="203.0.113.7")
    assert attempt(client, PASSWORD, ip="203.0.113.7").status_code == 302
    client.post("/en/accounts/logout/")
    for number in range(FREE_TRIES - 1):
        attempt(client, f"typo {number}", ip="203.0.113.8")
    assert attempt(client, PASSWORD, ip="203.0.113.8").status_code == 302


def test_logging_in_by_code_still_asks_for_the_authenticator(client, clock):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = UserFactory(email="editor@lockout.example", role="Editor")
    accept_current_policies(user)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    for number in range(40):
        attempt(client, f"guess {number}", ip=f"198.51.100.{number + 1}", email=user.email)

    response = log_in_by_code(client, user.email, ip="203.0.113.7")
    assert response.status_code == 302
    assert "/accounts/2fa/authenticate/" in response.headers["Location"]
    assert not logged_in_as(client, user)

    response = client.post(response.headers["Location"], {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert logged_in_as(client, user)


def test_a_flood_of_failures_on_other_addresses_does_not_wipe_an_accounts_count(clock):
    # The shared cache evicts entries when it is full (the lowest keys first, for the database
    # cache); if a few hundred other keys could push an account's count out, an attacker would
    # reset the wait whenever they liked. The account chosen has the lowest key of fifty.
    from core import login_throttle

    owner = min(
        (f"owner-{number}@lockout.example" for number in range(50)),
        key=login_throttle._cache_key,
    )
    for _attempt in range(FREE_TRIES + 1):
        login_throttle.begin_attempt(owner)
    assert not login_throttle.begin_attempt(owner).allowed
    for number in range(400):
        login_throttle.begin_attempt(f"someone-{number}@flood.example")
    assert not login_throttle.begin_attempt(owner).allowed
