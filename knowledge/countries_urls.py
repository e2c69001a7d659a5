"""`countries:index`: links to the country profiles in the reader's language.

Wagtail routes the countries index page itself, at the address its editors gave it; this name
lets the home page and the library link to it without knowing that address.
"""

from django.urls import path

from . import views

app_name = "countries"

urlpatterns: list = []

i18n_urlpatterns = [
    path("countries/", views.countries_index, name="index"),
]
