"""allauth adapter: members get the Member group on sign-up; mail goes in the user's language."""

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

    def send_mail(self, template_prefix, email, context):
        user = context.get("user")
        language = getattr(user, "preferred_language", "") or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
