from aapoon.core.errors import Conflict, NotFound


class MeetingUnavailable(NotFound):
    """One answer for every refusal before the passcode is proven, so a code can't be probed."""

    code = "meeting_unavailable"
    message = "This meeting doesn't exist or you can't join it. Check the code and the passcode."


class MeetingLocked(Conflict):
    code = "meeting_locked"
    message = "The host has locked this meeting; no one else can join."


class MeetingFull(Conflict):
    code = "meeting_full"
    message = "This meeting is full."
