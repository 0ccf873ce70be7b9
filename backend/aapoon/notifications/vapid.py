"""The server's VAPID key pair for Web Push: made once, kept in the database, encrypted at rest.

The public half is what browsers subscribe with (`applicationServerKey`); changing it would
orphan every subscription, so it is made on first use and never replaced.
"""

import base64

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from py_vapid import Vapid

from aapoon.core.crypto import decrypt, encrypt
from aapoon.notifications.models import VapidKey


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _public_key(private: ec.EllipticCurvePrivateKey) -> str:
    return _b64(private.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint))


def _raw_private_key() -> str:
    if settings.VAPID_PRIVATE_KEY:
        return str(settings.VAPID_PRIVATE_KEY)
    stored = VapidKey.objects.filter(pk=1).first()
    if stored is None:
        private = ec.generate_private_key(ec.SECP256R1())
        raw = _b64(private.private_numbers().private_value.to_bytes(32, "big"))
        # Two processes may get here at once: the first insert wins and both use its key.
        stored, _ = VapidKey.objects.get_or_create(
            pk=1, defaults={"private_key_encrypted": encrypt(raw), "public_key": _public_key(private)}
        )
    return decrypt(stored.private_key_encrypted)


def vapid_signer() -> Vapid:
    """The key that signs each push request's VAPID token."""
    return Vapid.from_raw(_raw_private_key().encode())


def vapid_public_key() -> str:
    """The application server key, urlsafe base64 of the uncompressed P-256 point."""
    return _public_key(vapid_signer().private_key)
