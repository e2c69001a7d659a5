"""Wagtail hooks of the knowledge app: documents are downloadable only from published pages;
reviewers of a member's proposal reach the file the member sent (a header button).

Wagtail serves any document to anyone who has its address (`/documents/<id>/<name>`). A document
attached to a resource that is still a draft, or only to an unpublished revision, must not leak
before the editors publish it. `WAGTAILDOCS_SERVE_METHOD = "serve_view"` sends every download
through Wagtail's view, and this hook lets it through only when a live page that every reader
may see links the document (Wagtail's reference index records the links of each page's live
content: drafts of a live page stay in revisions, which it does not index), or when the reader
can use the admin (editors previewing a draft). Anyone else gets a 404, as for a missing file.

A proposal that matches the moderators' word lists warns its reviewers on its edit page.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest

from wagtail import hooks
from wagtail.models import Page, ReferenceIndex

from core.roles import ADMIN_PERMISSION


def document_is_published(document) -> bool:
    """A live page without view restriction links `document` in its published content."""
    from .library import restricted

    page_type = ReferenceIndex._get_base_content_type(Page)
    linking = ReferenceIndex.get_references_to(document).filter(base_content_type=page_type)
    ids = linking.values_list("object_id", flat=True)
    return Page.objects.live().filter(pk__in=[int(pk) for pk in ids]).exclude(restricted()).exists()


@hooks.register("before_serve_document")
def documents_of_unpublished_pages_stay_hidden(document, request: HttpRequest):
    user = request.user
    if user.is_authenticated and user.has_perm(ADMIN_PERMISSION):
        return None
    if not document_is_published(document):
        raise Http404
    return None


@hooks.register("register_page_header_buttons")
def submitted_file_button(page, user, view_name, next_url=None):
    """On a proposed resource's admin pages: the member's file, for reviewers to read (through
    `core.private_files`, which asks them for a second factor)."""
    from django.utils.translation import gettext as _

    from wagtail.admin.widgets import Button

    from core.private_files import private_file_url

    from .submission_models import ResourceSubmission
    from .submission_permissions import can_review

    submission = ResourceSubmission.objects.filter(page_id=page.pk).exclude(file="").first()
    if submission is not None and can_review(user, submission):
        yield Button(
            _("File sent by the member"),
            url=private_file_url(submission.file),
            icon_name="doc-full",
            priority=80,
        )


@hooks.register("before_edit_page")
def warn_reviewers_of_screened_proposals(request: HttpRequest, page):
    """A member's proposal whose title or summary matches the moderators' word lists
    (`core.screening`) is held like every proposal, never dropped: its reviewers are told which
    terms matched at the top of its edit page, read afresh from the draft and the lists."""
    if request.method != "GET":
        return None
    from django.contrib import messages
    from django.utils.translation import gettext as _

    from core.screening import screen

    from .submission_models import ResourceSubmission, SubmissionState

    submission = (
        ResourceSubmission.objects.filter(page_id=page.pk, state=SubmissionState.IN_REVIEW)
        .select_related("page")
        .first()
    )
    if submission is None:
        return None
    draft = page.get_latest_revision_as_object()
    terms = screen(f"{draft.title} {getattr(draft, 'summary', '')}", submission.language)
    if terms:
        messages.warning(
            request,
            _(
                "This proposal matches the moderators' word lists (%(terms)s): check it "
                "carefully before publishing it."
            )
            % {"terms": ", ".join(terms)},
        )
    return None
