"""Kernel models: the member account, accepted policy versions, and periodic-job bookkeeping."""

from __future__ import annotations

from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .emails import canonical_email, email_skeleton, written_email


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        return written_email(email or "")

    def _create_user(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email: str) -> User:
        # Django's ModelBackend finds the account to log in to here: by the canonical form only,
        # never by a lookalike, and the unique column means there is at most one.
        return self.get(email_canonical=canonical_email(email))

    def lookalike_of(self, email: str) -> User | None:
        """The account whose address is, or looks the same as, `email` (sign-up, e-mail change)."""
        return (
            self.filter(
                Q(email_canonical=canonical_email(email)) | Q(email_skeleton=email_skeleton(email))
            )
            .order_by("pk")
            .first()
        )


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. Logs in by email; one account per canonical address.

    `email` is the address as written (core.emails.written_email); `email_canonical` and
    `email_skeleton` are derived from it on every save and are unique, so neither a variant
    (case, fullwidth letters, the Kelvin sign) nor a lookalike (dotless ı) of a member's address
    can become a second account.
    """

    email = models.EmailField(_("email address"))
    email_canonical = models.CharField(max_length=320, editable=False)
    email_skeleton = models.CharField(max_length=320, editable=False)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(fields=["email_canonical"], name="core_user_email_canonical"),
            models.UniqueConstraint(fields=["email_skeleton"], name="core_user_email_skeleton"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def _derive_email_keys(self) -> None:
        self.email = written_email(self.email or "")
        self.email_canonical = canonical_email(self.email)
        self.email_skeleton = email_skeleton(self.email)

    def clean(self) -> None:
        super().clean()
        self._derive_email_keys()
        # Forms (the Django admin's) see this as a field error instead of a database error.
        taken = User.objects.exclude(pk=self.pk).filter(
            Q(email_canonical=self.email_canonical) | Q(email_skeleton=self.email_skeleton)
        )
        if self.email and taken.exists():
            raise ValidationError(
                {
                    "email": _(
                        "An account with this email address, or one that looks the same, "
                        "already exists."
                    )
                }
            )

    def save(self, *args, **kwargs) -> None:
        self._derive_email_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "email" in update_fields:
            kwargs["update_fields"] = {*update_fields, "email_canonical", "email_skeleton"}
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email.split("@")[0]


class PolicyAcceptance(models.Model):
    """That a member accepted a given version of a policy (terms, privacy, conduct), and when."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="policy_acceptances")
    kind = models.CharField(_("policy"), max_length=32)
    version = models.PositiveIntegerField(_("version"))
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now)

    class Meta:
        verbose_name = _("policy acceptance")
        verbose_name_plural = _("policy acceptances")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "version"], name="core_policy_acceptance_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} accepted {self.kind} v{self.version}"


class PeriodicJobRun(models.Model):
    """When the worker last enqueued each periodic job, shared by every worker process."""

    key = models.CharField(max_length=100, primary_key=True)
    last_enqueued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.key} @ {self.last_enqueued_at:%Y-%m-%d %H:%M}"
