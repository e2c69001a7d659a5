"""Routes of search: the page under each language prefix, the JSON endpoint under /api/v1/."""

from django.urls import path

from . import api, views

app_name = "search"

i18n_urlpatterns = [
    path("search/", views.index, name="index"),
    path("search/suggestions/", views.suggestions, name="suggestions"),
]
api_urlpatterns = [
    path("api/v1/search/", api.SearchView.as_view(), name="search-api"),
    path(
        "api/v1/search/suggestions/",
        api.SuggestionsView.as_view(),
        name="search-suggestions-api",
    ),
]
