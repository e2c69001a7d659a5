"""Project wiring for Diaspora Hub: settings, URLs, ASGI routing, embedded PostgreSQL."""
