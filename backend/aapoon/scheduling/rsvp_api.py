"""Public RSVP endpoints: the signed link in the invitation is the only credential."""

import datetime as dt
from dataclasses import asdict
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema

from aapoon.core.http import client_ip
from aapoon.scheduling import rsvp
from aapoon.scheduling.rsvp import RsvpState

router = Router(tags=["rsvp"])

Answer = Literal["accepted", "tentative", "declined"]


class RsvpIn(Schema):
    answer: Answer


class RsvpOut(Schema):
    meeting_title: str
    host_name: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    timezone: str
    recurrence_text: str
    answer: str
    current: str


def _out(state: RsvpState, answer: str) -> RsvpOut:
    return RsvpOut(**asdict(state), answer=answer)


@router.get("/rsvp/{token}", response=RsvpOut, auth=None, operation_id="rsvp_get")
def rsvp_get(request: HttpRequest, token: str, answer: Answer | None = None) -> RsvpOut:
    return _out(rsvp.rsvp_get(token=token, ip=client_ip(request)), answer or "")


@router.post("/rsvp/{token}", response=RsvpOut, auth=None, operation_id="rsvp_answer")
def rsvp_answer(request: HttpRequest, token: str, payload: RsvpIn) -> RsvpOut:
    state = rsvp.rsvp_record(token=token, answer=payload.answer, ip=client_ip(request))
    return _out(state, payload.answer)
