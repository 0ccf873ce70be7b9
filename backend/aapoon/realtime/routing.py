from django.urls import path

from aapoon.realtime.consumers import UserEventsConsumer
from aapoon.realtime.meeting_consumer import MeetingConsumer

websocket_urlpatterns = [
    path("ws/me/", UserEventsConsumer.as_asgi()),
    path("ws/meetings/<str:code>/", MeetingConsumer.as_asgi()),
]
