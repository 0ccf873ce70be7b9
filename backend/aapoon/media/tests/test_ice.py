"""ICE servers for a participant: STUN as configured, TURN REST credentials (coturn use-auth-secret)."""

import base64
import hashlib
import hmac

import time_machine

from aapoon.media.ice import ice_servers_for, turn_credentials

SECRET = "turn-shared-secret"
NOW = 1_900_000_000


def _expected_credential(secret: str, username: str) -> str:
    """Computed here from the coturn docs, independently of the code under test."""
    mac = hmac.new(secret.encode("utf-8"), username.encode("utf-8"), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode("ascii")


def test_turn_credentials_are_expiry_ref_and_base64_hmac_sha1():
    username, credential = turn_credentials(secret=SECRET, user_ref="p-123", ttl_seconds=600, now=NOW)
    assert username == f"{NOW + 600}:p-123"
    assert credential == _expected_credential(SECRET, username)
    assert len(base64.b64decode(credential)) == 20  # a SHA-1 digest


def test_turn_credentials_depend_on_secret_ref_and_time():
    base = turn_credentials(secret=SECRET, user_ref="p-1", ttl_seconds=60, now=NOW)
    assert turn_credentials(secret=SECRET, user_ref="p-1", ttl_seconds=60, now=NOW) == base
    assert turn_credentials(secret="other", user_ref="p-1", ttl_seconds=60, now=NOW)[1] != base[1]
    assert turn_credentials(secret=SECRET, user_ref="p-2", ttl_seconds=60, now=NOW)[0] == f"{NOW + 60}:p-2"
    later = turn_credentials(secret=SECRET, user_ref="p-1", ttl_seconds=60, now=NOW + 1)
    assert later[0] == f"{NOW + 61}:p-1"
    assert later[1] != base[1]


def test_no_servers_without_configuration(settings):
    settings.ICE_STUN_URLS = []
    settings.TURN_URLS = []
    settings.TURN_SHARED_SECRET = ""
    assert ice_servers_for(user_ref="p-1") == []


def test_stun_only_when_configured(settings):
    settings.ICE_STUN_URLS = ["stun:stun.example.org:3478", "stun:stun2.example.org:3478"]
    settings.TURN_URLS = []
    settings.TURN_SHARED_SECRET = SECRET
    assert ice_servers_for(user_ref="p-1") == [
        {
            "urls": ["stun:stun.example.org:3478", "stun:stun2.example.org:3478"],
            "username": None,
            "credential": None,
        }
    ]


def test_no_turn_without_a_secret(settings):
    settings.ICE_STUN_URLS = []
    settings.TURN_URLS = ["turn:turn.example.org:3478?transport=udp"]
    settings.TURN_SHARED_SECRET = ""
    assert ice_servers_for(user_ref="p-1") == []


def test_turn_with_a_secret_expires_after_the_ttl(settings):
    settings.ICE_STUN_URLS = ["stun:stun.example.org:3478"]
    settings.TURN_URLS = ["turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"]
    settings.TURN_SHARED_SECRET = SECRET
    settings.TURN_CREDENTIAL_TTL_SECONDS = 3600
    with time_machine.travel(NOW, tick=False):
        servers = ice_servers_for(user_ref="0190aaaa-0000-7000-8000-000000000001")
    username = f"{NOW + 3600}:0190aaaa-0000-7000-8000-000000000001"
    assert servers == [
        {"urls": ["stun:stun.example.org:3478"], "username": None, "credential": None},
        {
            "urls": ["turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"],
            "username": username,
            "credential": _expected_credential(SECRET, username),
        },
    ]
