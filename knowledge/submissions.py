"""Members' proposals of library resources, through the editors' review workflow.

`submit` turns a valid `ResourceSubmissionForm` into a draft `ResourcePage` in the library of
the language the member chose, saves it as a revision and starts the site's review workflow on
it (the workflow Wagtail's initial data made, whose approval task belongs to the Moderator
role: editors edit the draft, moderators approve or request changes). The file the member sent
stays in `core.private_files` storage, readable by the member and by staff who may edit the
page, with a second factor.

Wagtail's signals carry the outcome back (connected in `knowledge.declarations`):
- `page_published` of a proposed page: the private file becomes a Wagtail document attached to
  the page (a new revision, published at once, so the live page and the next draft both hold
  it), the private copy is deleted, and the member is told through
  `core.notify` (the notification centre, and e-mail in their language as they chose);
- `workflow_rejected` ("Request changes" on the moderators' task): the member is told the
  moderator's comment as the reason;
- `task_submitted` when editors send a returned proposal for review again: waiting once more;
- `pre_delete` of a waiting proposal's draft: not accepted (the member is told, without reason).
Submitting follows the member's trust level (`core.trust`), as forum posts and opportunities
do: links in the title and summary are limited (`count_links`, the resource's own link is what a
proposal is for and is not counted), proposals per hour are the level's `posts_per_hour`, and a
daily cap (`PER_DAY`) spares the editors a flood whatever the level. Every proposal is held for
review (the workflow), whatever the level; a word-list match (`core.screening`) is never dropped
either: the reviewers are warned on its admin pages (`knowledge.wagtail_hooks`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from wagtail.documents import get_document_model
from wagtail.models import Page, TaskState, WorkflowState
from wagtail.users.models import UserProfile

from core import trust
from core.models import User
from core.notify import notify
from core.private_files import delete_private_file, private_storage, store_private
from core.ratelimit import hit, seconds_left
from core.roles import is_staff_member

from .models import LibraryPage, ResourceAttachment, ResourcePage
from .submission_models import ResourceSubmission, SubmissionState

# Proposals a day, whatever the trust level; per hour, the level's `posts_per_hour` counts.
PER_DAY = 20
SCOPE = "resources"


class Refused(Exception):
    """Why a proposal cannot be taken now; `message` is translated for the member, `field` the
    form field it is about (None: the whole proposal)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class TooMany(Refused):
    """Refused by the rate limit; `retry_after` is how many seconds until it lets one through."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def library_for(language: str) -> LibraryPage | None:
    """The library of `language`, where proposals in that language wait as drafts."""
    return LibraryPage.objects.filter(locale__language_code=language).order_by("pk").first()


def _free_slug(library: LibraryPage, title: str) -> str:
    base = (slugify(title, allow_unicode=True) or "resource")[:70].strip("-") or "resource"
    taken = set(
        Page.objects.filter(path__startswith=library.path, depth=library.depth + 1)
        .filter(slug__startswith=base)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def submit(member: User, data: dict) -> ResourceSubmission:
    """Create the draft page, its revision, its workflow and the submission; or raise Refused
    (`TooMany` when the member's hourly or daily allowance is spent).

    `data` is a valid form's cleaned data. Nothing is stored when anything fails.
    """
    limits = trust.limits_for(member)
    if trust.count_links(f"{data['title']} {data['summary']}") > limits.links_per_post:
        raise Refused(trust.links_error(limits), field="summary")
    if not trust.allows_post(member, SCOPE):
        raise TooMany(trust.posting_limit_message(), seconds_left(3600))
    if not hit("resource-submit-day", str(member.pk), PER_DAY, 86400):
        raise TooMany(
            _("You have proposed many resources recently: try again later."),
            seconds_left(86400),
        )
    library = library_for(data["language"])
    if library is None:
        raise Refused(_("The library in this language is not open for proposals yet."))
    workflow = library.get_workflow()
    if workflow is None:
        raise Refused(_("The library does not take proposals at the moment."))
    upload = data.get("file")
    with transaction.atomic():
        page = ResourcePage(
            title=data["title"],
            slug=_free_slug(library, data["title"]),
            summary=data["summary"],
            resource_type=data["resource_type"],
            countries=data.get("countries") or [],
            source_url=data.get("link") or "",
            live=False,
            owner=member,
        )
        page.topics = list(data.get("topics") or [])
        library.add_child(instance=page)
        page.save_revision(user=member, log_action=True)
        submission = ResourceSubmission(
            member=member,
            page=page,
            title=page.title,
            language=data["language"],
            link=data.get("link") or "",
        )
        if upload:
            store_private(submission, "file", upload, save=False)
        try:
            submission.save()
            _only_our_emails(member)
            workflow.start(page, member)
        except Exception:
            if submission.file:
                private_storage().delete(submission.file.name)  # the rollback keeps no row
            raise
    return submission


def _only_our_emails(member: User) -> None:
    """Wagtail e-mails whoever started a workflow about its outcome, with links into the admin;
    a member who cannot open the admin gets ours instead (`on_published`, `on_rejected`)."""
    if is_staff_member(member):
        return
    profile = UserProfile.get_for_user(member)
    if profile.approved_notifications or profile.rejected_notifications:
        profile.approved_notifications = profile.rejected_notifications = False
        profile.save(update_fields=["approved_notifications", "rejected_notifications"])


def submission_for_page(page_id: int) -> ResourceSubmission | None:
    return ResourceSubmission.objects.select_related("member").filter(page_id=page_id).first()


# --- Outcomes, from Wagtail's signals -----------------------------------------------------------


def on_published(page: ResourcePage, revision=None) -> None:
    """A proposed page went live: attach its file as a document, tell the member once."""
    if not page.live:
        return  # approved for a later date: Wagtail signals it now, it goes live then
    submission = submission_for_page(page.pk)
    if submission is None or submission.state == SubmissionState.PUBLISHED:
        return
    submission.state = SubmissionState.PUBLISHED
    submission.decided_at = timezone.now()
    submission.reason = ""
    submission.save(update_fields=["state", "decided_at", "reason"])
    if submission.file:
        _attach_file(submission, page)
    transaction.on_commit(lambda: _tell_member(submission.pk, "published"))


def _attach_file(submission: ResourceSubmission, page: ResourcePage) -> None:
    """Move the private file into a Wagtail document linked from the live page."""
    name = submission.file.name.rsplit("/", 1)[-1]
    with private_storage().open(submission.file.name, "rb") as handle:
        document = get_document_model()(
            title=submission.title[:255], uploaded_by_user=submission.member
        )
        document.file.save(name, File(handle, name=name), save=False)
        document._set_document_file_metadata()
        document.save()
    delete_private_file(submission.file)
    submission.file = ""
    submission.document = document
    submission.save(update_fields=["file", "document"])
    # From the live page (what was just published), so the next draft holds the file too;
    # publishing it comes back to on_published, which sees the submission already published.
    # The site does it, not a person: whoever published has already decided (the revision's
    # own author is the member, who may not publish).
    live = ResourcePage.objects.get(pk=page.pk)
    live.attachments.add(ResourceAttachment(document=document))
    live.save_revision(log_action=True).publish(skip_permission_checks=True)


def on_rejected(workflow_state: WorkflowState) -> None:
    """The moderators asked for changes: the member is told, with the moderator's comment."""
    submission = submission_for_page(int(workflow_state.object_id))
    if submission is None or submission.state == SubmissionState.PUBLISHED:
        return
    task_state = workflow_state.current_task_state
    submission.state = SubmissionState.REJECTED
    submission.reason = (task_state.get_comment() if task_state else "") or ""
    submission.decided_at = timezone.now()
    submission.save(update_fields=["state", "reason", "decided_at"])
    transaction.on_commit(lambda: _tell_member(submission.pk, "rejected"))


def on_deleted(page_id: int) -> None:
    """Editors deleted a proposal's draft without publishing it: it was not accepted."""
    submission = submission_for_page(page_id)
    if submission is None or submission.state != SubmissionState.IN_REVIEW:
        return
    submission.state = SubmissionState.REJECTED
    submission.decided_at = timezone.now()
    submission.save(update_fields=["state", "decided_at"])
    transaction.on_commit(lambda: _tell_member(submission.pk, "rejected"))


def on_submitted_again(task_state: TaskState) -> None:
    """Editors sent a returned proposal for review again: the member sees it waiting."""
    workflow_state = task_state.workflow_state
    base = Page._meta.label_lower
    if workflow_state.base_content_type.model_class()._meta.label_lower != base:
        return
    ResourceSubmission.objects.filter(
        page_id=int(workflow_state.object_id), state=SubmissionState.REJECTED
    ).update(state=SubmissionState.IN_REVIEW, decided_at=None)


def _tell_member(submission_id: int, decision: str) -> None:
    submission = (
        ResourceSubmission.objects.select_related("member", "page").filter(pk=submission_id).first()
    )
    if submission is None:
        return
    notify(
        SUBMISSION_KIND,
        submission.member,
        target=submission,
        decision=decision,
        title=submission.title,
        reason=submission.reason,
    )


# --- The notification kind (declared in submission_declarations.py) -----------------------------

SUBMISSION_KIND = "knowledge.submission_decision"


def describe_decision(notification) -> str:
    subject = (
        PUBLISHED_SUBJECT
        if notification.data.get("decision") == "published"
        else (REJECTED_SUBJECT)
    )
    return (_(subject) % {"title": notification.data.get("title", "")}).replace("\n", " ")


def decision_url(notification) -> str:
    submission = notification.target
    page = submission.page if submission is not None else None
    if notification.data.get("decision") == "published" and page is not None and page.live:
        return page.get_full_url() or reverse("members:dashboard")
    return reverse("members:dashboard")


def decision_details(notification) -> str:
    dashboard = settings.SITE_URL + reverse("members:dashboard")
    url = decision_url(notification)
    values = {
        "title": notification.data.get("title", ""),
        "reason": notification.data.get("reason") or _("No reason was given."),
        "url": settings.SITE_URL + url if url.startswith("/") else url,
        "dashboard": dashboard,
    }
    body = PUBLISHED_BODY if notification.data.get("decision") == "published" else REJECTED_BODY
    return _(body) % values


# Literal msgids, translated in the member's language when the e-mail is sent.
PUBLISHED_SUBJECT = gettext_noop("Your resource is published: %(title)s")
PUBLISHED_BODY = gettext_noop(
    "Thank you: the editors published the resource you proposed, %(title)s, in the Diaspora "
    "Hub library. Read it here: %(url)s"
)
REJECTED_SUBJECT = gettext_noop("Your proposed resource was not accepted: %(title)s")
REJECTED_BODY = gettext_noop(
    "The editors reviewed the resource you proposed, %(title)s, and did not publish it.\n\n"
    "Their reason: %(reason)s\n\nYour proposals and their status: %(dashboard)s"
)
