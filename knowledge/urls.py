"""The knowledge app's routes: the multilingual sitemap (Wagtail serves the pages themselves)
and the open-data API's library and handbook endpoints (`knowledge.api`), courses
(`knowledge.course_api`) and members' resource proposals (`knowledge.submission_api`), under
/api/v1/."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import api, course_api, submission_api
from .sitemaps import MultilingualSitemap

urlpatterns = [
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": MultilingualSitemap}}, name="sitemap"),
]

api_urlpatterns = [
    path("api/v1/resources/", api.ResourceList.as_view(), name="api-resources"),
    path(
        "api/v1/resources/submissions/",
        submission_api.SubmissionListAndCreate.as_view(),
        name="api-resource-submissions",
    ),
    path("api/v1/resources/<uuid:id>/", api.ResourceDetail.as_view(), name="api-resource"),
    path("api/v1/handbook/chapters/", api.ChapterList.as_view(), name="api-chapters"),
    path("api/v1/handbook/chapters/<uuid:id>/", api.ChapterDetail.as_view(), name="api-chapter"),
    path("api/v1/courses/", course_api.CourseList.as_view(), name="api-courses"),
    path("api/v1/courses/<uuid:id>/", course_api.CourseDetail.as_view(), name="api-course"),
]
urlpatterns += api_urlpatterns
