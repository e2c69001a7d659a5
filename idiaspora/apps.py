"""The project package as a Django app, so that it can own the run command.

`manage.py runplatform` starts the project's processes (uvicorn on `idiaspora.asgi`, the worker)
and the embedded PostgreSQL: that wiring belongs to the project, not to `core`, which imports no
project package.
"""

from django.apps import AppConfig


class IdiasporaConfig(AppConfig):
    name = "idiaspora"
    verbose_name = "Diaspora Hub"
