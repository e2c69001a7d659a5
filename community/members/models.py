"""A member's profile: what they say about themselves, and who may see each part of it.

One `Profile` per user, created on demand (`Profile.for_user`), so accounts made before this
app or by allauth need no back-fill. Each field a member may hide has a `<field>_visibility`
beside it; what those values mean for a given reader is decided only in `visibility.py`.
Text is stored clean: the bio is sanitised HTML (`core.sanitize`), the other text fields are
refused by the form when they hold markup. Avatars are stored re-encoded by `avatars.py`.

A new field a member may hide (topics, sectors) is added in three places: the model field and
its `<field>_visibility` here (with an entry in `DEFAULT_VISIBILITY`), and how it is shown in
`visibility._value`; every page, the directory and `field_audiences` then handle it.
"""

from __future__ import annotations

from django_countries.fields import CountryField

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taggit.managers import TaggableManager

from core.sanitize import clean_html

# The page-cache content group of every page showing members (core.page_cache).
PAGE_GROUP = "members"


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Signed-in members")
    PRIVATE = "private", _("Only me")


class LanguageLevel(models.TextChoices):
    BASIC = "basic", _("Basic")
    CONVERSATIONAL = "conversational", _("Conversational")
    FLUENT = "fluent", _("Fluent")
    NATIVE = "native", _("Native")


class OpenTo(models.TextChoices):
    MENTORING = "mentoring", _("Mentoring")
    VOLUNTEERING = "volunteering", _("Volunteering")
    INVESTING = "investing", _("Investing")
    SPEAKING = "speaking", _("Speaking")


class Sector(models.TextChoices):
    """The field a member works in: a short fixed list, so the directory can filter on it in
    every interface language (free text would split "health" and "santé" into two sectors)."""

    AGRICULTURE = "agriculture", _("Agriculture and food")
    ARTS = "arts", _("Arts and culture")
    CONSTRUCTION = "construction", _("Construction")
    EDUCATION = "education", _("Education")
    ENERGY = "energy", _("Energy")
    ENGINEERING = "engineering", _("Engineering and technology")
    FINANCE = "finance", _("Finance and banking")
    HEALTH = "health", _("Health")
    HUMANITARIAN = "humanitarian", _("Humanitarian aid and development")
    LAW = "law", _("Law")
    MEDIA = "media", _("Media and communication")
    PUBLIC_ADMINISTRATION = "public_admin", _("Public administration")
    RESEARCH = "research", _("Research and academia")
    TOURISM = "tourism", _("Tourism and hospitality")
    TRADE = "trade", _("Trade and business")


class Onboarding(models.TextChoices):
    """Where a member stands with the step-by-step set-up offered after sign-up (`onboarding.py`).

    Only accounts made through sign-up are offered it ("pending", set when allauth says a member
    signed up); every other account (made before it existed, by an administrator, the demo)
    stays "none" and is never sent to it. "finished" and "skipped" are both final.
    """

    NONE = "none", _("Not offered")
    PENDING = "pending", _("In progress")
    FINISHED = "finished", _("Finished")
    SKIPPED = "skipped", _("Skipped")


# The fields a member chooses an audience for, with the audience they start with. Why these
# defaults: what a member is found for (headline, skills, languages, sectors, topics) is
# public, as the directory exists for it; anything that locates or identifies a person beyond
# their name (photo, origin, residence, city, links) or that they write freely (bio), and what
# they are open to (an "investing" label attracts fraudsters), is for signed-in members only;
# the time zone (a location hint, useful only to arrange a call) is private.
DEFAULT_VISIBILITY: dict[str, str] = {
    "avatar": Visibility.MEMBERS,
    "headline": Visibility.PUBLIC,
    "bio": Visibility.MEMBERS,
    "skills": Visibility.PUBLIC,
    "languages": Visibility.PUBLIC,
    "countries_of_origin": Visibility.MEMBERS,
    "country_of_residence": Visibility.MEMBERS,
    "city": Visibility.MEMBERS,
    "time_zone": Visibility.PRIVATE,
    "links": Visibility.MEMBERS,
    "open_to": Visibility.MEMBERS,
    "sectors": Visibility.PUBLIC,
    "topics": Visibility.PUBLIC,
}
VISIBLE_FIELDS: tuple[str, ...] = tuple(DEFAULT_VISIBILITY)


def _visibility_field(name: str) -> models.CharField:
    return models.CharField(
        max_length=8, choices=Visibility.choices, default=DEFAULT_VISIBILITY[name]
    )


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    avatar = models.FileField(_("photo"), upload_to="members/avatars/", blank=True)
    avatar_thumbnail = models.FileField(upload_to="members/avatars/", blank=True, editable=False)
    headline = models.CharField(_("headline"), max_length=150, blank=True)
    bio = models.TextField(_("about me"), blank=True)
    skills = TaggableManager(_("skills"), blank=True)
    # [{"code": "fr", "level": "native"}, ...]: a handful per member, always read with them.
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    countries_of_origin = CountryField(_("countries of origin"), multiple=True, blank=True)
    country_of_residence = CountryField(_("country of residence"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    open_to = ArrayField(
        models.CharField(max_length=16, choices=OpenTo.choices),
        verbose_name=_("open to"),
        default=list,
        blank=True,
    )
    sectors = ArrayField(
        models.CharField(max_length=16, choices=Sector.choices),
        verbose_name=_("sectors"),
        default=list,
        blank=True,
    )
    # The English row of each concept (see `forms.ProfileForm.clean_topics`), so a member's
    # tags do not depend on the language they happened to fill the form in.
    topics = models.ManyToManyField(
        "core.Topic", verbose_name=_("topics"), blank=True, related_name="profiles"
    )
    in_directory = models.BooleanField(_("list me in the members directory"), default=False)
    # Only matters while open_to is not empty: a member open to nothing cannot be contacted.
    contact_allowed = models.BooleanField(
        _("let signed-in members contact me by e-mail through the platform"), default=True
    )
    protected = models.BooleanField(_("protected mode"), default=False)
    # Set by a moderator acting on a report (community/moderation), never by the member's form.
    hidden_by_moderation = models.BooleanField(
        _("hidden by the moderators"), default=False, editable=False
    )

    avatar_visibility = _visibility_field("avatar")
    headline_visibility = _visibility_field("headline")
    bio_visibility = _visibility_field("bio")
    skills_visibility = _visibility_field("skills")
    languages_visibility = _visibility_field("languages")
    countries_of_origin_visibility = _visibility_field("countries_of_origin")
    country_of_residence_visibility = _visibility_field("country_of_residence")
    city_visibility = _visibility_field("city")
    time_zone_visibility = _visibility_field("time_zone")
    links_visibility = _visibility_field("links")
    open_to_visibility = _visibility_field("open_to")
    sectors_visibility = _visibility_field("sectors")
    topics_visibility = _visibility_field("topics")

    onboarding = models.CharField(
        _("profile set-up"), max_length=8, choices=Onboarding.choices, default=Onboarding.NONE
    )
    # The step of the set-up to resume at (1 to onboarding.STEP_COUNT) while it is pending.
    onboarding_step = models.PositiveSmallIntegerField(default=1)

    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        permissions = [
            ("view_protected_profile", _("Can see protected profiles (moderation)")),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # Whoever writes a profile (form, admin, demo, an import), the bio is stored clean.
        self.bio = clean_html(self.bio or "")
        self.updated_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        """The name the member chose, else the one on their account."""
        return self.display_name or self.user.get_full_name() or self.user.get_short_name()

    @classmethod
    def for_user(cls, user) -> Profile:
        profile, _created = cls.objects.get_or_create(user=user)
        return profile


class Block(models.Model):
    """`blocker` no longer receives messages from `blocked`; never shown to the blocked member."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="members_block_once")
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class ContactLog(models.Model):
    """One message relayed between members: who, to whom, when and about what; NEVER the body.

    The body is only in the e-mail sent: the platform keeps nothing a member wrote privately.
    The log enforces the per-recipient limit and lets moderators investigate abuse.
    """

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contacts_sent"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contacts_received"
    )
    subject = models.CharField(max_length=16, choices=OpenTo.choices)
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("relayed message")
        verbose_name_plural = _("relayed messages")

    def __str__(self) -> str:
        return f"{self.sender_id} to {self.recipient_id} ({self.subject})"
