"""The kernel's routes: language-neutral ones (health, robots) and language-prefixed ones.

`idiaspora/urls.py` mounts `urlpatterns` as they are and `i18n_urlpatterns` under the language
prefix, as it does for every app's include.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]

i18n_urlpatterns = [
    path("accounts/policies/", views.accept_policies, name="policies_accept"),
]
