import uuid

from ninja import Field, Schema

from aapoon.core.text import Text


class BreakoutRoomIn(Schema):
    id: uuid.UUID | None = Field(None, description="An existing room (kept and renamed); none: a new room")
    name: Text = Field(..., max_length=200)
    emails: list[Text] = Field([], max_length=1000, description="People invited, assigned here ahead")


class BreakoutPlanIn(Schema):
    """The whole plan (PUT replaces it)."""

    allow_choosing: bool = Field(False, description="Participants may pick a room themselves")
    duration_minutes: int | None = Field(None, description="1 to 720; null: no timer")
    countdown_seconds: int = Field(60, description="0 to 120 seconds before everyone returns")
    rooms: list[BreakoutRoomIn] = Field(..., max_length=1000)


class BreakoutRoomOut(Schema):
    id: uuid.UUID
    name: str
    emails: list[str]


class BreakoutPlanOut(Schema):
    status: str
    allow_choosing: bool
    duration_minutes: int | None
    countdown_seconds: int
    rooms: list[BreakoutRoomOut]
