"""The blocks a course lesson is written with: the library's blocks (text, headings, a video
embed that works offline, document downloads, tables...) plus a short quiz.

A quiz is a few questions, each with single or multiple choice, and for every answer whether it
is right and what the reader is told after choosing it. Questions and answers are list items,
whose ids Wagtail keeps across edits and wagtail-localize keeps across translations: the form
posts those ids, the server scores them (`knowledge.courses.score_quiz`), and a member's best
score stays the same whichever language they took the quiz in. Nothing about which answer is
right ever reaches the page before the member has answered.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from .blocks import ResourceBodyBlock


class AnswerBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("answer"), max_length=300)
    correct = blocks.BooleanBlock(label=_("this answer is right"), required=False)
    feedback = blocks.TextBlock(
        label=_("feedback"),
        required=False,
        max_length=600,
        help_text=_("What the reader is told after choosing this answer."),
    )


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"), max_length=400)
    multiple = blocks.BooleanBlock(
        label=_("several answers may be right"),
        required=False,
        help_text=_("Readers tick every right answer; otherwise they choose one."),
    )
    answers = blocks.ListBlock(AnswerBlock(), label=_("answers"), min_num=2, max_num=8)

    def clean(self, value):
        value = super().clean(value)
        right = sum(1 for answer in value["answers"] if answer["correct"])
        if right == 0 or (right > 1 and not value["multiple"]):
            raise StructBlockValidationError(
                block_errors={
                    "answers": ValidationError(
                        _("Mark exactly one right answer, or allow several answers.")
                        if right > 1
                        else _("Mark at least one answer as right.")
                    )
                }
            )
        return value


class QuizBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=200, required=False)
    questions = blocks.ListBlock(QuestionBlock(), label=_("questions"), min_num=1, max_num=10)

    class Meta:
        icon = "help"
        label = _("Quiz")
        # Used where the lesson is rendered as a whole (search, exports): the questions only.
        template = "knowledge/blocks/quiz.html"


class LessonBodyBlock(ResourceBodyBlock):
    quiz = QuizBlock()
