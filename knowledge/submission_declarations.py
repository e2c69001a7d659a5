"""What members' proposals declare into the kernel and wire into Wagtail's signals.

- `private_files`: the proposal's file (kind `resource_submission`), readable by its member and
  by staff who may edit the draft, with a second factor (`knowledge.submission_permissions`);
- `dashboard_panels`: "My submissions" on `/me/`, each proposal with its status and reason;
- `personal_data`: a member's proposals in "Your data"; erasing the account deletes the records
  and their private files (the pages stay: once published they belong to the library, drafts
  are the editors' to keep or delete);
- Wagtail's `page_published`, `workflow_rejected` and `task_submitted`, and the deletion of a
  draft, carry the editors' decisions back to the proposal (`knowledge.submissions`).
Imported by `knowledge.declarations`.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_delete
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy

from wagtail.signals import page_published, task_submitted, workflow_rejected

from core.compiled_queries import CompiledQueries
from core.private_files import private_file_url
from core.registries import (
    DashboardPanel,
    NotificationKind,
    PersonalData,
    PrivateFileKind,
    dashboard_panels,
    notification_kinds,
    personal_data,
    private_files,
)

from . import submissions, topic_notices
from .models import ResourcePage
from .submission_models import SUBMISSION_FILE_KIND, ResourceSubmission
from .submission_permissions import can_read_file, file_needs_second_factor

PANEL_ROWS = 10

private_files.register(
    SUBMISSION_FILE_KIND,
    PrivateFileKind(
        SUBMISSION_FILE_KIND,
        ResourceSubmission,
        "file",
        can_read_file,
        needs_second_factor=file_needs_second_factor,
    ),
)


# The dashboard panel's read, on every view of `/me/`, compiled to SQL once per process.
_compiled = CompiledQueries("submissions' dashboard panel", max_entries=2)


def render_my_submissions(request: HttpRequest) -> str | None:
    user = request.user
    rows = _compiled.rows(
        "my submissions",
        lambda: (
            ResourceSubmission.objects.filter(member=user)
            .select_related("page")
            .order_by("-created_at", "-pk")[:PANEL_ROWS]
        ),
        [user.pk],
    )
    if not rows:
        return None
    from .library import language_name

    shown = [
        {
            "submission": row,
            "language": language_name(row.language),
            "url": row.page.get_url(request) if row.page is not None and row.page.live else None,
            "file_url": private_file_url(row.file) if row.file else None,
        }
        for row in rows
    ]
    return render_to_string("knowledge/submissions/panel.html", {"rows": shown}, request)


dashboard_panels.register(
    "knowledge_submissions",
    DashboardPanel(
        "knowledge_submissions",
        gettext_lazy("My submissions"),
        render_my_submissions,
        order=60,
        is_visible=lambda user: bool(user.is_authenticated),
    ),
)


def _export(user) -> dict[str, Any]:
    return {
        "resource_submissions": [
            {
                "title": row.title,
                "language": row.language,
                "link": row.link,
                "file": row.file.name.rsplit("/", 1)[-1] if row.file else None,
                "state": row.state,
                "reason": row.reason,
                "created_at": row.created_at.isoformat(),
                "decided_at": row.decided_at.isoformat() if row.decided_at else None,
            }
            for row in ResourceSubmission.objects.filter(member=user)
        ]
    }


def _files(user) -> list[tuple[str, str]]:
    return [
        (f"submission-{row.pk}-{row.file.name.rsplit('/', 1)[-1]}", row.file.name)
        for row in ResourceSubmission.objects.filter(member=user).exclude(file="")
    ]


def _erase(user) -> None:
    # Each record deletes its private file (PrivateFileField) once the deletion is committed.
    ResourceSubmission.objects.filter(member=user).delete()


personal_data.register(
    "knowledge_submissions",
    PersonalData(
        "knowledge_submissions",
        gettext_lazy("Resources you proposed"),
        export=_export,
        erase=_erase,
        files=_files,
        order=70,
    ),
)


def _published(sender, instance, revision=None, **kwargs) -> None:
    submissions.on_published(instance, revision)
    topic_notices.on_published(instance)


def _rejected(sender, instance, user=None, **kwargs) -> None:
    submissions.on_rejected(instance)


def _deleted(sender, instance, **kwargs) -> None:
    submissions.on_deleted(instance.pk)


def _task_submitted(sender, instance, user=None, **kwargs) -> None:
    submissions.on_submitted_again(instance)


page_published.connect(
    _published, sender=ResourcePage, dispatch_uid="knowledge_submission_published"
)
workflow_rejected.connect(_rejected, dispatch_uid="knowledge_submission_rejected")
pre_delete.connect(_deleted, sender=ResourcePage, dispatch_uid="knowledge_submission_deleted")
task_submitted.connect(_task_submitted, dispatch_uid="knowledge_submission_resubmitted")


# --- Notification kinds ---------------------------------------------------------------------------

notification_kinds.register(
    submissions.SUBMISSION_KIND,
    NotificationKind(
        submissions.SUBMISSION_KIND,
        gettext_lazy("Decisions on the resources you proposed"),
        describe=submissions.describe_decision,
        url=submissions.decision_url,
        details=submissions.decision_details,
    ),
)
notification_kinds.register(
    topic_notices.KIND,
    NotificationKind(
        topic_notices.KIND,
        gettext_lazy("New resources in topics you follow"),
        describe=topic_notices.describe,
        url=topic_notices.url,
        default_email="weekly",
        is_visible=topic_notices.is_visible,
    ),
)
