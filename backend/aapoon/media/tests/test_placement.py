"""Rooms on real Janus nodes: creation, entry by grant, revocation, kick, moderate, destroy."""

import time
import uuid
from typing import Any

import httpx
import pytest

from aapoon.media import placement, selectors
from aapoon.media.janus.client import VIDEOROOM_PLUGIN
from aapoon.media.janus.errors import ID_EXISTS, NO_SUCH_ROOM, UNAUTHORIZED, JanusError
from aapoon.media.janus.tokens import janus_token
from aapoon.media.models import MediaNode
from aapoon.media.nodes import clients_close
from aapoon.media.testing import RunningJanus, running_janus_node
from aapoon.media.tests.registry import register_node, room_exists

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_clients():
    yield
    clients_close()


def new_room_id() -> str:
    return str(uuid.uuid4())


class RawSession:
    """A Janus session as a browser would open it (not our client): join is asynchronous, so the
    answer comes as an event on the long poll."""

    def __init__(self, api_url: str, token: str) -> None:
        self.api_url, self.token = api_url, token
        self.session_id = self._post(api_url, {"janus": "create"})["data"]["id"]
        handle = self._post(f"{api_url}/{self.session_id}", {"janus": "attach", "plugin": VIDEOROOM_PLUGIN})
        self.handle_id = handle["data"]["id"]

    def _post(self, url: str, body: dict[str, Any]) -> dict[str, Any]:
        answer: dict[str, Any] = httpx.post(
            url, json={**body, "transaction": uuid.uuid4().hex, "token": self.token}, timeout=3
        ).json()
        assert answer["janus"] in ("success", "ack"), answer
        return answer

    def request(self, body: dict[str, Any]) -> dict[str, Any]:
        """A synchronous VideoRoom request, without the admin key."""
        answer = self._post(
            f"{self.api_url}/{self.session_id}/{self.handle_id}", {"janus": "message", "body": body}
        )
        return dict(answer["plugindata"]["data"])

    def join_publisher(
        self, *, room: str, publisher_id: str, pin: str, room_token: str | None
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "request": "join",
            "ptype": "publisher",
            "room": room,
            "id": publisher_id,
            "pin": pin,
        }
        if room_token is not None:
            body["token"] = room_token
        return self.send(body)

    def enter(self, grant: placement.SfuGrant, publisher_id: str | None = None) -> dict[str, Any]:
        """Join as the grant's camera feed (or `publisher_id`), with its pin and room token."""
        return self.join_publisher(
            room=grant["room"],
            publisher_id=publisher_id or grant["publisher_id"],
            pin=grant["pin"],
            room_token=grant["room_token"],
        )

    def join_subscriber(self, *, room: str, feed: str, pin: str, private_id: int | None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "request": "join",
            "ptype": "subscriber",
            "room": room,
            "pin": pin,
            "streams": [{"feed": feed}],
        }
        if private_id is not None:
            body["private_id"] = private_id
        return self.send(body)

    def send(self, body: dict[str, Any]) -> dict[str, Any]:
        self._post(f"{self.api_url}/{self.session_id}/{self.handle_id}", {"janus": "message", "body": body})
        return self.next_event()

    def next_event(self) -> dict[str, Any]:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            events = httpx.get(
                f"{self.api_url}/{self.session_id}", params={"maxev": 5, "token": self.token}, timeout=35
            ).json()
            for event in events if isinstance(events, list) else [events]:
                if event.get("janus") == "event" and event.get("plugindata"):
                    return dict(event["plugindata"]["data"])
        raise AssertionError("no VideoRoom event from Janus")


def session_for(janus: RunningJanus) -> RawSession:
    token = janus_token(secret=janus.token_secret, plugins=[VIDEOROOM_PLUGIN], ttl_seconds=60)
    return RawSession(janus.process.api_url, token)


def participant_ids(node: MediaNode, room_id: str) -> set[str]:
    return {str(p["id"]) for p in placement.room_participants(node=node, room_id=room_id)}


def granted_room(janus: RunningJanus, settings: Any) -> tuple[MediaNode, str, uuid.UUID, placement.SfuGrant]:
    """A new room on the running Janus (registered), and one participant's grant for it."""
    node = register_node(janus, settings)
    room_id, participant_id = new_room_id(), uuid.uuid4()
    placement.room_create(node=node, room_id=room_id, max_participants=4)
    grant = placement.grant_issue(
        node=node, room_id=room_id, participant_id=participant_id, replace_stale=False
    )
    return node, room_id, participant_id, grant


def add_feed(janus: RunningJanus, node: MediaNode, room_id: str, feed: str) -> None:
    """A feed that is publishing, without WebRTC: a remote publisher (as cascading makes them)."""
    janus.client.videoroom(
        {
            "request": "add_remote_publisher",
            "room": room_id,
            "secret": placement.room_secret(room_id),
            "id": feed,
            "streams": [{"type": "audio", "mindex": 0, "mid": "0", "codec": "opus"}],
        }
    )
    deadline = time.monotonic() + 3  # Janus lists it from a thread of its own, a moment later
    while feed not in participant_ids(node, room_id):
        assert time.monotonic() < deadline, "the remote publisher was never listed"
        time.sleep(0.02)


# ---- derived values ------------------------------------------------------------------------------


def test_room_secret_pin_and_tokens_are_derived_from_the_secret_key_and_differ(settings):
    room_id, participant_id = new_room_id(), uuid.uuid4()
    values = (
        placement.room_secret(room_id),
        placement.room_pin(room_id),
        placement.room_token(participant_id),
    )
    assert len(set(values)) == 3
    assert placement.room_secret(room_id) == values[0]  # any app node computes the same
    settings.SECRET_KEY = "another key"
    assert placement.room_secret(room_id) != values[0]
    assert placement.room_token(participant_id) != values[2]


def test_conference_ids_name_the_node_and_the_room():
    node = MediaNode(name="j7")
    assert placement.conference_id(node=node, room_id="r1") == "j7/r1"
    assert placement.conference_parse("j7/r1") == ("j7", "r1")
    for bad in ("", "j7", "j7/", "/r1"):
        assert placement.conference_parse(bad) is None


# ---- placement -----------------------------------------------------------------------------------


def test_least_loaded_healthy_enabled_node_is_chosen_by_load_for_capacity():
    MediaNode.objects.create(name="busy", capacity=100, load=50, healthy=True)
    MediaNode.objects.create(name="roomy", capacity=1000, load=100, healthy=True)  # 10 %
    MediaNode.objects.create(name="idle-but-dead", capacity=100, load=0, healthy=False)
    MediaNode.objects.create(name="idle-but-disabled", capacity=100, load=0, healthy=True, enabled=False)
    assert selectors.node_least_loaded().name == "roomy"
    assert selectors.node_least_loaded(exclude={"roomy"}).name == "busy"
    assert selectors.node_least_loaded(exclude={"roomy", "busy"}) is None


def test_room_place_creates_the_room_on_the_least_loaded_node(janus, settings, tmp_path):
    with running_janus_node(tmp_path, "j2") as other:
        loaded = register_node(janus, settings, load=150)
        light = register_node(other, settings, load=3)
        room_id = new_room_id()
        assert placement.room_place(room_id=room_id, max_participants=6) == light
        assert room_exists(node=light, room_id=room_id)
        assert not room_exists(node=loaded, room_id=room_id)


def test_room_place_skips_a_node_that_does_not_answer(janus, settings):
    dead = MediaNode.objects.create(
        name="gone", api_url="http://127.0.0.1:9/janus", admin_url="http://127.0.0.1:9/admin", healthy=True
    )
    settings.JANUS_NODES = [{"name": "gone", "admin_secret": "a", "token_secret": "t"}]
    alive = register_node(janus, settings, load=100)  # busier than the dead one: tried second
    room_id = new_room_id()
    assert placement.room_place(room_id=room_id, max_participants=4) == alive
    assert placement.room_place(room_id=new_room_id(), max_participants=4, exclude={alive.name}) is None
    dead.refresh_from_db()
    assert dead.healthy  # placement only skips it; the monitor decides its health


def test_creating_a_room_twice_is_not_an_error(janus, settings):
    node = register_node(janus, settings)
    room_id = new_room_id()
    placement.room_create(node=node, room_id=room_id, max_participants=6)
    placement.room_create(node=node, room_id=room_id, max_participants=6)
    assert room_exists(node=node, room_id=room_id)


def test_the_room_is_private_with_secret_pin_and_allowed_checking(janus, settings):
    node = register_node(janus, settings)
    room_id = new_room_id()
    placement.room_create(node=node, room_id=room_id, max_participants=3)
    listed = session_for(janus).request({"request": "list"})["list"]  # as a participant sees it
    assert room_id not in {room["room"] for room in listed}  # private rooms stay unlisted
    with pytest.raises(JanusError) as wrong_secret:
        janus.client.videoroom({"request": "destroy", "room": room_id, "secret": "guess"})
    assert wrong_secret.value.code == UNAUTHORIZED
    assert placement.room_allowed(node=node, room_id=room_id, action="add", tokens=[]) == []
    no_pin = session_for(janus).join_publisher(room=room_id, publisher_id="p", pin="wrong", room_token=None)
    assert no_pin["error_code"] == UNAUTHORIZED


# ---- grants: only a granted token enters ---------------------------------------------------------


def test_a_grant_lets_exactly_that_participant_in(janus, settings):
    node, room_id, participant_id, grant = granted_room(janus, settings)

    assert set(grant) == {
        "server_url",
        "token",
        "room",
        "pin",
        "room_token",
        "publisher_id",
        "screen_publisher_id",
        "ice_servers",
    }
    assert grant["server_url"] == janus.process.ws_url
    assert grant["ice_servers"] == []  # no STUN or TURN configured in tests
    assert (grant["room"], grant["pin"]) == (room_id, placement.room_pin(room_id))
    assert grant["room_token"] == placement.room_token(participant_id)
    assert (grant["publisher_id"], grant["screen_publisher_id"]) == (
        str(participant_id),
        f"{participant_id}:screen",
    )
    expiry = int(grant["token"].split(",", 1)[0])
    assert abs(expiry - (time.time() + settings.JANUS_TOKEN_TTL_SECONDS)) < 5
    assert placement.room_allowed(node=node, room_id=room_id, action="add", tokens=[]) == [
        grant["room_token"]
    ]

    browser = RawSession(janus.process.api_url, grant["token"])  # the grant's Janus token opens a session
    refused = browser.join_publisher(room=room_id, publisher_id="intruder", pin=grant["pin"], room_token=None)
    assert refused["error_code"] == UNAUTHORIZED
    someone_else = placement.room_token(uuid.uuid4())
    refused = browser.join_publisher(
        room=room_id, publisher_id="intruder", pin=grant["pin"], room_token=someone_else
    )
    assert refused["error_code"] == UNAUTHORIZED
    joined = browser.enter(grant)
    assert (joined["videoroom"], joined["id"]) == ("joined", grant["publisher_id"])
    assert participant_ids(node, room_id) == {grant["publisher_id"]}


def test_only_a_publisher_in_the_room_can_subscribe(janus, settings):
    node, room_id, _, grant = granted_room(janus, settings)
    add_feed(janus, node, room_id, "speaker")
    private_id = RawSession(janus.process.api_url, grant["token"]).enter(grant)["private_id"]

    # A Janus token and the pin are not enough: without a publisher's private_id, no subscription.
    watcher = RawSession(janus.process.api_url, grant["token"])
    refused = watcher.join_subscriber(room=room_id, feed="speaker", pin=grant["pin"], private_id=None)
    assert refused["error_code"] == UNAUTHORIZED
    wrong = private_id + 1 if private_id < 2**32 - 1 else private_id - 1
    refused = watcher.join_subscriber(room=room_id, feed="speaker", pin=grant["pin"], private_id=wrong)
    assert refused["error_code"] == UNAUTHORIZED

    attached = watcher.join_subscriber(room=room_id, feed="speaker", pin=grant["pin"], private_id=private_id)
    assert (attached.get("videoroom"), attached.get("error_code")) == ("attached", None)


def test_a_janus_session_needs_the_grant_token(janus):
    answer = httpx.post(
        janus.process.api_url,
        json={"janus": "create", "transaction": "t", "token": "1,janus:forged"},
        timeout=3,
    ).json()
    assert answer["janus"] == "error"


def test_revoking_a_grant_kicks_the_feeds_and_shuts_the_door(janus, settings):
    node, room_id, participant_id, grant = granted_room(janus, settings)
    for publisher_id in (grant["publisher_id"], grant["screen_publisher_id"]):
        assert session_for(janus).enter(grant, publisher_id)["videoroom"] == "joined"
    assert participant_ids(node, room_id) == {grant["publisher_id"], grant["screen_publisher_id"]}

    placement.grant_revoke(node=node, room_id=room_id, participant_id=participant_id)

    assert participant_ids(node, room_id) == set()
    assert placement.room_allowed(node=node, room_id=room_id, action="add", tokens=[]) == []
    assert session_for(janus).enter(grant)["error_code"] == UNAUTHORIZED
    placement.grant_revoke(node=node, room_id=room_id, participant_id=participant_id)  # again: nothing to do


def test_a_grant_for_a_new_socket_kicks_the_stale_publisher_first(janus, settings):
    node, room_id, participant_id, grant = granted_room(janus, settings)
    assert session_for(janus).enter(grant)["videoroom"] == "joined"  # the old socket's
    taken = session_for(janus).enter(grant)
    assert taken["error_code"] == ID_EXISTS  # the id is still held by the old socket's publisher

    placement.grant_issue(node=node, room_id=room_id, participant_id=participant_id, replace_stale=True)

    assert session_for(janus).enter(grant)["videoroom"] == "joined"


# ---- moderation and the end ----------------------------------------------------------------------


def test_moderating_someone_not_publishing_is_no_error_but_a_wrong_room_is(janus, settings):
    node = register_node(janus, settings)
    room_id = new_room_id()
    placement.room_create(node=node, room_id=room_id, max_participants=4)
    placement.room_moderate(node=node, room_id=room_id, publisher_id="nobody", mid="0", mute=True)
    placement.room_kick(node=node, room_id=room_id, publisher_id="nobody")
    with pytest.raises(JanusError) as missing:
        placement.room_moderate(node=node, room_id=new_room_id(), publisher_id="nobody", mid="0", mute=True)
    assert missing.value.code == NO_SUCH_ROOM


def test_destroying_a_room_disconnects_it_and_twice_is_fine(janus, settings):
    node = register_node(janus, settings)
    room_id = new_room_id()
    placement.room_create(node=node, room_id=room_id, max_participants=4)
    placement.room_destroy(node=node, room_id=room_id)
    assert not room_exists(node=node, room_id=room_id)
    placement.room_destroy(node=node, room_id=room_id)


def test_a_grant_carries_fresh_turn_credentials(janus, settings):
    settings.TURN_URLS = ["turn:turn.example.com:3478"]
    settings.TURN_SHARED_SECRET = "turn-secret"
    _, _, participant_id, grant = granted_room(janus, settings)
    (turn,) = grant["ice_servers"]
    assert turn["urls"] == ["turn:turn.example.com:3478"]
    expiry, user = str(turn["username"]).split(":", 1)
    assert user == str(participant_id)
    assert abs(int(expiry) - (time.time() + settings.TURN_CREDENTIAL_TTL_SECONDS)) < 5
