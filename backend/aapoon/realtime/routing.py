from django.urls import path

from aapoon.realtime.consumers import UserEventsConsumer

websocket_urlpatterns = [
    path("ws/me/", UserEventsConsumer.as_asgi()),
]
