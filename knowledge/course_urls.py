"""`courses:index` (the navigation's way to the live courses in the reader's language) and the
certificates anyone may verify by their code: `/<lang>/courses/certificates/<code>/` and its
printable view. Wagtail routes the course pages themselves."""

from django.urls import path

from . import course_views

app_name = "courses"

i18n_urlpatterns = [
    path("courses/", course_views.courses_index, name="index"),
    path("courses/certificates/<str:code>/", course_views.certificate, name="certificate"),
    path(
        "courses/certificates/<str:code>/print/",
        course_views.certificate,
        {"printable": True},
        name="certificate_print",
    ),
]
