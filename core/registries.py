"""Registries that apps declare into, so hub features never import every app.

Each registry is an ordered mapping from a key to what an app declared. Apps declare at import
time of their `declarations.py` module (imported from `AppConfig.ready`), and the hub code that
consumes a registry reads it lazily, after all apps are ready.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from django.core.files import File

from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from .page_cache import EVERYTHING

T = TypeVar("T")


class Registry(Generic[T]):
    """An ordered, named collection of declarations with a clear error on duplicates."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._items: dict[str, T] = {}

    def register(self, key: str, item: T) -> T:
        if key in self._items and self._items[key] is not item:
            raise ValueError(f"{self.name}: {key!r} is already registered")
        self._items[key] = item
        return item

    def unregister(self, key: str) -> None:
        self._items.pop(key, None)

    def __getitem__(self, key: str) -> T:
        return self._items[key]

    def get(self, key: str) -> T | None:
        return self._items.get(key)

    def __contains__(self, key: str) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[T]:
        return iter(self._items.values())

    def items(self) -> list[tuple[str, T]]:
        return list(self._items.items())

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True)
class NavigationEntry:
    """One item of the main navigation; shown as a link once its URL name resolves."""

    key: str
    label: Any
    url_name: str
    order: int


@dataclass(frozen=True)
class DemoLoader:
    """A callable that creates an app's demo content idempotently and returns a summary line."""

    key: str
    load: Callable[[Callable[[str], None]], str]
    order: int = 100


@dataclass(frozen=True)
class PeriodicJob:
    """A task the worker enqueues every `every`; the task must be safe to run late or twice."""

    key: str
    task_path: str
    every: timedelta


@dataclass(frozen=True)
class LiveStream:
    """A kind of live stream a page may subscribe to over its one websocket.

    `group_for(user, object_id)` returns the channel-layer group to join, or None when the
    user may not follow that object (the consumer then answers with a translated error).
    """

    key: str
    group_for: Callable[[Any, str | None], str | None]


@dataclass(frozen=True)
class PolicyDocument:
    """What members accept on sign-up: a kind (terms, privacy, conduct) and its current version."""

    kind: str
    title: Any
    version: int
    url: str


@dataclass
class PolicyProvider:
    """Declared by the app that stores the policy texts; returns the current published policies."""

    current: Callable[[], list[PolicyDocument]] = field(default=lambda: [])


@dataclass(frozen=True)
class PagePanel:
    """A block of community data a knowledge page shows (e.g. latest opportunities on home).

    `render(request, page)` returns safe HTML; `page_type` says which page shows it. `groups`
    are the content groups it shows (`core.page_cache`): the page declares them before the panel
    renders, so a write to one of them shows on the cached page at once. Left out, the panel
    depends on everything. A panel showing deadlines also calls `expire_within(request, ...)`.

    A panel whose page type lists many keys (a country page per country code) may also say how
    much it would show for each key, for an index of those pages: `count(request, keys)` returns
    `{key: number}` for all `keys` in one query (keys with nothing may be left out), and
    `count_label` names what is counted ("Organisations"). It may call `expire_within` too.

    `varies_on(request)`, when given, says what the panel's HTML depends on beyond the page, the
    interface language, the reader's audience and its groups' contents (the reader's time zone,
    say; `()` for nothing more): the page may then keep that HTML per process under all of these
    (`core.panel_cache`). A panel showing anything else of the reader (a token, their name)
    leaves it out.
    """

    key: str
    page_type: str
    render: Callable[[Any, Any], str]
    order: int = 100
    groups: tuple[str, ...] = (EVERYTHING,)
    count: Callable[[Any, list[str]], dict[str, int]] | None = None
    count_label: Any = None
    varies_on: Callable[[Any], Hashable] | None = None


@dataclass(frozen=True)
class ReportReason:
    """One reason a member may give when reporting something; `label` is translatable."""

    key: str
    label: Any
    order: int = 100


class ReportReasons:
    """The ONE list of report reasons every reportable model shares.

    Apps extend it (forums adds its own reasons) but can neither remove nor relabel a reason
    another app relies on: a report's stored `reason` key must keep meaning the same thing.
    A `Report.reason` field passes `report_reasons.choices` (a callable, so the list is read
    when the form is built, after every app has added its reasons, and never frozen into a
    migration).
    """

    def __init__(self, reasons: list[ReportReason]) -> None:
        self._reasons: dict[str, ReportReason] = {}
        for reason in reasons:
            self.add(reason)

    def add(self, reason: ReportReason) -> ReportReason:
        """Add a reason; refuses a key already in the list, so nothing is ever replaced."""
        if reason.key in self._reasons:
            raise ValueError(f"report_reasons: {reason.key!r} is already a reason")
        self._reasons[reason.key] = reason
        return reason

    def __iter__(self) -> Iterator[ReportReason]:
        return iter(sorted(self._reasons.values(), key=lambda reason: reason.order))

    def __contains__(self, key: str) -> bool:
        return key in self._reasons

    def __len__(self) -> int:
        return len(self._reasons)

    def __getitem__(self, key: str) -> ReportReason:
        return self._reasons[key]

    def choices(self) -> list[tuple[str, Any]]:
        """(key, label) pairs in order, for a model field's or a form field's `choices`."""
        return [(reason.key, reason.label) for reason in self]


@dataclass(frozen=True)
class ReportableModel:
    """What moderation needs to handle reports about one model, declared by the model's app.

    - `model`: the model's label, "app_label.ModelName"; also the registry key.
    - how a moderator sees the reported object in context: either `show(request, obj)` returning
      safe HTML, or `template` rendered with `template_context(request, obj)`; `render` uses
      whichever was given;
    - `author(obj)`: the member responsible for it (None when gone or not a member's);
    - `url(obj)`: where it lives on the site (None when it has no page of its own);
    - `hide(obj, moderator)` / `restore(obj, moderator)`: take it out of every reader's sight and
      put it back, and `is_hidden(obj)` says which of the two a moderator may do now.
    - `can_view(user, obj)`: whether this member may see it, so may report it (a 404 otherwise,
      never revealing that it exists); when not given, anything not hidden may be reported.
    - `delete(obj, moderator)`: a moderator's "delete", the app's own way, for a model whose rows
      must not simply go (forums keep a deleted post's place and its thread's counters, caches,
      live readers and search right; a Wagtail page belongs to its editors' tree, revisions and
      translations); when not given, the row is deleted.
    """

    model: str
    author: Callable[[Any], Any | None]
    url: Callable[[Any], str | None]
    hide: Callable[[Any, Any], None]
    restore: Callable[[Any, Any], None]
    is_hidden: Callable[[Any], bool]
    show: Callable[[Any, Any], str] | None = None
    template: str | None = None
    template_context: Callable[[Any, Any], dict[str, Any]] | None = None
    can_view: Callable[[Any, Any], bool] | None = None
    delete: Callable[[Any, Any], None] | None = None

    def __post_init__(self) -> None:
        if self.model.count(".") != 1:
            raise ValueError(f"reportable_models: {self.model!r} is not 'app_label.ModelName'")
        if (self.show is None) == (self.template is None):
            raise ValueError(f"reportable_models: {self.model} needs either show or template")

    @property
    def model_class(self) -> type:
        from django.apps import apps

        return apps.get_model(self.model)

    def render(self, request: Any, obj: Any) -> SafeString:
        """The reported object as a moderator sees it, in context."""
        if self.show is not None:
            return SafeString(self.show(request, obj))
        from django.template.loader import render_to_string

        context = self.template_context(request, obj) if self.template_context else {}
        return SafeString(render_to_string(self.template, {"object": obj, **context}, request))

    def remove(self, obj: Any, moderator: Any) -> None:
        """A moderator's "delete": the declared `delete`, else the row goes."""
        if self.delete is not None:
            self.delete(obj, moderator)
        else:
            obj.delete()

    def visible_to(self, user: Any, obj: Any) -> bool:
        """Whether `user` may see `obj` (and so report it)."""
        if self.can_view is not None:
            return bool(self.can_view(user, obj))
        return not self.is_hidden(obj)


@dataclass(frozen=True)
class DashboardPanel:
    """A block of the member's dashboard, `/me/`, declared by the app whose data it shows.

    `render(request)` returns safe HTML, or None when it has nothing to show (the dashboard then
    leaves the panel and its title out); `is_visible(user)` hides it from whoever it is not for
    without rendering it.
    """

    key: str
    title: Any
    render: Callable[[Any], str | None]
    order: int = 100
    is_visible: Callable[[Any], bool] = field(default=lambda user: True)


navigation: Registry[NavigationEntry] = Registry("navigation")
demo_loaders: Registry[DemoLoader] = Registry("demo_loaders")
periodic_jobs: Registry[PeriodicJob] = Registry("periodic_jobs")
live_streams: Registry[LiveStream] = Registry("live_streams")
policy_provider = PolicyProvider()
page_panels: Registry[PagePanel] = Registry("page_panels")
personal_data: Registry[PersonalData] = Registry("personal_data")  # defined below
notification_kinds: Registry[NotificationKind] = Registry("notification_kinds")  # defined below
reportable_models: Registry[ReportableModel] = Registry("reportable_models")
# Stored keys: never rename one. "other" stays last whatever forums and later apps add.
report_reasons = ReportReasons(
    [
        ReportReason("spam", _("Spam"), 10),
        ReportReason("scam", _("Scam or fraud"), 20),
        ReportReason("impersonation", _("Impersonation"), 30),
        ReportReason("harassment", _("Harassment or hate"), 40),
        ReportReason("off_topic", _("Off-topic"), 50),
        ReportReason("other", _("Other"), 1000),
    ]
)
dashboard_panels: Registry[DashboardPanel] = Registry("dashboard_panels")


def current_policies() -> list[PolicyDocument]:
    """The published policies a member must accept, as declared by the app that stores them."""
    return list(policy_provider.current())


def reportable_for(obj: Any) -> ReportableModel | None:
    """The declaration that says how to moderate `obj`, or None when its model is not reportable."""
    return reportable_models.get(obj._meta.label)


def dashboard_panels_for(request: Any) -> list[tuple[DashboardPanel, SafeString]]:
    """The panels `/me/` shows this reader, in order, each with its HTML; empty ones left out."""
    shown = []
    for panel in sorted(dashboard_panels, key=lambda panel: (panel.order, panel.key)):
        if not panel.is_visible(request.user):
            continue
        html = panel.render(request)
        if html:
            shown.append((panel, SafeString(html)))
    return shown


@dataclass(frozen=True)
class LoginRedirect:
    """Where to send a member right after they sign in, declared by the app that needs it.

    `url_for(request)` returns a URL (in the request's language) or None when it has nothing
    to say for this member; the first declaration, by `order`, that answers wins, and none
    answering leaves the usual destination. Only consulted when the log-in did not ask for a
    page of its own (`?next=`). Members' onboarding declares "onboarding" here, so the kernel's
    allauth adapter can send a new member to it without importing the community apps.
    """

    key: str
    url_for: Callable[[Any], str | None]
    order: int = 100


login_redirects: Registry[LoginRedirect] = Registry("login_redirects")


@dataclass(frozen=True)
class SignedInUserColumn:
    """Something of the signed-in member that pages of several apps show (their time zone, say),
    read with the user's own row, which every signed-in request reads first
    (`core.permissions_backend`), rather than by a query of its own on each of those pages.

    `expression()` returns a query expression over the user row (a `Subquery` or `Exists` on
    `OuterRef("pk")`), the same every time; its value is set on the user as `key`. A user read any
    other way does not have it: readers fall back to their own query (`getattr` with a default).
    """

    key: str
    expression: Callable[[], Any]


signed_in_user_columns: Registry[SignedInUserColumn] = Registry("signed_in_user_columns")


def login_redirect_for(request: Any) -> str | None:
    """The first declared destination for the member who just signed in, or None."""
    for redirect in sorted(login_redirects, key=lambda item: (item.order, item.key)):
        url = redirect.url_for(request)
        if url:
            return url
    return None


# --- Personal data ("Your data") and private files -----------------------------------------------

# A file that goes into a member's data export: its name inside the zip's `files/<app>/` folder,
# and either a file object (a model's FieldFile, any django File) or a name in the `private`
# storage (core.private_files), where members' own documents live.
ExportFile = tuple[str, "str | File"]


def _no_files(user: Any) -> list[ExportFile]:
    return []


def _no_blockers(user: Any) -> list[str]:
    return []


@dataclass(frozen=True)
class PersonalData:
    """What one app holds about a person: how to export it, erase it, and what stops erasing it.

    - `export(user)`: a JSON-serialisable dict, the app's section of `data.json`;
    - `files(user)`: the person's files, as `ExportFile`s;
    - `erase(user)`: delete (or anonymise) the app's rows about the person; it runs inside the
      transaction that deletes the account, before the user row goes, so it may still read them;
    - `blockers(user)`: translated reasons why the account cannot be deleted yet, each saying
      what to do ("You are the only administrator of X: hand it over first"); empty when none.
    """

    key: str
    label: Any
    export: Callable[[Any], dict[str, Any]]
    erase: Callable[[Any], None]
    files: Callable[[Any], list[ExportFile]] = _no_files
    blockers: Callable[[Any], list[str]] = _no_blockers
    order: int = 100


@dataclass(frozen=True)
class PrivateFileKind:
    """Files of one kind (CVs, verification documents) stored by `core.private_files`.

    `model.<field>` (a `PrivateFileField(kind=key)`) holds the file; `can_read(user, record)`
    says whether `user` (perhaps anonymous) may download the file of `record`. Anyone else gets
    a 404, as if the file did not exist. `needs_second_factor(user, record)` says when a reader
    who may read it must also have given a second factor in this session (a moderator reading
    through a permission, not an owner reading their own file), as `core.guards` asks of
    privileged views: a stolen password alone must not open someone else's documents.
    """

    key: str
    model: Any
    field: str
    can_read: Callable[[Any, Any], bool]
    needs_second_factor: Callable[[Any, Any], bool] = field(default=lambda user, record: False)


private_files: Registry[PrivateFileKind] = Registry("private_files")


# --- Notifications (`core.notify`) ---------------------------------------------------------------

EMAIL_FREQUENCIES = ("immediately", "daily", "weekly", "never")


def _always_visible(recipient: Any, target: Any) -> bool:
    return True


def _no_details(notification: Any) -> str:
    return ""


@dataclass(frozen=True)
class NotificationKind:
    """One kind of thing a member may be told about, declared by the app that tells them.

    - `key`: stored on every notification and preference: never rename one ("app.event");
    - `label`: what the preferences page calls it ("Replies in threads you follow");
    - `default_email`: how often it is e-mailed until the member chooses: one of
      `EMAIL_FREQUENCIES` ("immediately", "daily", "weekly", "never");
    - `describe(notification)`: the one line shown in the notification centre and used as the
      e-mail's subject and digest line; called under the recipient's language (translate
      inside it), with `notification.target`, `.actor` and `.data` at hand;
    - `url(notification)`: where the line leads (a path on this site, or a full URL);
    - `details(notification)`: optional longer plain text for the immediate e-mail's body
      (a moderator's reason); empty by default;
    - `is_visible(recipient, target)`: False once the target is hidden or no longer readable
      by this recipient: the notification is then neither listed, counted nor e-mailed, so
      hidden content never leaks through notifications. Called with `target` None when it
      was deleted (a kind whose notifications need their target says False then).
    """

    key: str
    label: Any
    describe: Callable[[Any], str]
    url: Callable[[Any], str]
    default_email: str = "immediately"
    details: Callable[[Any], str] = _no_details
    is_visible: Callable[[Any, Any], bool] = _always_visible

    def __post_init__(self) -> None:
        if self.default_email not in EMAIL_FREQUENCIES:
            raise ValueError(
                f"notification_kinds: {self.key}: default_email must be one of {EMAIL_FREQUENCIES}"
            )


@dataclass
class NotificationHooks:
    """What the kernel's `notify()` needs from the apps, declared by them at start-up.

    - `is_blocked(recipient, actor) -> bool`: whether `recipient` blocked `actor` (members);
    - `store(kind, recipient, target, actor, data) -> Any`: keep the notification and arrange
      its delivery (the notifications app); returns the stored notification;
    - `unread_count(recipient) -> int`: what the header badge shows (the notifications app).
    Left undeclared, nobody is blocked and nothing is stored (a kernel on its own).
    """

    is_blocked: Callable[[Any, Any], bool] = field(default=lambda recipient, actor: False)
    store: Callable[..., Any] | None = None
    unread_count: Callable[[Any], int] = field(default=lambda recipient: 0)


notification_hooks = NotificationHooks()


# --- What other apps may know of a member's privacy -----------------------------------------------


@dataclass
class MemberPrivacy:
    """Declared by the app that keeps members' profiles (members), for apps that cannot import
    it (knowledge) but show a member's name somewhere public (a course certificate).

    - `is_protected(user) -> bool`: whether the member is in protected mode, so that their name
      must never be shown to others, whatever else they agreed to.
    - `public_name(user) -> str`: the name the member chose to be known by (their profile's
      display name); left undeclared, the account's full name.
    Left undeclared (None), every member counts as protected: a name is never shown by mistake.
    """

    is_protected: Callable[[Any], bool] | None = None
    public_name: Callable[[Any], str] | None = None

    def protects(self, user: Any) -> bool:
        """Whether `user`'s name must stay hidden from others (True while undeclared)."""
        return True if self.is_protected is None else bool(self.is_protected(user))

    def name_of(self, user: Any) -> str:
        """The name `user` is known by on the site (only ever shown where `protects` allows)."""
        name = self.public_name(user) if self.public_name is not None else ""
        return (name or user.get_full_name() or "").strip()


member_privacy = MemberPrivacy()
# --- Trust and screening (core.trust, core.screening) ---------------------------------------------


@dataclass(frozen=True)
class TrustContribution:
    """How many of a member's items an app counts as approved participation (`core.trust`).

    `approved_count(user)` returns the number of the member's items a reader can see and nobody
    hid (opportunities published without or after review; forums' visible posts later).
    """

    key: str
    approved_count: Callable[[Any], int]


trust_contributions: Registry[TrustContribution] = Registry("trust_contributions")


@dataclass
class ScreeningProvider:
    """Declared by the app that keeps the word lists (moderation): `terms(language)` returns the
    terms that hold content written in `language` for review (`core.screening`)."""

    terms: Callable[[str], list[str]] = field(default=lambda language: [])


screening_provider = ScreeningProvider()


# --- Organisations, for the kernel's API tokens and webhooks (core.api_tokens, core.webhooks) ----


@dataclass
class OrganisationDirectory:
    """Declared by the organisations app: which organisations a member administers.

    - `administered(user) -> list[tuple[int, str]]`: (id, name) of the visible organisations
      `user` administers, by name; a token may act for one, a webhook may belong to one;
    - `is_admin(user, organisation_id) -> bool`: whether `user` administers it now (asked on
      every request a token acting for it makes, so a removed admin's token stops acting);
    - `name(organisation_id) -> str | None`: its name, for the pages that list tokens and hooks.
    Left undeclared, nobody administers anything.
    """

    administered: Callable[[Any], list[tuple[int, str]]] = field(default=lambda user: [])
    is_admin: Callable[[Any, int], bool] = field(default=lambda user, organisation_id: False)
    name: Callable[[int], str | None] = field(default=lambda organisation_id: None)


organisation_directory = OrganisationDirectory()


@dataclass(frozen=True)
class WebhookEvent:
    """A kind of event partners may subscribe a webhook to, declared by the app that emits it
    (`core.webhooks.emit(key, data)`). `key` is sent in every delivery: never rename one."""

    key: str
    label: Any
    order: int = 100


webhook_events: Registry[WebhookEvent] = Registry("webhook_events")
