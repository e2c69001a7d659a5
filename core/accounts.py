"""allauth adapter: the Member group on sign-up, mail and redirects in the member's language."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter

from django.contrib.auth.models import Group
from django.utils import translation

from .roles import MEMBER


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            group, _ = Group.objects.get_or_create(name=MEMBER)
            user.groups.add(group)
        return user

    def get_login_redirect_url(self, request):
        # "/" would pick a language from the browser; keep the one the member was using.
        url = super().get_login_redirect_url(request)
        return self._in_current_language(url)

    def get_logout_redirect_url(self, request):
        return self._in_current_language(super().get_logout_redirect_url(request))

    @staticmethod
    def _in_current_language(url: str) -> str:
        if url == "/":
            return f"/{translation.get_language() or 'en'}/"
        return url

    def send_mail(self, template_prefix, email, context):
        user = context.get("user")
        language = getattr(user, "preferred_language", "") or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
