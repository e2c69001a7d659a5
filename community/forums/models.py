"""Forums → threads → posts, and what members attach to posts (reactions, read positions,
mentions, images, edit history).

Posts are ordered by id: the thread page pages through them by id (keyset), never by OFFSET,
so page 250 of a 5,000-post thread costs what page 1 costs. `Thread.post_count` and
`last_post_at` are kept by `posting.py` so listings need no aggregate over posts.
"""

from __future__ import annotations

from django_countries.fields import CountryField

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from taggit.managers import TaggableManager

# Content groups of the anonymous page cache (core.page_cache): the index, and one per forum
# and per thread, so a reply empties its thread and forum pages and nothing else.
INDEX_GROUP = "forums"
BODY_MAX_LENGTH = 20_000
TITLE_MAX_LENGTH = 150


def forum_group(forum_id: int) -> str:
    return f"forums:forum:{forum_id}"


def thread_group(thread_id: int) -> str:
    return f"forums:thread:{thread_id}"


def forum_details_group(forum_id: int) -> str:
    """The forum's own name and settings, which its thread pages show: changed only when the
    forum itself is, so a reply in one thread never empties its sibling threads' pages."""
    return f"forums:forum-details:{forum_id}"


class Language(models.TextChoices):
    EN = "en", "English"
    FR = "fr", "Français"
    ES = "es", "Español"
    AR = "ar", "العربية"


class Forum(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=100)
    topic = models.ForeignKey(
        "core.Topic", verbose_name=_("topic"), null=True, blank=True, on_delete=models.SET_NULL
    )
    country = CountryField(_("country"), blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="forums",
    )
    members_only = models.BooleanField(
        _("only the organisation's members"),
        default=False,
        help_text=_("Only members of the organisation can read and post in this forum."),
    )
    thread_count = models.PositiveIntegerField(default=0, editable=False)
    post_count = models.PositiveIntegerField(default=0, editable=False)
    last_post_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forums:forum", args=[self.slug])

    @property
    def is_private(self) -> bool:
        return bool(self.members_only and self.organisation_id)


class Thread(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tags = TaggableManager(_("tags"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    closed = models.BooleanField(
        pgettext_lazy("a thread taking no more replies", "closed"), default=False
    )
    hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    deleted = models.BooleanField(_("deleted"), default=False)
    # Its first post waits for a moderator (word lists, a new member's first posts): only its
    # author and moderators see it until it is approved (`moderating.approve_held`).
    held = models.BooleanField(_("held for review"), default=False)
    answer = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now)
    post_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [models.Index(fields=["forum", "-pinned", "-last_post_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forums:thread", args=[self.pk])

    @property
    def is_visible(self) -> bool:
        return not (self.hidden or self.deleted or self.held)


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"), max_length=BODY_MAX_LENGTH)
    body_html = models.TextField(editable=False)
    quoted = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted = models.BooleanField(default=False)
    # Deleted from the moderation queue rather than by its author: its place says so.
    deleted_by_moderator = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)
    # Waiting for a moderator (`posting._screen`): seen only by its author and moderators, and
    # nobody is told of it until it is approved. Never dropped.
    held = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        # The thread page reads (thread, id > after) ORDER BY id LIMIT n: this index serves it.
        indexes = [models.Index(fields=["thread", "id"])]

    def __str__(self) -> str:
        return f"#{self.pk} in {self.thread_id}"

    @property
    def is_visible(self) -> bool:
        return not (self.hidden or self.deleted or self.held)


class PostImage(models.Model):
    """An image shown under a post: re-encoded like an avatar (no EXIF), with a thumbnail."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    image = models.FileField(upload_to="forums/images/")
    thumbnail = models.FileField(upload_to="forums/images/")
    alt = models.CharField(_("image description"), max_length=200, blank=True)

    def __str__(self) -> str:
        return self.image.name


class PostRevision(models.Model):
    """The text a post had before an edit; moderators read the history."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"revision of {self.post_id}"


class Reaction(models.Model):
    class Kind(models.TextChoices):
        LIKE = "like", _("Like")
        THANKS = "thanks", _("Thanks")
        INSIGHTFUL = "insightful", _("Insightful")
        SUPPORT = "support", _("Support")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "member", "kind"], name="forums_react_once")
        ]

    def __str__(self) -> str:
        return self.kind


class ReadPosition(models.Model):
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    last_read_post_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "thread"], name="forums_one_read_position")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} read {self.thread_id} to {self.last_read_post_id}"


class Mention(models.Model):
    """A member named in a post with the autocomplete (`@Name#id`), kept for notifications."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "member"], name="forums_mention_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.post_id}"
