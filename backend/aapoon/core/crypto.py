"""Encryption at rest for small secrets (bank account numbers)."""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _fernet() -> Fernet:
    if settings.FIELD_ENCRYPTION_KEY:
        return Fernet(settings.FIELD_ENCRYPTION_KEY.encode())
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"aapoon.field-encryption").derive(
        settings.SECRET_KEY.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("ciphertext cannot be decrypted with the configured key") from exc
