"""The page where a signed-in member proposes a resource; the work is `knowledge.submissions`.

Only a valid form reaches `submit`; a refusal (the trust level's limits on links and proposals
an hour, no library in that language) is shown on the re-displayed form with everything the
member typed (a refused link limit beside the summary), and nothing is stored. After
a proposal the member lands on `/me/`, where "My submissions" shows its status.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import submissions
from .library import reader_language
from .submission_forms import ResourceSubmissionForm


@login_required
def propose(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ResourceSubmissionForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                submissions.submit(request.user, form.cleaned_data)
            except submissions.Refused as refused:
                form.add_error(refused.field, refused.message)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you: your proposal is waiting for the editors' review. We will "
                        "e-mail you when they decide."
                    ),
                )
                return redirect("members:dashboard")
    else:
        form = ResourceSubmissionForm(initial={"language": reader_language()})
    return render(request, "knowledge/submissions/propose.html", {"form": form, "noindex": True})
