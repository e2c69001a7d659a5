"""Video embeds that need no internet: YouTube and Vimeo players built from the URL alone.

Wagtail's default finders ask the provider's oEmbed endpoint, at save time and whenever the
embed cache is cold: the platform runs where there is no internet, and each such call would tell
the provider who edits what. This finder recognises the video id in the URL and builds the
player address itself, on the provider's privacy-friendly host (youtube-nocookie.com, Vimeo with
do-not-track); any other URL is refused, so an editor gets a clear message instead of a
silently empty block. Registered in `WAGTAILEMBEDS_FINDERS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.utils.html import format_html

from wagtail.embeds.exceptions import EmbedNotFoundException
from wagtail.embeds.finders.base import EmbedFinder

SUPPORTED_PROVIDERS = ("YouTube", "Vimeo")
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^[0-9]{1,12}$")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com",
                  "www.youtube-nocookie.com"}  # fmt: skip
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


@dataclass(frozen=True)
class OfflineEmbed:
    """A recognised video: who hosts it and the player address to put in an iframe."""

    provider: str
    video_id: str
    player_url: str


def _youtube_id(host: str, path: str, query: str) -> str | None:
    parts = [part for part in path.split("/") if part]
    if host == "youtu.be":
        return parts[0] if parts else None
    if host not in _YOUTUBE_HOSTS:
        return None
    if parts[:1] == ["watch"]:
        return (parse_qs(query).get("v") or [None])[0]
    if len(parts) >= 2 and parts[0] in ("embed", "shorts", "live", "v"):
        return parts[1]
    return None


def _vimeo_id(host: str, path: str) -> str | None:
    if host not in _VIMEO_HOSTS:
        return None
    parts = [part for part in path.split("/") if part]
    if host == "player.vimeo.com":
        return parts[1] if len(parts) >= 2 and parts[0] == "video" else None
    return parts[-1] if parts else None


def find_offline_embed(url: str) -> OfflineEmbed | None:
    """The video `url` points to, when it is one of the supported providers', else None."""
    try:
        address = urlsplit(url.strip())
    except ValueError:
        return None
    if address.scheme not in ("http", "https"):
        return None
    host = (address.hostname or "").lower()
    video = _youtube_id(host, address.path, address.query)
    if video and _YOUTUBE_ID.match(video):
        return OfflineEmbed("YouTube", video, f"https://www.youtube-nocookie.com/embed/{video}")
    video = _vimeo_id(host, address.path)
    if video and _VIMEO_ID.match(video):
        return OfflineEmbed("Vimeo", video, f"https://player.vimeo.com/video/{video}?dnt=1")
    return None


class OfflineEmbedFinder(EmbedFinder):
    """Wagtail's finder interface over `find_offline_embed`: never opens a connection."""

    def __init__(self, **options) -> None:
        self.options = options

    def accept(self, url: str) -> bool:
        return find_offline_embed(url) is not None

    def find_embed(self, url: str, max_width: int | None = None, max_height: int | None = None,
                   **kwargs) -> dict:  # fmt: skip
        embed = find_offline_embed(url)
        if embed is None:
            raise EmbedNotFoundException
        width, height = 640, 360
        html = format_html(
            '<iframe src="{}" width="{}" height="{}" title="{}" loading="lazy" '
            'allow="fullscreen; picture-in-picture" referrerpolicy="strict-origin" '
            "allowfullscreen></iframe>",
            embed.player_url, width, height, embed.provider,
        )  # fmt: skip
        return {
            "title": "",
            "author_name": "",
            "provider_name": embed.provider,
            "type": "video",
            "thumbnail_url": None,
            "width": width,
            "height": height,
            "html": str(html),
        }
