"""Development settings: debug on, a throwaway secret key, e-mail printed to the console."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-change-me"  # noqa: F405
# Serve static files straight from the app folders, so no collectstatic is needed to develop.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Template edits do not empty the page cache, so development serves fresh pages by default.
PAGE_CACHE_SECONDS = int(__import__("os").environ.get("PAGE_CACHE_SECONDS", "0"))
