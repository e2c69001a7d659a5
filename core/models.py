"""Kernel models: the member account, accepted policy versions, periodic-job bookkeeping, and the
multilingual topic taxonomy every app tags with."""

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

from wagtail.models import TranslatableMixin
from wagtail_localize.fields import SynchronizedField

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
    # The header's unread badge, kept by the notifications app (core.notify) so a signed-in page
    # reads it with the user row it loads anyway, at no extra query.
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)
    # Moderation's sanctions live on the account, not in the moderation app: the log-in and
    # every request check them (`core.sanctions`) from the user row already loaded, with no
    # extra query, and the kernel never needs to import the app that sets them.
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)
    banned_at = models.DateTimeField(_("banned at"), null=True, blank=True)
    # A moderator's choice of trust level (`core.trust`); empty means "earned by participation".
    trust_level = models.PositiveSmallIntegerField(_("trust level"), null=True, blank=True)

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
        from .privilege import real_flags_for_saving

        # A request without its second factor sees the account as a member's
        # (`core.privilege`): what is written is still the account's own status.
        with real_flags_for_saving(self):
            super().save(*args, **kwargs)

    def refresh_from_db(self, using=None, fields=None, from_queryset=None) -> None:
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        from .privilege import restricted_again

        restricted_again(self, fields)

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


class Topic(TranslatableMixin, models.Model):
    """One concept of the diaspora-policy taxonomy, in one language.

    Rows of one concept share `translation_key` (one per locale, as wagtail-localize translates
    snippets) and `slug`, which is the concept's stable name in code and URLs whatever the
    language. `label`, `description` and `synonyms` are in the row's language; synonyms let a
    search in any language find the concept (`core.topics.find_topic`). A topic may sit under a
    parent topic, two levels at most, and its translations sit under the parent's translations.
    The taxonomy is seeded by a data migration, so every database has it.
    """

    slug = models.SlugField(
        _("slug"),
        max_length=80,
        help_text=_("The concept's stable name, the same in every language."),
    )
    label = models.CharField(_("label"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    synonyms = models.TextField(
        _("synonyms"),
        blank=True,
        help_text=_("Other words people use for this topic in this language, one per line."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent topic"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Leave empty for a main topic. Topics have two levels at most."),
    )

    # The slug names the concept, so translating must not change it.
    override_translatable_fields = [SynchronizedField("slug")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="core_topic_slug_per_locale")
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs) -> None:
        if self.parent_id is not None and self.parent.locale_id != self.locale_id:
            # A copy made for translation still points at the original's parent.
            translated_parent = Topic.objects.filter(
                translation_key=self.parent.translation_key, locale_id=self.locale_id
            ).first()
            if translated_parent is not None:
                self.parent = translated_parent
        super().save(*args, **kwargs)
        # Keep the concept one concept: its translations share the slug and sit under the
        # parent's translation in their own language.
        for translation in Topic.objects.filter(translation_key=self.translation_key).exclude(
            pk=self.pk
        ):
            parent_id = None
            if self.parent_id is not None:
                parent_id = (
                    Topic.objects.filter(
                        translation_key=self.parent.translation_key,
                        locale_id=translation.locale_id,
                    )
                    .values_list("pk", flat=True)
                    .first()
                )
            if translation.slug != self.slug or translation.parent_id != parent_id:
                Topic.objects.filter(pk=translation.pk).update(slug=self.slug, parent_id=parent_id)

    @property
    def synonym_list(self) -> list[str]:
        return [line.strip() for line in self.synonyms.splitlines() if line.strip()]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.parent_id is not None:
            parent = self.parent
            if self.pk is not None and parent.pk == self.pk:
                errors.setdefault("parent", []).append(_("A topic cannot be its own parent."))
            elif parent.parent_id is not None:
                errors.setdefault("parent", []).append(
                    _("Topics have two levels at most: choose a main topic as the parent.")
                )
            elif self.pk is not None and self.children.exists():
                errors.setdefault("parent", []).append(
                    _("This topic has topics under it, so it cannot go under another one.")
                )
            if self.locale_id is not None and parent.locale_id != self.locale_id:
                errors.setdefault("parent", []).append(
                    _("Choose the parent topic in the same language as this one.")
                )
        if self.slug:
            # One concept per slug: its translations share it, no other concept may take it.
            taken = Topic.objects.filter(slug=self.slug).exclude(
                translation_key=self.translation_key
            )
            if taken.exists():
                errors.setdefault("slug", []).append(_("Another topic already uses this slug."))
        if errors:
            raise ValidationError(errors)


class Follow(models.Model):
    """A member follows (or mutes) a thing: a thread, forum, tag, organisation or topic.

    Generic over the target (content type + id) so any app's model can be followed without the
    kernel importing it; `core.follows` is the API. A muted row says "never tell me about this",
    which wins over following something broader (a muted thread in a followed forum).
    """

    class State(models.TextChoices):
        FOLLOW = "follow", _("Following")
        MUTE = "mute", _("Muted")

    user = models.ForeignKey(
        "core.User", on_delete=models.CASCADE, related_name="follows", verbose_name=_("member")
    )
    target_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    target_id = models.PositiveBigIntegerField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.FOLLOW)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "target_type", "target_id"], name="core_follow_once"
            )
        ]
        indexes = [models.Index(fields=["target_type", "target_id", "state"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.state}s {self.target_type_id}:{self.target_id}"


# The open-data API's request counters live with the API's plumbing (core.api_models).
from .api_models import ApiRateWindow  # noqa: E402, F401

# Partners' integrations (tokens, webhooks): their own module, re-exported for Django.
from .integration_models import (  # noqa: E402, F401
    ApiToken,
    EmittedEvent,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)
