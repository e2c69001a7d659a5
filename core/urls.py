"""The kernel's routes: language-neutral ones (health, robots) and language-prefixed ones.

`idiaspora/urls.py` mounts `urlpatterns` as they are and `i18n_urlpatterns` under the language
prefix, as it does for every app's include.
"""

from allauth.mfa.recovery_codes import views as recovery_code_views
from allauth.mfa.totp import views as totp_views

from django.urls import path

from . import (
    api_taxonomy,
    approvals,
    enrolment,
    integration_views,
    private_files,
    views,
    yourdata_views,
)
from .guards import second_factor_required

# The open-data API's vocabularies (core.api_taxonomy), under /api/v1/.
api_urlpatterns = [
    path("api/v1/topics/", api_taxonomy.TopicList.as_view(), name="api-topics"),
    path("api/v1/topics/<slug:slug>/", api_taxonomy.TopicDetail.as_view(), name="api-topic"),
    path("api/v1/countries/", api_taxonomy.CountryList.as_view(), name="api-countries"),
]

urlpatterns = [
    *api_urlpatterns,
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]

i18n_urlpatterns = [
    path("accounts/policies/", views.accept_policies, name="policies_accept"),
    # Members' private documents, each behind its owning app's permission check. Under the
    # language prefix so that a 404 stays a 404 (LocaleMiddleware would redirect an unprefixed
    # one to the language's address, which Wagtail's catch-all accepts).
    path("private/<str:kind>/<str:key>/", private_files.serve, name="private_file"),
    # Your data: the signed-in member's own, so no id in the address.
    path("accounts/data/", yourdata_views.your_data, name="your_data"),
    path("accounts/delete/", yourdata_views.delete_your_account, name="delete_account"),
    # Personal API tokens and webhooks, for partners' integrations.
    path("accounts/api-tokens/", integration_views.api_tokens, name="api_tokens"),
    path(
        "accounts/api-tokens/<int:pk>/revoke/",
        integration_views.revoke_api_token,
        name="api_token_revoke",
    ),
    path("accounts/webhooks/", integration_views.webhook_list, name="webhooks"),
    path("accounts/webhooks/<int:pk>/", integration_views.webhook_detail, name="webhook_detail"),
    # allauth's two-factor pages at their own addresses (these come first, so they win):
    # set-up asks staff for an e-mailed link; managing a factor needs it passed in this session.
    path("accounts/2fa/totp/activate/", enrolment.activate_totp, name="mfa_activate_totp"),
    path(
        "accounts/2fa/totp/deactivate/",
        second_factor_required(totp_views.deactivate_totp),
        name="mfa_deactivate_totp",
    ),
    path(
        "accounts/2fa/recovery-codes/",
        second_factor_required(recovery_code_views.view_recovery_codes),
        name="mfa_view_recovery_codes",
    ),
    path(
        "accounts/2fa/recovery-codes/generate/",
        second_factor_required(recovery_code_views.generate_recovery_codes),
        name="mfa_generate_recovery_codes",
    ),
    path(
        "accounts/2fa/recovery-codes/download/",
        second_factor_required(recovery_code_views.download_recovery_codes),
        name="mfa_download_recovery_codes",
    ),
    path(
        "accounts/2fa/enrol/send/",
        enrolment.request_enrolment_link,
        name="totp_enrolment_request",
    ),
    path("accounts/2fa/enrol/code/", approvals.redeem_approval, name="totp_approval_redeem"),
    path("accounts/2fa/approvals/", approvals.approvals, name="totp_approvals"),
    path(
        "accounts/2fa/enrol/<str:token>/",
        enrolment.confirm_enrolment_link,
        name="totp_enrolment_confirm",
    ),
]
