"""Sign-up in two halves, so that its timing does not tell whether an address is registered.

Creating an account costs a password hash, several inserts and a mail; refusing a taken address
used to cost almost nothing, and that difference answered "is this person a member?". Now the
request does the same thing for every address: it hashes the password, enqueues
`finish_signup` and answers "check your mailbox". The task, on the worker, decides: a new
address becomes an account (with the Member group, the accepted policy versions and an unverified
e-mail address) and gets the verification mail; an address that is taken, or looks like a
member's (core.emails.email_skeleton), creates nothing and the member who owns it is told by
e-mail instead. The task rebuilds a request from the sign-up page's address so that links in the
mail point where the visitor signed up, in the language they signed up in.
"""

from __future__ import annotations

from io import BytesIO
from urllib.parse import urlsplit

from allauth.account import signals
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.core import context
from django_tasks import task

from django.contrib import messages
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.handlers.wsgi import WSGIRequest
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from .models import User
from .policies import record_acceptance
from .registries import PolicyDocument
from .roles import MEMBER


def start(request: HttpRequest, form) -> HttpResponse:
    """The request's half, identical whether the address is new, taken or a lookalike."""
    data = form.cleaned_data
    finish_signup.enqueue(
        email=data["email"],
        password_hash=make_password(data["password1"]),
        first_name=data.get("name", ""),
        language=getattr(request, "LANGUAGE_CODE", "") or translation.get_language() or "",
        policies=[[policy.kind, policy.version] for policy in form.policies],
        base_url=request.build_absolute_uri("/"),
    )
    adapter = get_adapter(request)
    adapter.add_message(
        request,
        messages.INFO,
        "account/messages/email_confirmation_sent.txt",
        {"email": data["email"], "login": False, "signup": True},
    )
    return adapter.respond_email_verification_sent(request, None)


def _request_for(base_url: str) -> HttpRequest:
    """A stand-in for the sign-up request: enough for absolute links and allauth's mail code."""
    parts = urlsplit(base_url)
    secure = parts.scheme == "https"
    return WSGIRequest(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/",
            "HTTP_HOST": parts.netloc,
            "SERVER_NAME": parts.hostname or "localhost",
            "SERVER_PORT": str(parts.port or (443 if secure else 80)),
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": parts.scheme or "http",
            "wsgi.input": BytesIO(b""),
        }
    )


@task()
def finish_signup(
    *,
    email: str,
    password_hash: str,
    first_name: str,
    language: str,
    policies: list[list],
    base_url: str,
) -> None:
    """The worker's half: create the account, or tell the owner of the address."""
    request = _request_for(base_url)
    request.LANGUAGE_CODE = language
    with context.request_context(request), translation.override(language or None):
        adapter = get_adapter(request)
        owner = User.objects.lookalike_of(email)
        if owner is None:
            try:
                with transaction.atomic():
                    user, address = _create_member(email, password_hash, first_name, language)
                    record_acceptance(
                        user,
                        [PolicyDocument(kind, "", version, "") for kind, version in policies],
                    )
            except IntegrityError:  # the same address signed up a moment ago
                owner = User.objects.lookalike_of(email)
        if owner is not None:
            adapter.send_account_already_exists_mail(owner.email)
            return
        signals.user_signed_up.send(sender=User, request=request, user=user)
        address.send_confirmation(request, signup=True)


def _create_member(
    email: str, password_hash: str, first_name: str, language: str
) -> tuple[User, EmailAddress]:
    user = User(email=email, first_name=first_name, preferred_language=language)
    user.password = password_hash
    user.save()
    user.groups.add(Group.objects.get_or_create(name=MEMBER)[0])
    address = EmailAddress.objects.create(user=user, email=user.email, primary=True)
    return user, address
