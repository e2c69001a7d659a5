"""Admin forms of the knowledge page types.

Django's form field for an `ArrayField` is a comma-separated text box, whatever its choices:
editors would type region codes by hand. Resources pick their regions from checkboxes instead.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm


class ResourcePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "regions" in self.fields:
            from .models import Region

            self.fields["regions"] = forms.MultipleChoiceField(
                label=_("regions"),
                choices=Region.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=self.instance.regions if self.instance.pk else [],
            )
