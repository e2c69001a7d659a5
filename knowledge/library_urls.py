"""`library:index`: the navigation's way to the live library in the reader's language.

Wagtail routes the library page itself, at the address its editors gave it; this name lets
templates and the main navigation link to it without knowing that address.
"""

from django.urls import path

from . import views

app_name = "library"

urlpatterns: list = []

i18n_urlpatterns = [
    path("library/", views.library_index, name="index"),
]
