"""Django's database sessions, their one read per request with SQL compiled once per process.

Every signed-in request reads its session row before anything else; Django compiles that same
`SELECT ... WHERE expire_date > %s AND session_key = %s` afresh each time, which costs more CPU
than PostgreSQL spends answering it (`core.compiled_queries`). Everything else (saving, expiry,
cycling keys, the async read) is Django's own `db` engine.
"""

from __future__ import annotations

import logging

from django.contrib.sessions.backends import db
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from .compiled_queries import CompiledQueries

_compiled = CompiledQueries("sessions", max_entries=8)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        key, now = self.session_key, timezone.now()
        objects = self.model.objects
        try:
            # In the order the SQL takes them (the filters sorted by name); checked when compiled.
            found = _compiled.rows(
                self.model,
                lambda: objects.filter(session_key=key, expire_date__gt=now),
                [now, key],
            )
        except SuspiciousOperation as error:
            logger = logging.getLogger(f"django.security.{error.__class__.__name__}")
            logger.warning(str(error))
            found = []
        if not found:
            self._session_key = None
            return None
        return found[0]
