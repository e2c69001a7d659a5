"""Who may see what of a member's proposal: one place every view and the private file ask.

The member who proposed it sees it and its file; so does staff who may edit its draft page in
Wagtail (page permissions, so an editor without rights on that library cannot), and only after
giving a second factor in the session, as for any privileged reading. Nobody else, not other
members and not anonymous visitors: they get a 404.
"""

from __future__ import annotations

from .submission_models import ResourceSubmission


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_submitter(user, submission: ResourceSubmission) -> bool:
    return _signed_in(user) and submission.member_id == user.pk


def can_review(user, submission: ResourceSubmission) -> bool:
    """Staff who may edit the proposal's draft page in the admin."""
    if not _signed_in(user) or submission.page is None:
        return False
    return submission.page.permissions_for_user(user).can_edit()


def can_read_file(user, submission: ResourceSubmission) -> bool:
    return is_submitter(user, submission) or can_review(user, submission)


def file_needs_second_factor(user, submission: ResourceSubmission) -> bool:
    """Reading through a permission, not one's own file, needs a second factor."""
    return not is_submitter(user, submission)


def can_propose(user) -> bool:
    """Any signed-in member may propose a resource (sanctioned accounts are cut off before:
    `core.sanctions` for sessions, `core.api_tokens` for tokens)."""
    return _signed_in(user)
