"""`handbook:index`: the navigation's way to the live handbook in the reader's language.

Wagtail routes the handbook page itself, at the address its editors gave it; this name lets
templates and the main navigation link to it without knowing that address.
"""

from django.urls import path

from . import views

app_name = "handbook"

i18n_urlpatterns = [
    path("handbook/", views.handbook_index, name="index"),
]
