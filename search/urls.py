"""Routes of search: the page and saved searches under each language prefix, the JSON
endpoints under /api/v1/."""

from django.urls import path

from . import api, saved_views, views

app_name = "search"

i18n_urlpatterns = [
    path("search/", views.index, name="index"),
    path("search/suggestions/", views.suggestions, name="suggestions"),
    path("search/saved/", saved_views.saved_list, name="saved"),
    path("search/saved/new/", saved_views.saved_create, name="save"),
    path("search/saved/<int:pk>/", saved_views.saved_update, name="update_saved"),
    path("search/saved/<int:pk>/delete/", saved_views.saved_delete, name="delete_saved"),
]
api_urlpatterns = [
    path("api/v1/search/", api.SearchView.as_view(), name="search-api"),
    path(
        "api/v1/search/suggestions/",
        api.SuggestionsView.as_view(),
        name="search-suggestions-api",
    ),
]
