"""Websocket routes: one multiplexed socket per browser page."""

from django.urls import path

from core.consumers import LiveConsumer

websocket_urlpatterns = [path("ws/live/", LiveConsumer.as_asgi())]
