"""Turns an EMAIL_URL (smtp://user:pass@host:587?tls=1) into Django's e-mail settings."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlparse


def parse_email_url(url: str) -> dict[str, object]:
    parsed = urlparse(url)
    query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
    backends = {
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
    }
    if parsed.scheme not in backends:
        raise ValueError(f"EMAIL_URL scheme must be one of {sorted(backends)}")
    config: dict[str, object] = {"EMAIL_BACKEND": backends[parsed.scheme]}
    if parsed.scheme in {"smtp", "smtps"}:
        config.update(
            EMAIL_HOST=parsed.hostname or "localhost",
            EMAIL_PORT=parsed.port or (465 if parsed.scheme == "smtps" else 25),
            EMAIL_HOST_USER=unquote(parsed.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parsed.password or ""),
            EMAIL_USE_SSL=parsed.scheme == "smtps" or query.get("ssl") in {"1", "true"},
            EMAIL_USE_TLS=query.get("tls") in {"1", "true"},
        )
    return config
