"""What a member does in a course: their enrolment, the lessons they marked complete, their quiz
results and the certificate they claimed.

Every row is keyed by the translation key of the course or lesson page (the same in every
language), not by a page id: a member who starts a course in French and carries on in Arabic
keeps their progress, and a certificate still verifies if editors rework the pages. The course
title is kept with the certificate so that it still says what was completed if the course is
later withdrawn. Everything here is personal data (`knowledge.course_declarations`): exported
with the member's data and erased with their account.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_certificate_code() -> str:
    """An unguessable verification code (about 96 random bits), readable aloud and in a URL."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
    raw = "".join(secrets.choice(alphabet) for _ in range(20))
    return "-".join(raw[i : i + 5] for i in range(0, 20, 5))


class Enrolment(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_enrolments"
    )
    course_key = models.UUIDField(_("course"), db_index=True)
    enrolled_at = models.DateTimeField(_("enrolled on"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("course enrolment")
        verbose_name_plural = _("course enrolments")
        constraints = [
            models.UniqueConstraint(fields=["member", "course_key"], name="unique_enrolment")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.course_key}"


class LessonCompletion(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_completions"
    )
    course_key = models.UUIDField(db_index=True)
    lesson_key = models.UUIDField()
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "lesson_key"], name="unique_completion")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} completed {self.lesson_key}"


class QuizResult(models.Model):
    """A member's best and latest attempt at one quiz (a lesson's quiz block, by its id)."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_results"
    )
    course_key = models.UUIDField(db_index=True)
    lesson_key = models.UUIDField()
    quiz_id = models.CharField(max_length=64)
    best_score = models.PositiveSmallIntegerField(default=0)
    last_score = models.PositiveSmallIntegerField(default=0)
    questions = models.PositiveSmallIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    # The answer ids chosen last time, by question id: the feedback shown under each question.
    last_answers = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "lesson_key", "quiz_id"], name="unique_quiz_result"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.best_score}/{self.questions} on {self.quiz_id}"


class Certificate(models.Model):
    """Issued once every lesson of a course is complete; anyone may verify it by its code."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="certificate"
    )
    code = models.CharField(_("verification code"), max_length=32, unique=True,
                            default=new_certificate_code)  # fmt: skip
    course_title = models.CharField(max_length=255)
    issued_at = models.DateTimeField(_("issued on"), default=timezone.now)
    show_name = models.BooleanField(
        _("show my name on the certificate"),
        default=False,
        help_text=_("Anyone with the code sees your name. Protected members' names never show."),
    )

    class Meta:
        verbose_name = _("course certificate")
        verbose_name_plural = _("course certificates")

    def __str__(self) -> str:
        return self.code
