"""Settings for the benchmark's server: production-like (no debug) but runnable with no set-up.

The base settings are kept whole, so the page cache, the middleware and the database pool are the
ones production uses; only what would stop a local run changes: a fixed secret key, loopback
hosts, static files served from the app folders (no collectstatic, no manifest) and a URL map
with one trivial view that gives the floor the pages are compared with.
"""

import os

from idiaspora.settings.base import *  # noqa: F403
from idiaspora.settings.base import CACHES, STORAGES

DEBUG = False
SECRET_KEY = "bench-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
WHITENOISE_USE_FINDERS = True
# Only the static files change: every other storage (private files among them) stays as in
# production, or a model that uses it cannot even be imported.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ROOT_URLCONF = "bench.urls"

# A server started with the page cache off still reads the shared cache, so a page cached by an
# earlier run would be served as "uncached": each run caches under its own key prefix instead.
_run_prefix = ["bench", os.environ.get("BENCH_RUN", "")]
CACHES = {
    **CACHES,
    "pages": {
        **CACHES["pages"],
        "KEY_PREFIX": "-".join(filter(None, [CACHES["pages"].get("KEY_PREFIX"), *_run_prefix])),
    },
}

# The open-data API's throttles stay on (their one statement per request is part of the cost)
# but never refuse the benchmark's load.
API_THROTTLE_RATES = {"api_anon": "100000000/minute", "api_member": "100000000/minute"}
