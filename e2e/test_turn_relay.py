"""A relay-only P2P call through a local coturn, and coturn's checks of the credentials.

The server runs with ICE_TRANSPORT_POLICY=relay and TURN_URLS / TURN_SHARED_SECRET pointing at
a `turnserver` in the test namespace (e2e/coturn.py). The browsers may then only use relayed
candidates: their selected candidate pairs and their received frames prove that media went
through coturn. The credentials the join API hands out expire, and coturn refuses them after.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import Browsers, ServerFactory, browsers_on
from coturn import Coturn, running_coturn, turn_allocate, turn_allocate_and_permit
from playwright.sync_api import Browser, Response
from support import Server, wait_for_rising
from test_meeting_room import (
    GUEST_NAME,
    MEDIA_TIMEOUT_S,
    expect_in_room,
    guest_asks_to_join,
    host_patches_meeting,
    host_starts_instant_meeting,
    new_person,
)

TURN_TTL_S = 900

# Per open peer connection: its configuration, the local and remote candidate of its selected
# pair, and the types of every local candidate it gathered.
SELECTED_PAIRS_SCRIPT = """
async () => {
  const pcs = (window.__pcs || []).filter((pc) => pc.connectionState !== "closed");
  return Promise.all(pcs.map(async (pc) => {
    const report = await pc.getStats();
    let pair = null;
    const localTypes = [];
    report.forEach((stat) => {
      if (stat.type === "transport" && stat.selectedCandidatePairId) {
        pair = report.get(stat.selectedCandidatePairId);
      }
      if (stat.type === "local-candidate") localTypes.push(stat.candidateType);
    });
    const pick = (c) => c && { type: c.candidateType, address: c.address, url: c.url || null };
    return {
      connectionState: pc.connectionState,
      policy: pc.getConfiguration().iceTransportPolicy,
      local: pick(pair && report.get(pair.localCandidateId)),
      remote: pick(pair && report.get(pair.remoteCandidateId)),
      localTypes,
    };
  }));
}
"""


@pytest.fixture(scope="module")
def coturn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Coturn]:
    addresses = os.environ.get("E2E_NETNS_ADDRS")
    if not addresses:
        pytest.skip("needs the test network namespace (e2e/run-in-netns.sh): coturn listens on its veth")
    with running_coturn(tmp_path_factory.mktemp("coturn"), host=addresses.split(",")[0]) as server:
        yield server


@pytest.fixture(scope="module")
def relay_server(server_factory: ServerFactory, coturn: Coturn) -> Iterator[Server]:
    extra_env = {
        "TURN_URLS": coturn.url,
        "TURN_SHARED_SECRET": coturn.secret,
        "TURN_CREDENTIAL_TTL_SECONDS": str(TURN_TTL_S),
        "ICE_TRANSPORT_POLICY": "relay",
    }
    with server_factory.start(extra_env, name="relay-server") as srv:
        yield srv


@pytest.fixture
def relay_browsers(
    browser: Browser, relay_server: Server, coturn: Coturn, request: pytest.FixtureRequest
) -> Iterator[Browsers]:
    yield from browsers_on(browser, relay_server, request, extra_logs=(coturn.log_path,))


def _is_join(response: Response) -> bool:
    return response.request.method == "POST" and response.url.endswith("/join")


def _selected_pairs(page: Any) -> list[dict[str, Any]]:
    pairs: list[dict[str, Any]] = page.evaluate(SELECTED_PAIRS_SCRIPT)
    return pairs


def test_a_relay_only_call_goes_through_coturn_with_credentials_that_expire(
    relay_browsers: Browsers, relay_server: Server, coturn: Coturn
) -> None:
    host, code = host_starts_instant_meeting(relay_browsers, relay_server)
    # The guest walks straight in: the waiting room is not what this test is about.
    host_patches_meeting(host, code, {"waiting_room_enabled": False})
    guest = new_person(relay_browsers, "guest", GUEST_NAME)
    issued_from = int(time.time())
    with guest.page.expect_response(_is_join) as joined:
        guest_asks_to_join(guest.page, code, GUEST_NAME)
    issued_until = int(time.time())
    join = joined.value.json()
    expect_in_room(guest.page)

    # The join API told the browser: TURN only, with a credential that expires TTL from now.
    assert join["ice_transport_policy"] == "relay"
    (ice_server,) = join["ice_servers"]
    assert ice_server["urls"] == [coturn.url]
    username, password = ice_server["username"], ice_server["credential"]
    expiry_text, user_ref = username.split(":", 1)
    assert user_ref == join["participant_id"]
    assert issued_from + TURN_TTL_S <= int(expiry_text) <= issued_until + TURN_TTL_S
    assert (username, password) == coturn.credentials(expiry=int(expiry_text), user_ref=user_ref)

    # Media flows both ways ...
    for person in (host, guest):
        wait_for_rising(person.page, "video", "framesDecoded", timeout_s=MEDIA_TIMEOUT_S, who=person.name)

    # ... and only through coturn: each side's selected pair joins two relayed candidates on it,
    # and no host or server-reflexive candidate was even gathered.
    turn_prefix = f"turn:{coturn.host}:{coturn.port}"
    for person in (host, guest):
        pairs = _selected_pairs(person.page)
        connected = [pc for pc in pairs if pc["connectionState"] == "connected"]
        assert len(connected) == 1, f"{person.name}: expected one connected peer connection: {pairs}"
        (pc,) = connected
        assert pc["policy"] == "relay", pc
        assert pc["local"]["type"] == "relay", pc
        assert pc["local"]["address"] == coturn.host, pc
        assert str(pc["local"]["url"]).startswith(turn_prefix), pc
        assert pc["remote"]["type"] == "relay", pc
        assert pc["remote"]["address"] == coturn.host, pc
        assert pc["localTypes"] and set(pc["localTypes"]) == {"relay"}, pc

    # coturn takes the credential the join API handed out, refuses the same user with an expiry
    # that has passed, and refuses a password not made with the shared secret.
    assert turn_allocate(coturn, username, password).relayed is not None
    expired = coturn.credentials(expiry=int(time.time()) - 1, user_ref=user_ref)
    assert turn_allocate(coturn, *expired).error_code == 401
    assert turn_allocate(coturn, username, password[::-1]).error_code == 401


@pytest.mark.parametrize(
    "peer",
    [
        ("127.0.0.1", 8000),  # an app node's own loopback
        ("169.254.169.254", 80),  # cloud metadata
        ("192.168.1.10", 5432),  # a private network
        ("224.0.0.251", 5353),  # multicast
    ],
)
def test_coturn_with_the_production_peer_rules_refuses_internal_peers(
    coturn: Coturn, peer: tuple[str, int]
) -> None:
    username, password = coturn.credentials(expiry=int(time.time()) + 600, user_ref="probe")
    assert turn_allocate_and_permit(coturn, username, password, peer).error_code == 403
    # The one range the test config allows (the namespace's subnet) shows the check is per peer.
    allowed = turn_allocate_and_permit(coturn, username, password, (coturn.host, 9))
    assert allowed.relayed is not None and allowed.error_code is None
