"""The forums routes, all under the language prefix."""

from django.urls import path

from . import api, views

app_name = "forums"

urlpatterns: list = []

i18n_urlpatterns = [
    path("forums/", views.index, name="index"),
    path("forums/mentions/", views.mentions, name="mentions"),
    path("forums/review/", views.review, name="review"),
    path("forums/review/<int:pk>/", views.decide_held, name="decide_held"),
    path("forums/threads/<int:pk>/", views.thread, name="thread"),
    path("forums/threads/<int:pk>/posts/", views.thread_posts, name="thread_posts"),
    path("forums/threads/<int:pk>/reply/", views.reply, name="reply"),
    path("forums/threads/<int:pk>/edit/", views.edit_thread, name="edit_thread"),
    path("forums/threads/<int:pk>/moderate/", views.moderate_thread, name="moderate_thread"),
    path("forums/posts/<int:pk>/edit/", views.edit_post, name="edit_post"),
    path("forums/posts/<int:pk>/delete/", views.delete_post, name="delete_post"),
    path("forums/posts/<int:pk>/react/", views.react, name="react"),
    path("forums/posts/<int:pk>/answer/", views.mark_answer, name="mark_answer"),
    path("forums/posts/<int:pk>/moderate/", views.moderate_post, name="moderate_post"),
    path("forums/posts/<int:pk>/history/", views.history, name="history"),
    path("forums/<slug:slug>/", views.forum, name="forum"),
    path("forums/<slug:slug>/new/", views.new_thread, name="new_thread"),
]

api_urlpatterns = [
    path("api/v1/forums/", api.ForumList.as_view(), name="api-forums"),
    path("api/v1/forums/<slug:slug>/", api.ForumDetail.as_view(), name="api-forum"),
    path("api/v1/threads/", api.ThreadList.as_view(), name="api-threads"),
    path("api/v1/threads/<int:id>/", api.ThreadDetail.as_view(), name="api-thread"),
    path("api/v1/threads/<int:id>/posts/", api.PostList.as_view(), name="api-thread-posts"),
]
