import datetime as dt
import uuid

from ninja import Field, Schema

from aapoon.core.text import Text


class NotificationOut(Schema):
    id: uuid.UUID
    event: str
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class CountOut(Schema):
    count: int


class ChannelsSchema(Schema):
    email: bool
    sms: bool
    push: bool
    inapp: bool


class EventPreferenceOut(Schema):
    event: str
    label: str
    channels: ChannelsSchema


class PreferencesOut(Schema):
    reminder_minutes: int
    events: list[EventPreferenceOut]


class EventPreferenceIn(Schema):
    event: Text = Field(..., max_length=32)
    channels: ChannelsSchema


class PreferencesIn(Schema):
    reminder_minutes: int | None = Field(None, ge=0, le=1440)
    events: list[EventPreferenceIn] = Field(default_factory=list, max_length=20)


class UnsubscribeOut(Schema):
    event: str
    label: str


class PushKeyOut(Schema):
    public_key: str


class PushKeysIn(Schema):
    p256dh: Text = Field(..., max_length=100)
    auth: Text = Field(..., max_length=40)


class PushSubscriptionIn(Schema):
    endpoint: Text = Field(..., max_length=1000)
    keys: PushKeysIn


class PushEndpointIn(Schema):
    endpoint: Text = Field(..., max_length=1000)
